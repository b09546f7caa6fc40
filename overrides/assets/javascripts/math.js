// Render math with the vendored KaTeX, offline. Page Markdown arrives from pymdownx.arithmatex as
// \( \) and \[ \] inside .arithmatex; notebook Markdown cells keep raw $ and $$, so dollar
// delimiters are only honoured inside embedded notebooks (a "$5" in page prose stays text).
(function () {
  function render() {
    var common = { throwOnError: false, ignoredTags: ["script", "noscript", "style", "textarea", "pre", "code"] };
    document.querySelectorAll(".arithmatex").forEach(function (el) {
      renderMathInElement(el, Object.assign({}, common, {
        delimiters: [{ left: "\\(", right: "\\)", display: false }, { left: "\\[", right: "\\]", display: true }]
      }));
    });
    document.querySelectorAll(".notebook-embed .jp-MarkdownOutput").forEach(function (el) {
      renderMathInElement(el, Object.assign({}, common, {
        delimiters: [{ left: "$$", right: "$$", display: true }, { left: "$", right: "$", display: false }]
      }));
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", render);
  else render();
})();
