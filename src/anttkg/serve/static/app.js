// Autocomplete for every input[data-suggest]: a listbox of matches from the JSON endpoint, usable with the
// keyboard (ArrowDown/ArrowUp move, Enter opens the chosen entity, Escape closes). Without JavaScript the
// form still submits to /search.
(function () {
  "use strict";
  function setup(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var items = [], active = -1, timer = null, last = "";
    function close() {
      list.hidden = true; input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant"); active = -1;
    }
    function mark(index) {
      var options = list.querySelectorAll("li");
      options.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) { input.setAttribute("aria-activedescendant", options[index].id); }
      else { input.removeAttribute("aria-activedescendant"); }
    }
    function render(rows) {
      items = rows; list.innerHTML = "";
      rows.forEach(function (row, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i; li.setAttribute("role", "option"); li.setAttribute("aria-selected", "false");
        var name = document.createElement("span"); name.textContent = row.label;
        var type = document.createElement("span"); type.className = "type";
        type.textContent = row.type + (row.matched ? " · " + row.matched : "") + (row.detail ? " · " + row.detail : "");
        li.appendChild(name); li.appendChild(type);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); window.location.href = row.href; });
        list.appendChild(li);
      });
      if (rows.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); active = -1; }
      else { close(); }
    }
    function fetchRows() {
      var q = input.value.trim();
      if (q === last) { return; }
      last = q;
      if (!q) { render([]); return; }
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (rows) { if (input.value.trim() === q) { render(rows); } })
        .catch(function () { render([]); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(fetchRows, 120); });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) { if (e.key === "ArrowDown" && items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } else { return; } }
      if (e.key === "ArrowDown") { e.preventDefault(); mark(Math.min(active + 1, items.length - 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); mark(Math.max(active - 1, -1)); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); window.location.href = items[active].href; }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }
  document.querySelectorAll("input[data-suggest]").forEach(setup);
})();
