/* kg graph page. Every string from the graph is put into the page with textContent (never
   innerHTML); tooltips are DOM elements, which vis-network shows as they are. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var nodeInfo = data.nodeInfo, edgeInfo = data.edgeInfo;
  var RELATION_NAMES = {
    "affiliation": "holds a post at", "participation": "takes part in", "organizing": "organises",
    "sub-event of": "is part of (event)", "part of": "is part of (organisation)", "held in": "is held in"
  };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function section(parent, name, values) {
    if (!values || !values.length) { return; }
    var p = el("div", "kg-tip-section");
    p.appendChild(el("span", null, name + ": "));
    p.appendChild(el("span", null, values.join("; ")));
    parent.appendChild(p);
  }
  /* a long sentence in a tooltip: the stretch around the first of the names it is about */
  function clipAround(text, needles, clip) {
    if (!clip || text.length <= clip) { return text; }
    var lower = text.toLowerCase(), at = -1;
    needles.forEach(function (n) {
      var i = n ? lower.indexOf(n.toLowerCase()) : -1;
      if (i !== -1 && (at === -1 || i < at)) { at = i; }
    });
    var start = Math.max(0, Math.min(at === -1 ? 0 : at - Math.floor(clip / 3), text.length - clip));
    var part = text.slice(start, start + clip);
    if (start > 0) { part = "\u2026 " + part.replace(/^\S*\s+/, ""); }
    if (start + clip < text.length) { part = part.replace(/\s+\S*$/, "") + " \u2026"; }
    return part;
  }
  function quotes(parent, sources, limit, clip, needles) {
    if (!sources || !sources.length) { return; }
    var shown = sources.slice(0, limit);
    parent.appendChild(el("div", "kg-tip-section", sources.length === 1 ? "Source:" : "Sources:"));
    shown.forEach(function (s) {
      var text = clipAround((s.sentence || "").trim(), needles || [], clip);
      var q = el("blockquote", "kg-quote", text ? "\u201c" + text + "\u201d" : "");
      q.appendChild(el("cite", null, s.article));
      parent.appendChild(q);
    });
    if (sources.length > shown.length) {
      parent.appendChild(el("div", "kg-muted", "and " + (sources.length - shown.length) + " more"));
    }
  }
  function nodeCard(info, limit) {
    var d = el("div", "kg-tip");
    d.appendChild(el("div", "kg-tip-title", info.label));
    d.appendChild(el("div", "kg-tip-kind", info.kind + (info.date ? ", " + info.date : "")));
    section(d, "Also called", info.aliases);
    section(d, "Titles", info.titles);
    section(d, "Figures", info.figures);
    if (info.sources.length) {
      quotes(d, info.sources, limit, limit > 2 ? 0 : 240, [info.label].concat(info.aliases));
    }
    else { section(d, "Mentioned in", info.articles); }
    return d;
  }
  function edgeCard(info, limit) {
    var d = el("div", "kg-tip");
    var verbs = info.relations.map(function (r) { return RELATION_NAMES[r] || r; });
    d.appendChild(el("div", "kg-tip-title", info.from + " \u2192 " + info.to));
    d.appendChild(el("div", "kg-tip-kind", verbs.join(", ")));
    section(d, "Role or title", info.labels);
    section(d, "At", info.events);
    quotes(d, info.sources, limit, limit > 2 ? 0 : 240, info.labels.concat([info.from, info.to]));
    return d;
  }

  data.nodes.forEach(function (n) { n.title = nodeCard(nodeInfo[n.id], 2); });
  data.edges.forEach(function (e) { e.title = edgeCard(edgeInfo[e.id], 2); });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var shown = {};
  data.legend.forEach(function (c) { shown[c.cls] = true; });
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return shown[nodeInfo[n.id].cls]; } });

  var count = document.getElementById("kg-count");
  count.setAttribute("data-nodes", String(data.nodes.length));
  count.setAttribute("data-edges", String(data.edges.length));
  count.textContent = data.nodes.length + " entities, " + data.edges.length + " links" +
    (data.total > data.nodes.length ? " (of " + data.total + " entities)" : "") +
    (data.source ? " \u00b7 " + data.source : "");

  var status = document.getElementById("kg-status");
  var container = document.getElementById("kg-canvas");
  var network = new vis.Network(container, { nodes: nodeView, edges: edges }, data.options);
  window.kgNetwork = network;

  function ready() {
    network.setOptions({ physics: { enabled: false } });
    network.fit();
    status.textContent = data.nodes.length ? "Drag to move, scroll to zoom, hover for sources." :
      "The graph holds no entities yet.";
    document.body.setAttribute("data-ready", "1");
  }
  if (data.nodes.length) {
    network.on("stabilizationProgress", function (p) {
      status.textContent = "Laying out the graph\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
    });
    network.once("stabilizationIterationsDone", ready);
  } else {
    ready();
  }

  /* the detail panel: what a click selects */
  var details = document.getElementById("kg-details");
  function showDetails(card) {
    details.textContent = "";
    details.className = "";
    details.appendChild(card);
  }
  /* a selected node keeps its neighbours bright and fades the rest; Escape or a click on
     the background brings everything back */
  var edgeColor = {};
  data.edges.forEach(function (e) { edgeColor[e.id] = typeof e.color === "string" ? e.color : "#868e96"; });
  function highlight(id) {
    var keep = {};
    if (id !== null) {
      keep[id] = true;
      network.getConnectedNodes(id).forEach(function (n) { keep[n] = true; });
    }
    nodes.update(data.nodes.map(function (n) {
      var on = id === null || keep[n.id];
      return { id: n.id, opacity: on ? 1 : 0.15, font: { color: on ? "#1f2933" : "rgba(31, 41, 51, 0.2)" } };
    }));
    edges.update(data.edges.map(function (e) {
      var on = id === null || e.from === id || e.to === id, c = edgeColor[e.id];
      return { id: e.id, color: { color: c, highlight: c, hover: c, opacity: on ? 1 : 0.12 },
               font: { color: on ? "#495057" : "rgba(73, 80, 87, 0.15)" } };
    }));
  }
  network.on("click", function (params) {
    if (params.nodes.length) {
      highlight(params.nodes[0]);
      showDetails(nodeCard(nodeInfo[params.nodes[0]], 8));
    } else {
      highlight(null);
      if (params.edges.length) { showDetails(edgeCard(edgeInfo[params.edges[0]], 8)); }
    }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { network.unselectAll(); highlight(null); }
  });

  /* legend and filter by class */
  var legend = document.getElementById("kg-legend");
  data.legend.forEach(function (c) {
    var li = el("li");
    var box = el("input");
    box.type = "checkbox"; box.checked = true; box.id = "kg-show-" + c.cls;
    box.setAttribute("data-cls", c.cls);
    box.addEventListener("change", function () { shown[c.cls] = box.checked; nodeView.refresh(); });
    var label = el("label");
    label.htmlFor = box.id;
    var glyph = el("span", "kg-glyph", c.glyph);
    glyph.style.color = c.color;
    label.appendChild(glyph);
    label.appendChild(document.createTextNode(c.name + " (" + c.count + ")"));
    li.appendChild(box); li.appendChild(label);
    legend.appendChild(li);
  });
  var edgeLegend = document.getElementById("kg-edge-legend");
  var seen = {};
  data.edges.forEach(function (e) {
    edgeInfo[e.id].relations.forEach(function (r) {
      if (seen[r]) { return; }
      seen[r] = true;
      var li = el("li"), line = el("span", "kg-line");
      line.style.borderColor = typeof e.color === "string" ? e.color : "#868e96";
      li.appendChild(line);
      li.appendChild(document.createTextNode(RELATION_NAMES[r] || r));
      edgeLegend.appendChild(li);
    });
  });
  if (!data.edges.length) { edgeLegend.appendChild(el("li", "kg-muted", "none in this graph")); }

  /* search by name or alias */
  var search = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");
  var matches = document.getElementById("kg-matches");
  var index = data.nodes.map(function (n) {
    var info = nodeInfo[n.id];
    return { id: n.id, keys: [info.label].concat(info.aliases).map(function (s) { return s.toLowerCase(); }) };
  });
  function go(id) {
    var cls = nodeInfo[id].cls;
    if (!shown[cls]) {
      shown[cls] = true;
      document.getElementById("kg-show-" + cls).checked = true;
      nodeView.refresh();
    }
    network.selectNodes([id]);
    highlight(id);
    network.focus(id, { scale: 1.3, animation: { duration: 400 } });
    showDetails(nodeCard(nodeInfo[id], 8));
  }
  function find() {
    var q = search.value.trim().toLowerCase();
    results.textContent = "";
    if (!q) { matches.textContent = ""; return []; }
    var hits = index.filter(function (x) {
      return x.keys.some(function (k) { return k.indexOf(q) !== -1; });
    });
    hits.sort(function (a, b) {
      var sa = a.keys[0].indexOf(q) === 0 ? 0 : 1, sb = b.keys[0].indexOf(q) === 0 ? 0 : 1;
      return sa - sb || (a.keys[0] < b.keys[0] ? -1 : a.keys[0] > b.keys[0] ? 1 : 0);
    });
    matches.textContent = hits.length ? hits.length + (hits.length === 1 ? " match" : " matches") : "no match";
    hits.slice(0, 30).forEach(function (h) {
      var info = nodeInfo[h.id];
      var li = el("li", null, info.label);
      li.setAttribute("data-node", h.id);
      li.appendChild(el("span", "kg-kind", " \u2014 " + info.kind));
      li.addEventListener("click", function () { go(h.id); });
      results.appendChild(li);
    });
    return hits;
  }
  search.addEventListener("input", find);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var hits = find();
      if (hits.length) { go(hits[0].id); }
    }
  });
})();
