// The activities page (`/activities`): where each activity runs (its
// placement in the deployment plan, `weft serve --plan`) and its live
// figures: tasks ready, in flight, and the oldest ready task's age (what
// an autoscaler reads from /metrics; docs/deploying.md).

import { api } from './api.js';
import { h, keepFocus } from './dom.js';
import { isCurrent } from './router.js';

const KIND_TEXT = {
  wasm: 'embedded (Wasm)',
  worker: 'remote workers',
  push: 'push endpoint',
  http: '@http binding',
  grpc: '@grpc binding',
};

function seconds(s) {
  if (s < 1) return s > 0 ? '< 1 s' : '–';
  if (s < 120) return `${Math.round(s)} s`;
  return `${Math.round(s / 60)} min`;
}

function limits(p) {
  const parts = [];
  if (p.concurrency != null) parts.push(`≤ ${p.concurrency} at once`);
  if (p.rate != null) parts.push(p.rate);
  if (p.timeout != null) parts.push(`timeout ${p.timeout}`);
  if (p.memory != null) parts.push(`memory ${p.memory}`);
  return parts.join(' · ') || '–';
}

/** Draws the activities page into `main`; returns it ({refresh}). */
export async function activitiesPage(main, gen) {
  const note = h('p.muted');
  const body = h('tbody');
  const table = h('table.activities',
    h('thead', h('tr', ['Activity', 'Runs on', 'Target', 'Limits', 'Ready', 'In flight', 'Oldest ready'].map((t) => h('th', t)))),
    body);
  // Seven columns do not fit a phone: the table scrolls sideways in its
  // own box, and the page itself never gets wider than the screen.
  main.replaceChildren(h('section.page.activities-page', h('div.page-head', h('h1', 'Activities')), note, h('div.table-scroll', table)));
  let lastKey = '';
  const refresh = async () => {
    const data = await api('/v1/activities');
    if (!isCurrent(gen)) return;
    const key = JSON.stringify(data);
    if (key === lastKey) return;
    lastKey = key;
    note.textContent = data.plan
      ? `Placed by the deployment plan ${data.plan}. Ready tasks wait for a worker, a free slot or the rate; in flight are under way.`
      : 'The server runs without a deployment plan (weft serve --plan FILE): activities go to their @http binding or the pull queue.';
    keepFocus(body, 'activity', () => body.replaceChildren(...(data.activities.length ? data.activities.map((a) => {
      const p = a.placement;
      return h('tr', { dataset: { activity: a.name, kind: p ? p.kind : 'none' } },
        h('td.name', a.name),
        h('td', p ? KIND_TEXT[p.kind] || p.kind : h('span.muted', data.plan ? 'no placement' : 'queue or binding')),
        h('td.target', p ? p.target : '–'),
        h('td', p ? limits(p) : '–'),
        h('td.num', { dataset: { figure: 'ready' } }, String(a.ready)),
        h('td.num', { dataset: { figure: 'inFlight' } }, String(a.inFlight)),
        h('td.num', seconds(a.oldestReadySeconds)));
    }) : [h('tr', h('td', { colSpan: 7 }, h('span.muted', 'No deployed flow calls an activity yet.')))])));
  };
  await refresh();
  return { refresh };
}
