// Layering: which layer (row) each node of a diagram stands on. Edges the
// server marks as going back (a loop's return to its head), and any other
// edge that would close a cycle, are left out of the layering: they are
// drawn as loop edges. A node's layer is the longest path to it from a
// start; a loop's exits are held below its body. An edge that skips layers
// gets an invisible waypoint on each layer it crosses.

import { DUMMY_W, H } from './layout-sizes.js';

/**
 * Splits the graph's edges into forward edges (also listed in the nodes'
 * `out` and `in`) and back edges: those the server marks, and those that
 * close a cycle it did not mark.
 */
export function splitEdges(graph, nodes) {
  const forward = [];
  const back = [];
  for (const e of graph.edges) {
    if (!nodes.has(e.from) || !nodes.has(e.to)) continue;
    (e.back ? back : forward).push(e);
  }
  for (const e of forward) { nodes.get(e.from).out.push(e); nodes.get(e.to).in.push(e); }
  // Break cycles the server did not mark (defensive): DFS, edges to nodes on the stack.
  const state = new Map();
  const dropped = new Set();
  const visit = (id) => {
    state.set(id, 1);
    for (const e of nodes.get(id).out) {
      const s = state.get(e.to);
      if (s === 1) dropped.add(e);
      else if (!s) visit(e.to);
    }
    state.set(id, 2);
  };
  for (const id of nodes.keys()) if (!state.get(id)) visit(id);
  for (const e of dropped) {
    nodes.get(e.from).out = nodes.get(e.from).out.filter((x) => x !== e);
    nodes.get(e.to).in = nodes.get(e.to).in.filter((x) => x !== e);
    back.push(e);
  }
  return { forward: forward.filter((e) => !dropped.has(e)), back };
}

/**
 * Loops: the body of a loop edge u → head is what the head reaches and
 * what reaches u. A loop's exits ("done", "break") are laid out below its
 * body, so the body reads top to bottom and the flow goes on underneath.
 * Returns the bodies (back edge → Set of ids) and the pairs [u, v] whose
 * v must be on a layer below u's.
 */
export function loopBodies(nodes, back) {
  const reach = (from, next) => {
    const seen = new Set([from]);
    const stack = [from];
    while (stack.length) {
      for (const t of next(stack.pop())) if (!seen.has(t)) { seen.add(t); stack.push(t); }
    }
    return seen;
  };
  const bodies = new Map();
  const after = [];
  for (const e of back) {
    const fromHead = reach(e.to, (id) => nodes.get(id).out.map((x) => x.to));
    const toTail = reach(e.from, (id) => nodes.get(id).in.map((x) => x.from));
    const body = new Set([...fromHead].filter((id) => toTail.has(id)));
    bodies.set(e, body);
    for (const id of body) {
      for (const x of nodes.get(id).out) {
        if (!body.has(x.to) && (id === e.to || x.label === 'break')) after.push([e.from, x.to]);
      }
    }
  }
  return { bodies, after };
}

/**
 * Sets each node's `layer`: the longest path from the sources, in
 * topological order, over the forward edges and the `after` pairs.
 */
export function assignLayers(nodes, after) {
  const succ = new Map([...nodes.keys()].map((id) => [id, nodes.get(id).out.map((x) => x.to)]));
  for (const [u, v] of after) succ.get(u).push(v);
  const indeg = new Map([...nodes.keys()].map((id) => [id, 0]));
  for (const ts of succ.values()) for (const t of ts) indeg.set(t, indeg.get(t) + 1);
  const queue = [...nodes.keys()].filter((id) => indeg.get(id) === 0);
  for (const id of nodes.keys()) nodes.get(id).layer = 0;
  while (queue.length) {
    const id = queue.shift();
    const n = nodes.get(id);
    for (const t of succ.get(id)) {
      const m = nodes.get(t);
      m.layer = Math.max(m.layer, n.layer + 1);
      indeg.set(t, indeg.get(t) - 1);
      if (indeg.get(t) === 0) queue.push(t);
    }
  }
}

/**
 * Waypoints for forward edges that skip layers. Returns every node with
 * the waypoints (`all`, ids `~0`, `~1`, ...), each edge's chain of ids
 * from its source to its target, and each id's neighbours one layer up and
 * one layer down (`ups`, `downs`).
 */
export function addWaypoints(nodes, forward) {
  const all = new Map(nodes);
  const segments = []; // [{from, to}]
  const chains = new Map(); // edge → [ids]
  let dummies = 0;
  for (const e of forward) {
    const a = nodes.get(e.from), b = nodes.get(e.to);
    const chain = [a.id];
    for (let l = a.layer + 1; l < b.layer; l++) {
      const id = `~${dummies++}`;
      all.set(id, { id, dummy: true, w: DUMMY_W, h: H, layer: l, order: a.order + 0.5 });
      chain.push(id);
    }
    chain.push(b.id);
    chains.set(e, chain);
    for (let k = 0; k + 1 < chain.length; k++) segments.push({ from: chain[k], to: chain[k + 1] });
  }
  const ups = new Map([...all.keys()].map((id) => [id, []]));
  const downs = new Map([...all.keys()].map((id) => [id, []]));
  for (const s of segments) { downs.get(s.from).push(s.to); ups.get(s.to).push(s.from); }
  return { all, chains, ups, downs };
}
