// Typeahead for the search box. The page works without it: the form submits to /search.
(function () {
  "use strict";
  var box = document.getElementById("q");
  var list = document.getElementById("suggestions");
  if (!box || !list) { return; }
  var timer = null;
  function show(hits) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    hits.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.textContent = hit.label;          // text, never HTML
      link.setAttribute("href", hit.href);
      item.appendChild(link);
      list.appendChild(item);
    });
    list.hidden = hits.length === 0;
  }
  box.addEventListener("input", function () {
    clearTimeout(timer);
    var text = box.value.trim();
    if (text.length < 2) { show([]); return; }
    timer = setTimeout(function () {
      fetch(box.getAttribute("data-suggest") + "?q=" + encodeURIComponent(text))
        .then(function (r) { return r.json(); })
        .then(show)
        .catch(function () { show([]); });
    }, 150);
  });
}());
