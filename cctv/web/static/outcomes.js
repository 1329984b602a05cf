// The Advisory Group dashboard's one period selector: the Period choice shows only its own fields (a quarter's
// year and quarter, a month, a custom range's first and last day). Without JavaScript every field shows and the
// form works the same.
(function () {
  const form = document.getElementById("outcome-filters");
  if (!form) return;
  const kind = form.querySelector("select[name=kind]");
  if (!kind) return;
  function show() {
    form.querySelectorAll(".period-part").forEach((part) => {
      const wanted = part.dataset.kinds.split(" ").includes(kind.value);
      part.hidden = !wanted;
      part.querySelectorAll("input, select").forEach((input) => { input.disabled = !wanted; });
    });
  }
  kind.addEventListener("change", show);
  show();
})();
