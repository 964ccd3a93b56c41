// Weft's web UI: runs, a run (timeline, source, repair), flows and their
// diagrams. Plain ES modules, no build step, no dependencies; the server
// embeds these files. Pages re-read what they show every 2 seconds.

import { sourceView, markLine, focusLine } from './source.js';
import { renderGraph } from './graph.js';

const STATUSES = ['running', 'waiting', 'failed', 'completed', 'cancelled'];
const REFRESH_MS = 2000;
const PAGE_SIZE = 50;
const TOKEN_KEY = 'weft.token';

// ---------------------------------------------------------------- DOM

/** Makes an element: h('a.link', {href}, 'text', child...). */
function h(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split('.');
  const e = document.createElement(tag || 'div');
  if (classes.length) e.className = classes.join(' ');
  if (attrs === null || typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs)) {
    children.unshift(attrs);
    attrs = {};
  }
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className += (e.className ? ' ' : '') + v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

const $ = (sel, root = document) => root.querySelector(sel);

/** Rebuilds a part of the page; focus on an element with `data-{key}`
 * inside it moves to its counterpart in the new content. */
function keepFocus(container, key, rebuild) {
  const active = container.contains(document.activeElement) ? document.activeElement.closest(`[data-${key}]`) : null;
  const value = active?.dataset[key];
  rebuild();
  if (value !== undefined) container.querySelector(`[data-${key}="${CSS.escape(value)}"]`)?.focus();
}

/** An empty fragment: `slot.replaceChildren(x || nothing)` leaves the slot :empty. */
const nothing = document.createDocumentFragment();

function badge(status) {
  return h('span.badge', { class: `st-${status}`, dataset: { status } }, h('span.dot', { 'aria-hidden': 'true' }), status);
}

function json(v, indent = 2) {
  return JSON.stringify(v, null, indent);
}

function jsonBlock(v, cls = '') {
  return h('pre.json', { class: cls }, json(v));
}

/** A short one-line rendering of a value. */
function preview(v, max = 80) {
  const s = JSON.stringify(v);
  if (s === undefined) return '';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

// ---------------------------------------------------------------- time

function parseTime(t) {
  return typeof t === 'number' ? t : Date.parse(t);
}

/** "12 s", "5 min", "3 h", "2 d". */
function span(ms) {
  const s = Math.abs(ms) / 1000;
  if (s < 1) return ms === 0 ? '0 s' : `${Math.round(Math.abs(ms))} ms`;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = s / 60;
  if (m < 60) return `${Math.round(m)} min`;
  const hr = m / 60;
  if (hr < 48) return `${hr < 10 ? hr.toFixed(1) : Math.round(hr)} h`;
  return `${Math.round(hr / 24)} d`;
}

function ago(t) {
  const d = Date.now() - parseTime(t);
  if (Math.abs(d) < 1000) return 'just now';
  return d >= 0 ? `${span(d)} ago` : `in ${span(d)}`;
}

/** An age: "<1 s", "12 s", "5 min". */
function age(t) {
  const d = Date.now() - parseTime(t);
  return d < 1000 ? '<1 s' : span(d);
}

function until(t) {
  const d = parseTime(t) - Date.now();
  return d >= 0 ? `in ${span(d)}` : `${span(d)} ago`;
}

function absolute(t) {
  const d = new Date(parseTime(t));
  return Number.isNaN(d.getTime()) ? String(t) : d.toLocaleString();
}

function timeEl(t, text) {
  return h('time', { datetime: String(t), title: absolute(t) }, text ?? ago(t));
}

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let tokenAsk = null;

/** Shows the token dialog; resolves once a token was entered. */
function askToken(refused) {
  if (tokenAsk) return tokenAsk;
  const dlg = $('#token-dialog');
  const input = $('#token-input');
  $('#token-title').textContent = refused ? 'The token was refused' : 'This server needs a token';
  $('#token-why').textContent = refused
    ? 'The server did not accept that token. Enter the bearer token of this Weft server (the contents of its --token-file).'
    : 'Enter the bearer token of this Weft server (the contents of its --token-file). It is kept for this browser tab only.';
  dlg.classList.toggle('refused', !!refused);
  input.value = '';
  tokenAsk = new Promise((resolve) => {
    const form = $('#token-form');
    const done = (ev) => {
      ev.preventDefault();
      const t = input.value.trim();
      if (!t) return;
      sessionStorage.setItem(TOKEN_KEY, t);
      form.removeEventListener('submit', done);
      dlg.close();
      tokenAsk = null;
      updateSignout();
      resolve();
    };
    form.addEventListener('submit', done);
  });
  if (!dlg.open) dlg.showModal();
  input.focus();
  return tokenAsk;
}

async function api(path, { method = 'GET', body } = {}) {
  for (;;) {
    const headers = { Accept: 'application/json' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let resp;
    try {
      resp = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new ApiError(0, 'unreachable', `The server did not answer (${e.message}).`);
    }
    if (resp.status === 401) {
      if (token) sessionStorage.removeItem(TOKEN_KEY);
      await askToken(!!token);
      continue;
    }
    const text = await resp.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = null; }
    if (!resp.ok) {
      throw new ApiError(resp.status, data?.error?.code || 'http', data?.error?.message || `HTTP ${resp.status} ${resp.statusText}`);
    }
    return data;
  }
}

const q = encodeURIComponent;

/** Program versions never change: read each once. */
const versions = new Map();
function getVersion(v) {
  if (!versions.has(v)) {
    const p = api(`/v1/versions/${v}`);
    p.catch(() => versions.delete(v));
    versions.set(v, p);
  }
  return versions.get(v);
}

/** The text of `line` (1-based) of `file` in a loaded version, or ''. */
function lineOf(version, file, line) {
  const f = version?.files?.find((x) => x.name === file);
  return f ? (f.text.split('\n')[line - 1] || '').trim() : '';
}

function splitPosition(p) {
  if (!p) return null;
  const i = p.lastIndexOf(':');
  return i < 0 ? null : { file: p.slice(0, i), line: Number(p.slice(i + 1)) };
}

// ---------------------------------------------------------------- toasts

function toast(message, tone = 'info') {
  const t = h('div.toast', { class: `tone-${tone}` }, message);
  $('#toasts').append(t);
  setTimeout(() => t.classList.add('out'), 4500);
  setTimeout(() => t.remove(), 5000);
}

// ---------------------------------------------------------------- live refresh

const live = {
  timer: null,
  page: null,
  busy: false,
  last: 0,
  error: null,
  start(page) {
    this.page = page;
    this.error = null;
    clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), REFRESH_MS);
    this.show();
  },
  async tick(force = false) {
    if (!this.page?.refresh || this.busy || tokenAsk) return;
    if (!force && document.visibilityState !== 'visible') { this.show(); return; }
    this.busy = true;
    const page = this.page;
    try {
      await page.refresh();
      if (page === this.page) { this.last = Date.now(); this.error = null; }
    } catch (e) {
      if (page === this.page) this.error = e;
    } finally {
      this.busy = false;
      this.show();
    }
  },
  show() {
    const el = $('#live');
    if (!this.page?.refresh) { el.textContent = ''; el.className = 'live'; return; }
    if (this.error) {
      el.className = 'live off';
      el.textContent = 'Not updating';
      el.title = this.error.message;
    } else if (document.visibilityState !== 'visible') {
      el.className = 'live paused';
      el.textContent = 'Paused';
    } else {
      el.className = 'live on';
      el.textContent = 'Live';
      el.title = this.last ? `Updated ${new Date(this.last).toLocaleTimeString()}; refreshes every 2 s` : 'Refreshes every 2 s';
    }
  },
};
document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') live.tick(); else live.show(); });

// ---------------------------------------------------------------- routing

let generation = 0;
/** A selector to focus once the next page is drawn (e.g. the chip just pressed). */
let pendingFocus = null;

function navigate(href, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  route();
}

document.addEventListener('click', (ev) => {
  const a = ev.target.closest('a[href]');
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || a.target || a.hasAttribute('download')) return;
  if (!/^\/($|runs|flows)/.test(url.pathname)) return;
  ev.preventDefault();
  if (url.pathname + url.search !== location.pathname + location.search) navigate(url.pathname + url.search);
});
window.addEventListener('popstate', () => route());

function setTab(name) {
  for (const a of document.querySelectorAll('[data-tab]')) {
    if (a.dataset.tab === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function route() {
  const gen = ++generation;
  const path = location.pathname;
  const params = new URLSearchParams(location.search);
  const main = $('#main');
  live.start(null);
  let page;
  let m;
  try {
    if (path === '/' || path === '/runs') {
      setTab('runs');
      document.title = 'Runs · Weft';
      page = await runsPage(main, params, gen);
    } else if ((m = path.match(/^\/runs\/([^/]+)$/))) {
      setTab('runs');
      page = await runPage(main, decodeURIComponent(m[1]), gen);
    } else if (path === '/flows') {
      setTab('flows');
      document.title = 'Flows · Weft';
      page = await flowsPage(main, gen);
    } else if ((m = path.match(/^\/flows\/([^/]+)$/))) {
      setTab('flows');
      page = await flowPage(main, decodeURIComponent(m[1]), params, gen);
    } else {
      main.replaceChildren(h('section.page', h('h1', 'Not found'), h('p', 'No page here. ', h('a', { href: '/' }, 'See the runs'), '.')));
      return;
    }
  } catch (e) {
    if (gen !== generation) return;
    main.replaceChildren(h('section.page', h('div.callout.tone-failed', { role: 'alert' },
      h('strong', e.status === 404 ? 'Not found' : 'Could not load this page'), h('p', e.message))));
    return;
  }
  if (gen === generation) {
    live.start(page);
    if (pendingFocus) $(pendingFocus)?.focus();
    pendingFocus = null;
  }
}

// ---------------------------------------------------------------- runs list

function waitSummary(w) {
  switch (w.kind) {
    case 'activity':
      return w.callback
        ? { icon: 'callback', text: `callback · ${w.activity}`, sub: w.until ? `times out ${until(w.until)}` : 'no timeout' }
        : { icon: 'call', text: `calling ${w.activity}` };
    case 'timer':
      return { icon: 'timer', text: 'timer', sub: `fires ${until(w.until)}` };
    case 'child':
      return { icon: 'child', text: `sub-flow · ${w.flow}` };
    default:
      return { icon: 'call', text: w.kind };
  }
}

/** A run this build cannot read (parked): its error's code says what. */
function unreadable(run) {
  return run.status === 'failed' && /^unreadable_/.test(run.error?.code || '');
}

/** "Where the run stands": what it waits for or why it failed, and the line. */
function whereCell(run, version) {
  const parts = [];
  if (run.status === 'failed' && run.error) {
    const code = unreadable(run) ? h('span.code', `${run.error.code}: `) : null;
    parts.push(h('div.why.tone-failed', { title: run.error.message }, code, run.error.message));
    const loc = run.error.location;
    if (loc) parts.push(h('div.at', h('span.pos', `${loc.file}:${loc.line}`), h('code', loc.sourceLine)));
    return parts;
  }
  for (const w of (run.waitingFor || []).slice(0, 2)) {
    const s = waitSummary(w);
    parts.push(h('div.why', { class: `tone-${run.status}` }, s.text, s.sub ? h('span.sub', ` · ${s.sub}`) : null));
  }
  if ((run.waitingFor || []).length > 2) parts.push(h('div.sub', `and ${run.waitingFor.length - 2} more`));
  const pos = splitPosition(run.position);
  if (pos) {
    const text = lineOf(version, pos.file, pos.line);
    parts.push(h('div.at', h('span.pos', `${pos.file}:${pos.line}`), text ? h('code', text) : null));
  }
  if (run.status === 'completed') parts.push(h('div.why.muted', 'returned ', h('code', preview(run.result, 60))));
  if (run.status === 'cancelled') parts.push(h('div.why.muted', 'cancelled'));
  return parts;
}

function runRow(run, version) {
  // Each row is one link (its text reads as a sentence); the header row is
  // only visual.
  return h('a.row', { href: `/runs/${q(run.id)}`, dataset: { id: run.id, status: run.status } },
    h('span.cell.c-status', badge(run.status)),
    h('span.cell.c-id', h('span.mono', run.id), run.parent ? h('span.sub', ' sub-flow') : null),
    h('span.cell.c-flow', h('span.flowname', run.flow), h('span.sub', ` v${run.version}`)),
    h('span.cell.c-where', whereCell(run, version)),
    h('span.cell.c-age', timeEl(run.createdAt, age(run.createdAt)), h('span.sub.only-narrow', ' old')),
    h('span.cell.c-updated', h('span.sr', 'updated '), timeEl(run.updatedAt)));
}

function runTable(runs, versionsById, { empty, label }) {
  const head = h('div.row.head', { 'aria-hidden': 'true' },
    ['Status', 'Run', 'Flow', 'Where it stands', 'Age', 'Updated'].map((t, i) =>
      h('span.cell', { class: ['c-status', 'c-id', 'c-flow', 'c-where', 'c-age', 'c-updated'][i] }, t)));
  const body = runs.length
    ? runs.map((r) => runRow(r, versionsById.get(r.version)))
    : [h('div.empty', empty)];
  return h('div.runlist', { role: 'region', 'aria-label': label }, head, body);
}

async function loadVersions(runs) {
  const out = new Map();
  await Promise.all([...new Set(runs.map((r) => r.version))].map(async (v) => {
    try { out.set(v, await getVersion(v)); } catch { /* shown without source lines */ }
  }));
  return out;
}

async function runsPage(main, params, gen) {
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
    if (gen !== generation) return;
    // Chips.
    const capped = new Set(counts.capped || []);
    const total = STATUSES.reduce((s, k) => s + (counts.counts[k] || 0), 0);
    const chip = (key, label, n, more) => h('button.chip', {
      type: 'button', class: key ? `st-${key}` : 'all', 'aria-pressed': String(status === key),
      dataset: { status: key || 'all' },
      onclick: () => { pendingFocus = `.chip[data-status="${key || 'all'}"]`; setParams({ status: key, cursor: '', page: '' }); },
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

// ---------------------------------------------------------------- JSON editor

/** A textarea that says whether its text is JSON; `onState(valid)` on each change. */
function jsonEditor({ id, label, initial = 'null', onState, rows = 3 }) {
  const area = h('textarea.code', { id, rows, spellcheck: 'false', autocomplete: 'off', 'aria-describedby': `${id}-msg` });
  area.value = initial;
  const msg = h('div.json-msg', { id: `${id}-msg`, 'aria-live': 'polite' });
  let value;
  let valid = false;
  const check = () => {
    const text = area.value;
    try {
      if (!text.trim()) throw new SyntaxError('Empty: write a JSON value (null, 42, "text", [..], {..}).');
      value = JSON.parse(text);
      valid = true;
      const kind = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
      msg.textContent = `Valid JSON: ${kind}.`;
      msg.className = 'json-msg ok';
      area.removeAttribute('aria-invalid');
    } catch (e) {
      valid = false;
      let text2 = e.message;
      const m = /position (\d+)/.exec(text2);
      if (m && !/line \d+/.test(text2)) {
        const before = text.slice(0, Number(m[1])).split('\n');
        text2 += ` (line ${before.length}, column ${before[before.length - 1].length + 1})`;
      }
      msg.textContent = `Not valid JSON: ${text2}`;
      msg.className = 'json-msg bad';
      area.setAttribute('aria-invalid', 'true');
    }
    onState?.(valid);
  };
  area.addEventListener('input', check);
  const format = h('button.link', { type: 'button', onclick: () => { if (valid) { area.value = json(value); check(); } } }, 'Format');
  const el = h('div.json-editor', h('div.editor-head', h('label', { for: id }, label), format), area, msg);
  queueMicrotask(check);
  return { el, get value() { return value; }, get valid() { return valid; }, area };
}

// ---------------------------------------------------------------- confirm

function confirmAction({ title, body, confirm, danger }) {
  const dlg = $('#confirm-dialog');
  $('#confirm-title').textContent = title;
  $('#confirm-body').replaceChildren(...[].concat(body));
  const yes = $('#confirm-yes');
  yes.textContent = confirm;
  yes.className = danger ? 'danger' : 'primary';
  dlg.returnValue = '';
  dlg.showModal();
  yes.focus();
  return new Promise((resolve) => {
    dlg.addEventListener('close', () => resolve(dlg.returnValue === 'ok'), { once: true });
  });
}

// ---------------------------------------------------------------- a run

/** The deployed flow of a version that defines `flow` (itself, or the flow
 * an inline sub-flow is written in); null when not found. */
function definedIn(version, flow) {
  if (version.flows.includes(flow)) return flow;
  const decl = new RegExp(`(?:\\bflow\\s+|^|[^.\\w])${flow}\\s*\\(`, 'm');
  for (const f of version.files) {
    const m = decl.exec(f.text);
    if (!m) continue;
    let best = null;
    let bestAt = -1;
    for (const top of version.flows) {
      const at = f.text.search(new RegExp(`^\\s*flow\\s+${top}\\s*\\(`, 'm'));
      if (at >= 0 && at <= m.index && at > bestAt) { best = top; bestAt = at; }
    }
    if (best) return best;
  }
  return null;
}

/** Journal entries grouped into timeline items, in order of first entry. */
export function timeline(entries) {
  const items = [];
  const calls = new Map();
  const children = new Map();
  const timers = [];
  for (const e of entries) {
    switch (e.type) {
      case 'started': items.push({ kind: 'started', at: e.at, input: e.input }); break;
      case 'callStarted': {
        let c = calls.get(e.callId);
        if (!c) {
          c = { kind: 'call', at: e.at, callId: e.callId, activity: e.activity, awaited: e.awaited, line: e.line, args: e.args, attempts: [] };
          calls.set(e.callId, c);
          items.push(c);
        }
        c.attempts.push({ attempt: e.attempt, at: e.at });
        if (e.line) c.line = e.line;
        break;
      }
      case 'callAcknowledged': { const c = calls.get(e.callId); if (c) c.acknowledged = e.at; break; }
      case 'callCompleted': {
        const c = calls.get(e.callId) || { kind: 'call', at: e.at, callId: e.callId, activity: e.activity, attempts: [] };
        if (!calls.has(e.callId)) { calls.set(e.callId, c); items.push(c); }
        c.completed = { at: e.at, value: e.value, durationMs: e.durationMs, how: e.how, attempt: e.attempt };
        break;
      }
      case 'callFailed': {
        const c = calls.get(e.callId);
        if (c) {
          const a = c.attempts.find((x) => x.attempt === e.attempt) || c.attempts[c.attempts.length - 1];
          if (a) { a.error = e.error; a.retryAt = e.retryAt; a.failedAt = e.at; }
        }
        break;
      }
      case 'timerStarted': { const t = { kind: 'timer', at: e.at, until: e.until }; timers.push(t); items.push(t); break; }
      case 'timerFired': {
        const t = timers.find((x) => !x.fired);
        if (t) t.fired = e.at; else items.push({ kind: 'timer', at: e.at, fired: e.at });
        break;
      }
      case 'now': items.push({ kind: 'now', at: e.at, value: e.value }); break;
      case 'childStarted': { const c = { kind: 'child', at: e.at, runId: e.runId, flow: e.flow }; children.set(e.runId, c); items.push(c); break; }
      case 'childFinished': {
        const c = children.get(e.runId);
        if (c) { c.finished = e.at; c.result = e.result; c.cancelled = e.result === null || e.result === undefined; }
        break;
      }
      case 'failed': items.push({ kind: 'failed', at: e.at, error: e.error, location: e.location }); break;
      case 'retried': items.push({ kind: 'retried', at: e.at }); break;
      case 'resolved': items.push({ kind: 'resolved', at: e.at, value: e.value }); break;
      case 'completed': items.push({ kind: 'completed', at: e.at, result: e.result }); break;
      case 'cancelled': items.push({ kind: 'cancelled', at: e.at, reason: e.reason }); break;
      default: items.push({ kind: 'other', at: e.at, entry: e });
    }
  }
  return items;
}

function callTone(c) {
  if (c.completed) return c.completed.how === 'caught' || c.completed.how === 'timeout' ? 'waiting' : 'completed';
  const last = c.attempts[c.attempts.length - 1];
  if (last?.error && !last.retryAt) return 'failed';
  if (c.acknowledged) return 'waiting';
  return 'running';
}

function details(summary, value) {
  return h('details.value', h('summary', summary), jsonBlock(value));
}

function timelineItem(it, t0, onLine, childStatus) {
  const offset = parseTime(it.at) - t0;
  const when = h('time.t', { datetime: it.at, title: absolute(it.at) }, offset < 1 ? '0 s' : `+${span(offset)}`);
  const lineBtn = (line) => (line ? h('button.chip-line', { type: 'button', onclick: () => onLine(line), title: 'Show in the source' }, `line ${line}`) : null);
  let tone = 'info';
  let title;
  const body = [];
  const tags = [];
  switch (it.kind) {
    case 'started':
      title = 'Started';
      body.push(details('input', it.input));
      break;
    case 'call': {
      tone = callTone(it);
      title = h('span', it.awaited ? h('span.kw', 'await ') : null, h('strong', it.activity));
      const n = it.attempts.length;
      if (n > 1) tags.push(h('span.tag', `${n} attempts`));
      if (it.completed) {
        tags.push(h('span.tag', { class: `tone-${tone}` }, it.completed.how));
        if (typeof it.completed.durationMs === 'number') tags.push(h('span.tag', span(it.completed.durationMs)));
      } else if (tone === 'failed') {
        tags.push(h('span.tag.tone-failed', 'failed'));
      } else if (it.acknowledged) {
        tags.push(h('span.tag.tone-waiting', 'waiting for callback'));
      } else {
        tags.push(h('span.tag.tone-running', 'in progress'));
      }
      for (const a of it.attempts) {
        if (a.error) {
          body.push(h('div.attempt.tone-failed', `attempt ${a.attempt} failed: `, h('span.err', a.error),
            a.retryAt ? h('span.sub', ` · next attempt ${timeText(a.retryAt)}`) : null));
        }
      }
      if (it.completed) body.push(details(`value ${preview(it.completed.value, 60)}`, it.completed.value));
      body.push(h('details.value', h('summary', 'arguments and call id'),
        h('div.sub.mono', `call id ${it.callId}`), jsonBlock(it.args)));
      break;
    }
    case 'timer':
      tone = it.fired ? 'completed' : 'waiting';
      title = h('strong', 'Timer');
      if (it.until !== undefined) body.push(h('div', `fires at ${absolute(it.until)}`, it.fired ? '' : h('span.sub', ` (${until(it.until)})`)));
      tags.push(h('span.tag', { class: `tone-${tone}` }, it.fired ? 'fired' : 'armed'));
      break;
    case 'now':
      tone = 'muted';
      title = h('span.muted', 'read the time: ', h('code', new Date(it.value).toISOString()));
      break;
    case 'child': {
      // Not finished: its own status says more (it may have failed).
      const now = it.finished ? (it.cancelled ? 'cancelled' : 'completed') : childStatus?.get(it.runId) || 'running';
      tone = now;
      title = h('span', 'Sub-flow ', h('a', { href: `/runs/${q(it.runId)}` }, h('strong', it.flow)));
      tags.push(h('span.tag', { class: `tone-${tone}` }, it.finished && !it.cancelled ? 'finished' : now));
      if (it.finished && !it.cancelled) body.push(details(`result ${preview(it.result, 60)}`, it.result));
      break;
    }
    case 'failed':
      tone = 'failed';
      title = h('strong', 'Failed');
      body.push(h('div.err', it.error));
      if (it.location) body.push(h('div.at', h('span.pos', `${it.location.file}:${it.location.line}:${it.location.col}`), h('code', it.location.sourceLine)));
      break;
    case 'retried':
      tone = 'operator';
      title = h('strong', 'Retried by an operator');
      break;
    case 'resolved':
      tone = 'operator';
      title = h('strong', 'Resolved by an operator');
      body.push(details(`with ${preview(it.value, 60)}`, it.value));
      break;
    case 'completed':
      tone = 'completed';
      title = h('strong', 'Completed');
      body.push(details(`result ${preview(it.result, 60)}`, it.result));
      break;
    case 'cancelled':
      tone = 'cancelled';
      title = h('strong', 'Cancelled');
      body.push(h('div', it.reason));
      break;
    default:
      title = it.entry?.type || 'entry';
      body.push(jsonBlock(it.entry));
  }
  const line = it.kind === 'call' ? it.line : it.kind === 'failed' ? it.location?.line : null;
  return h('li.item', { class: `tone-${tone} k-${it.kind}` },
    h('span.marker', { 'aria-hidden': 'true' }),
    h('div.item-head', h('span.title', title), ...tags, lineBtn(line), when),
    body.length ? h('div.item-body', body) : null);
}

function timeText(t) {
  return `${new Date(parseTime(t)).toLocaleTimeString()} (${until(t)})`;
}

function dismiss(box) {
  return h('button.link.dismiss', { type: 'button', 'aria-label': 'Dismiss', onclick: () => box.replaceChildren() }, '×');
}

function copyButton(text, label = 'Copy') {
  return h('button.link.copy', {
    type: 'button',
    onclick: async (ev) => {
      try { await navigator.clipboard.writeText(text); ev.target.textContent = 'Copied'; } catch { ev.target.textContent = 'Select and copy'; }
      setTimeout(() => { ev.target.textContent = label; }, 1500);
    },
  }, label);
}

function waitCard(w) {
  const s = waitSummary(w);
  const rows = [];
  if (w.kind === 'activity') {
    rows.push(h('div', h('strong', w.activity), w.callback ? ' waits for its callback' : ' is running (an activity call)'));
    if (w.token) rows.push(h('div.token', h('span.muted', 'token '), h('code.mono', { dataset: { token: w.token } }, w.token), copyButton(w.token)));
    if (w.until) rows.push(h('div', w.callback ? 'times out at ' : 'attempt times out at ', timeEl(w.until, `${absolute(w.until)} (${until(w.until)})`)));
    rows.push(h('div.sub.mono', `call id ${w.callId}`));
  } else if (w.kind === 'timer') {
    rows.push(h('div', h('strong', 'Timer'), ' fires at ', timeEl(w.until, `${absolute(w.until)} (${until(w.until)})`)));
  } else if (w.kind === 'child') {
    rows.push(h('div', 'Sub-flow ', h('a', { href: `/runs/${q(w.runId)}` }, h('strong', w.flow)), ' ', h('span.mono.sub', w.runId)));
  }
  return h('li.wait', { class: `w-${s.icon}` }, rows);
}

async function runPage(main, id, gen) {
  let run = await api(`/v1/runs/${q(id)}`);
  if (gen !== generation) return null;
  // An inline sub-flow is not a deployed flow: its diagram is in the page
  // of the flow that defines it.
  const v0 = await getVersion(run.version).catch(() => null);
  const owner = v0 ? definedIn(v0, run.flow) : run.flow;
  const flowLink = (r) => {
    if (!owner) return h('span', r.flow);
    const a = h('a', { href: `/flows/${q(owner)}?version=${r.version}` }, owner === r.flow ? r.flow : owner);
    return owner === r.flow ? a : h('span', r.flow, h('span.sub', ' inline sub-flow of '), a);
  };
  document.title = `${run.flow} ${run.status} · Weft`;

  const headSlot = h('div');
  const calloutSlot = h('div');
  const actionSlot = h('div');
  // Outside the actions card: it stays when the card changes with the status.
  const outcome = h('div.outcome', { 'aria-live': 'polite' });
  const waitSlot = h('div');
  const timelineList = h('ol.timeline', { 'aria-label': 'Timeline' });
  const sourceSlot = h('div.source-slot');
  const sourceTitle = h('h2', 'Source');
  const ioSlot = h('div.io');
  const childSlot = h('div');
  main.replaceChildren(h('section.page.run-page',
    h('nav.crumbs', { 'aria-label': 'Breadcrumb' }, h('a', { href: '/' }, 'Runs'), ' / ', h('span.mono', id)),
    headSlot, calloutSlot, outcome, waitSlot, actionSlot,
    h('div.run-grid',
      h('section.card.timeline-card', h('h2', 'Timeline'), timelineList),
      h('div.side',
        h('section.card.source-card', sourceTitle, sourceSlot),
        ioSlot)),
    childSlot));

  let view = null;
  let viewKey = '';
  const keys = {};
  const changed = (name, value) => {
    const k = JSON.stringify(value);
    if (keys[name] === k) return false;
    keys[name] = k;
    return true;
  };
  const showLine = (line) => {
    if (view) focusLine(view, line);
  };

  const render = async (journal, kids) => {
    if (changed('head', [run, Math.floor(Date.now() / 10000)])) {
      headSlot.replaceChildren(h('header.run-head',
        h('h1', badge(run.status), h('span.flowname', run.flow), h('span.mono.runid', run.id), copyButton(run.id, 'Copy id')),
        h('dl.facts',
          h('div', h('dt', 'Flow'), h('dd', flowLink(run), ` · version ${run.version}`)),
          h('div', h('dt', 'Started'), h('dd', timeEl(run.createdAt, `${absolute(run.createdAt)} (${ago(run.createdAt)})`))),
          h('div', h('dt', 'Updated'), h('dd', timeEl(run.updatedAt))),
          run.parent ? h('div', h('dt', 'Parent'), h('dd', h('a.mono', { href: `/runs/${q(run.parent)}` }, run.parent))) : null,
          run.idempotencyKey ? h('div', h('dt', 'Idempotency key'), h('dd.mono', run.idempotencyKey)) : null,
          run.position ? h('div', h('dt', 'Position'), h('dd.mono', run.position)) : null)));
    }
    if (changed('callout', [run.status, run.error, run.result])) {
      let c = null;
      if (unreadable(run)) {
        c = h('section.callout.tone-failed', { role: 'alert', id: 'unreadable' },
          h('div.callout-title', `Unreadable by this build (${run.error.code}): `, h('span.err', run.error.message)),
          h('p', 'Its snapshot and program are kept as they were, with its timers and tasks set aside. ',
            'A Weft build that reads them resumes the run when it starts; until then it cannot be repaired. ',
            'See "Upgrading Weft" in docs/operating.md.'));
      } else if (run.status === 'failed' && run.error) {
        const loc = run.error.location;
        c = h('section.callout.tone-failed', { role: 'alert' },
          h('div.callout-title', 'Failed: ', h('span.err', run.error.message)),
          loc ? h('div.at', h('span.pos', `${loc.file}:${loc.line}:${loc.col}`), h('code', loc.sourceLine)) : null);
      } else if (run.status === 'completed') {
        c = h('section.callout.tone-completed', h('div.callout-title', 'Completed with ', h('code', preview(run.result, 120))));
      } else if (run.status === 'cancelled') {
        c = h('section.callout.tone-cancelled', h('div.callout-title', 'Cancelled'));
      }
      calloutSlot.replaceChildren(c || nothing);
    }
    if (changed('actions', [run.status, (run.waitingFor || []).map((w) => w.token || '')])) {
      actionSlot.replaceChildren(actionsCard(run, outcome, async () => { await refresh(); }) || nothing);
    }
    if (changed('waits', [run.waitingFor, run.status, Math.floor(Date.now() / 10000)])) {
      const ws = run.waitingFor || [];
      waitSlot.replaceChildren(ws.length
        ? h('section.card.waits-card', h('h2', run.status === 'waiting' ? 'Waiting for' : 'In progress'), h('ul.waits', ws.map(waitCard)))
        : nothing);
    }
    const childStatus = new Map(kids.runs.map((k) => [k.id, k.status]));
    if (changed('journal', [journal.entries.length, [...childStatus]])) {
      const items = timeline(journal.entries);
      const t0 = parseTime(journal.entries[0]?.at ?? run.createdAt);
      timelineList.replaceChildren(...items.map((it) => timelineItem(it, t0, showLine, childStatus)));
    }
    // Source: the run's version; the file of the failure or position.
    const version = await getVersion(run.version).catch(() => null);
    const loc = run.status === 'failed' && run.error?.location ? { file: run.error.location.file, line: run.error.location.line } : splitPosition(run.position);
    if (version) {
      const file = version.files.find((f) => f.name === loc?.file)
        || version.files.find((f) => new RegExp(`\\bflow\\s+${run.flow}\\s*\\(`).test(f.text))
        || version.files[0];
      const ran = new Set(journal.entries.filter((e) => e.type === 'callStarted' && e.line).map((e) => e.line));
      const mark = loc && file && loc.file === file.name
        ? { line: loc.line, tone: run.status === 'failed' ? 'failed' : run.status, note: unreadable(run) ? 'parked here' : run.status === 'failed' ? 'failed here' : `${run.status} here` }
        : null;
      const key = JSON.stringify([file?.name, mark, [...ran]]);
      if (file && key !== viewKey) {
        viewKey = key;
        const scroll = view?.scrollTop;
        view = sourceView(file.text, { mark, dots: ran, label: `Source of ${file.name}` });
        sourceTitle.replaceChildren('Source ', h('span.sub', `${file.name} · version ${run.version}`));
        sourceSlot.replaceChildren(view);
        if (mark) requestAnimationFrame(() => markLine(view, mark.line, mark.tone, mark.note));
        else if (scroll) view.scrollTop = scroll;
      }
    }
    if (changed('io', [run.input, run.result, run.status])) {
      ioSlot.replaceChildren(
        h('section.card', h('h2', 'Input'), jsonBlock(run.input)),
        run.status === 'completed' ? h('section.card', h('h2', 'Result'), jsonBlock(run.result)) : nothing);
    }
    if (changed('children', kids)) {
      const vs = await loadVersions(kids.runs);
      childSlot.replaceChildren(kids.runs.length
        ? h('section.card.children-card', h('h2', 'Sub-flows'), runTable(kids.runs, vs, { label: 'Sub-flows', empty: '' }),
          kids.nextCursor ? h('p.muted.small', 'Only the newest 100 sub-flows are shown.') : null)
        : nothing);
    }
  };

  // A finished run does not change: its journal is read once more, then
  // only the run itself (cheap) on each tick.
  let journal = null;
  let kids = null;
  let settled = false;
  const refresh = async () => {
    const terminal = run.status === 'completed' || run.status === 'cancelled';
    const [r, j, k] = await Promise.all([
      api(`/v1/runs/${q(id)}`),
      settled ? journal : api(`/v1/runs/${q(id)}/journal`),
      settled ? kids : api(`/v1/runs?parent=${q(id)}&limit=100`),
    ]);
    if (gen !== generation) return;
    settled = terminal && r.status === run.status && journal !== null;
    journal = j;
    kids = k;
    run = r;
    document.title = `${run.flow} ${run.status} · Weft`;
    await render(journal, kids);
  };
  await refresh();
  return { refresh };
}

/** The repair actions a run allows as it stands (null: none). */
function actionsCard(run, result, after) {
  const act = async ({ title, body, confirm, danger, call, done }) => {
    if (!(await confirmAction({ title, body, confirm, danger }))) return;
    result.replaceChildren(h('span.muted', 'Sending…'));
    try {
      const r = await call();
      const now = r && r.status && STATUSES.includes(r.status) ? r : await api(`/v1/runs/${q(run.id)}`);
      result.replaceChildren(h('div.ok', h('strong', `${done}.`), ' The run is now ', badge(now.status), '.', dismiss(result)));
      toast(`${done}: the run is ${now.status}.`, 'ok');
    } catch (e) {
      result.replaceChildren(h('div.bad', { role: 'alert' }, h('strong', `Refused (${e.status || 'no answer'}${e.code ? ` ${e.code}` : ''}): `), e.message, dismiss(result)));
      toast(`Refused: ${e.message}`, 'bad');
    }
    await after().catch(() => {});
  };
  const cancelBtn = h('button.danger', {
    type: 'button', id: 'act-cancel',
    onclick: () => act({
      title: 'Cancel this run?',
      body: [h('p', 'The run ends as cancelled, and its sub-flows with it. This cannot be undone.')],
      confirm: 'Cancel run', danger: true, done: 'Cancelled',
      call: () => api(`/v1/runs/${q(run.id)}/cancel`, { method: 'POST', body: { reason: 'cancelled from the web UI' } }),
    }),
  }, 'Cancel run…');

  // The server refuses every action on it; a later build resumes it.
  if (unreadable(run)) return null;
  if (run.status === 'failed') {
    const retry = h('button.primary', {
      type: 'button', id: 'act-retry',
      onclick: () => act({
        title: 'Retry the failed step?',
        body: [h('p', 'The failed call runs again with the same call id and a fresh retry budget (a failed expression is evaluated again).'),
          run.error ? h('p.err', run.error.message) : null],
        confirm: 'Retry', done: 'Retried',
        call: () => api(`/v1/runs/${q(run.id)}/retry`, { method: 'POST' }),
      }),
    }, 'Retry step…');
    const resolveBtn = h('button.secondary', { type: 'button', id: 'act-resolve', disabled: true }, 'Resolve with this value…');
    const editor = jsonEditor({
      id: 'resolve-value', label: 'Value the failed call returns', initial: '{\n  "status": "ok"\n}',
      onState: (ok) => { resolveBtn.disabled = !ok; },
    });
    resolveBtn.addEventListener('click', () => {
      if (!editor.valid) return;
      const value = editor.value;
      act({
        title: 'Resolve the failed call with this value?',
        body: [h('p', 'The flow goes on as if the call had returned:'), jsonBlock(value)],
        confirm: 'Resolve', done: 'Resolved',
        call: () => api(`/v1/runs/${q(run.id)}/resolve`, { method: 'POST', body: { value } }),
      });
    });
    return h('section.card.actions-card', { 'aria-label': 'Repair' },
      h('h2', 'Repair'),
      h('div.actions',
        h('div.action', h('h3', 'Retry'), h('p.muted', 'Run the failed step again.'), retry),
        h('div.action.grow', h('h3', 'Resolve'), h('p.muted', 'Continue as if the call had returned a value.'), editor.el, resolveBtn),
        h('div.action', h('h3', 'Cancel'), h('p.muted', 'End the run (and its sub-flows).'), cancelBtn)));
  }
  if (run.status === 'waiting' || run.status === 'running') {
    const callbacks = (run.waitingFor || []).filter((w) => w.kind === 'activity' && w.callback && w.token);
    const parts = callbacks.map((w, i) => {
      const send = h('button.primary', { type: 'button', id: i ? `act-callback-${i}` : 'act-callback', disabled: true, dataset: { token: w.token } }, 'Send callback…');
      const editor = jsonEditor({
        id: `callback-value-${i}`, label: `Value ${w.activity} answers with`, initial: '{\n  "status": "ok"\n}',
        onState: (ok) => { send.disabled = !ok; },
      });
      send.addEventListener('click', () => {
        if (!editor.valid) return;
        const value = editor.value;
        act({
          title: `Send the callback of ${w.activity}?`,
          body: [h('p', 'The awaited call completes with this value (a token works once):'), jsonBlock(value)],
          confirm: 'Send callback', done: 'Callback accepted',
          call: () => api(`/v1/callbacks/${q(w.token)}`, { method: 'POST', body: { value } }),
        });
      });
      return h('div.action.grow', h('h3', `Callback: ${w.activity}`), h('p.muted', 'Complete the wait as the called system would.'), editor.el, send);
    });
    return h('section.card.actions-card', { 'aria-label': 'Actions' },
      h('h2', 'Actions'),
      h('div.actions', ...parts, h('div.action', h('h3', 'Cancel'), h('p.muted', 'End the run (and its sub-flows).'), cancelBtn)));
  }
  return null;
}

// ---------------------------------------------------------------- flows

async function flowsPage(main, gen) {
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
    if (gen !== generation) return;
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

async function flowPage(main, name, params, gen) {
  const flow = await api(`/v1/flows/${q(name)}`);
  if (gen !== generation) return null;
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
    if (gen !== generation) return;
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

// ---------------------------------------------------------------- start

function updateSignout() {
  const b = $('#signout');
  b.classList.toggle('hidden', !sessionStorage.getItem(TOKEN_KEY));
}
$('#signout').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  updateSignout();
  toast('The token is forgotten for this tab.');
  route();
});
$('#token-dialog').addEventListener('cancel', (ev) => ev.preventDefault());
updateSignout();
route();
