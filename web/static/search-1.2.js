// Typeahead for the search box, as an ARIA combobox: the suggestions are a listbox that the
// arrow keys move through, Enter opens the chosen one, Escape closes the list. The page
// works without it: the form submits to /search.
(function () {
  "use strict";
  var box = document.getElementById("q");
  var list = document.getElementById("suggestions");
  if (!box || !list) { return; }
  var timer = null, active = -1, hits = [];

  box.setAttribute("role", "combobox");
  box.setAttribute("aria-autocomplete", "list");
  box.setAttribute("aria-controls", "suggestions");
  box.setAttribute("aria-expanded", "false");
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", box.getAttribute("aria-label") || "");

  function choose(index) {
    var options = list.querySelectorAll("[role=option]");
    active = index;
    for (var i = 0; i < options.length; i++) {
      options[i].setAttribute("aria-selected", i === index ? "true" : "false");
    }
    if (index >= 0 && options[index]) {
      box.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      box.removeAttribute("aria-activedescendant");
    }
  }

  function open(isOpen) {
    list.hidden = !isOpen;
    box.setAttribute("aria-expanded", isOpen ? "true" : "false");
    if (!isOpen) { choose(-1); }
  }

  function show(found) {
    hits = found;
    while (list.firstChild) { list.removeChild(list.firstChild); }
    found.forEach(function (hit, index) {
      var item = document.createElement("li");
      item.id = "suggestion-" + index;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      var link = document.createElement("a");
      link.textContent = hit.label;          // text, never HTML
      // a name in another language than the page's says which (WCAG 3.1.2)
      if (hit.lang && hit.lang !== document.documentElement.getAttribute("lang")) {
        link.setAttribute("lang", hit.lang);
      }
      link.setAttribute("href", hit.href);
      link.setAttribute("tabindex", "-1");   // the box keeps the focus; arrows move the choice
      item.appendChild(link);
      if (hit.kind) {
        var kind = document.createElement("small");
        kind.textContent = " · " + hit.kind;
        item.appendChild(kind);
      }
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        window.location.href = hit.href;
      });
      list.appendChild(item);
    });
    open(found.length > 0);
  }

  box.addEventListener("input", function () {
    clearTimeout(timer);
    var text = box.value.trim();
    if (text.length < 2) { show([]); return; }
    timer = setTimeout(function () {
      var lang = document.documentElement.getAttribute("lang") || "lv";
      fetch(box.getAttribute("data-suggest") + "?lang=" + lang + "&q=" + encodeURIComponent(text))
        .then(function (r) { return r.json(); })
        .then(show)
        .catch(function () { show([]); });
    }, 150);
  });

  box.addEventListener("keydown", function (event) {
    var count = hits.length;
    if (event.key === "ArrowDown" && count) {
      event.preventDefault();
      open(true);
      choose((active + 1) % count);
    } else if (event.key === "ArrowUp" && count) {
      event.preventDefault();
      open(true);
      choose(active <= 0 ? count - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
      event.preventDefault();
      window.location.href = hits[active].href;
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();              // the first Escape closes the list, the next clears
      open(false);
    }
  });
  box.addEventListener("blur", function () { setTimeout(function () { open(false); }, 100); });
}());
