// Bootstrap Italia's bundle includes video.js, which on load injects a <style> of default player
// sizes into every page. Ponti's Content-Security-Policy refuses inline styles, and Ponti shows no
// video player: this flag, read by video.js as it loads, tells it to inject nothing.
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
