// The audit page (`/audit`): operators' actions, newest first: who did
// what, when, to how many runs, and how a bulk action went.

import { api, q } from './api.js';
import { h, keepFocus, timeEl } from './dom.js';
import { absolute, preview } from './format.js';
import { isCurrent } from './router.js';

/** Draws the audit page into `main`; returns it ({refresh}). */
export async function auditPage(main, params, gen) {
  const list = h('div');
  const run = params.get('run') || '';
  main.replaceChildren(h('section.page.audit-page',
    h('div.page-head', h('h1', 'Audit log'), run ? h('span.muted', 'of run ', h('a.mono', { href: `/runs/${q(run)}` }, run)) : null),
    h('section.card', list)));
  let lastKey = '';
  const refresh = async () => {
    const log = await api(`/v1/audit?limit=100${run ? `&run=${q(run)}` : ''}`);
    if (!isCurrent(gen)) return;
    const key = JSON.stringify(log);
    if (key === lastKey) return;
    lastKey = key;
    keepFocus(list, 'id', () => list.replaceChildren(log.actions.length
      ? h('table.grid', { id: 'audit' },
        h('thead', h('tr', ['When', 'Who', 'What', 'Runs', 'Detail'].map((t) => h('th', t)))),
        h('tbody', log.actions.map((a) => h('tr', { id: `action-${a.id}`, dataset: { id: String(a.id), action: a.action } },
          h('td', timeEl(a.at, absolute(a.at))),
          h('td.actor', a.actor),
          h('td', h('strong', a.action)),
          h('td.num', a.matched > 1 || a.action.startsWith('bulk')
            ? `${a.applied.toLocaleString('en')} of ${a.matched.toLocaleString('en')}${a.failed ? ` (${a.failed} failed)` : ''}${a.done ? '' : ' · going on'}`
            : String(a.applied)),
          h('td', h('code', preview(a.detail, 100)))))))
      : h('p.muted', 'No operator action yet.')));
  };
  await refresh();
  return { refresh };
}
