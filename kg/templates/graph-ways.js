/* kg graph page, part 3 of 3: ways in. A picker of events (each with its sub-events, the
   people and organisations that took part, and the posts those people held) and one of the
   groups of linked entities: each centres the view on what it picked and fades the rest.
   The people seen at several events, the question kg starts from, are listed with the post
   they held at each event, and can be highlighted one by one or all together. */
(function (kg) {
  "use strict";
  var el = kg.el, data = kg.data, nodeInfo = data.nodeInfo, edgeInfo = data.edgeInfo;

  function relationOf(edgeId) { return edgeInfo[edgeId].relations; }
  function show(keep, selected) {
    Object.keys(keep).forEach(function (id) { if (!kg.visible(id)) { kg.reveal(id); } });
    kg.highlight(keep);
    if (selected) { kg.network.selectNodes([selected]); } else { kg.network.unselectAll(); }
    kg.fitTo(Object.keys(keep), true);
  }

  /* an event, its sub-events, everyone and everything linked to them, and the posts of the
     people among those */
  kg.eventNeighbourhood = function (id) {
    var keep = {}, events = [id];
    keep[id] = true;
    for (var i = 0; i < events.length; i++) {
      kg.adjacent[events[i]].forEach(function (a) {
        var sub = !a.out && relationOf(a.edge).indexOf("sub-event of") !== -1;
        if (sub && !keep[a.node]) { events.push(a.node); }
        if (nodeInfo[a.node].cls !== "figure") { keep[a.node] = true; }
      });
    }
    Object.keys(keep).forEach(function (n) {
      if (nodeInfo[n].cls !== "person") { return; }
      kg.adjacent[n].forEach(function (a) {
        if (relationOf(a.edge).indexOf("affiliation") !== -1) { keep[a.node] = true; }
      });
    });
    return keep;
  };
  kg.pickEvent = function (id) {
    kg.reveal(id);
    show(kg.eventNeighbourhood(id), id);
    kg.showDetails(kg.nodeCard(id, 8));
  };
  var eventPicker = document.getElementById("kg-event");
  data.events.forEach(function (ev) {
    var indent = ev.depth ? new Array(ev.depth + 1).join("\u2003") + "\u21b3 " : "";
    var o = el("option", null, indent + ev.text + (ev.links ? "" : " \u2014 no links"));
    o.value = ev.id;
    eventPicker.appendChild(o);
  });
  eventPicker.addEventListener("change", function () {
    if (eventPicker.value) { kg.pickEvent(eventPicker.value); } else { kg.reset(); }
  });
  if (!data.events.length) { eventPicker.disabled = true; }

  /* groups: connected components of two entities or more */
  var members = {};
  Object.keys(nodeInfo).forEach(function (id) {
    var c = nodeInfo[id].comp;
    if (c >= 0) { (members[c] = members[c] || []).push(id); }
  });
  kg.pickComponent = function (n) {
    var keep = {};
    (members[n] || []).forEach(function (id) { keep[id] = true; });
    show(keep, null);
    var c = data.components[n];
    var card = el("div", "kg-tip");
    card.appendChild(el("div", "kg-tip-title", c.name + (c.size > 1 ? " and " + (c.size - 1) + " more" : "")));
    card.appendChild(el("div", "kg-tip-kind", c.size + " entities linked to one another"));
    kg.showDetails(card);
  };
  var compPicker = document.getElementById("kg-component");
  data.components.forEach(function (c, i) {
    var o = el("option", null, c.name + " and " + (c.size - 1) + " more (" + c.size + ")");
    o.value = String(i);
    compPicker.appendChild(o);
  });
  compPicker.addEventListener("change", function () {
    if (compPicker.value !== "") { kg.pickComponent(Number(compPicker.value)); } else { kg.reset(); }
  });
  if (!data.components.length) { compPicker.disabled = true; }

  /* people at several events, with their post at each */
  function bridgeNeighbourhood(b, keep) {
    keep[b.id] = true;
    kg.adjacent[b.id].forEach(function (a) { if (nodeInfo[a.node].cls !== "figure") { keep[a.node] = true; } });
    b.events.forEach(function (ev) {
      keep[ev.id] = true;
      ev.posts.forEach(function (p) { keep[p.org] = true; });
    });
    return keep;
  }
  kg.pickBridge = function (b) {
    show(bridgeNeighbourhood(b, {}), b.id);
    kg.showDetails(kg.nodeCard(b.id, 8));
  };
  var list = document.getElementById("kg-bridges");
  var note = document.getElementById("kg-bridges-note");
  var all = document.getElementById("kg-bridges-all");
  data.bridges.forEach(function (b) {
    var li = el("li");
    li.setAttribute("data-node", b.id);
    li.appendChild(el("span", "kg-bridge-name", nodeInfo[b.id].label));
    var ul = el("ul", "kg-at");
    b.events.forEach(function (ev) { ul.appendChild(el("li", null, kg.atEventText(ev))); });
    li.appendChild(ul);
    li.addEventListener("click", function () { kg.pickBridge(b); });
    list.appendChild(li);
  });
  if (data.bridges.length) {
    note.textContent = data.bridges.length + (data.bridges.length === 1 ? " person" : " people") +
      ", ringed in dark on the graph; click one to see the events and posts.";
    all.addEventListener("click", function () {
      var keep = {};
      data.bridges.forEach(function (b) { bridgeNeighbourhood(b, keep); });
      show(keep, null);
    });
  } else {
    note.textContent = "No one in this graph is seen at two different events.";
    all.hidden = true;
  }
})(window.kgPage);
