// The runs page (`/`): counts per status as filter chips, a flow filter,
// and the runs newest first, a page at a time.

import { api, loadVersions, q, STATUSES } from './api.js';
import { h, keepFocus } from './dom.js';
import { focusAfterRoute, isCurrent, navigate } from './router.js';
import { runTable } from './runlist.js';

/** Runs a page of the list shows. */
const PAGE_SIZE = 50;

/** Draws the runs page, filtered by `params`, into `main`; returns it ({refresh}). */
export async function runsPage(main, params, gen) {
  const status = STATUSES.includes(params.get('status')) ? params.get('status') : '';
  const flow = params.get('flow') || '';
  const cursor = params.get('cursor') || '';
  const pageNo = Number(params.get('page') || '1') || 1;

  const setParams = (changes) => {
    const p = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(changes)) { if (v) p.set(k, v); else p.delete(k); }
    const s = p.toString();
    navigate(`/${s ? `?${s}` : ''}`);
  };

  const chips = h('div.chips', { role: 'group', 'aria-label': 'Filter by status' });
  const flowSelect = h('select', { id: 'flow-filter', 'aria-label': 'Flow', onchange: (e) => setParams({ flow: e.target.value, cursor: '', page: '' }) },
    h('option', { value: '' }, 'All flows'));
  const listSlot = h('div');
  const pager = h('nav.pager', { 'aria-label': 'Pages' });
  const title = h('h1', 'Runs');
  main.replaceChildren(h('section.page.runs-page',
    h('div.page-head', title, h('div.filters', h('label.sr', { for: 'flow-filter' }, 'Flow'), flowSelect)),
    chips, listSlot, pager));

  let flows = [];
  try { flows = (await api('/v1/flows')).flows || []; } catch { /* the list works without */ }
  const names = new Set(flows.map((f) => f.name));
  if (flow && !names.has(flow)) names.add(flow);
  for (const n of [...names].sort()) flowSelect.append(h('option', { value: n, selected: n === flow }, n));

  let lastKey = '';
  let lastChips = '';
  const refresh = async () => {
    const qs = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (status) qs.set('status', status);
    if (flow) qs.set('flow', flow);
    if (cursor) qs.set('cursor', cursor);
    const [counts, page] = await Promise.all([
      api(`/v1/runs/counts${flow ? `?flow=${q(flow)}` : ''}`),
      api(`/v1/runs?${qs}`),
    ]);
    const vs = await loadVersions(page.runs);
    if (!isCurrent(gen)) return;
    // Chips.
    const capped = new Set(counts.capped || []);
    const total = STATUSES.reduce((s, k) => s + (counts.counts[k] || 0), 0);
    const chip = (key, label, n, more) => h('button.chip', {
      type: 'button', class: key ? `st-${key}` : 'all', 'aria-pressed': String(status === key),
      dataset: { status: key || 'all' },
      onclick: () => { focusAfterRoute(`.chip[data-status="${key || 'all'}"]`); setParams({ status: key, cursor: '', page: '' }); },
    }, key ? h('span.dot', { 'aria-hidden': 'true' }) : null, h('span.label', label), h('span.count', `${n}${more ? '+' : ''}`));
    const chipsKey = JSON.stringify(counts);
    if (chipsKey !== lastChips) {
      lastChips = chipsKey;
      keepFocus(chips, 'status', () => chips.replaceChildren(chip('', 'All', total, capped.size > 0),
        ...STATUSES.map((s) => chip(s, s[0].toUpperCase() + s.slice(1), counts.counts[s] || 0, capped.has(s)))));
    }
    // List (rebuilt only when something changed, so hover and focus stay).
    const key = JSON.stringify(page) + Math.floor(Date.now() / 10000);
    if (key !== lastKey) {
      lastKey = key;
      const empty = status || flow
        ? `No ${status ? `${status} ` : ''}runs${flow ? ` of ${flow}` : ''}${cursor ? ' on this page' : ''}.`
        : 'No runs yet. Deploy a flow and start a run (POST /v1/runs), or start the server with --demo.';
      keepFocus(listSlot, 'id', () => listSlot.replaceChildren(runTable(page.runs, vs, { label: 'Runs', empty })));
      const first = h('a.button.secondary', { href: pagerHref({ cursor: '', page: '' }), 'aria-disabled': String(!cursor) }, '« Newest');
      const older = page.nextCursor
        ? h('a.button.secondary', { href: pagerHref({ cursor: page.nextCursor, page: String(pageNo + 1) }), rel: 'next' }, 'Older »')
        : h('span.button.secondary', { 'aria-disabled': 'true' }, 'Older »');
      pager.replaceChildren(first, h('span.muted', `Page ${pageNo}${page.runs.length ? ` · ${page.runs.length} run${page.runs.length === 1 ? '' : 's'}` : ''}`), older);
    }
  };
  await refresh();
  return { refresh };
}

function pagerHref(changes) {
  const p = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(changes)) { if (v) p.set(k, v); else p.delete(k); }
  const s = p.toString();
  return `/${s ? `?${s}` : ''}`;
}
