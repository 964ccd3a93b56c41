// Coordinates: where each node of a diagram goes. x starts packed, then
// each node is pulled towards its neighbours' centres without overlaps
// (neighbouring nodes that want to overlap move as one block); a node that
// is its predecessor's only successor sits right under it, and an edge's
// waypoints line up where they fit. y follows from the layers.

import { GAP_X, GAP_Y, H, PAD } from './layout-sizes.js';

/** Sweeps of the pull towards the neighbours (alternately down and up). */
const PULL_SWEEPS = 10;

/** From this sweep on, a node is pulled towards its neighbours on both sides. */
const PULL_BOTH_FROM = 8;

/** The x of each node's centre (Map id → x), before the drawing's margin. */
export function placeX(all, layers, pos, ups, downs, chains) {
  const cx = new Map();
  for (const l of layers) {
    let x = 0;
    for (const id of l) { const n = all.get(id); cx.set(id, x + n.w / 2); x += n.w + GAP_X; }
  }
  const place = (l, want) => {
    const blocks = [];
    for (const id of layers[l]) {
      const w = all.get(id).w;
      let b = { ids: [id], widths: [w], sum: want(id), count: 1, width: w };
      b.left = b.sum - w / 2;
      while (blocks.length) {
        const p = blocks[blocks.length - 1];
        if (p.left + p.width + GAP_X <= b.left) break;
        blocks.pop();
        // Merge: the block's left edge is the mean of what each member wants.
        const ids = [...p.ids, ...b.ids];
        const widths = [...p.widths, ...b.widths];
        let off = 0, sum = 0;
        ids.forEach((x, k) => { sum += want(x) - (off + widths[k] / 2); off += widths[k] + GAP_X; });
        b = { ids, widths, count: ids.length, width: off - GAP_X, left: sum / ids.length };
      }
      blocks.push(b);
    }
    for (const b of blocks) {
      let off = b.left;
      b.ids.forEach((id, k) => { cx.set(id, off + b.widths[k] / 2); off += b.widths[k] + GAP_X; });
    }
  };
  const mean = (ids, fallback) => (ids.length ? ids.reduce((s, x) => s + cx.get(x), 0) / ids.length : fallback);
  for (let it = 0; it < PULL_SWEEPS; it++) {
    const down = it % 2 === 0;
    const order = down ? [...layers.keys()] : [...layers.keys()].reverse();
    for (const l of order) {
      place(l, (id) => {
        const nb = down ? ups.get(id) : downs.get(id);
        const both = [...ups.get(id), ...downs.get(id)];
        return it >= PULL_BOTH_FROM ? mean(both, cx.get(id)) : mean(nb, cx.get(id));
      });
    }
  }
  // Straighten edges through waypoints: one x for the whole run when it
  // fits between the neighbours on every layer it crosses.
  const fits = (id, x) => {
    const n = all.get(id);
    const l = layers[n.layer];
    const i = pos.get(id);
    const left = l[i - 1], right = l[i + 1];
    const gap = n.dummy ? GAP_X / 2 : GAP_X;
    if (left !== undefined && x - n.w / 2 < cx.get(left) + all.get(left).w / 2 + gap) return false;
    if (right !== undefined && x + n.w / 2 > cx.get(right) - all.get(right).w / 2 - gap) return false;
    return true;
  };
  // A node that is its predecessor's only successor sits right under it.
  for (const l of layers) {
    for (const id of l) {
      const up = ups.get(id);
      if (up.length === 1 && downs.get(up[0]).length === 1 && fits(id, cx.get(up[0]))) cx.set(id, cx.get(up[0]));
    }
  }
  for (const chain of chains.values()) {
    const ds = chain.slice(1, -1);
    if (!ds.length) continue;
    const candidates = [cx.get(chain[0]), cx.get(chain[chain.length - 1]), ...ds.map((d) => cx.get(d))];
    const x = candidates.find((c) => ds.every((d) => fits(d, c)));
    if (x !== undefined) for (const d of ds) cx.set(d, x);
  }
  return cx;
}

/**
 * Sets every node's final `x` (its centre), `y` (its top) and `cy` (its
 * middle), with the drawing's margin; returns the drawing's size.
 */
export function placeNodes(all, layers, cx) {
  let minX = Infinity, maxX = -Infinity;
  for (const [id, x] of cx) { const w = all.get(id).w; minX = Math.min(minX, x - w / 2); maxX = Math.max(maxX, x + w / 2); }

  const layerH = layers.map((l) => Math.max(H, ...l.map((id) => all.get(id).h)));
  const layerY = [];
  let y = PAD;
  for (let l = 0; l < layers.length; l++) { layerY.push(y); y += layerH[l] + GAP_Y; }
  for (const n of all.values()) {
    n.x = cx.get(n.id) - minX + PAD;
    n.cy = layerY[n.layer] + layerH[n.layer] / 2;
    n.y = n.cy - n.h / 2;
  }
  return { width: maxX - minX + 2 * PAD, height: y - GAP_Y + PAD };
}
