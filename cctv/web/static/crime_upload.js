// The crime data page's upload: sends the files with a progress bar, then follows the background job (an import,
// or the re-filter to a new council area) by polling it until it is done or failed. Every text the server sends is
// inserted as text, never as markup.
(function () {
  const form = document.getElementById("crime-upload");
  const box = document.getElementById("import-job");
  if (!box) return;
  const bar = document.getElementById("import-progress");
  const text = document.getElementById("import-job-text");
  const lines = document.getElementById("import-job-lines");
  const mb = (bytes) => (bytes / 1048576).toFixed(1);
  const say = (message, kind) => {
    box.hidden = false;
    text.textContent = message;
    box.className = kind || "";
  };
  const list = (items, kind) => {
    lines.replaceChildren();
    for (const item of items) {
      const p = document.createElement("p");
      p.textContent = item;
      if (kind) p.className = kind;
      lines.appendChild(p);
    }
  };
  const follow = (url) => {
    const poll = () => fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => r.json())
      .then((job) => {
        if (job.state === "done") {
          bar.max = 1;
          bar.value = 1;
          say(job.title + " is done.", "flash success");
          list(job.lines);
          const again = document.createElement("a");
          again.href = window.location.pathname;
          again.textContent = "Show the figures";
          again.id = "import-job-reload";
          lines.appendChild(again);
        } else if (job.state === "failed") {
          bar.hidden = true;
          say(job.title + " failed.", "flash error");
          list(job.lines, "error");
        } else if (job.stale) {
          bar.hidden = true;
          say(job.title + " has not been heard from for hours: its worker stopped, and nothing of it was kept. " + (job.kind === "refilter" ? "Set the area again." : "Upload the files again."), "flash error");
        } else {
          bar.removeAttribute("value"); // indeterminate: the import's own rows are not counted ahead
          if (job.kind === "refilter") say("Removing the crimes imported earlier outside the new area…");
          else say(job.csv_done === null ? "Importing…" : "Importing: " + job.csv_done + " CSV file" + (job.csv_done === 1 ? "" : "s") + " read" + (job.last_file ? ", the last " + job.last_file : "") + "…");
          window.setTimeout(poll, 1000);
        }
      })
      .catch(() => window.setTimeout(poll, 3000));
    poll();
  };
  if (box.dataset.status) follow(box.dataset.status);
  if (!form || !window.FormData) return;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const files = form.querySelector("input[type=file]").files;
    let total = 0;
    for (const file of files) total += file.size;
    if (Number(form.dataset.limit) && total > Number(form.dataset.limit)) {
      say("Nothing sent: the files come to " + mb(total) + " MB, more than the " + mb(Number(form.dataset.limit)) + " MB one upload may be. Upload them a few months at a time.", "flash error");
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (e) => {
      if (!e.lengthComputable) return;
      bar.hidden = false;
      bar.max = e.total;
      bar.value = e.loaded;
      say("Uploading: " + mb(e.loaded) + " of " + mb(e.total) + " MB");
    });
    xhr.addEventListener("load", () => {
      let answer = {};
      try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = { errors: ["The server answered " + xhr.status + "."] }; }
      if (xhr.status === 202 && answer.status_url) {
        list([]);
        say("Uploaded. Import " + answer.id + " is running…");
        follow(answer.status_url);
      } else {
        bar.hidden = true;
        say("Nothing imported.", "flash error");
        list(answer.errors || ["The server answered " + xhr.status + "."], "error");
      }
    });
    xhr.addEventListener("error", () => say("The upload did not reach the server: try again.", "flash error"));
    say("Uploading…");
    xhr.send(new FormData(form));
  });
})();
