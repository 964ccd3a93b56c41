// Ordering: the order of the nodes within each layer. It starts depth-first
// from the start, in edge order (so "yes" comes before "no", and branches
// keep their source order), then barycentre sweeps move each node towards
// its neighbours on the layer above or below; the order with the fewest
// crossings wins.

/** Sweeps at most (alternately down and up). */
const SWEEPS_MAX = 8;

/**
 * The layers (arrays of ids, left to right) and each id's index in its
 * layer (`pos`).
 */
export function orderLayers(all, ups, downs) {
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

  const pos = new Map();
  const index = () => layers.forEach((l) => l.forEach((id, i) => pos.set(id, i)));
  index();
  let best = layers.map((l) => [...l]);
  let bestC = crossings(layers, pos, downs);
  for (let it = 0; it < SWEEPS_MAX && bestC > 0; it++) {
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
    const c = crossings(layers, pos, downs);
    if (c < bestC) { bestC = c; best = layers.map((x) => [...x]); }
  }
  best.forEach((l, i) => { layers[i] = l; });
  index();
  return { layers, pos };
}

/** How many pairs of segments between neighbouring layers cross. */
export function crossings(layers, pos, downs) {
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
}
