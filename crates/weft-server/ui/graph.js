// A flow's diagram drawn as SVG, from the layout of layout.js: nodes
// shaped by kind, with the number of runs standing at each; forward edges,
// loop edges up the side, and their labels. Text is measured on a canvas.

import { layout } from './layout.js';
import { forwardEdge, loopEdge } from './layout-edges.js';
import { FONT, SMALL } from './layout-sizes.js';

const SVG = 'http://www.w3.org/2000/svg';

let measurer;
/** The width in pixels of `text` in `font`. */
function textWidth(text, font = FONT) {
  measurer ??= document.createElement('canvas').getContext('2d');
  measurer.font = font;
  return measurer.measureText(text).width;
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
  const g = layout(graph, textWidth);
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
    const { d, label } = forwardEdge(chain, g.nodes);
    edges.append(el('path', { d, class: `edge${e.label ? ` edge-${e.label.replace(/\W/g, '')}` : ''}`, 'marker-end': 'url(#arrow)' }));
    if (e.label) labels.append(el('text', { x: label.x, y: label.y, class: 'edge-label', 'text-anchor': label.anchor }, e.label));
  }
  for (const lp of g.loops) {
    const { d, label } = loopEdge(lp);
    edges.append(el('path', { d, class: 'edge edge-back', 'marker-end': 'url(#arrow)' }));
    if (lp.edge.label && lp.edge.label !== 'yes' && lp.edge.label !== 'no') {
      labels.append(el('text', { x: label.x, y: label.y, class: 'edge-label', 'text-anchor': label.anchor }, lp.edge.label));
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
