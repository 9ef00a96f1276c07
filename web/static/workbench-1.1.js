// Syntax highlighting for the query box, the project's prefixes declared as they are used,
// completion of the vocabulary's terms (Ctrl+Space), and Ctrl+Enter (Cmd+Enter) to run; without scripts the plain textarea still works (the
// server declares the prefixes too).
(function () {
  "use strict";
  var area = document.getElementById("query");
  var form = document.getElementById("query-form");
  if (!area || !form) { return; }
  function run() {
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }
  if (typeof CodeMirror === "undefined") {
    area.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
    });
    return;
  }
  var known = JSON.parse(area.getAttribute("data-prefixes") || "{}");
  var editor = CodeMirror.fromTextArea(area, {
    mode: "application/sparql-query", lineNumbers: true, indentUnit: 2,
    // Tab leaves the editor, as in any form field: no keyboard trap; Ctrl+Enter runs
    extraKeys: { Tab: false, "Shift-Tab": false, "Ctrl-Enter": run, "Cmd-Enter": run }
  });
  // the editor's own input takes the textarea's label, and a long line can be scrolled
  // from the keyboard
  var label = document.querySelector("label[for=query]");
  if (label) { editor.getInputField().setAttribute("aria-label", label.textContent); }
  // the scroller is a focus stop (a long line scrolls from the keyboard): named, and shown
  // when focused (app.css), so that it is never an invisible stop
  var scroller = editor.getScrollerElement();
  scroller.setAttribute("tabindex", "0");
  scroller.setAttribute("role", "region");
  if (label) { scroller.setAttribute("aria-label", label.textContent); }

  // The prefixes a query uses, leaving out IRIs, strings and comments.
  function used(text) {
    var bare = text.replace(/<[^>\s]*>/g, " ").replace(/"(?:[^"\\]|\\.)*"/g, " ")
      .replace(/'(?:[^'\\]|\\.)*'/g, " ").replace(/#[^\n]*/g, " ");
    var found = {}, match, pattern = /(^|[^\w:])([A-Za-z][\w-]*):/g;
    while ((match = pattern.exec(bare)) !== null) { found[match[2]] = true; }
    return found;
  }

  function declareUsedPrefixes() {
    var text = editor.getValue(), declared = {}, match, header = "";
    var pattern = /PREFIX\s+([A-Za-z][\w-]*)?:/gi;
    while ((match = pattern.exec(text)) !== null) { declared[(match[1] || "").toLowerCase()] = true; }
    var names = Object.keys(used(text)).sort();
    names.forEach(function (name) {
      if (known.hasOwnProperty(name) && !declared[name.toLowerCase()]) {
        header += "PREFIX " + name + ": <" + known[name] + ">\n";
      }
    });
    if (header) { editor.replaceRange(header, { line: 0, ch: 0 }, null, "+prefix"); }
  }

  editor.on("changes", function (cm, changes) {
    if (changes.every(function (c) { return c.origin === "+prefix"; })) { return; }
    declareUsedPrefixes();
  });
  // Completion of the vocabulary's terms and the project's prefixes (CodeMirror's show-hint
  // addon, vendored): Ctrl+Space asks; typing a prefixed name offers the terms it starts.
  var terms = JSON.parse(area.getAttribute("data-terms") || "[]");
  var prefixes = Object.keys(known).sort().map(function (p) { return p + ":"; });
  function complete(cm) {
    var cursor = cm.getCursor(), line = cm.getLine(cursor.line), start = cursor.ch;
    while (start > 0 && /[\w:-]/.test(line.charAt(start - 1))) { start--; }
    var typed = line.slice(start, cursor.ch).toLowerCase();
    var pool = typed.indexOf(":") >= 0 ? terms : prefixes.concat(terms);
    var list = pool.filter(function (t) {
      var name = t.toLowerCase();
      return name.indexOf(typed) === 0 && name !== typed;
    });
    return { list: list.slice(0, 60), from: CodeMirror.Pos(cursor.line, start),
             to: CodeMirror.Pos(cursor.line, cursor.ch) };
  }
  function offer(cm) { cm.showHint({ hint: complete, completeSingle: false }); }
  if (editor.showHint) {
    var keys = editor.getOption("extraKeys");
    keys["Ctrl-Space"] = offer;
    editor.setOption("extraKeys", keys);
    editor.on("inputRead", function (cm, change) {
      if (cm.state.completionActive || change.origin !== "+input") { return; }
      var cursor = cm.getCursor(), before = cm.getLine(cursor.line).slice(0, cursor.ch);
      if (/(^|[^\w:<"'#])[A-Za-z][\w-]*:[\w-]*$/.test(before)) { offer(cm); }
    });
  }

  form.addEventListener("submit", function () { editor.save(); });
}());
