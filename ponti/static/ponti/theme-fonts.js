// The theme's base template then calls bootstrap.loadFonts(), which injects the @font-face rules
// as an inline <style>. Ponti's Content-Security-Policy refuses inline styles, and base.html
// links the same rules as a stylesheet (ponti/fonts.css): so that call does nothing here.
if (window.bootstrap) { window.bootstrap.loadFonts = function () {}; }
