// The theme toggle: light, dark, or (nothing stored) the system's setting. Loaded in <head> so the chosen theme is on
// the page before it is drawn; the choice is remembered per browser in localStorage.
(function () {
  "use strict";
  var KEY = "cctv-theme";
  var root = document.documentElement;
  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }  // storage may be switched off
  }
  function systemDark() {
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }
  function apply(theme) {
    if (theme === "dark" || theme === "light") { root.setAttribute("data-theme", theme); }
    else { root.removeAttribute("data-theme"); }
  }
  function current() {
    var theme = root.getAttribute("data-theme");
    return theme || (systemDark() ? "dark" : "light");
  }
  apply(stored());
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("theme-toggle");
    if (!button) { return; }
    function label() {
      var dark = current() === "dark";
      button.textContent = dark ? "Light" : "Dark";
      button.setAttribute("aria-pressed", dark ? "true" : "false");
      button.title = dark ? "Use the light theme" : "Use the dark theme";
    }
    button.hidden = false;
    label();
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      // Back to following the system when the choice is what the system would give anyway.
      var follow = (next === "dark") === systemDark();
      try {
        if (follow) { window.localStorage.removeItem(KEY); } else { window.localStorage.setItem(KEY, next); }
      } catch (e) { /* not remembered: this page still changes */ }
      apply(follow ? null : next);
      label();
    });
  });
}());
