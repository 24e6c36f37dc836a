/* kg graph page, part 2 of 3: the network. The places of the nodes come with the data (laid
   out when the page was written), so the first paint is the picture and the physics stays
   off. Entities without links stay hidden until the switch (or a search) shows them; labels
   of events, of people at several events and of the best connected entities are drawn at a
   readable size at any zoom, the others once zoomed in. */
(function (kg) {
  "use strict";
  var el = kg.el;
  var data = kg.data = JSON.parse(document.getElementById("kg-data").textContent);
  var nodeInfo = data.nodeInfo, edgeInfo = data.edgeInfo;

  kg.bridgeOf = {};
  data.bridges.forEach(function (b) { kg.bridgeOf[b.id] = b; });
  var factIds = {};
  Object.keys(nodeInfo).sort().forEach(function (id) {
    var info = nodeInfo[id];
    if (info.cls === "figure") { (factIds[info.subject] = factIds[info.subject] || []).push(id); }
  });
  kg.factsOf = function (id) {
    return (factIds[id] || []).map(function (f) { return nodeInfo[f]; });
  };
  var adjacent = {}, sizeOf = {};
  data.nodes.forEach(function (n) { adjacent[n.id] = []; sizeOf[n.id] = n.size || 8; });
  data.edges.forEach(function (e) {
    adjacent[e.from].push({ node: e.to, edge: e.id, out: true });
    adjacent[e.to].push({ node: e.from, edge: e.id, out: false });
  });
  kg.adjacent = adjacent;

  data.nodes.forEach(function (n) { n.title = kg.nodeCard(n.id, 2); });
  data.edges.forEach(function (e) { e.title = kg.edgeCard(e.id, 2); });

  /* what is drawn: classes ticked in the legend; unlinked entities only with the switch on
     (or one a search found); figures only with their switch on, beside a drawn subject */
  var state = kg.state = { shown: {}, unlinked: false, figures: false, revealed: {}, keep: null };
  data.legend.forEach(function (c) { state.shown[c.cls] = true; });
  function entityVisible(id) {
    var info = nodeInfo[id];
    return state.shown[info.cls] === true && (info.degree > 0 || state.unlinked || state.revealed[id] === true);
  }
  function visible(id) {
    var info = nodeInfo[id];
    return info.cls === "figure" ? state.figures && entityVisible(info.subject) : entityVisible(id);
  }
  kg.visible = visible;
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return visible(n.id); } });
  kg.refresh = function () { nodeView.refresh(); };

  var count = document.getElementById("kg-count");
  count.setAttribute("data-nodes", String(data.entities));
  count.setAttribute("data-edges", String(data.links));
  count.textContent = data.entities + " entities, " + data.links + " links" +
    (data.total > data.entities ? " (of " + data.total + " entities)" : "") +
    (data.source ? " \u00b7 " + data.source : "");

  var status = document.getElementById("kg-status");
  var container = document.getElementById("kg-canvas");
  var network = kg.network = window.kgNetwork = new vis.Network(container, { nodes: nodeView, edges: edges }, data.options);

  kg.fitTo = function (ids, animate) {
    var shown = ids.filter(function (id) { return network.body.nodes[id] !== undefined; });
    network.fit({ nodes: shown, maxZoomLevel: 1.2, animation: animate ? { duration: 400 } : false });
  };
  function fitAll(animate) { kg.fitTo(nodeView.getIds(), animate); }

  function hint() {
    status.textContent = !data.entities ? "The graph holds no entities yet." :
      "Drag to move, scroll to zoom, hover for sources." +
      (data.unlinked && !state.unlinked ? " " + data.unlinked + " entities without links are hidden (see Show)." : "");
  }
  network.once("afterDrawing", function () {
    hint();
    document.body.setAttribute("data-ready", "1");
  });
  fitAll(false);

  /* labels drawn by the page: constant size on screen, the most important first, none over
     another; vis-network draws every label itself once the zoom makes them readable */
  var FONT = "system-ui, -apple-system, \"Segoe UI\", sans-serif";
  function short(text) { return text.length > 44 ? text.slice(0, 42).replace(/\s+\S*$/, "") + "\u2026" : text; }
  var rank = {};
  data.labelled.forEach(function (id, i) { rank[id] = i; });
  function labelOrder() {
    if (!state.keep) { return data.labelled; }
    return Object.keys(state.keep).filter(function (id) { return nodeInfo[id].cls !== "figure"; }).sort(function (a, b) {
      var ra = a in rank ? rank[a] : 1e6 - nodeInfo[a].degree, rb = b in rank ? rank[b] : 1e6 - nodeInfo[b].degree;
      return ra - rb || (a < b ? -1 : 1);
    });
  }
  network.on("afterDrawing", function (ctx) {
    var scale = network.getScale();
    ctx.save();
    if (state.unlinked) {
      ctx.font = "600 " + (15 / scale) + "px " + FONT;
      ctx.fillStyle = "#495057"; ctx.textAlign = "left"; ctx.textBaseline = "alphabetic";
      data.headings.forEach(function (h) { ctx.fillText(h.text, h.x, h.y); });
    }
    if (14 * scale < data.labelThreshold) {
      var px = 12 / scale, boxes = [], drawn = 0, order = labelOrder();
      var pos = network.getPositions(order);
      ctx.font = "500 " + px + "px " + FONT;
      ctx.textAlign = "center"; ctx.textBaseline = "top";
      ctx.lineWidth = 4 / scale; ctx.strokeStyle = "rgba(255,255,255,0.9)"; ctx.fillStyle = "#1f2933";
      ctx.lineJoin = "round";
      for (var i = 0; i < order.length && drawn < 160; i++) {
        var id = order[i], p = pos[id];
        if (!p || !network.body.nodes[id]) { continue; }
        var text = short(nodeInfo[id].label), w = ctx.measureText(text).width;
        var box = [p.x - w / 2, p.y + sizeOf[id] + 3 / scale, w, px * 1.25];
        var pad = 3 / scale, free = true;
        for (var j = 0; j < boxes.length && free; j++) {
          var b = boxes[j];
          free = box[0] > b[0] + b[2] + pad || b[0] > box[0] + box[2] + pad ||
                 box[1] > b[1] + b[3] + pad || b[1] > box[1] + box[3] + pad;
        }
        if (!free) { continue; }
        boxes.push(box);
        ctx.strokeText(text, p.x, box[1]);
        ctx.fillText(text, p.x, box[1]);
        drawn++;
      }
      container.setAttribute("data-labels", String(drawn));
    } else {
      container.setAttribute("data-labels", "all");
    }
    ctx.restore();
  });

  /* the detail panel: what a click selects */
  var details = document.getElementById("kg-details");
  kg.showDetails = function (card) {
    details.textContent = "";
    details.className = "";
    details.appendChild(card);
    var heading = document.getElementById("kg-selected");
    if (heading.scrollIntoView) { heading.scrollIntoView({ block: "nearest" }); }
  };
  /* highlight: the nodes of keep (id -> true) stay bright, with the links among them (or, for
     one node, its links); everything else fades. null brings everything back. */
  var edgeColor = {};
  data.edges.forEach(function (e) { edgeColor[e.id] = typeof e.color === "string" ? e.color : "#868e96"; });
  kg.highlight = function (keep, centre) {
    state.keep = keep;
    nodes.update(data.nodes.map(function (n) {
      var on = keep === null || keep[n.id] === true;
      return { id: n.id, opacity: on ? 1 : 0.15, font: { color: on ? "#1f2933" : "rgba(31, 41, 51, 0.12)" } };
    }));
    edges.update(data.edges.map(function (e) {
      var on = keep === null || (centre !== undefined ? e.from === centre || e.to === centre :
                                 keep[e.from] === true && keep[e.to] === true);
      var c = edgeColor[e.id];
      return { id: e.id, color: { color: c, highlight: c, hover: c, opacity: on ? 1 : 0.12 },
               font: { color: on ? "#495057" : "rgba(73, 80, 87, 0.08)" } };
    }));
  };
  kg.highlightNode = function (id) {
    var keep = {};
    keep[id] = true;
    adjacent[id].forEach(function (a) { keep[a.node] = true; });
    kg.highlight(keep, id);
  };
  /* make one node drawn: its class ticked, and itself shown if it has no links */
  kg.reveal = function (id) {
    var info = nodeInfo[id], cls = info.cls === "figure" ? nodeInfo[info.subject].cls : info.cls;
    if (!state.shown[cls]) {
      state.shown[cls] = true;
      document.getElementById("kg-show-" + cls).checked = true;
    }
    if (info.cls === "figure" && !state.figures) {
      state.figures = true;
      document.getElementById("kg-show-figures").checked = true;
    }
    if (!visible(id) || (info.cls === "figure" && !visible(info.subject))) {
      state.revealed[info.cls === "figure" ? info.subject : id] = true;
    }
    nodeView.refresh();
  };
  var detailsHint = details.textContent;
  kg.reset = function () {
    details.textContent = detailsHint;
    details.className = "kg-muted";
    network.unselectAll();
    kg.highlight(null);
    state.revealed = {};
    nodeView.refresh();
    ["kg-event", "kg-component"].forEach(function (s) { document.getElementById(s).value = ""; });
    fitAll(true);
  };
  network.on("click", function (params) {
    if (params.nodes.length) {
      kg.highlightNode(params.nodes[0]);
      kg.showDetails(kg.nodeCard(params.nodes[0], 8));
    } else {
      kg.highlight(null);
      if (params.edges.length) { kg.showDetails(kg.edgeCard(params.edges[0], 8)); }
    }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { kg.reset(); }
  });
  document.getElementById("kg-fit").addEventListener("click", kg.reset);

  /* legend: filter by class; the switches for unlinked entities and figures */
  var legend = document.getElementById("kg-legend");
  function checkbox(parent, id, checked, glyph, color, text, onChange) {
    var li = el("li"), box = el("input"), label = el("label");
    box.type = "checkbox"; box.checked = checked; box.id = id;
    box.addEventListener("change", function () { onChange(box.checked); });
    label.htmlFor = id;
    if (glyph) {
      var g = el("span", "kg-glyph", glyph);
      g.style.color = color;
      label.appendChild(g);
    }
    label.appendChild(document.createTextNode(text));
    li.appendChild(box); li.appendChild(label);
    parent.appendChild(li);
    return box;
  }
  data.legend.forEach(function (c) {
    checkbox(legend, "kg-show-" + c.cls, true, c.glyph, c.color, c.name + " (" + c.count + ")", function (on) {
      state.shown[c.cls] = on;
      nodeView.refresh();
    }).setAttribute("data-cls", c.cls);
  });
  var switches = document.getElementById("kg-switches");
  if (data.unlinked) {
    checkbox(switches, "kg-show-unlinked", false, "\u25cc", "#5f6b76",
             "Show " + data.unlinked + " without links", function (on) {
               state.unlinked = on;
               nodeView.refresh();
               hint();
               fitAll(true);
             });
  }
  if (data.figureStyle.count) {
    checkbox(switches, "kg-show-figures", false, data.figureStyle.glyph, data.figureStyle.color,
             "Figures (" + data.figureStyle.count + ")", function (on) {
               state.figures = on;
               nodeView.refresh();
             });
  }
  var edgeLegend = document.getElementById("kg-edge-legend");
  var seen = {};
  data.edges.forEach(function (e) {
    edgeInfo[e.id].relations.forEach(function (r) {
      if (seen[r]) { return; }
      seen[r] = true;
      var li = el("li"), line = el("span", "kg-line");
      line.style.borderColor = edgeColor[e.id];
      if (r === "figure") { line.style.borderTopStyle = "dashed"; }
      li.appendChild(line);
      li.appendChild(document.createTextNode(kg.RELATION_NAMES[r] || r));
      edgeLegend.appendChild(li);
    });
  });
  if (!data.edges.length) { edgeLegend.appendChild(el("li", "kg-muted", "none in this graph")); }

  /* search by name or alias: finds entities with or without links */
  var search = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");
  var matches = document.getElementById("kg-matches");
  var index = data.nodes.filter(function (n) { return nodeInfo[n.id].cls !== "figure"; }).map(function (n) {
    var info = nodeInfo[n.id];
    return { id: n.id, keys: [info.label].concat(info.aliases).map(function (s) { return s.toLowerCase(); }) };
  });
  kg.go = function (id) {
    kg.reveal(id);
    network.selectNodes([id]);
    kg.highlightNode(id);
    network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 400 } });
    kg.showDetails(kg.nodeCard(id, 8));
  };
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
      li.appendChild(el("span", "kg-kind", " \u2014 " + info.kind + (info.degree ? "" : ", no links")));
      li.addEventListener("click", function () { kg.go(h.id); });
      results.appendChild(li);
    });
    return hits;
  }
  search.addEventListener("input", find);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var hits = find();
      if (hits.length) { kg.go(hits[0].id); }
    }
  });
})(window.kgPage);
