// Search on a static copy of a portal: Pagefind's index of the pages, with the live site's
// facets as filters. ?q= starts a search, so the search box in the header works here too.
(function () {
  "use strict";
  var element = document.getElementById("static-search");
  if (!element || typeof PagefindUI === "undefined") { return; }
  var ui = new PagefindUI({
    element: "#static-search",
    bundlePath: element.dataset.bundle,
    showSubResults: false,
    showImages: false,
    resetStyles: false,
    openFilters: ["Type", "Kind"],
    autofocus: true,
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { ui.triggerSearch(query); }
})();
