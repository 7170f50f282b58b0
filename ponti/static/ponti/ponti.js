// Ponti: small progressive enhancements; every page works without them.
(function () {
  // Send Django's CSRF token with htmx requests (the cookie is not readable when HttpOnly).
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
  });
  // After an inline check (htmx), tie the field to its error, or untie it, as a submitted
  // form does: screen readers then announce "invalid" and read the message with the field.
  document.addEventListener("htmx:afterSwap", function (event) {
    var region = event.detail.target;
    var suffix = "-feedback";
    if (!region || !region.id || region.id.slice(-suffix.length) !== suffix) { return; }
    var inputId = region.id.slice(0, -suffix.length);
    var input = document.getElementById(inputId);
    if (!input) { return; }
    var errorsId = inputId + "-errors";
    var described = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (id) {
      return id && id !== errorsId;
    });
    if (document.getElementById(errorsId)) {
      described.push(errorsId);
      input.setAttribute("aria-invalid", "true");
    } else {
      input.removeAttribute("aria-invalid");
    }
    if (described.length) { input.setAttribute("aria-describedby", described.join(" ")); }
    else { input.removeAttribute("aria-describedby"); }
  });
  // Confirm destructive actions.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
})();
