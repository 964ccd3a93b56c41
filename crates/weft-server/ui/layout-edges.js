// Edges: where the loop edges run, and the path of every edge. A loop edge
// goes up one side of the loop's body, the side whose corridor crosses
// fewer other nodes (the left on a tie: the loop's exit goes on at the
// right); inner loops run closer to the body than outer ones. A forward
// edge runs from the bottom of its source through its waypoints to the top
// of its target, curved between layers and straight through waypoints.

import { H, PAD } from './layout-sizes.js';

/** Between a loop edge and the body it runs beside. */
export const LOOP_MARGIN = 12;

/** Between the lanes of loops that run beside each other. */
export const LANE_GAP = 8;

/** Where along an edge's first stretch its label sits (0: start, 1: end). */
const LABEL_AT = 0.42;

/**
 * Places the loop edges (`back`, whose bodies `bodies` holds) beside their
 * bodies, and moves everything right when a loop would stick out on the
 * left. Returns the loops ({edge, a: from, b: to, lo, hi: their layers,
 * size of the body, side, x of the lane}) and the drawing's new width.
 */
export function routeLoops(all, back, bodies, width) {
  const real = [...all.values()].filter((n) => !n.dummy);
  const crossed = (x, lp, body) => {
    let k = 0;
    for (const n of real) {
      if (body.has(n.id)) continue;
      const l = n.x - n.w / 2, r = n.x + n.w / 2;
      const vertical = n.layer >= lp.lo && n.layer <= lp.hi && x >= l - 4 && x <= r + 4;
      const across = (row, from) => n.layer === row.layer && Math.min(x, from) <= r && Math.max(x, from) >= l;
      const ax = x < lp.a.x ? lp.a.x - lp.a.w / 2 : lp.a.x + lp.a.w / 2;
      const bx = x < lp.b.x ? lp.b.x - lp.b.w / 2 : lp.b.x + lp.b.w / 2;
      if (vertical || across(lp.a, ax) || across(lp.b, bx)) k++;
    }
    return k;
  };
  const loops = back.map((e) => {
    const a = all.get(e.from), b = all.get(e.to);
    const body = bodies.get(e) || new Set([a.id, b.id]);
    let left = Math.min(a.x - a.w / 2, b.x - b.w / 2);
    let right = Math.max(a.x + a.w / 2, b.x + b.w / 2);
    for (const id of body) { const n = all.get(id); left = Math.min(left, n.x - n.w / 2); right = Math.max(right, n.x + n.w / 2); }
    const lp = { edge: e, a, b, lo: Math.min(a.layer, b.layer), hi: Math.max(a.layer, b.layer), size: body.size };
    lp.side = crossed(right + LOOP_MARGIN, lp, body) < crossed(left - LOOP_MARGIN, lp, body) ? 'right' : 'left';
    lp.edgeX = lp.side === 'left' ? left - LOOP_MARGIN : right + LOOP_MARGIN;
    return lp;
  });
  loops.sort((p, q) => p.size - q.size);
  const lanes = [];
  for (const lp of loops) {
    const step = lp.side === 'left' ? -LANE_GAP : LANE_GAP;
    let x = lp.edgeX;
    for (const other of lanes) {
      if (other.side === lp.side && other.hi >= lp.lo && other.lo <= lp.hi && Math.abs(other.x - x) < LANE_GAP) x = other.x + step;
    }
    lp.x = x;
    lanes.push({ x, lo: lp.lo, hi: lp.hi, side: lp.side });
    width = Math.max(width, x + PAD);
  }
  const shift = Math.max(0, PAD / 2 - Math.min(Infinity, ...loops.map((lp) => lp.x)));
  if (shift) {
    for (const n of all.values()) n.x += shift;
    for (const lp of loops) lp.x += shift;
    width += shift;
  }
  return { loops, width };
}

/** An SVG path through the points, curved between each two. */
export function smooth(points) {
  let d = `M${points[0][0]},${points[0][1]}`;
  for (let k = 1; k < points.length; k++) {
    const [x0, y0] = points[k - 1];
    const [x1, y1] = points[k];
    const my = (y0 + y1) / 2;
    d += ` C${x0},${my} ${x1},${my} ${x1},${y1}`;
  }
  return d;
}

/**
 * A forward edge's path along its chain of ids (`nodes`: the layout's
 * nodes), and where its label goes: {d, label: {x, y, anchor}}.
 */
export function forwardEdge(chain, nodes) {
  const pts = chain.map((id, k) => {
    const n = nodes.get(id);
    if (n.dummy) return [n.x, n.cy];
    return k === 0 ? [n.x, n.y + n.h] : [n.x, n.y];
  });
  // Waypoints pass through the whole layer.
  const full = [];
  pts.forEach((p, k) => {
    const n = nodes.get(chain[k]);
    if (n.dummy) { full.push([p[0], n.cy - H / 2]); full.push([p[0], n.cy + H / 2]); } else full.push(p);
  });
  let d = smooth(full.filter((p, k) => k === 0 || k === full.length - 1 || !(full[k - 1][0] === p[0] && full[k - 1][1] === p[1])));
  // Straight runs through waypoints read better than curves.
  d = d.replace(/C(\S+),(\S+) (\S+),(\S+) (\S+),(\S+)/g, (m, x0, y0, x1, y1, x2, y2) => (x1 === x2 && Number(x0) === Number(x2) ? `L${x2},${y2}` : m));
  const [x0, y0] = full[0];
  const [x1, y1] = full[1];
  const lx = x0 + (x1 - x0) * LABEL_AT;
  const ly = y0 + (y1 - y0) * LABEL_AT;
  return { d, label: { x: lx + (x1 >= x0 ? 5 : -5), y: ly + 4, anchor: x1 >= x0 ? 'start' : 'end' } };
}

/**
 * A loop edge's path: from the side of its source out to its lane, up,
 * and into the side of its target; and where its label goes.
 */
export function loopEdge(lp) {
  const { a, b, x } = lp;
  const dir = lp.side === 'left' ? -1 : 1;
  const ax = a.x + dir * a.w / 2, ay = a.cy;
  const bx = b.x + dir * b.w / 2, by = b.cy;
  const r = Math.min(10, Math.max(0, (ay - by) / 2));
  const d = `M${ax},${ay} L${x - dir * r},${ay} Q${x},${ay} ${x},${ay - r} L${x},${by + r} Q${x},${by} ${x - dir * r},${by} L${bx},${by}`;
  return { d, label: { x: x + dir * 4, y: (ay + by) / 2, anchor: dir < 0 ? 'end' : 'start' } };
}
