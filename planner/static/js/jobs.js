/* A job's page: ask its status every second and move the progress bar; when the job
   has finished, load the page again (the server then shows or redirects to the
   result). Without JavaScript a <meta http-equiv="refresh"> does the same, slower. */
(function () {
  "use strict";
  var root = document.getElementById("job");
  if (!root || root.getAttribute("data-job-finished") === "true" || !window.fetch) return;
  var url = root.getAttribute("data-job-status");
  var bar = document.getElementById("job-progress");
  var state = document.getElementById("job-state");
  var template = state ? state.textContent : "";

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (job) {
        if (job.finished) {
          window.location.reload();
          return;
        }
        if (bar) {
          bar.value = job.percent;
          bar.textContent = job.percent + "%";
        }
        if (state && job.total) {
          state.textContent = job.done + " / " + job.total + " (" + job.percent + "%)";
        } else if (state) {
          state.textContent = template;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }
  window.setTimeout(poll, 500);
})();
