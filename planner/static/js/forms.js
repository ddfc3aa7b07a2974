/* Searchable selects: long lists (regions, places, people) and every multi-select
   become Tom Select widgets (planner/static/vendor/tom-select), loaded only on pages
   that have such a select (its files are named in <meta name="select-css|js">). Without
   JavaScript the plain select still works. Texts come from <meta name="select-*">. */
(function () {
  "use strict";
  var LONG = 15;
  function text(name, fallback) {
    var meta = document.querySelector('meta[name="select-' + name + '"]');
    return meta ? meta.content : fallback;
  }
  function escape(s) {
    var div = document.createElement("div");
    div.textContent = s;
    return div.innerHTML;
  }
  function wanted(select) {
    return !select.tomselect && select.dataset.plain === undefined &&
      (select.multiple || select.options.length > LONG);
  }
  function load(done) {
    if (typeof TomSelect !== "undefined") { done(); return; }
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = text("css", "");
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = text("js", "");
    script.onload = done;
    script.onerror = done;
    document.head.appendChild(script);
  }
  function enhance(select) {
    if (!wanted(select)) return;
    var noResults = text("no-results", "No results");
    // The widget takes the label over; the hidden select keeps an accessible name.
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label && !select.getAttribute("aria-label")) {
      select.setAttribute("aria-label", label.textContent.trim());
    }
    // An empty first option ("— Pilih tempat —") becomes the placeholder.
    var empty = select.querySelector('option[value=""]');
    new TomSelect(select, {
      plugins: select.multiple ? ["remove_button"] : [],
      maxOptions: 300,
      allowEmptyOption: false,
      placeholder: empty ? empty.textContent : text("placeholder", "Type to search"),
      hidePlaceholder: true,
      render: {
        no_results: function () {
          return '<div class="no-results">' + escape(noResults) + "</div>";
        },
      },
    });
  }
  // After a refused submit, the first marked field takes the focus and comes into view
  // (the form may be long: on a phone it can sit 1,500 px below the top).
  function focusFirstError() {
    var field = document.querySelector("main .is-invalid");
    if (!field) return;
    var target = field.tomselect ? field.tomselect.control_input : field;
    target.focus({ preventScroll: true });
    (field.tomselect ? field.tomselect.wrapper : field).scrollIntoView({ block: "center" });
  }
  function start() {
    var selects = Array.prototype.filter.call(document.querySelectorAll("select"), wanted);
    if (!selects.length) {
      focusFirstError();
      return;
    }
    load(function () {
      if (typeof TomSelect !== "undefined") {
        selects.forEach(enhance);
      }
      focusFirstError();
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
