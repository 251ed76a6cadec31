/* Sociale kaart: shared page code. Hand-written, no dependencies except vis-network (served by
   this server) for the network drawings. Data from the API is only ever put in the page with
   textContent or as attribute values, never parsed as HTML. */
"use strict";

(function () {
  const sk = (window.sk = window.sk || {});
  sk.networks = {};

  /** Make an element with a class and text; the text is never parsed as HTML. */
  sk.el = function (tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  };

  /** Fetch JSON from this server; rejects with {status, problem} on an error answer. An
      AbortSignal lets the caller cancel a request whose answer is no longer wanted. */
  sk.getJson = async function (url, signal) {
    const response = await fetch(url, {
      headers: { Accept: "application/json" },
      cache: "no-store",
      credentials: "same-origin",
      referrerPolicy: "no-referrer",
      signal: signal,
    });
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      const err = new Error("HTTP " + response.status);
      err.status = response.status;
      err.problem = body || {};
      throw err;
    }
    return body;
  };

  /** Only http(s) and mailto/tel links from data become links. */
  sk.safeHref = function (url) {
    try {
      const u = new URL(String(url), window.location.origin);
      return ["http:", "https:", "mailto:", "tel:"].includes(u.protocol) ? u.href : null;
    } catch (e) {
      return null;
    }
  };

  // --- Network drawings ----------------------------------------------------------------------

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // Per canvas, the number of the latest drawing asked for: drawings overlap when a new
  // question is asked before the last network arrived, and only the latest may draw, or an
  // older network would be left running (and shown) after a newer one.
  const drawing = {};

  function destroyNetwork(canvas) {
    const old = sk.networks[canvas.id];
    if (old) {
      old.destroy();
      delete sk.networks[canvas.id];
    }
    canvas.dataset.nodes = "";
    canvas.dataset.stable = "";
  }

  /** Empty a <figure data-netwerk>: the picture, legend, list and note; a drawing still on its
      way is dropped when it arrives. */
  sk.clearNetwork = function (figure) {
    const canvas = figure.querySelector(".netwerk-canvas");
    drawing[canvas.id] = (drawing[canvas.id] || 0) + 1;
    destroyNetwork(canvas);
    [figure.querySelector(".legenda"), figure.querySelector(".verbanden")].forEach(clear);
    figure.querySelector(".noot").textContent = "";
    figure.querySelector(".status").textContent = "";
  };

  /** Draw the network of `url` (JSON: nodes, edges, legend, note) in a <figure data-netwerk>. */
  sk.drawNetwork = async function (figure, url) {
    const canvas = figure.querySelector(".netwerk-canvas");
    const status = figure.querySelector(".status");
    const legend = figure.querySelector(".legenda");
    const note = figure.querySelector(".noot");
    const list = figure.querySelector(".verbanden");
    sk.clearNetwork(figure);
    const nr = drawing[canvas.id];
    status.textContent = "Het netwerk wordt geladen…";
    let data;
    try {
      data = await sk.getJson(url);
    } catch (err) {
      if (nr !== drawing[canvas.id]) return null;
      status.textContent =
        err.status === 404 ? "Voor deze vraag is geen netwerk beschikbaar." : "Het netwerk kon niet worden geladen.";
      return null;
    }
    if (nr !== drawing[canvas.id]) return null; // a newer drawing (or a clear) came meanwhile
    destroyNetwork(canvas); // never two networks on one canvas
    if (typeof vis === "undefined") {
      status.textContent = "De tekening van het netwerk is niet beschikbaar.";
      return null;
    }
    const nodes = data.nodes || [];
    const edges = data.edges || [];
    const groups = {};
    (data.legend || []).forEach(function (item) {
      groups[item.group] = { color: item.color, shape: item.shape || "dot" };
      const li = sk.el("li");
      const swatch = sk.el("span", "vlakje" + (["dot", "ellipse", "circle"].includes(item.shape) ? " rond" : ""));
      swatch.style.backgroundColor = String(item.color || "#cccccc");
      swatch.setAttribute("aria-hidden", "true");
      li.appendChild(swatch);
      li.appendChild(sk.el("span", null, item.label));
      legend.appendChild(li);
    });
    if (data.note) note.textContent = data.note;

    const label = {};
    nodes.forEach(function (n) {
      label[n.id] = n.label || n.id;
    });
    edges.forEach(function (e) {
      const text = label[e.from] + " — " + (e.label || "verbonden met") + " → " + label[e.to];
      list.appendChild(sk.el("li", null, text));
    });

    // Tooltips: vis-network shows a string title as plain text (never as HTML).
    const visNodes = nodes.map(function (n) {
      const out = { id: n.id, label: String(n.label || n.id), group: n.group };
      if (n.cluster) out.cluster = String(n.cluster);
      if (n.title) out.title = String(n.title);
      if (n.color) out.color = n.color;
      if (n.shape) out.shape = n.shape;
      return out;
    });
    const visEdges = edges.map(function (e, i) {
      const out = { id: "e" + i, from: e.from, to: e.to };
      if (e.label) out.label = String(e.label);
      if (e.title) out.title = String(e.title);
      if (e.width) out.width = e.width;
      return out;
    });
    const network = new vis.Network(
      canvas,
      { nodes: new vis.DataSet(visNodes), edges: new vis.DataSet(visEdges) },
      {
        groups: groups,
        nodes: { font: { size: 14, face: "system-ui, sans-serif", color: "#1a1a1a" }, borderWidth: 1 },
        edges: {
          arrows: { to: { enabled: true, scaleFactor: 0.6 } },
          color: { color: "#6b7580", highlight: "#0b4f8a" },
          font: { size: 11, align: "middle", color: "#333333", strokeWidth: 3, strokeColor: "#ffffff" },
          smooth: false,
        },
        physics: {
          solver: "forceAtlas2Based",
          forceAtlas2Based: { gravitationalConstant: -60, springLength: 120 },
          stabilization: { enabled: true, iterations: 400, fit: true },
        },
        layout: { randomSeed: 7 }, // the same picture every time
        interaction: { hover: true, tooltipDelay: 150, keyboard: { enabled: true, bindToWindow: false } },
      }
    );
    sk.networks[canvas.id] = network;
    canvas.dataset.nodes = String(visNodes.length);
    const folded = typeof window.skGroepen === "function" ? window.skGroepen(network, visNodes) : 0;
    canvas.dataset.groepen = String(folded);
    // vis-network makes its own focusable div (tabindex 0) where the arrow keys work: that is
    // the one tab stop of the picture, so it gets the label and a role (the canvas has neither).
    const frame = canvas.querySelector("div.vis-network");
    if (frame) {
      frame.setAttribute("role", "application");
      frame.setAttribute("aria-roledescription", "netwerktekening");
      frame.setAttribute("aria-label", canvas.dataset.label || "Netwerk");
    }
    network.once("stabilizationIterationsDone", function () {
      if (sk.networks[canvas.id] !== network) return;
      network.setOptions({ physics: false }); // freeze: a still picture, easy to read and print
      network.fit();
      canvas.dataset.stable = "1";
    });
    status.textContent =
      visNodes.length + " knooppunten en " + visEdges.length + " verbanden. Sleep om te verschuiven, scroll om te zoomen.";
    return network;
  };

  // --- Sortable tables ----------------------------------------------------------------------

  function sortValue(cell) {
    if (cell.dataset.sort !== undefined) {
      const given = cell.dataset.sort;
      const n = Number(given);
      return { raw: given.toLowerCase(), num: given !== "" && Number.isFinite(n) ? n : null };
    }
    // Dutch numbers in the text: 1.234,5 → 1234.5
    const raw = cell.textContent.trim();
    const dutch = /^-?[0-9][0-9.]*(,[0-9]+)?$/.test(raw) ? Number(raw.replace(/\./g, "").replace(",", ".")) : NaN;
    return { raw: raw.toLowerCase(), num: Number.isFinite(dutch) ? dutch : null };
  }

  function sortTable(table, th) {
    const headers = Array.from(th.parentNode.children);
    const index = headers.indexOf(th);
    const ascending = th.getAttribute("aria-sort") !== "ascending";
    headers.forEach(function (h) {
      if (h.hasAttribute("aria-sort") || h.querySelector("button.sorteer")) h.setAttribute("aria-sort", "none");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const body = table.tBodies[0];
    const rows = Array.from(body.rows);
    rows.sort(function (a, b) {
      const x = sortValue(a.cells[index]);
      const y = sortValue(b.cells[index]);
      let c;
      if (x.num !== null && y.num !== null) c = x.num - y.num;
      else c = x.raw.localeCompare(y.raw, "nl", { numeric: true });
      return ascending ? c : -c;
    });
    rows.forEach(function (r) {
      body.appendChild(r);
    });
    const status = table.parentNode.querySelector(".sorteer-status");
    if (status) {
      status.textContent =
        "Gesorteerd op " + th.textContent.trim() + (ascending ? ", oplopend." : ", aflopend.");
    }
  }

  sk.makeSortable = function (table) {
    if (!table.parentNode.querySelector(".sorteer-status")) {
      const status = sk.el("p", "sorteer-status klein");
      status.setAttribute("role", "status");
      table.parentNode.insertBefore(status, table.nextSibling);
    }
    table.querySelectorAll("thead th").forEach(function (th) {
      const button = th.querySelector("button.sorteer");
      if (!button) return;
      if (!th.hasAttribute("aria-sort")) th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        sortTable(table, th);
      });
    });
  };

  // --- Print: open the folded details so the paper shows them --------------------------------

  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("main details").forEach(function (d) {
      if (!d.open) {
        d.dataset.printOpened = "1";
        d.open = true;
      }
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("main details[data-print-opened]").forEach(function (d) {
      d.open = false;
      delete d.dataset.printOpened;
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.sorteerbaar").forEach(sk.makeSortable);
    document.querySelectorAll("figure[data-netwerk][data-url]").forEach(function (figure) {
      sk.drawNetwork(figure, figure.dataset.url);
    });
  });
})();
