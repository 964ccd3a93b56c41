// The runs page (`/`): counts per status as filter chips, a search (flow
// and its inline sub-flows, top-level runs only, a condition `q` in the
// flow language, a run id), the runs in the chosen order a page at a time
// with the exact number that match, and bulk repair of what matches.

import { api, loadVersions, q, STATUSES } from './api.js';
import { bulkPanel } from './bulk.js';
import { h, keepFocus } from './dom.js';
import { focusAfterRoute, isCurrent, navigate } from './router.js';
import { runTable } from './runlist.js';

/** Runs a page of the list shows. */
const PAGE_SIZE = 50;

/** The orders the list offers: [value, label]. */
const SORTS = [['-created', 'Newest first'], ['created', 'Oldest first'], ['-updated', 'Recently changed'], ['updated', 'Least recently changed']];

/** The search parameters of the page's address that the API takes. */
const SEARCH = ['status', 'flow', 'q', 'id', 'topLevel', 'sort'];

/** Draws the runs page, filtered by `params`, into `main`; returns it ({refresh}). */
export async function runsPage(main, params, gen) {
  const status = STATUSES.includes(params.get('status')) ? params.get('status') : '';
  const flow = params.get('flow') || '';
  const cond = params.get('q') || '';
  const idPrefix = params.get('id') || '';
  const topLevel = params.get('topLevel') === 'true';
  const sort = SORTS.some(([v]) => v === params.get('sort')) ? params.get('sort') : '-created';
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
  const sortSelect = h('select', { id: 'sort', 'aria-label': 'Order', onchange: (e) => setParams({ sort: e.target.value === '-created' ? '' : e.target.value, cursor: '', page: '' }) },
    SORTS.map(([v, label]) => h('option', { value: v, selected: v === sort }, label)));
  const topBox = h('input', { type: 'checkbox', id: 'top-level', checked: topLevel, onchange: (e) => setParams({ topLevel: e.target.checked ? 'true' : '', cursor: '', page: '' }) });
  const qInput = h('input.q', { type: 'text', id: 'search-q', name: 'q', value: cond, placeholder: 'input.nick == "ann" && contains(error, "timeout")', spellcheck: 'false', autocomplete: 'off', 'aria-label': 'Condition' });
  const idInput = h('input.id', { type: 'text', id: 'search-id', name: 'id', value: idPrefix, placeholder: 'run id or its start', spellcheck: 'false', autocomplete: 'off', 'aria-label': 'Run id' });
  const searchForm = h('form.search', { role: 'search', onsubmit: (ev) => { ev.preventDefault(); setParams({ q: qInput.value.trim(), id: idInput.value.trim(), cursor: '', page: '' }); } },
    h('label', { for: 'search-q' }, 'Find'), qInput, idInput,
    h('button.primary', { type: 'submit', id: 'search-go' }, 'Search'),
    cond || idPrefix ? h('button.link', { type: 'button', onclick: () => setParams({ q: '', id: '', cursor: '', page: '' }) }, 'Clear') : null,
    h('details.syntax', h('summary', 'How to write a condition'),
      h('p', 'In the flow language\'s expression syntax, over the run\'s fields: ',
        h('code', 'id'), ', ', h('code', 'run.flow'), ' (', h('code', 'flow'), ' is a keyword), ', h('code', 'version'), ', ', h('code', 'status'), ', ',
        h('code', 'input'), ', ', h('code', 'result'), ', ', h('code', 'error'), ', ', h('code', 'parent'), ', ', h('code', 'idempotencyKey'), ', ',
        h('code', 'position'), ', ', h('code', 'forkedFrom'), ', ', h('code', 'waitingFor'), ', and paths into them (', h('code', 'input.user.nick'), ', ', h('code', 'result.items[0]'), ').'),
      h('p', 'Compare with ', h('code', '== != < <= > >='), ', combine with ', h('code', '&& || !'), ', find text with ', h('code', 'contains(error, "timeout")'), ' (ASCII letters in any case). A missing field is ', h('code', 'null'), '.')));
  const summary = h('div.summary', { id: 'match-count', 'aria-live': 'polite' });
  const bulkSlot = h('div');
  const listSlot = h('div.list-slot');
  const paused = h('div.paused.hidden', { id: 'list-paused', role: 'status' }, 'The list has changed: it updates when the pointer leaves it.');
  const pager = h('nav.pager', { 'aria-label': 'Pages' });
  const title = h('h1', 'Runs');
  main.replaceChildren(h('section.page.runs-page',
    h('div.page-head', title, h('div.filters',
      h('label.sr', { for: 'flow-filter' }, 'Flow'), flowSelect,
      h('label.check', topBox, ' Top-level only'),
      h('label.sr', { for: 'sort' }, 'Order'), sortSelect)),
    searchForm, chips, h('div.result-head', summary, bulkSlot), paused, listSlot, pager));

  // The flows and their inline sub-flows (whose runs have their own names).
  let flows = [];
  try { flows = (await api('/v1/flows')).flows || []; } catch { /* the list works without */ }
  const options = [];
  for (const f of flows) {
    options.push([f.name, f.name]);
    for (const s of f.subflows || []) options.push([s, `${s} (inline in ${f.name})`]);
  }
  if (flow && !options.some(([v]) => v === flow)) options.push([flow, flow]);
  const seen = new Set();
  for (const [v, label] of options.sort((a, b) => a[1].localeCompare(b[1]))) {
    if (seen.has(v)) continue;
    seen.add(v);
    flowSelect.append(h('option', { value: v, selected: v === flow }, label));
  }

  // The search as the API takes it (for the list, and for bulk actions).
  const search = {};
  for (const k of SEARCH) if (params.get(k)) search[k] = params.get(k);
  if (sort === '-created') delete search.sort;
  const searching = Object.keys(search).some((k) => k !== 'sort');
  if (searching) bulkSlot.replaceChildren(bulkPanel(search, () => refresh()));

  // The list is not redrawn under the pointer (or while it holds the
  // focus): rows would move as it is read. It is redrawn when the pointer
  // leaves.
  let pending = null;
  const holding = () => listSlot.matches(':hover') || listSlot.contains(document.activeElement);
  listSlot.addEventListener('mouseleave', () => { if (pending && !listSlot.contains(document.activeElement)) { const p = pending; pending = null; p(); } });
  listSlot.addEventListener('focusout', () => { setTimeout(() => { if (pending && !holding()) { const p = pending; pending = null; p(); } }, 0); });

  let lastKey = '';
  let lastChips = '';
  const refresh = async () => {
    const qs = new URLSearchParams({ limit: String(PAGE_SIZE), ...search });
    if (cursor) qs.set('cursor', cursor);
    const [counts, page] = await Promise.all([
      api(`/v1/runs/counts${flow ? `?flow=${q(flow)}` : ''}`),
      api(`/v1/runs?${qs}`).catch((e) => {
        // A condition that does not parse is said by the search box.
        if (e.code !== 'invalid_query') throw e;
        return { runs: [], total: 0, invalid: e.message };
      }),
    ]);
    const vs = await loadVersions(page.runs);
    if (!isCurrent(gen)) return;
    // Chips.
    const total = STATUSES.reduce((s, k) => s + (counts.counts[k] || 0), 0);
    const chip = (key, label, n) => h('button.chip', {
      type: 'button', class: key ? `st-${key}` : 'all', 'aria-pressed': String(status === key),
      dataset: { status: key || 'all' },
      onclick: () => { focusAfterRoute(`.chip[data-status="${key || 'all'}"]`); setParams({ status: key, cursor: '', page: '' }); },
    }, key ? h('span.dot', { 'aria-hidden': 'true' }) : null, h('span.label', label), h('span.count', n.toLocaleString('en')));
    const chipsKey = JSON.stringify(counts);
    if (chipsKey !== lastChips) {
      lastChips = chipsKey;
      keepFocus(chips, 'status', () => chips.replaceChildren(chip('', 'All', total),
        ...STATUSES.map((s) => chip(s, s[0].toUpperCase() + s.slice(1), counts.counts[s] || 0))));
    }
    const n = page.total ?? page.runs.length;
    qInput.toggleAttribute('aria-invalid', !!page.invalid);
    summary.replaceChildren(page.invalid
      ? h('span.err', { role: 'alert', id: 'search-error' }, page.invalid)
      : page.exact === false
      ? h('span', h('strong', `${n.toLocaleString('en')}+`), ` runs match among the ${page.scanned.toLocaleString('en')} read (a condition outside SQL reads at most 100,000)`)
      : h('span', h('strong', { dataset: { total: String(n) } }, n.toLocaleString('en')), ` run${n === 1 ? '' : 's'} ${searching ? 'match' : 'in all'}`));
    // List (rebuilt only when something changed, so hover and focus stay).
    const key = JSON.stringify(page) + Math.floor(Date.now() / 10000);
    if (key === lastKey) return;
    lastKey = key;
    const draw = () => {
      paused.classList.add('hidden');
      const empty = searching
        ? `No runs match${cursor ? ' on this page' : ''}.`
        : 'No runs yet. Deploy a flow and start a run (POST /v1/runs), or start the server with --demo.';
      keepFocus(listSlot, 'id', () => listSlot.replaceChildren(runTable(page.runs, vs, { label: 'Runs', empty })));
      const first = h('a.button.secondary', { href: pagerHref({ cursor: '', page: '' }), 'aria-disabled': String(!cursor) }, '« First');
      const older = page.nextCursor
        ? h('a.button.secondary', { href: pagerHref({ cursor: page.nextCursor, page: String(pageNo + 1) }), rel: 'next' }, 'Next »')
        : h('span.button.secondary', { 'aria-disabled': 'true' }, 'Next »');
      pager.replaceChildren(first, h('span.muted', `Page ${pageNo}${page.runs.length ? ` · ${page.runs.length} run${page.runs.length === 1 ? '' : 's'}` : ''}`), older);
    };
    if (listSlot.firstChild && holding()) {
      pending = draw;
      paused.classList.remove('hidden');
    } else {
      pending = null;
      draw();
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
