// Forms on pages built for everyone (a static copy of a portal, or a page HTTP caches share)
// fetch fresh tokens when used; on a static copy they post to the live site. With scripts
// on, the message is sent in the background (CORS from a static copy) and the outcome shown
// in place, what was typed kept on failure; without, the browser posts the form and lands
// on the live site.
(function () {
  "use strict";
  function notice(form, ok, text) {
    var box = form.querySelector(".live-form-status");
    if (!box) {
      box = document.createElement("p");
      box.setAttribute("role", "status");
      form.insertBefore(box, form.firstChild);
    }
    box.className = "live-form-status notice notice--" + (ok ? "success" : "error");
    box.textContent = text;
  }
  function freshStart(form) {
    // The page was built for everyone, maybe long before it is read: ask the live site for a
    // new start time (and, on the live site itself, a CSRF token of this visitor's own).
    form.tokens = fetch(form.dataset.tokenUrl, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var field = form.querySelector('input[name$="started"]');
        if (field && data.started) { field.value = data.started; }
        if (data.csrf && new URL(form.action, location.href).origin === location.origin) {
          var csrf = form.querySelector('input[name="csrfmiddlewaretoken"]');
          if (!csrf) {
            csrf = document.createElement("input");
            csrf.type = "hidden";
            csrf.name = "csrfmiddlewaretoken";
            form.appendChild(csrf);
          }
          csrf.value = data.csrf;
        }
      })
      .catch(function () {});
    return form.tokens;
  }
  document.querySelectorAll("form[data-live-form]").forEach(function (form) {
    form.addEventListener("focusin", function () { freshStart(form); }, { once: true });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("[type=submit]");
      if (button) { button.disabled = true; }
      (form.tokens || freshStart(form))
        .then(function () {
          return fetch(form.action, {
            method: "POST",
            body: new FormData(form),
            headers: { Accept: "application/json" },
          });
        })
        .then(function (response) {
          return response.json().catch(function () {
            return {
              ok: false,
              message: response.status === 429
                ? "Too many messages from here. Please try again later."
                : "Your message could not be sent. Please try again.",
            };
          });
        })
        .then(function (data) {
          notice(form, data.ok, data.message);
          if (data.ok) { form.reset(); }
        })
        .catch(function () {
          notice(form, false, "Your message could not be sent from here. Please try again in a " +
            "moment, or send it from this listing on the live site: " + form.dataset.livePage);
        })
        .finally(function () {
          if (button) { button.disabled = false; }
          freshStart(form);  // a start token is good for one message
        });
    });
  });
})();
