// Control-room pages, keyboard first. On the day's log, N opens the entry form, ← and → go a day back and on,
// T to today. The entry form: Enter saves from any field but the narrative
// (Ctrl+Enter saves from there too). Camera fields (input[data-options-url]) offer asset ids as the operator types,
// in a <datalist> fed by the app's own /incidents/cameras?q=…. Without JavaScript the forms still work: Enter in a
// text field submits natively and cameras are typed as comma-separated asset ids.
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
