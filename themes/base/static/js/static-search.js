// Search on a static copy of a portal: Pagefind's index, in shards listed by the build, with the
// live site's facets as filters. ?q= starts a search, so the header's search box works here too.
(function () {
  "use strict";
  var element = document.getElementById("static-search");
  if (!element) { return; }
  var status = document.getElementById("static-search-status");
  status.textContent = "Loading search…";

  function load(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var node = document.createElement(tag);
      Object.keys(attributes).forEach(function (key) { node[key] = attributes[key]; });
      node.onload = resolve;
      node.onerror = reject;
      document.head.appendChild(node);
    });
  }

  function start(bundles) {
    var ui = new PagefindUI({
      element: "#static-search",
      bundlePath: bundles[0],
      mergeIndex: bundles.slice(1).map(function (path) { return { bundlePath: path }; }),
      showSubResults: false,
      showImages: false,
      resetStyles: false,
      openFilters: ["Type", "Kind"],
      autofocus: true,
    });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) { ui.triggerSearch(query); }
  }

  fetch(element.dataset.shards)
    .then(function (response) { return response.json(); })
    .then(function (bundles) {
      if (!bundles.length) {
        status.textContent = "There is nothing to search yet.";
        return null;
      }
      status.hidden = true;
      return Promise.all([
        load("link", { rel: "stylesheet", href: bundles[0] + "pagefind-ui.css" }),
        load("script", { src: bundles[0] + "pagefind-ui.js" }),
      ]).then(function () { start(bundles); });
    })
    .catch(function () {
      status.textContent = "Search could not be loaded. Please try again later.";
    });
})();
