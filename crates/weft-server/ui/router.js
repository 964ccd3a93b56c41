// Pages by address, and their live refresh. Links within the UI change the
// address without a reload (deep links survive one: the server answers
// every page's path with the same index.html); each page re-reads what it
// shows every 2 seconds while the tab is visible.

import { askingForToken } from './api.js';
import { $, h } from './dom.js';

/** How often a page re-reads what it shows. */
const REFRESH_MS = 2000;

/** The live refresh of the page shown, and the indicator that says how it goes. */
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
    if (!this.page?.refresh || this.busy || askingForToken()) return;
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

/** Counts the pages drawn: a page drawn for an older one stops. */
let generation = 0;

/** A selector to focus once the next page is drawn (e.g. the chip just pressed). */
let pendingFocus = null;

/** The pages: [{path: RegExp, tab, title?, page}], set by startRouter. */
let routes = [];

/** Whether the page drawn for `gen` is still the one shown. */
export function isCurrent(gen) {
  return gen === generation;
}

/** Focuses what `selector` selects once the next page is drawn. */
export function focusAfterRoute(selector) {
  pendingFocus = selector;
}

/** Goes to `href` within the UI (`replace`: without a new history entry).
 * The page left keeps its scroll position, for Back. */
export function navigate(href, { replace = false } = {}) {
  if (replace) {
    history.replaceState(null, '', href);
  } else {
    history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, '');
    history.pushState(null, '', href);
  }
  route().then(() => { if (!replace) window.scrollTo(0, 0); });
}

function setTab(name) {
  for (const a of document.querySelectorAll('[data-tab]')) {
    if (a.dataset.tab === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

/**
 * Draws the page of the address: the first route whose `path` matches,
 * called as `page(main, match, params, gen)`; it returns the page ({refresh})
 * the live refresh re-reads.
 */
export async function route() {
  const gen = ++generation;
  const path = location.pathname;
  const params = new URLSearchParams(location.search);
  const main = $('#main');
  live.start(null);
  let page;
  try {
    let match = null;
    const found = routes.find((r) => (match = path.match(r.path)));
    if (!found) {
      main.replaceChildren(h('section.page', h('h1', 'Not found'), h('p', 'No page here. ', h('a', { href: '/' }, 'See the runs'), '.')));
      return;
    }
    setTab(found.tab);
    if (found.title) document.title = found.title;
    page = await found.page(main, match, params, gen);
  } catch (e) {
    if (gen !== generation) return;
    // Unless the page is not there, it is loaded again when asked and on
    // each tick of the live refresh: a server that comes back brings it
    // back.
    const again = e.status === 404 ? null : h('button.secondary', { type: 'button', id: 'retry-load', onclick: () => route() }, 'Try again');
    main.replaceChildren(h('section.page', h('div.callout.tone-failed', { role: 'alert', id: 'load-failed' },
      h('strong', e.status === 404 ? 'Not found' : 'Could not load this page'),
      h('p', e.status ? e.message : `The server did not answer (${e.message}).`),
      again ? h('p', again, h('span.muted', ' It tries again every 2 seconds.')) : null)));
    if (again) live.start({ refresh: () => route() });
    return;
  }
  if (gen === generation) {
    live.start(page);
    if (pendingFocus) $(pendingFocus)?.focus();
    pendingFocus = null;
  }
}

/**
 * Starts the router on these routes: links within the UI, the browser's
 * back and forward, and the live refresh (paused while the tab is hidden).
 */
export function startRouter(table) {
  routes = table;
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') live.tick(); else live.show(); });
  document.addEventListener('click', (ev) => {
    const a = ev.target.closest('a[href]');
    if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || a.target || a.hasAttribute('download')) return;
    if (!/^\/($|runs|flows|workers|triggers|audit|activities|machines)/.test(url.pathname)) return;
    ev.preventDefault();
    if (url.pathname + url.search !== location.pathname + location.search) navigate(url.pathname + url.search + url.hash);
  });
  // Back and forward put the page where it was.
  history.scrollRestoration = 'manual';
  window.addEventListener('popstate', () => {
    const y = history.state?.scrollY;
    route().then(() => { if (y) window.scrollTo(0, y); });
  });
  window.addEventListener('pagehide', () => history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, ''));
  route();
}
