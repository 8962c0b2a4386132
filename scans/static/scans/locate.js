// "Share my location to check this code": asks the browser (the visitor agrees or not), rounds the
// place to 0.01° here so the precise one never leaves the phone, posts it to scans:locate and shows
// the answer. No outside service; the form stays hidden without geolocation or fetch.
(function () {
  "use strict";
  document.querySelectorAll("form[data-scan-locate]").forEach(function (form) {
    if (!("geolocation" in navigator) || !window.fetch) return;
    var out = form.querySelector("[data-locate-result]");
    var button = form.querySelector("button");
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          form.elements.latitude.value = position.coords.latitude.toFixed(2);
          form.elements.longitude.value = position.coords.longitude.toFixed(2);
          fetch(form.action, {
            method: "POST",
            body: new FormData(form),
            headers: { Accept: "application/json", "X-OCOP-Locate": "1" },
            credentials: "same-origin",
          })
            .then(function (response) { return response.json(); })
            .then(function (data) {
              out.textContent = data.message;
              out.setAttribute("role", data.suspect ? "alert" : "status");
            })
            .catch(function () { out.textContent = form.dataset.failed; })
            .then(function () { button.disabled = false; });
        },
        function () {
          out.textContent = form.dataset.denied;
          button.disabled = false;
        },
        { maximumAge: 600000, timeout: 15000 }
      );
    });
  });
})();
