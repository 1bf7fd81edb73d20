// export.js: a production's progress. The page names its export job (data-job on
// #export-status); this asks /records/job/ID for its state every second, moves the progress
// bar and says where it is (the status is aria-live), and shows the finished page (the
// download, or the failure) once the job is over. Without script the page offers a reload.
"use strict";
(function () {
  const status = document.getElementById("export-status");
  const bar = document.getElementById("export-progress");
  if (!status || !bar || !status.dataset.job) return;
  const url = "/records/job/" + encodeURIComponent(status.dataset.job);
  const EVERY = 1000;
  let failures = 0;

  async function look() {
    let job;
    try {
      const r = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      if (!r.ok) throw new Error("HTTP " + r.status);
      job = await r.json();
      failures = 0;
    } catch (e) {
      failures++;
      if (failures >= 5) {
        status.textContent = "The export's progress cannot be read now; reload the page to see it.";
        return;
      }
      setTimeout(look, EVERY);
      return;
    }
    if (job.total > 0) {
      bar.max = job.total;
      bar.value = job.done;
    }
    if (status.textContent !== job.text) status.textContent = job.text;
    if (job.state === "done" || job.state === "failed") {
      window.location.reload();
      return;
    }
    setTimeout(look, EVERY);
  }
  look();
})();
