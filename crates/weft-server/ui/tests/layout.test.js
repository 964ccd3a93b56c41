// Unit tests of a flow diagram's layout (layout*.js): pure functions over
// small graphs, with text measured as 7 px a character. Run by Node's test
// runner: `node --test crates/weft-server/ui/tests/`; `cargo test -p
// weft-cli --test ui` runs them with WEFT_UI_GRAPHS naming a file of the
// diagrams of every example, which the checks of every layout run over
// too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { fit, layout, sizeNodes } from '../layout.js';
import { forwardEdge, LANE_GAP, LOOP_MARGIN, loopEdge, routeLoops } from '../layout-edges.js';
import { crossings, orderLayers } from '../layout-order.js';
import { addWaypoints, assignLayers, loopBodies, splitEdges } from '../layout-layers.js';
import { GAP_X, MAX_W, PAD } from '../layout-sizes.js';

/** Width of a text: 7 px a character, in any font. */
const measure = (text) => text.length * 7;

/** Floating-point slack of the comparisons of positions. */
const EPS = 1e-6;

/**
 * A graph as the server sends it. Nodes are 'id kind' (the label is the
 * id); edges 'a>b' (forward), 'a>b:label', 'a^b' (back to a loop's head).
 */
function graph(nodes, edges) {
  return {
    flow: 'F',
    nodes: nodes.map((spec, i) => {
      const [id, kind] = spec.split(' ');
      return { id, kind, label: id, line: i + 1, flow: 'F' };
    }),
    edges: edges.map((spec) => {
      const [link, label] = spec.split(':');
      const back = link.includes('^');
      const [from, to] = link.split(back ? '^' : '>');
      return label ? { from, to, label, back } : { from, to, back };
    }),
  };
}

/** The layer of each node, by id (waypoints left out). */
function layers(laid) {
  return Object.fromEntries([...laid.nodes.values()].filter((n) => !n.dummy).map((n) => [n.id, n.layer]));
}

/** The first and the last point of an SVG path. */
function ends(d) {
  const points = [...d.matchAll(/(-?[\d.]+(?:e[-+]?\d+)?),(-?[\d.]+(?:e[-+]?\d+)?)/g)].map((m) => [Number(m[1]), Number(m[2])]);
  return [points[0], points[points.length - 1]];
}

/** What every layout must be; `name` says which graph failed. */
function checkLayout(g, name) {
  const laid = layout(g, measure);
  const nodes = [...laid.nodes.values()];
  for (const n of nodes) {
    assert.ok(Number.isInteger(n.layer) && n.layer >= 0, `${name}: ${n.id} has a layer`);
    assert.ok(n.x - n.w / 2 >= -EPS && n.x + n.w / 2 <= laid.width + EPS, `${name}: ${n.id} is inside the drawing's width`);
    assert.ok(n.y >= -EPS && n.y + n.h <= laid.height + EPS, `${name}: ${n.id} is inside the drawing's height`);
  }
  // No overlaps: nodes of a layer keep GAP_X apart (half of it next to a
  // waypoint, which is only a line).
  const byLayer = new Map();
  for (const n of nodes) byLayer.set(n.layer, [...(byLayer.get(n.layer) || []), n]);
  for (const row of byLayer.values()) {
    row.sort((a, b) => a.x - b.x);
    for (let i = 0; i + 1 < row.length; i++) {
      const [l, r] = [row[i], row[i + 1]];
      const gap = (r.x - r.w / 2) - (l.x + l.w / 2);
      const least = l.dummy || r.dummy ? GAP_X / 2 : GAP_X;
      assert.ok(gap >= least - EPS, `${name}: ${l.id} and ${r.id} on layer ${l.layer} are ${gap} px apart`);
    }
  }
  // Forward edges go down a layer at a time, from the bottom of their
  // source to the top of their target.
  for (const [e, chain] of laid.chains) {
    assert.equal(chain[0], e.from);
    assert.equal(chain[chain.length - 1], e.to);
    for (let k = 0; k + 1 < chain.length; k++) {
      assert.equal(laid.nodes.get(chain[k + 1]).layer, laid.nodes.get(chain[k]).layer + 1, `${name}: ${chain}`);
    }
    const { d } = forwardEdge(chain, laid.nodes);
    const [a, b] = [laid.nodes.get(e.from), laid.nodes.get(e.to)];
    const [first, last] = ends(d);
    assert.deepEqual(first, [a.x, a.y + a.h], `${name}: ${e.from}>${e.to} leaves the bottom of ${e.from}: ${d}`);
    assert.deepEqual(last, [b.x, b.y], `${name}: ${e.from}>${e.to} enters the top of ${e.to}: ${d}`);
  }
  // Loop edges run beside both their ends, from the side of the one to
  // the side of the other.
  for (const lp of laid.loops) {
    const both = [lp.a, lp.b];
    const name2 = `${name}: loop ${lp.edge.from}^${lp.edge.to}`;
    if (lp.side === 'left') assert.ok(both.every((n) => lp.x < n.x - n.w / 2), `${name2} runs left of its ends`);
    else assert.ok(both.every((n) => lp.x > n.x + n.w / 2), `${name2} runs right of its ends`);
    assert.ok(lp.x >= 0 && lp.x <= laid.width, `${name2} is inside the drawing`);
    const dir = lp.side === 'left' ? -1 : 1;
    const { d } = loopEdge(lp);
    assert.deepEqual(ends(d), [[lp.a.x + dir * lp.a.w / 2, lp.a.cy], [lp.b.x + dir * lp.b.w / 2, lp.b.cy]], `${name2}: ${d}`);
  }
  // Every edge is drawn: forward, or as a loop.
  const known = g.edges.filter((e) => laid.nodes.has(e.from) && laid.nodes.has(e.to));
  assert.equal(laid.chains.size + laid.loops.length, known.length, `${name}: every edge is drawn once`);
  return laid;
}

test('a straight flow stands one node a layer, each right under the one before', () => {
  const laid = checkLayout(graph(['s start', 'a call', 'b call', 'e end'], ['s>a', 'a>b', 'b>e']), 'straight');
  assert.deepEqual(layers(laid), { s: 0, a: 1, b: 2, e: 3 });
  const [s, a, b, e] = ['s', 'a', 'b', 'e'].map((id) => laid.nodes.get(id));
  assert.ok(s.y < a.y && a.y < b.y && b.y < e.y);
  assert.deepEqual([a.x, b.x, e.x], [s.x, s.x, s.x]);
  assert.equal(laid.loops.length, 0);
});

test('the arms of a branch share a layer, "yes" left of "no", and the flow joins below both', () => {
  const laid = checkLayout(graph(
    ['s start', 'if branch', 'yes call', 'no call', 'after call'],
    ['s>if', 'if>yes:yes', 'if>no:no', 'yes>after', 'no>after'],
  ), 'branch');
  assert.deepEqual(layers(laid), { s: 0, if: 1, yes: 2, no: 2, after: 3 });
  assert.ok(laid.nodes.get('yes').x < laid.nodes.get('no').x);
});

test('a node stands on the layer of its longest path; an edge skipping layers gets a waypoint on each', () => {
  const laid = checkLayout(graph(['s start', 'a call', 'b call', 'c call'], ['s>a', 'a>b', 'b>c', 's>c']), 'skip');
  assert.deepEqual(layers(laid), { s: 0, a: 1, b: 2, c: 3 });
  const skip = [...laid.chains].find(([e]) => e.from === 's' && e.to === 'c')[1];
  assert.equal(skip.length, 4, `s, two waypoints, c: ${skip}`);
  assert.ok(skip.slice(1, -1).every((id) => laid.nodes.get(id).dummy));
  // The waypoints line up: the edge runs straight past a and b.
  const [w1, w2] = skip.slice(1, -1).map((id) => laid.nodes.get(id));
  assert.equal(w1.x, w2.x);
  assert.match(forwardEdge(skip, laid.nodes).d, / L/, 'straight through the waypoints');
});

test('a long label is shortened with … to fit the widest node', () => {
  assert.equal(fit('short', '', 100, measure), 'short');
  const long = 'x'.repeat(100);
  const shortened = fit(long, '', MAX_W - 28, measure);
  assert.ok(shortened.endsWith('…') && measure(shortened) <= MAX_W - 28);
  assert.ok(measure(`${long.slice(0, shortened.length)}…`) > MAX_W - 28, 'as long as fits, no shorter');
  const laid = checkLayout({ flow: 'F', nodes: [{ id: 'n', kind: 'call', label: long, line: 1, flow: 'F' }], edges: [] }, 'long');
  const n = laid.nodes.get('n');
  assert.equal(n.label, shortened);
  assert.ok(n.w <= MAX_W);
});

test('barycentre sweeps remove a crossing the first order has', () => {
  // Depth-first from s0, the lower layer reads a, b; but s1 also goes to
  // a, so s1 > a crosses s0 > b until b moves left of a.
  const g = graph(['s0 start', 's1 start', 'a call', 'b call'], ['s0>a', 's0>b', 's1>a']);
  const nodes = sizeNodes(g, measure);
  const { forward } = splitEdges(g, nodes);
  assignLayers(nodes, []);
  const { all, ups, downs } = addWaypoints(nodes, forward);
  const { layers: rows, pos } = orderLayers(all, ups, downs);
  assert.deepEqual(rows, [['s0', 's1'], ['b', 'a']]);
  assert.equal(crossings(rows, pos, downs), 0);
  const first = new Map([['s0', 0], ['s1', 1], ['a', 0], ['b', 1]]);
  assert.equal(crossings([['s0', 's1'], ['a', 'b']], first, downs), 1, 'the first order crossed');
  checkLayout(g, 'crossing');
});

test('a loop reads top to bottom, goes on below its body, and its edge back runs beside the body', () => {
  const g = graph(
    ['s start', 'for loop', 'a call', 'b call', 'after call'],
    ['s>for', 'for>a:each', 'a>b', 'b^for', 'for>after:done'],
  );
  const laid = checkLayout(g, 'loop');
  assert.deepEqual(layers(laid), { s: 0, for: 1, a: 2, b: 3, after: 4 });
  assert.equal(laid.loops.length, 1);
  const [lp] = laid.loops;
  assert.deepEqual([lp.edge.from, lp.edge.to, lp.size], ['b', 'for', 3]);
  const { bodies } = loopBodies(sizeNodesWithEdges(g), [g.edges[3]]);
  assert.deepEqual([...bodies.get(g.edges[3])].sort(), ['a', 'b', 'for']);
  for (const id of ['for', 'a', 'b']) {
    const n = laid.nodes.get(id);
    assert.ok(lp.side === 'left' ? lp.x < n.x - n.w / 2 : lp.x > n.x + n.w / 2, `beside ${id}`);
  }
});

test('loops on one side run in lanes apart, the inner loop nearer its body', () => {
  // A column of four nodes; n2 goes back to n1 (inner), n3 to n0 (outer).
  const all = new Map(['n0', 'n1', 'n2', 'n3'].map((id, layer) => [id, { id, layer, x: 100, w: 60, cy: 20 + 80 * layer }]));
  const inner = { from: 'n2', to: 'n1', back: true };
  const outer = { from: 'n3', to: 'n0', back: true };
  const bodies = new Map([[inner, new Set(['n1', 'n2'])], [outer, new Set(['n0', 'n1', 'n2', 'n3'])]]);
  const { loops, width } = routeLoops(all, [outer, inner], bodies, 200);
  assert.deepEqual(loops.map((lp) => lp.edge), [inner, outer], 'the smaller body first');
  assert.deepEqual(loops.map((lp) => lp.side), ['left', 'left'], 'a tie goes left');
  assert.equal(loops[0].x, 100 - 30 - LOOP_MARGIN);
  assert.equal(loops[1].x, loops[0].x - LANE_GAP);
  assert.equal(width, 200);

  // At the drawing's left margin, the outer lane would leave the drawing:
  // everything moves right to keep half a margin.
  for (const n of all.values()) n.x = PAD + 30;
  const moved = routeLoops(all, [outer, inner], bodies, 200);
  const shift = PAD / 2 - (PAD - LOOP_MARGIN - LANE_GAP);
  assert.ok(shift > 0);
  assert.deepEqual(moved.loops.map((lp) => lp.x), [PAD - LOOP_MARGIN + shift, PAD / 2]);
  assert.ok([...all.values()].every((n) => n.x === PAD + 30 + shift));
  assert.equal(moved.width, 200 + shift);
});

test('a cycle the server did not mark is broken, and drawn as a loop edge', () => {
  const g = graph(['s start', 'a call', 'b call', 'c call'], ['s>a', 'a>b', 'b>c', 'c>a']);
  const laid = checkLayout(g, 'cycle');
  assert.deepEqual(layers(laid), { s: 0, a: 1, b: 2, c: 3 });
  assert.deepEqual(laid.loops.map((lp) => `${lp.edge.from}>${lp.edge.to}`), ['c>a']);
});

test('edges to nodes the graph does not have are left out', () => {
  const g = graph(['s start', 'a call'], ['s>a', 'a>gone', 'gone>s']);
  const laid = layout(g, measure);
  assert.equal(laid.chains.size, 1);
  assert.equal(laid.loops.length, 0);
});

test('a diagram from the server: the web UI test\'s flow', () => {
  const g = JSON.parse(readFileSync(new URL('./order.graph.json', import.meta.url), 'utf8'));
  const laid = checkLayout(g, 'Order');
  assert.equal(laid.loops.length, 1, 'the for loop');
  // The parallel block's calls side by side, its join below them.
  const [fraud, address, join] = ['n3', 'n4', 'n5'].map((id) => laid.nodes.get(id));
  assert.equal(fraud.layer, address.layer);
  assert.equal(join.layer, fraud.layer + 1);
  // After the loop: the branch on its "done" edge is below Pack.
  assert.ok(laid.nodes.get('n10').layer > laid.nodes.get('n9').layer);
});

test('the diagram of every example (WEFT_UI_GRAPHS)', (t) => {
  const file = process.env.WEFT_UI_GRAPHS;
  if (!file) {
    t.skip('WEFT_UI_GRAPHS is not set (cargo test -p weft-cli --test ui sets it)');
    return;
  }
  const graphs = JSON.parse(readFileSync(file, 'utf8'));
  assert.ok(graphs.length > 0, `no diagrams in ${file}`);
  for (const g of graphs) checkLayout(g, `${g.file}: ${g.flow}`);
});

/** The graph's sized nodes with their forward edges recorded. */
function sizeNodesWithEdges(g) {
  const nodes = sizeNodes(g, measure);
  splitEdges(g, nodes);
  return nodes;
}
