/* kg workbench, an entity's page: the neighbourhood is the graph page's own view
   (window.kgPage); this adds a way from a node to its page: a link at the top of the Selected
   panel when a node is clicked, and a double-click opens the page. Names go in as text. */
(function (kg) {
  "use strict";
  if (!kg || !kg.network) { return; }
  var base = JSON.parse(document.getElementById("wb-data").textContent).base;
  function href(id) {
    var info = kg.data.nodeInfo[id], iri = info && info.iri;
    if (!iri || !base || iri.indexOf(base) !== 0 || iri.length === base.length) { return null; }
    return "/entity/" + iri.slice(base.length).split("/").map(encodeURIComponent).join("/");
  }
  kg.network.on("click", function (params) {
    var to = params.nodes.length ? href(params.nodes[0]) : null;
    if (!to) { return; }
    var a = document.createElement("a");
    a.className = "wb-open";
    a.href = to;
    a.textContent = "Open the page of " + kg.data.nodeInfo[params.nodes[0]].label + " \u2192";
    var details = document.getElementById("kg-details");
    details.insertBefore(a, details.firstChild);
  });
  kg.network.on("doubleClick", function (params) {
    var to = params.nodes.length ? href(params.nodes[0]) : null;
    if (to) { window.location.href = to; }
  });
})(window.kgPage);
