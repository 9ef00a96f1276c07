// Syntax highlighting for the query box; without scripts the plain textarea still works.
(function () {
  "use strict";
  var area = document.getElementById("query");
  if (!area || typeof CodeMirror === "undefined") { return; }
  var editor = CodeMirror.fromTextArea(area, {
    mode: "application/sparql-query", lineNumbers: true, indentUnit: 2
  });
  document.getElementById("query-form").addEventListener("submit", function () {
    editor.save();
  });
}());
