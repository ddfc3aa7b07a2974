/* Event overview: with Bootstrap's JavaScript present, the sections become tabs
   (planner.css hides inactive panes only under .overview-tabs-ready); without it
   every pane shows and the tab list is a list of in-page links. A link to an
   anchor inside a hidden pane (#checkin, #audit, a pane's id) opens that tab. */
(function () {
  "use strict";
  var root = document.querySelector("[data-overview-tabs]");
  if (!root || !window.bootstrap || !window.bootstrap.Tab) return;
  root.classList.add("overview-tabs-ready");

  function tabFor(pane) {
    return root.querySelector('[data-bs-toggle="tab"][href="#' + pane.id + '"]');
  }

  function reveal(hash) {
    if (!hash || hash.length < 2) return;
    var target;
    try {
      target = document.getElementById(decodeURIComponent(hash.slice(1)));
    } catch (e) {
      return;
    }
    if (!target || !root.contains(target)) return;
    var pane = target.classList.contains("tab-pane") ? target : target.closest(".tab-pane");
    var tab = pane && tabFor(pane);
    if (!tab) return;
    window.bootstrap.Tab.getOrCreateInstance(tab).show();
    if (target !== pane) target.scrollIntoView();
    else tab.focus();
  }

  reveal(window.location.hash);
  window.addEventListener("hashchange", function () {
    reveal(window.location.hash);
  });
})();
