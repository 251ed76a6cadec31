/* Groups in a network picture: a school board with its schools is drawn as one node at first
   ("Stichting X, 12 scholen"), so that an SWV of a hundred schools reads at its default size;
   clicking the group (or the button under the picture) opens it. Shared by the web pages
   (kaart.js) and the exported self-contained pages (viz/html.py inlines this file).
   Each node that folds into another carries `cluster`: the id of that node. */
(function () {
  "use strict";

  function around(centre, members) {
    // released nodes are placed in a ring around the group, so the picture stays readable
    const step = (2 * Math.PI) / Math.max(members.length, 1);
    const radius = 60 + 8 * members.length;
    const out = {};
    members.forEach(function (m, i) {
      out[m] = { x: centre.x + radius * Math.cos(i * step), y: centre.y + radius * Math.sin(i * step) };
    });
    return out;
  }

  /** Fold every group of `nodes` (plain objects with id, label, cluster); returns how many. */
  window.skGroepen = function (network, nodes) {
    const heads = {};
    nodes.forEach(function (n) {
      if (n.cluster) heads[n.cluster] = (heads[n.cluster] || 0) + 1;
    });
    const label = {};
    nodes.forEach(function (n) {
      label[n.id] = String(n.label || n.id).split("\n")[0];
    });
    Object.keys(heads).forEach(function (head) {
      if (!(head in label)) return;
      network.cluster({
        joinCondition: function (n) {
          return n.id === head || n.cluster === head;
        },
        clusterNodeProperties: {
          id: "groep:" + head,
          label: label[head] + "\n" + heads[head] + " scholen (klik om te openen)",
          title: label[head] + ": " + heads[head] + " scholen. Klik om ze te tonen.",
          group: "schoolbestuur",
          borderWidth: 3,
        },
      });
    });
    function open(id) {
      if (!network.isCluster(id)) return;
      network.openCluster(id, {
        releaseFunction: function (clusterPosition, positions) {
          return around(clusterPosition || { x: 0, y: 0 }, Object.keys(positions));
        },
      });
    }
    network.on("click", function (params) {
      (params.nodes || []).forEach(open);
    });
    network.skOpenAll = function () {
      Object.keys(heads).forEach(function (head) {
        open("groep:" + head);
      });
    };
    return Object.keys(heads).length;
  };
})();
