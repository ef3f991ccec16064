// Draws the network whose data the page carries as JSON; clicking a node opens its page.
(function () {
  "use strict";
  var holder = document.getElementById("network-data");
  var container = document.getElementById("network");
  if (!holder || !container || typeof vis === "undefined") { return; }
  var data = JSON.parse(holder.textContent);
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
  network.once("afterDrawing", function () {
    window.kgReadyAt = performance.now();
    document.body.setAttribute("data-network-ready", "1");
  });
  window.kgNetwork = network;
  window.kgNodes = nodes;
})();
