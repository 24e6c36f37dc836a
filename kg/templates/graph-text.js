/* kg graph page, part 1 of 3: text. Cards for tooltips and the Selected panel, and the small
   chart of a figure over the years. Every string from the graph is put into the page with
   textContent (never innerHTML); tooltips are DOM elements, which vis-network shows as they
   are. The three parts share one object, window.kgPage. */
window.kgPage = window.kgPage || {};
(function (kg) {
  "use strict";
  var RELATION_NAMES = kg.RELATION_NAMES = {
    "affiliation": "holds a post at", "participation": "takes part in", "organizing": "organises",
    "sub-event of": "is part of (event)", "part of": "is part of (organisation)", "held in": "is held in",
    "figure": "is the subject of (figure)"
  };
  var SVG = "http://www.w3.org/2000/svg";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  kg.el = el;
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

  /* 1234567 -> "1.235 million"; figures keep four significant digits */
  function amount(x) {
    var a = Math.abs(x), units = [[1e12, " trillion"], [1e9, " billion"], [1e6, " million"]];
    for (var i = 0; i < units.length; i++) {
      if (a >= units[i][0]) { return String(Number((x / units[i][0]).toPrecision(4))) + units[i][1]; }
    }
    return String(Number(x.toPrecision(4)));
  }
  kg.amount = amount;
  /* one bar per year of a figure reported over several years */
  function chart(series) {
    var w = 270, h = 132, top = 16, bottom = 18, left = 4;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "kg-chart");
    svg.setAttribute("width", String(w));
    svg.setAttribute("height", String(h));
    svg.setAttribute("role", "img");
    var max = 0;
    series.points.forEach(function (p) { max = Math.max(max, Math.abs(p.value)); });
    var slot = (w - left) / series.points.length, bar = Math.min(38, slot * 0.6);
    series.points.forEach(function (p, i) {
      var bh = max ? (h - top - bottom) * Math.abs(p.value) / max : 0;
      var x = left + i * slot + (slot - bar) / 2, y = h - bottom - bh;
      var r = document.createElementNS(SVG, "rect");
      r.setAttribute("x", x.toFixed(1)); r.setAttribute("y", y.toFixed(1));
      r.setAttribute("width", bar.toFixed(1)); r.setAttribute("height", Math.max(1, bh).toFixed(1));
      r.setAttribute("fill", "#4c6ef5");
      svg.appendChild(r);
      [[p.label, y - 4], [String(p.year), h - 4]].forEach(function (t) {
        var text = document.createElementNS(SVG, "text");
        text.setAttribute("x", (x + bar / 2).toFixed(1)); text.setAttribute("y", t[1].toFixed(1));
        text.setAttribute("text-anchor", "middle");
        text.textContent = t[0];
        svg.appendChild(text);
      });
    });
    var box = el("figure", "kg-chart-box");
    box.appendChild(el("figcaption", null, series.measure + (series.unit ? " (" + series.unit + ")" : "")));
    box.appendChild(svg);
    return box;
  }
  /* the figures about one subject grouped by measure and unit: those with two years or more */
  function series(facts) {
    var groups = {}, keys = [];
    facts.forEach(function (f) {
      if (!f.year) { return; }
      f.values.forEach(function (v) {
        if (v.number === null || v.number === undefined) { return; }
        var k = f.measure.toLowerCase() + "\u0000" + v.unit;
        if (!groups[k]) { groups[k] = { measure: f.measure, unit: v.unit, byYear: {} }; keys.push(k); }
        if (!(f.year in groups[k].byYear)) { groups[k].byYear[f.year] = v; }
      });
    });
    return keys.map(function (k) { return groups[k]; }).filter(function (g) {
      return Object.keys(g.byYear).length > 1;
    }).map(function (g) {
      var years = Object.keys(g.byYear).map(Number).sort(function (a, b) { return a - b; });
      return { measure: g.measure, unit: g.unit, points: years.map(function (y) {
        var v = g.byYear[y];
        return { year: y, value: v.number, label: v.unit === "percent" ? amount(v.number) + "%" : amount(v.number) };
      }) };
    });
  }
  kg.series = series;

  /* a node's card; limit: how many sources (2 in tooltips, 8 in the panel, which also draws
     charts and lists the events of a person seen at several) */
  kg.nodeCard = function (id, limit) {
    var info = kg.data.nodeInfo[id];
    var d = el("div", "kg-tip");
    d.appendChild(el("div", "kg-tip-title", info.label));
    if (info.cls === "figure") {
      d.appendChild(el("div", "kg-tip-kind", "figure about " + kg.data.nodeInfo[info.subject].label +
                       (info.year ? ", " + info.year : "")));
      quotes(d, info.sources, limit, limit > 2 ? 0 : 240, [info.measure]);
      return d;
    }
    d.appendChild(el("div", "kg-tip-kind", info.kind + (info.date ? ", " + info.date : "") +
                     (info.degree ? "" : " \u00b7 no links")));
    section(d, "Also called", info.aliases);
    section(d, "Titles", info.titles);
    var bridge = kg.bridgeOf && kg.bridgeOf[id];
    if (bridge && limit > 2) {
      d.appendChild(el("div", "kg-tip-section", "At " + bridge.events.length + " events:"));
      var ul = el("ul", "kg-at");
      bridge.events.forEach(function (ev) { ul.appendChild(el("li", null, kg.atEventText(ev))); });
      d.appendChild(ul);
    }
    section(d, "Figures", info.figures);
    if (limit > 2 && kg.factsOf) {
      series(kg.factsOf(id)).forEach(function (s) { d.appendChild(chart(s)); });
    }
    if (info.sources.length) {
      quotes(d, info.sources, limit, limit > 2 ? 0 : 240, [info.label].concat(info.aliases));
    }
    else { section(d, "Mentioned in", info.articles); }
    return d;
  };
  /* "Pujiang Innovation Forum (2023-09-09): official, Science and Technology Daily" */
  kg.atEventText = function (ev) {
    var info = kg.data.nodeInfo, event = info[ev.id];
    var posts = ev.posts.map(function (p) { return (p.title ? p.title + ", " : "") + info[p.org].label; });
    return event.label + (event.date ? " (" + event.date + ")" : "") + ": " +
      (posts.length ? posts.join("; ") : "no post named");
  };
  kg.edgeCard = function (id, limit) {
    var info = kg.data.edgeInfo[id];
    var d = el("div", "kg-tip");
    var verbs = info.relations.map(function (r) { return RELATION_NAMES[r] || r; });
    d.appendChild(el("div", "kg-tip-title", info.from + " \u2192 " + info.to));
    d.appendChild(el("div", "kg-tip-kind", verbs.join(", ")));
    section(d, "Role or title", info.labels);
    section(d, "At", info.events);
    quotes(d, info.sources, limit, limit > 2 ? 0 : 240, info.labels.concat([info.from, info.to]));
    return d;
  };
})(window.kgPage);
