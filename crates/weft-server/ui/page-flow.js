// A flow's page (`/flows/{name}`): its diagram at a version, with the runs
// standing at each node, beside its source.

import { api, q } from './api.js';
import { h, keepFocus } from './dom.js';
import { absolute } from './format.js';
import { renderGraph } from './graph.js';
import { isCurrent, navigate } from './router.js';
import { focusLine, sourceView } from './source.js';

/** Draws the page of flow `name` into `main`; returns it ({refresh}). */
export async function flowPage(main, name, params, gen) {
  const flow = await api(`/v1/flows/${q(name)}`);
  if (!isCurrent(gen)) return null;
  document.title = `${name} · Flows · Weft`;
  const versionsList = flow.versions || [];
  const asked = Number(params.get('version')) || flow.latestVersion;
  const v = versionsList.find((x) => x.version === asked) || versionsList[versionsList.length - 1];
  const select = h('select', {
    id: 'version-select', 'aria-label': 'Version',
    onchange: (e) => navigate(`/flows/${q(name)}?version=${e.target.value}`, { replace: true }),
  }, [...versionsList].reverse().map((x) => h('option', { value: x.version, selected: x.version === v?.version }, `version ${x.version} · ${absolute(x.createdAt)}`)));
  const diagramSlot = h('div.diagram', { tabindex: '-1' });
  const note = h('p.muted.small');
  const sourceSlot = h('div.source-slot');
  const sourceTitle = h('h2', 'Source');
  const fit = h('button.link', { type: 'button', 'aria-pressed': 'false', onclick: () => {
    const on = diagramSlot.classList.toggle('fit');
    fit.setAttribute('aria-pressed', String(on));
    fit.textContent = on ? 'Actual size' : 'Fit to width';
  } }, 'Fit to width');
  main.replaceChildren(h('section.page.flow-page',
    h('nav.crumbs', { 'aria-label': 'Breadcrumb' }, h('a', { href: '/flows' }, 'Flows'), ' / ', name),
    h('div.page-head', h('h1', h('span.flowname', name)),
      h('div.filters', h('label.sr', { for: 'version-select' }, 'Version'), select,
        h('a.button.secondary', { href: `/?flow=${q(name)}` }, 'Runs of this flow'))),
    h('div.flow-grid',
      h('section.card.diagram-card', h('div.card-head', h('h2', 'Diagram'), legend(), fit), diagramSlot, note),
      h('section.card.source-card', sourceTitle, sourceSlot))));

  let view = null;
  let graphKey = '';
  let drawn = false;
  const file = () => v?.files.find((f) => new RegExp(`\\bflow\\s+${name}\\s*\\(`).test(f.text)) || v?.files[0];
  const f = file();
  if (f) {
    view = sourceView(f.text, { label: `Source of ${f.name}` });
    sourceTitle.replaceChildren('Source ', h('span.sub', `${f.name} · version ${v.version}`));
    sourceSlot.replaceChildren(view);
  }
  const refresh = async () => {
    const g = await api(`/v1/flows/${q(name)}/graph?version=${v.version}`);
    if (!isCurrent(gen)) return;
    const key = JSON.stringify([g.counts, g.countsByStatus]);
    if (key === graphKey) return;
    graphKey = key;
    const { scrollLeft, scrollTop } = diagramSlot;
    const svg = renderGraph(g, {
      onNode: (n) => {
        for (const s of diagramSlot.querySelectorAll('.node.selected')) s.classList.remove('selected');
        diagramSlot.querySelector(`.node[data-id="${n.id}"]`)?.classList.add('selected');
        if (view) focusLine(view, n.line);
      },
      link: (target) => `/flows/${q(target)}`,
    });
    keepFocus(diagramSlot, 'id', () => diagramSlot.replaceChildren(svg));
    if (!drawn) {
      drawn = true;
      // Start with the start node in view (wide diagrams scroll sideways).
      const start = svg.querySelector('.node[data-kind="start"]');
      if (start) {
        const box = start.getBBox();
        diagramSlot.scrollLeft = Math.max(0, box.x + box.width / 2 - diagramSlot.clientWidth / 2);
      }
    } else {
      diagramSlot.scrollLeft = scrollLeft;
      diagramSlot.scrollTop = scrollTop;
    }
    const total = Object.values(g.counts).reduce((s, n) => s + n, 0) + g.unplaced;
    note.textContent = total
      ? `${total} unfinished run${total === 1 ? '' : 's'} of version ${g.version}${g.unplaced ? ` (${g.unplaced} on lines without a node)` : ''}${g.capped ? '; only the first 10,000 were counted' : ''}. Numbers on nodes are runs standing there.`
      : `No unfinished runs of version ${g.version}.`;
  };
  await refresh();
  return { refresh };
}

function legend() {
  const item = (cls, text) => h('span.lg', h('span.sw', { class: cls, 'aria-hidden': 'true' }), text);
  return h('div.legend', { 'aria-label': 'Legend' },
    item('kind-call', 'call'), item('kind-await', 'await'), item('kind-timer', 'timer'),
    item('kind-flow', 'sub-flow'), item('kind-branch', 'branch / loop'), item('kind-parallel', 'parallel'),
    item('badge-sw', 'runs here'));
}
