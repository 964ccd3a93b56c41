// The flows page (`/flows`): each deployed flow with its versions and its
// unfinished runs per status.

import { api, q } from './api.js';
import { h, keepFocus } from './dom.js';
import { isCurrent } from './router.js';

/** Draws the flows page into `main`; returns it ({refresh}). */
export async function flowsPage(main, gen) {
  const list = h('div.flow-cards');
  main.replaceChildren(h('section.page.flows-page', h('div.page-head', h('h1', 'Flows')), list));
  const LIVE = ['failed', 'waiting', 'running'];
  // The unfinished runs are read every 10 s (up to 500 per status), not on every tick.
  let pages = null;
  let pagesAt = 0;
  let lastKey = '';
  const refresh = async () => {
    const stale = Date.now() - pagesAt > 10_000;
    const [{ flows }, ...fresh] = await Promise.all([
      api('/v1/flows'),
      ...(stale ? LIVE.map((st) => api(`/v1/runs?status=${st}&limit=500`)) : []),
    ]);
    if (!isCurrent(gen)) return;
    if (stale) { pages = fresh; pagesAt = Date.now(); }
    // Unfinished runs per flow (from the newest 1,000 of each status).
    const counts = new Map();
    pages.forEach((p, i) => {
      for (const r of p.runs) {
        const c = counts.get(r.flow) || {};
        c[LIVE[i]] = (c[LIVE[i]] || 0) + 1;
        counts.set(r.flow, c);
      }
    });
    const more = pages.map((p, i) => (p.nextCursor ? LIVE[i] : null)).filter(Boolean);
    const key = JSON.stringify([flows, [...counts], more]);
    if (key === lastKey) return;
    lastKey = key;
    keepFocus(list, 'flow', () => list.replaceChildren(...(flows.length ? flows.map((f) => {
      const c = counts.get(f.name) || {};
      const pills = LIVE.filter((st) => c[st]).map((st) => h('span.badge', { class: `st-${st}`, dataset: { status: st } },
        h('span.dot', { 'aria-hidden': 'true' }), `${c[st]}${more.includes(st) ? '+' : ''} ${st}`));
      return h('a.flow-card', { href: `/flows/${q(f.name)}`, dataset: { flow: f.name } },
        h('div.flowname', f.name),
        h('div.muted', `version ${f.latestVersion}`, f.versions.length > 1 ? ` · ${f.versions.length} versions` : ''),
        h('div.pills', pills.length ? pills : h('span.sub', 'no unfinished runs')));
    }) : [h('p.muted', 'No flows are deployed. Deploy with `weft deploy FILE --url …` or POST /v1/flows.')])));
  };
  await refresh();
  return { refresh };
}
