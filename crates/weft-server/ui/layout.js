// A flow's diagram laid out in layers, top to bottom: pure functions of the
// graph the server sends ({nodes, edges}) and of a text measure (a canvas
// in the browser; the tests pass their own). The phases have a module
// each: layout-layers.js (the layer of each node), layout-order.js (the
// order within each layer), layout-coords.js (x and y), layout-edges.js
// (loop edges and the path of every edge). graph.js draws the result.

import { assignLayers, addWaypoints, loopBodies, splitEdges } from './layout-layers.js';
import { orderLayers } from './layout-order.js';
import { placeNodes, placeX } from './layout-coords.js';
import { routeLoops } from './layout-edges.js';
import { CODE, FONT, H, H2, MAX_W, SMALL } from './layout-sizes.js';

/** The text, shortened with … to fit `max` pixels as `measure(text, font)` says. */
export function fit(text, font, max, measure) {
  if (measure(text, font) <= max) return text;
  let lo = 0, hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(`${text.slice(0, mid)}…`, font) <= max) lo = mid; else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}

/** The graph's nodes with their labels fitted and their sizes (Map id → node). */
export function sizeNodes(graph, measure) {
  const nodes = new Map();
  graph.nodes.forEach((n, i) => {
    const font = n.kind === 'branch' || n.kind === 'loop' ? CODE : FONT;
    const pad = n.kind === 'branch' || n.kind === 'loop' ? 36 : 28;
    const label = fit(n.label, font, MAX_W - pad, measure);
    const detail = n.detail ? fit(n.detail, SMALL, MAX_W - 28, measure) : null;
    const w = Math.max(
      measure(label, font) + pad,
      detail ? measure(detail, SMALL) + 28 : 0,
      n.kind === 'join' ? 90 : 60,
    );
    nodes.set(n.id, { id: n.id, data: n, label, detail, font, w, h: n.detail ? H2 : H, order: i, out: [], in: [] });
  });
  return nodes;
}

/**
 * Positions for the graph: {nodes: Map(id → {x, y, cy, w, h, layer, ...}),
 * chains: Map(edge → ids through its waypoints), loops, width, height}.
 * `measure(text, font)` is the width of a text in pixels.
 */
export function layout(graph, measure) {
  const nodes = sizeNodes(graph, measure);
  const { forward, back } = splitEdges(graph, nodes);
  const { bodies, after } = loopBodies(nodes, back);
  assignLayers(nodes, after);
  const { all, chains, ups, downs } = addWaypoints(nodes, forward);
  const { layers, pos } = orderLayers(all, ups, downs);
  const cx = placeX(all, layers, pos, ups, downs, chains);
  const size = placeNodes(all, layers, cx);
  const { loops, width } = routeLoops(all, back, bodies, size.width);
  return { nodes: all, chains, loops, width, height: size.height };
}
