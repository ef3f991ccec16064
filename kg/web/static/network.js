// Draws the network whose data the page carries as JSON; clicking a node opens its page.
// Labels never overlap: the layout (kg/viz.py) spaces nodes by their labels' estimated size; once drawn, the
// labels' real boxes are measured and a label that still overlaps one of higher rank (the centre, "+N" groups,
// nearer levels first) is shortened to its first line, then hidden; the full label stays on hover (title).
(function () {
  "use strict";
  var holder = document.getElementById("network-data");
  var container = document.getElementById("network");
  if (!holder || !container || typeof vis === "undefined") { return; }
  var data = JSON.parse(holder.textContent);
  data.nodes.forEach(function (n) { n.fullLabel = n.label || ""; });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  network.on("click", function (params) {
    if (params.nodes.length !== 1) { return; }
    var node = nodes.get(params.nodes[0]);
    if (node && node.url) { window.location.assign(node.url); }
  });
  network.on("hoverNode", function () { container.style.cursor = "pointer"; });
  network.on("blurNode", function () { container.style.cursor = "default"; });

  // the box a node's label takes on the canvas (inside a box-shaped node: the box), or null when it has none
  function labelBox(id) {
    var n = network.body.nodes[id];
    var label = nodes.get(id).label;
    if (!n || !label || !label.trim()) { return null; }
    if (n.options.shape === "box") {
      var b = n.shape.boundingBox;
      return { id: id, left: b.left, top: b.top, right: b.right, bottom: b.bottom };
    }
    var s = n.labelModule.size;
    if (!s || !s.width) { return null; }
    return { id: id, left: s.left, top: s.top, right: s.left + s.width, bottom: s.top + s.height };
  }
  function overlap(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  function labelBoxes() {
    return nodes.getIds().map(labelBox).filter(function (b) { return b !== null; });
  }
  function shortLabel(label) {
    var first = label.split("\n")[0];
    return first.length > 24 ? first.slice(0, 23).trim() + "…" : first;
  }
  var order = nodes.getIds().slice().sort(function (a, b) {
    return (nodes.get(a).rank || 0) - (nodes.get(b).rank || 0);
  });
  var pass = 0, shortened = 0, hidden = 0;
  // one pass: keep labels in rank order; each one overlapping a kept label is shortened (pass 1) or hidden (pass 2)
  function settle() {
    var kept = [], updates = [];
    order.forEach(function (id) {
      var box = labelBox(id);
      if (!box) { return; }
      if (kept.some(function (k) { return overlap(k, box); })) {
        var label = nodes.get(id).label;
        if (pass === 0 && label.indexOf("\n") >= 0 || pass === 0 && label.length > 24) {
          updates.push({ id: id, label: shortLabel(label) });
          shortened += 1;
        } else {
          updates.push({ id: id, label: "" });
          hidden += 1;
        }
      } else {
        kept.push(box);
      }
    });
    pass += 1;
    return updates;
  }
  function ready() {
    window.kgReadyAt = performance.now();
    document.body.setAttribute("data-network-ready", "1");
    document.body.setAttribute("data-labels-shortened", String(shortened));
    document.body.setAttribute("data-labels-hidden", String(hidden));
  }
  network.on("afterDrawing", function onDraw() {
    if (document.body.getAttribute("data-network-ready") === "1") { return; }
    var updates = pass < 2 ? settle() : [];
    if (updates.length) {
      nodes.update(updates);
      network.redraw();
    } else {
      ready();
    }
  });
  window.kgNetwork = network;
  window.kgNodes = nodes;
  window.kgLabelBoxes = labelBoxes;
})();
