// The workers page (`/workers`): per activity, the tasks waiting for a
// worker and leased, who polls for it and when it last did, and which
// activities nobody serves; the workers seen; push and @http endpoints and
// how they answer. The sources of events are on the triggers page
// (page-triggers.js), which this page links to.

import { api, q } from './api.js';
import { h, keepFocus, timeEl } from './dom.js';
import { isCurrent } from './router.js';

/** Draws the workers page into `main`; returns it ({refresh}). */
export async function workersPage(main, gen) {
  const queues = h('div');
  const workers = h('div');
  const endpoints = h('div');
  const note = h('p.muted.small');
  main.replaceChildren(h('section.page.workers-page',
    h('div.page-head', h('h1', 'Workers and queues')), note,
    h('section.card', h('h2', 'Queues'), queues),
    h('section.card', h('h2', 'Workers'), workers),
    h('section.card', h('h2', 'Endpoints (push and @http)'), endpoints),
    h('p.muted.small', { id: 'sources-moved' }, 'Pull and stream sources of events are on the ', h('a', { href: '/triggers' }, 'Triggers'), ' page.')));
  let lastKey = '';
  const refresh = async () => {
    const [qs, ws] = await Promise.all([api('/v1/queues'), api('/v1/workers')]);
    if (!isCurrent(gen)) return;
    const key = JSON.stringify([qs, ws]);
    if (key === lastKey) return;
    lastKey = key;
    note.textContent = `An activity nobody has polled for ${qs.pollerStale} is marked: the runs waiting on it say so.`;
    keepFocus(queues, 'activity', () => queues.replaceChildren(qs.queues.length
      ? h('table.grid', { id: 'queues' },
        h('thead', h('tr', ['Activity', 'Kind', 'Ready', 'Leased', 'Workers', 'Last poll', ''].map((t) => h('th', t)))),
        h('tbody', qs.queues.map((x) => h('tr', { dataset: { activity: x.activity, stalled: String(x.stalled) }, class: x.stalled ? 'tone-failed stalled' : '' },
          h('td.flowname', x.activity), h('td', x.kind),
          h('td.num', { dataset: { ready: String(x.ready) } }, x.ready.toLocaleString('en')),
          h('td.num', x.leased.toLocaleString('en')), h('td.num', String(x.pollers)),
          h('td', x.lastPoll ? timeEl(x.lastPoll) : h('span.sub', 'never')),
          h('td', x.stalled ? h('span.err', x.message) : x.ready ? h('a', { href: `/?q=${q(`contains(waitingFor, "${x.activity}")`)}` }, 'waiting runs') : null)))))
      : h('p.muted', 'No task waits and no worker has polled yet.')));
    workers.replaceChildren(ws.workers.length
      ? h('table.grid', { id: 'workers' },
        h('thead', h('tr', ['Worker', 'Node', 'Activities', 'Last poll'].map((t) => h('th', t)))),
        h('tbody', ws.workers.map((w) => h('tr', { dataset: { worker: w.worker }, class: w.active ? '' : 'muted' },
          h('td.mono', w.worker), h('td', w.node || ''),
          h('td', w.activities.map((a) => a.activity).join(', ')),
          h('td', timeEl(w.lastPoll), w.active ? null : h('span.sub', ' (inactive)'))))))
      : h('p.muted', 'No worker has polled.'));
    endpoints.replaceChildren(ws.endpoints.length
      ? h('table.grid', { id: 'endpoints' },
        h('thead', h('tr', ['Activity', 'Endpoint', 'Answered', 'Failed', 'Last failure'].map((t) => h('th', t)))),
        h('tbody', ws.endpoints.map((e) => h('tr', { dataset: { activity: e.activity }, class: e.healthy ? '' : 'tone-failed' },
          h('td.flowname', e.activity), h('td.mono', e.target), h('td.num', String(e.ok)), h('td.num', String(e.failed)),
          h('td', e.lastFailure ? [timeEl(e.lastFailure.at), ' ', h('span.err', e.lastFailure.error)] : h('span.sub', 'none'))))))
      : h('p.muted', 'No push or @http endpoint has been called.'));
  };
  await refresh();
  return { refresh };
}
