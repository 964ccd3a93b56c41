// A flow's diagram as SVG: a layered layout, top to bottom. Nodes are put on
// layers by the longest path from the start (loop edges back up are left
// out), edges that skip layers get invisible waypoints, the order within a
// layer is improved by barycentre sweeps, and x positions are pulled towards
// the nodes' neighbours without overlapping. Loop edges are drawn up beside
// the loop's body; its exit continues below it.

const SVG = 'http://www.w3.org/2000/svg';
const FONT = '600 13px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const SMALL = '11px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const H = 38;          // node height (one line)
const H2 = 50;         // node height (with a detail line)
const GAP_X = 28;      // between nodes of a layer
const GAP_Y = 46;      // between layers
const PAD = 24;        // around the drawing
const DUMMY_W = 12;    // width of a waypoint

const CODE = '12px ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace';
const MAX_W = 280;     // widest node

let measurer;
function textWidth(text, font = FONT) {
  measurer ??= document.createElement('canvas').getContext('2d');
  measurer.font = font;
  return measurer.measureText(text).width;
}

/** The text, shortened with … to fit `max` pixels. */
function fit(text, font, max) {
  if (textWidth(text, font) <= max) return text;
  let lo = 0, hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(`${text.slice(0, mid)}…`, font) <= max) lo = mid; else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}

function el(name, attrs = {}, ...children) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, String(v));
  for (const c of children) e.append(c);
  return e;
}

const KIND_NAMES = {
  start: 'start', end: 'end', call: 'activity call', await: 'awaited call (callback)', timer: 'timer',
  flow: 'sub-flow call', subflow: 'inline sub-flow', closure: 'closure call', compensate: 'compensations',
  branch: 'branch', loop: 'loop', parallel: 'parallel block', join: 'join', return: 'return',
};

/** Positions for the graph: {nodes: Map(id → {x, y, w, h, layer}), edges, width, height}. */
export function layout(graph) {
  const nodes = new Map();
  graph.nodes.forEach((n, i) => {
    const font = n.kind === 'branch' || n.kind === 'loop' ? CODE : FONT;
    const pad = n.kind === 'branch' || n.kind === 'loop' ? 36 : 28;
    const label = fit(n.label, font, MAX_W - pad);
    const detail = n.detail ? fit(n.detail, SMALL, MAX_W - 28) : null;
    const w = Math.max(
      textWidth(label, font) + pad,
      detail ? textWidth(detail, SMALL) + 28 : 0,
      n.kind === 'join' ? 90 : 60,
    );
    nodes.set(n.id, { id: n.id, data: n, label, detail, font, w, h: n.detail ? H2 : H, order: i, out: [], in: [] });
  });
  // Forward edges only; an edge that would close a cycle is drawn as a loop edge.
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
  const fwd = forward.filter((e) => !dropped.has(e));

  // Loops: the body of a loop edge u → head is what the head reaches and
  // what reaches u. A loop's exits ("done", "break") are laid out below its
  // body, so the body reads top to bottom and the flow goes on underneath.
  const reach = (from, next) => {
    const seen = new Set([from]);
    const stack = [from];
    while (stack.length) {
      for (const t of next(stack.pop())) if (!seen.has(t)) { seen.add(t); stack.push(t); }
    }
    return seen;
  };
  const loopBodies = new Map();
  const after = []; // [u, v]: v's layer is below u's (layering only)
  for (const e of back) {
    const fromHead = reach(e.to, (id) => nodes.get(id).out.map((x) => x.to));
    const toTail = reach(e.from, (id) => nodes.get(id).in.map((x) => x.from));
    const body = new Set([...fromHead].filter((id) => toTail.has(id)));
    loopBodies.set(e, body);
    for (const id of body) {
      for (const x of nodes.get(id).out) {
        if (!body.has(x.to) && (id === e.to || x.label === 'break')) after.push([e.from, x.to]);
      }
    }
  }

  // Layers: longest path from the sources, in topological order.
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

  // Waypoints for edges that skip layers.
  const all = new Map(nodes);
  const segments = []; // [{from, to, edge}]
  const chains = new Map(); // edge → [ids]
  let dummies = 0;
  for (const e of fwd) {
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

  // Initial order: depth-first from the start, in edge order (so "yes"
  // comes before "no", and branches keep their source order).
  const rank = new Map();
  let next = 0;
  const dfs = (id) => {
    if (rank.has(id)) return;
    rank.set(id, next++);
    for (const t of downs.get(id)) dfs(t);
  };
  [...all.values()].filter((n) => !ups.get(n.id).length).sort((a, b) => a.order - b.order).forEach((n) => dfs(n.id));
  const layerCount = Math.max(0, ...[...all.values()].map((n) => n.layer)) + 1;
  const layers = Array.from({ length: layerCount }, () => []);
  for (const n of all.values()) layers[n.layer].push(n.id);
  layers.forEach((l) => l.sort((a, b) => rank.get(a) - rank.get(b)));

  // Fewer crossings: barycentre sweeps, keeping the best.
  const pos = new Map();
  const index = () => layers.forEach((l) => l.forEach((id, i) => pos.set(id, i)));
  const crossings = () => {
    let c = 0;
    for (let l = 0; l + 1 < layers.length; l++) {
      const segs = [];
      for (const id of layers[l]) for (const t of downs.get(id)) segs.push([pos.get(id), pos.get(t)]);
      for (let i = 0; i < segs.length; i++) {
        for (let j = i + 1; j < segs.length; j++) {
          if ((segs[i][0] - segs[j][0]) * (segs[i][1] - segs[j][1]) < 0) c++;
        }
      }
    }
    return c;
  };
  index();
  let best = layers.map((l) => [...l]);
  let bestC = crossings();
  for (let it = 0; it < 8 && bestC > 0; it++) {
    const down = it % 2 === 0;
    const order = down ? layers.keys() : [...layers.keys()].reverse();
    for (const l of order) {
      const bary = new Map();
      for (const id of layers[l]) {
        const nb = down ? ups.get(id) : downs.get(id);
        bary.set(id, nb.length ? nb.reduce((s, x) => s + pos.get(x), 0) / nb.length : pos.get(id));
      }
      layers[l].sort((a, b) => bary.get(a) - bary.get(b) || pos.get(a) - pos.get(b));
      layers[l].forEach((id, i) => pos.set(id, i));
    }
    const c = crossings();
    if (c < bestC) { bestC = c; best = layers.map((x) => [...x]); }
  }
  best.forEach((l, i) => { layers[i] = l; });
  index();

  // x: start packed, then pull each node towards its neighbours' centres
  // without overlaps (neighbouring nodes that want to overlap move as one block).
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
  for (let it = 0; it < 10; it++) {
    const down = it % 2 === 0;
    const order = down ? [...layers.keys()] : [...layers.keys()].reverse();
    for (const l of order) {
      place(l, (id) => {
        const nb = down ? ups.get(id) : downs.get(id);
        const both = [...ups.get(id), ...downs.get(id)];
        return it >= 8 ? mean(both, cx.get(id)) : mean(nb, cx.get(id));
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

  let minX = Infinity, maxX = -Infinity;
  for (const [id, x] of cx) { const w = all.get(id).w; minX = Math.min(minX, x - w / 2); maxX = Math.max(maxX, x + w / 2); }

  // y per layer.
  const layerH = layers.map((l) => Math.max(H, ...l.map((id) => all.get(id).h)));
  const layerY = [];
  let y = PAD;
  for (let l = 0; l < layers.length; l++) { layerY.push(y); y += layerH[l] + GAP_Y; }
  for (const n of all.values()) {
    n.x = cx.get(n.id) - minX + PAD;
    n.cy = layerY[n.layer] + layerH[n.layer] / 2;
    n.y = n.cy - n.h / 2;
  }
  let width = maxX - minX + 2 * PAD;
  const height = y - GAP_Y + PAD;

  // Loop edges: up one side of the loop's body, the side whose corridor
  // crosses fewer other nodes (the left on a tie: the loop's exit goes on
  // at the right). Inner loops run closer to the body than outer ones.
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
    const body = loopBodies.get(e) || new Set([a.id, b.id]);
    let left = Math.min(a.x - a.w / 2, b.x - b.w / 2);
    let right = Math.max(a.x + a.w / 2, b.x + b.w / 2);
    for (const id of body) { const n = all.get(id); left = Math.min(left, n.x - n.w / 2); right = Math.max(right, n.x + n.w / 2); }
    const lp = { edge: e, a, b, lo: Math.min(a.layer, b.layer), hi: Math.max(a.layer, b.layer), size: body.size };
    lp.side = crossed(right + 12, lp, body) < crossed(left - 12, lp, body) ? 'right' : 'left';
    lp.edgeX = lp.side === 'left' ? left - 12 : right + 12;
    return lp;
  });
  loops.sort((p, q) => p.size - q.size);
  const lanes = [];
  for (const lp of loops) {
    const step = lp.side === 'left' ? -8 : 8;
    let x = lp.edgeX;
    for (const other of lanes) {
      if (other.side === lp.side && other.hi >= lp.lo && other.lo <= lp.hi && Math.abs(other.x - x) < 8) x = other.x + step;
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
  return { nodes: all, chains, loops, width, height };
}

function smooth(points) {
  let d = `M${points[0][0]},${points[0][1]}`;
  for (let k = 1; k < points.length; k++) {
    const [x0, y0] = points[k - 1];
    const [x1, y1] = points[k];
    const my = (y0 + y1) / 2;
    d += ` C${x0},${my} ${x1},${my} ${x1},${y1}`;
  }
  return d;
}

function shape(n) {
  const { x, y, w, h } = n;
  const l = x - w / 2;
  const k = n.data.kind;
  if (k === 'branch' || k === 'loop') {
    const c = 12;
    return el('polygon', { class: 'shape', points: `${l + c},${y} ${l + w - c},${y} ${l + w},${y + h / 2} ${l + w - c},${y + h} ${l + c},${y + h} ${l},${y + h / 2}` });
  }
  const r = ['start', 'end', 'return'].includes(k) ? h / 2 : ['parallel', 'join'].includes(k) ? 4 : 8;
  return el('rect', { class: 'shape', x: l, y, width: w, height: h, rx: r });
}

/**
 * The diagram as an <svg>. `onNode(node)` is called on a click or Enter;
 * `link(flow)` gives the address of a called flow's page.
 */
export function renderGraph(graph, { onNode, link } = {}) {
  const g = layout(graph);
  const svg = el('svg', {
    class: 'graph', viewBox: `0 0 ${Math.ceil(g.width)} ${Math.ceil(g.height)}`,
    width: Math.ceil(g.width), height: Math.ceil(g.height), role: 'img',
    'aria-label': `Diagram of ${graph.flow}`,
  });
  const defs = el('defs', {},
    el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      el('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' })));
  svg.append(defs);
  const edges = el('g', { class: 'edges' });
  const labels = el('g', { class: 'edge-labels' });
  for (const [e, chain] of g.chains) {
    const pts = chain.map((id, k) => {
      const n = g.nodes.get(id);
      if (n.dummy) return [n.x, n.cy];
      return k === 0 ? [n.x, n.y + n.h] : [n.x, n.y];
    });
    // Waypoints pass through the whole layer.
    const full = [];
    pts.forEach((p, k) => {
      const n = g.nodes.get(chain[k]);
      if (n.dummy) { full.push([p[0], n.cy - H / 2]); full.push([p[0], n.cy + H / 2]); } else full.push(p);
    });
    let d = smooth(full.filter((p, k) => k === 0 || k === full.length - 1 || !(full[k - 1][0] === p[0] && full[k - 1][1] === p[1])));
    // Straight runs through waypoints read better than curves.
    d = d.replace(/C(\S+),(\S+) (\S+),(\S+) (\S+),(\S+)/g, (m, x0, y0, x1, y1, x2, y2) => (x1 === x2 && Number(x0) === Number(x2) ? `L${x2},${y2}` : m));
    edges.append(el('path', { d, class: `edge${e.label ? ` edge-${e.label.replace(/\W/g, '')}` : ''}`, 'marker-end': 'url(#arrow)' }));
    if (e.label) {
      const [x0, y0] = full[0];
      const [x1, y1] = full[1];
      const t = 0.42;
      const lx = x0 + (x1 - x0) * t;
      const ly = y0 + (y1 - y0) * t;
      labels.append(el('text', { x: lx + (x1 >= x0 ? 5 : -5), y: ly + 4, class: 'edge-label', 'text-anchor': x1 >= x0 ? 'start' : 'end' }, e.label));
    }
  }
  for (const lp of g.loops) {
    const { a, b, x } = lp;
    const dir = lp.side === 'left' ? -1 : 1;
    const ax = a.x + dir * a.w / 2, ay = a.cy;
    const bx = b.x + dir * b.w / 2, by = b.cy;
    const r = Math.min(10, Math.max(0, (ay - by) / 2));
    const d = `M${ax},${ay} L${x - dir * r},${ay} Q${x},${ay} ${x},${ay - r} L${x},${by + r} Q${x},${by} ${x - dir * r},${by} L${bx},${by}`;
    edges.append(el('path', { d, class: 'edge edge-back', 'marker-end': 'url(#arrow)' }));
    if (lp.edge.label && lp.edge.label !== 'yes' && lp.edge.label !== 'no') {
      labels.append(el('text', { x: x + dir * 4, y: (ay + by) / 2, class: 'edge-label', 'text-anchor': dir < 0 ? 'end' : 'start' }, lp.edge.label));
    }
  }
  svg.append(edges);
  const nodesG = el('g', { class: 'nodes' });
  for (const n of g.nodes.values()) {
    if (n.dummy) continue;
    const d = n.data;
    const count = graph.counts?.[d.id] || 0;
    const by = graph.countsByStatus?.[d.id] || {};
    const tone = by.failed ? 'failed' : by.waiting ? 'waiting' : count ? 'running' : '';
    const gNode = el('g', {
      class: `node kind-${d.kind}${count ? ` has-runs tone-${tone}` : ''}`,
      tabindex: 0, role: 'button', 'data-id': d.id, 'data-line': d.line, 'data-kind': d.kind,
      'aria-label': `${KIND_NAMES[d.kind] || d.kind}: ${d.label}, line ${d.line}${count ? `, ${count} run${count > 1 ? 's' : ''} here` : ''}`,
    });
    const parts = [`${d.label}`, d.detail, `${KIND_NAMES[d.kind] || d.kind} · line ${d.line}${d.flow !== graph.flow ? ` · in ${d.flow}` : ''}`];
    if (count) parts.push(Object.entries(by).map(([s, k]) => `${k} ${s}`).join(', '));
    gNode.append(el('title', {}, parts.filter(Boolean).join('\n')));
    gNode.append(shape(n));
    if (['call', 'await', 'timer', 'flow', 'subflow', 'closure', 'compensate'].includes(d.kind)) {
      gNode.append(el('rect', { class: 'stripe', x: n.x - n.w / 2, y: n.y, width: 5, height: n.h, rx: 2 }));
    }
    const ty = d.detail ? n.y + 20 : n.cy + 4.5;
    gNode.append(el('text', { x: n.x + (gNode.querySelector('.stripe') ? 2 : 0), y: ty, 'text-anchor': 'middle', class: 'label' }, n.label));
    if (n.detail) gNode.append(el('text', { x: n.x + 2, y: n.y + 37, 'text-anchor': 'middle', class: 'detail' }, n.detail));
    if (count) {
      const text = String(count);
      const bw = Math.max(22, textWidth(text, SMALL) + 12);
      const bx = n.x + n.w / 2 - bw / 2 - 2, byy = n.y - 9;
      gNode.append(el('g', { class: `badge tone-${tone}`, 'data-count': count },
        el('rect', { x: bx - bw / 2, y: byy, width: bw, height: 18, rx: 9 }),
        el('text', { x: bx, y: byy + 13, 'text-anchor': 'middle' }, text)));
    }
    const activate = () => onNode?.(d);
    gNode.addEventListener('click', activate);
    gNode.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); activate(); } });
    if (link && (d.kind === 'flow') && d.target) gNode.dataset.href = link(d.target);
    nodesG.append(gNode);
  }
  svg.append(nodesG, labels);
  return svg;
}
