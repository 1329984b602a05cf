// Control-room pages, keyboard first. On the day's log, N opens the entry form, ← and → go a day back and on,
// T to today. The entry form: Enter saves from any field but the narrative
// (Ctrl+Enter saves from there too). Camera fields (input[data-options-url]) offer asset ids as the operator types,
// in a <datalist> fed by the app's own /incidents/cameras?q=…. Without JavaScript the forms still work: Enter in a
// text field submits natively and cameras are typed as comma-separated asset ids.
// The log (table#incident-log[data-live-url]) asks every data-poll-seconds for incidents logged since its newest
// and adds them where they belong by time, as text (never as HTML), marked as just arrived.
(function () {
  "use strict";
  const form = document.getElementById("incident-form");
  if (form) form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) return;
    const target = event.target;
    const isTextarea = target.tagName === "TEXTAREA";
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      form.requestSubmit();
    } else if (!isTextarea && (target.tagName === "SELECT" || target.type === "checkbox")) {
      // Text inputs submit on Enter by themselves (and the cameras field must keep Enter for its suggestions).
      event.preventDefault();
      form.requestSubmit();
    }
  });

  document.querySelectorAll("input[data-options-url]").forEach(picker);
  const log = document.querySelector("table#incident-log[data-live-url]");
  if (log) liveLog(log);

  // One-key shortcuts on lists (a[data-shortcut]: a key's name in lower case, e.g. "n", "arrowleft"), never while typing.
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    const active = document.activeElement;
    if (active && (active.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName))) return;
    const link = document.querySelector('a[data-shortcut="' + event.key.toLowerCase() + '"]');
    if (link) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  });
  // Evidence uploads (input[data-max-bytes]): a file past the server's limit is refused here, before sending,
  // with what was typed kept (the server's 413 page cannot keep it: the body is never read).
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    if (!input.form) return;
    input.form.addEventListener("submit", function (event) {
      const file = input.files && input.files[0];
      const limit = Number(input.dataset.maxBytes);
      if (!file || !limit || file.size <= limit) return;
      event.preventDefault();
      let message = input.parentElement.querySelector(".error.client-check");
      if (!message) {
        message = document.createElement("span");
        message.className = "error client-check";
        input.parentElement.appendChild(message);
      }
      message.textContent = "The file is larger than the " + (limit / 1073741824) + " GB an upload may be: " +
        "type the SHA-256 your export tool shows instead.";
    });
  });
})();

function picker(cameras) {
  "use strict";
  const options = document.getElementById(cameras.getAttribute("list"));
  if (!options) return;
  let timer = null;
  let asked = "";

  function lastPart(value) {
    const cut = value.lastIndexOf(",");
    return { before: cut < 0 ? "" : value.slice(0, cut + 1) + " ", part: value.slice(cut + 1).trim() };
  }

  function suggest() {
    const { before, part } = lastPart(cameras.value);
    if (part.length < 2 || part === asked) return;
    asked = part;
    fetch(cameras.dataset.optionsUrl + "?q=" + encodeURIComponent(part), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { items: [] }; })
      .then(function (data) {
        options.replaceChildren();
        for (const camera of data.items) {
          const option = document.createElement("option");
          option.value = before.replace(/^\s+/, "") + camera.asset_id;  // the whole field, last part completed
          option.label = camera.asset_id + " — " + camera.name;
          options.appendChild(option);
        }
      })
      .catch(function () { /* suggestions are a convenience: typing asset ids still works */ });
  }

  cameras.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 120);
  });
}

function liveLog(table) {
  "use strict";
  const body = table.tBodies[0];
  const status = document.getElementById("live-status");
  const seconds = Math.max(parseFloat(table.dataset.pollSeconds) || 10, 0.5);
  let after = parseInt(table.dataset.after, 10) || 0;

  function cell(row, text, className) {
    const td = row.insertCell();
    if (className) td.className = className;
    if (text !== null && text !== undefined) td.textContent = String(text);
    return td;
  }

  function rowFor(item) {
    const row = document.createElement("tr");
    row.id = item.reference;
    row.dataset.reference = item.reference;
    row.dataset.id = String(item.id);
    row.dataset.occurred = item.occurred_at;
    row.className = "arrived" + (item.void ? " void" : "");
    const first = cell(row, null);
    const link = document.createElement("a");
    link.href = item.url;
    link.textContent = item.reference;
    first.appendChild(link);
    cell(row, item.time);
    cell(row, item.category);
    cell(row, item.location);
    cell(row, item.cameras);
    cell(row, item.police_reference);
    const arrests = cell(row, item.arrests ? item.arrests + " " : "");
    if (item.arrests) {
      const offences = document.createElement("span");
      offences.className = "hint";
      offences.textContent = item.arrest_offences;
      arrests.appendChild(offences);
    }
    const monitored = cell(row, (item.monitored ? "inside" : "outside") + (item.session_hint ? " " : ""), "monitored");
    monitored.dataset.monitored = item.monitored ? "yes" : "no";
    if (item.session_hint) {
      const hint = document.createElement("span");
      hint.className = "hint";
      hint.textContent = item.session_hint;
      monitored.appendChild(hint);
    }
    const follow = cell(row, null);
    const badge = document.createElement("span");
    badge.className = "status";
    badge.textContent = item.follow_up;
    follow.appendChild(badge);
    return row;
  }

  function place(row) {
    // Newest first by occurred time: before the first row that occurred earlier (ISO instants in UTC compare).
    body.querySelectorAll("td[colspan]").forEach(function (td) { td.parentElement.remove(); });
    const later = Array.prototype.find.call(body.rows, function (r) {
      return r.dataset.occurred && new Date(r.dataset.occurred) < new Date(row.dataset.occurred);
    });
    body.insertBefore(row, later || null);
  }

  function poll() {
    const url = table.dataset.liveUrl + (table.dataset.liveUrl.indexOf("?") < 0 ? "?" : "&") + "after=" + after;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { items: [] }; })
      .then(function (data) {
        let added = 0;
        for (const item of data.items) {
          after = Math.max(after, item.id);
          if (document.getElementById(item.reference)) continue;  // already on the page (this operator's own)
          place(rowFor(item));
          added += 1;
        }
        table.dataset.after = String(after);
        if (added && status) status.textContent = added + " new incident" + (added === 1 ? "" : "s") + " added.";
      })
      .catch(function () { /* the next poll tries again */ })
      .finally(function () { setTimeout(poll, seconds * 1000); });
  }

  setTimeout(poll, seconds * 1000);
}
