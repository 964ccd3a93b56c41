// The sources card of the triggers page (page-triggers.js): each configured pull or stream
// source (`GET /v1/sources`) with its last poll, its error and its lag.

import { api } from './api.js';
import { h, timeEl } from './dom.js';

/** A card that `refresh()` fills from `/v1/sources`; returns {el, refresh}. */
export function sourcesCard() {
  const body = h('div');
  const el = h('section.card', h('h2', 'Sources'), body);
  let lastKey = '';
  const refresh = async () => {
    const { sources } = await api('/v1/sources');
    const key = JSON.stringify(sources);
    if (key === lastKey) return;
    lastKey = key;
    body.replaceChildren(sources.length
      ? h('table.grid', { id: 'sources' },
        h('thead', h('tr', ['Source', 'Kind', 'Last poll', 'Lag', 'Events', 'Duplicates', 'Cursor', 'Error'].map((t) => h('th', t)))),
        h('tbody', sources.map((s) => h('tr', { dataset: { source: s.name }, class: s.error ? 'tone-failed' : '' },
          h('td.flowname', s.name), h('td', s.kind),
          h('td', s.lastPoll ? timeEl(s.lastPoll) : h('span.sub', 'never')),
          h('td.num', s.lag == null ? '' : s.lag.toLocaleString('en')),
          h('td.num', s.accepted.toLocaleString('en')),
          h('td.num', s.duplicates.toLocaleString('en')),
          h('td.mono', s.cursor ?? ''),
          h('td', s.error ? [timeEl(s.error.at), ' ', h('span.err', s.error.message)] : h('span.sub', 'none'))))))
      : h('p.muted', 'No source is configured ([[sources]] in the server\'s config file).'));
  };
  return { el, refresh };
}
