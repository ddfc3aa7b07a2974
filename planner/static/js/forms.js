/* Searchable selects: long lists (regions, places, people) and every multi-select
   become Tom Select widgets (planner/static/vendor/tom-select). Without JavaScript
   the plain select still works. Texts come from <meta name="select-*"> (translated). */
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
  function enhance(select) {
    if (select.tomselect || select.dataset.plain !== undefined) return;
    if (!select.multiple && select.options.length <= LONG) return;
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
    if (typeof TomSelect !== "undefined") {
      document.querySelectorAll("select").forEach(enhance);
    }
    focusFirstError();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
