// "Being edited by": keep this user's presence on the story's form fresh while the
// page is open, show who else has it open, and say goodbye when the page is left.
// Without JavaScript the server still shows the warning on each page load.
(function () {
  "use strict";

  function start() {
    const banner = document.getElementById("editing-presence");
    if (!banner || !window.fetch) {
      return;
    }
    const url = banner.dataset.url;
    const interval = Number(banner.dataset.interval || 30) * 1000;
    const tokenField = document.querySelector("input[name=csrfmiddlewaretoken]");
    const token = tokenField ? tokenField.value : "";

    function show(text) {
      banner.textContent = text;
      banner.hidden = !text;
    }

    function beat() {
      fetch(url, {
        method: "POST",
        headers: { "X-CSRFToken": token },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data) {
            show(data.editing || "");
          }
        })
        .catch(function () {});
    }

    window.setInterval(beat, interval);
    window.addEventListener("pagehide", function () {
      if (navigator.sendBeacon) {
        const data = new FormData();
        data.append("csrfmiddlewaretoken", token);
        data.append("leave", "1");
        navigator.sendBeacon(url, data);
      }
    });
  }

  // The admin loads this script in the page's <head>, before the form exists.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
