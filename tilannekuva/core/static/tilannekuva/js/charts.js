/* Draws every Vega-Lite chart on the page. Specs come from <script type="application/json"> blocks
   (data, not code) so the Content Security Policy needs neither inline scripts nor unsafe-eval. */
(function () {
  "use strict";
  function draw(target) {
    var source = document.getElementById(target.getAttribute("data-chart"));
    if (!source || typeof vegaEmbed === "undefined") { return; }
    var spec = JSON.parse(source.textContent);
    vegaEmbed(target, spec, {
      actions: false,
      renderer: "svg",
      defaultStyle: false,
      tooltip: { disableDefaultStyle: true },
      ast: true,
      expr: vegaInterpreter.expressionInterpreter,
      formatLocale: spec.usermeta && spec.usermeta.formatLocale,
      timeFormatLocale: spec.usermeta && spec.usermeta.timeFormatLocale
    }).then(function (result) {
      var svg = target.querySelector("svg");
      if (svg) {
        svg.setAttribute("role", "img");
        svg.setAttribute("aria-label", target.getAttribute("data-chart-label") || "");
      }
      return result;
    }).catch(function (error) {
      target.textContent = target.getAttribute("data-chart-error") || String(error);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
  });
})();
