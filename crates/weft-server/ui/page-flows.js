// The flows page (`/flows`): each deployed flow with its versions and its
// unfinished runs per status, exact (the server keeps counts), its inline
// sub-flows' runs counted with it.

import { api, q } from './api.js';
import { h, keepFocus } from './dom.js';
import { isCurrent } from './router.js';

const LIVE = ['failed', 'waiting', 'running'];

/** Draws the flows page into `main`; returns it ({refresh}). */
export async function flowsPage(main, gen) {
  const list = h('div.flow-cards');
  main.replaceChildren(h('section.page.flows-page', h('div.page-head', h('h1', 'Flows')), list));
  let lastKey = '';
  const refresh = async () => {
    const [{ flows }, counts] = await Promise.all([api('/v1/flows'), api('/v1/runs/counts')]);
    if (!isCurrent(gen)) return;
    const byFlow = new Map((counts.flows || []).map((f) => [f.flow, f.counts]));
    const key = JSON.stringify([flows, counts.flows]);
    if (key === lastKey) return;
    lastKey = key;
    const pill = (st, n, text, sub) => h('span.badge', { class: `st-${st}`, dataset: sub ? { status: st, sub: 'true', count: String(n) } : { status: st, count: String(n) } },
      h('span.dot', { 'aria-hidden': 'true' }), `${n.toLocaleString('en')} ${text}`);
    keepFocus(list, 'flow', () => list.replaceChildren(...(flows.length ? flows.map((f) => {
      const own = byFlow.get(f.name) || {};
      const inline = {};
      for (const s of f.subflows || []) for (const st of LIVE) inline[st] = (inline[st] || 0) + ((byFlow.get(s) || {})[st] || 0);
      const pills = [
        ...LIVE.filter((st) => own[st]).map((st) => pill(st, own[st], st, false)),
        ...LIVE.filter((st) => inline[st]).map((st) => pill(st, inline[st], `${st} in sub-flows`, true)),
      ];
      return h('a.flow-card', { href: `/flows/${q(f.name)}`, dataset: { flow: f.name } },
        h('div.flowname', f.name),
        h('div.muted', `version ${f.latestVersion}`, f.versions.length > 1 ? ` · ${f.versions.length} versions` : '',
          (f.subflows || []).length ? ` · inline: ${f.subflows.join(', ')}` : ''),
        h('div.pills', pills.length ? pills : h('span.sub', 'no unfinished runs')));
    }) : [h('p.muted', 'No flows are deployed. Deploy with `weft deploy FILE --url …` or POST /v1/flows.')])));
  };
  await refresh();
  return { refresh };
}
