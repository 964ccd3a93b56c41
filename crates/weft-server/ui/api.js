// The client of Weft's HTTP API: requests with the bearer token of this
// tab (asked for in a dialog when the server wants one), errors with the
// API's code and message, and program versions, read once each.

import { $ } from './dom.js';

/** A run's statuses, in the order the UI lists them. */
export const STATUSES = ['running', 'waiting', 'failed', 'completed', 'cancelled'];

const TOKEN_KEY = 'weft.token';

/** Where the operator's name is kept (this browser): the audit log records
 * it with every action the UI sends (`X-Weft-Actor`). */
const ACTOR_KEY = 'weft.actor';

/** The name actions are recorded under, or ''. */
export function actorName() {
  try { return localStorage.getItem(ACTOR_KEY) || ''; } catch { return ''; }
}

/** Sets (or, with '', forgets) the name actions are recorded under. */
export function setActorName(name) {
  try {
    if (name) localStorage.setItem(ACTOR_KEY, name); else localStorage.removeItem(ACTOR_KEY);
  } catch { /* private windows may refuse; actions are then recorded as `web UI` */ }
}

class ApiError extends Error {
  constructor(status, code, message, error) {
    super(message);
    this.status = status;
    this.code = code;
    // The whole error object: some carry more (`reasons`, `verdict`).
    this.error = error || null;
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

/** Whether the token dialog is open, waiting for a token. */
export function askingForToken() {
  return tokenAsk !== null;
}

/** Shows the "Forget token" button while this tab holds a token. */
export function updateSignout() {
  const b = $('#signout');
  b.classList.toggle('hidden', !sessionStorage.getItem(TOKEN_KEY));
}

/** Forgets the token (for this tab). */
export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
  updateSignout();
}

/**
 * A request to the API: the answer's JSON, or an ApiError with the API's
 * status, code and message. A 401 asks for the token and tries again.
 */
export async function api(path, { method = 'GET', body } = {}) {
  for (;;) {
    const headers = { Accept: 'application/json' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = `Bearer ${token}`;
    if (method !== 'GET') headers['X-Weft-Actor'] = actorName() || 'web UI';
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
      throw new ApiError(resp.status, data?.error?.code || 'http', data?.error?.message || `HTTP ${resp.status} ${resp.statusText}`, data?.error);
    }
    return data;
  }
}

/** A GET of `path` saved as a file named `name` (a link cannot carry the
 * bearer token, so the file is fetched, then handed to the browser). */
export async function download(path, name) {
  const headers = {};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  const resp = await fetch(path, { headers });
  if (resp.status === 401) { await askToken(!!token); return download(path, name); }
  if (!resp.ok) throw new ApiError(resp.status, 'http', `HTTP ${resp.status} ${resp.statusText}`);
  const url = URL.createObjectURL(await resp.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** What an error says for people: the server's status and code, or that it
 * did not answer. */
export function errorText(e) {
  if (!e.status) return `The server did not answer: ${e.message}`;
  return `${e.status}${e.code ? ` ${e.code}` : ''}: ${e.message}`;
}

/** The activities a version declares, with an example of each result
 * type (read once per version). */
const declared = new Map();
export function getActivities(v) {
  if (!declared.has(v)) {
    const p = api(`/v1/versions/${v}/activities`).then((r) => new Map(r.activities.map((a) => [a.name, a])));
    p.catch(() => declared.delete(v));
    declared.set(v, p);
  }
  return declared.get(v);
}

/** Encodes a path segment or query value. */
export const q = encodeURIComponent;

/** Program versions never change: read each once. */
const versions = new Map();

/** A program version's files and flows (read once, then kept). */
export function getVersion(v) {
  if (!versions.has(v)) {
    const p = api(`/v1/versions/${v}`);
    p.catch(() => versions.delete(v));
    versions.set(v, p);
  }
  return versions.get(v);
}

/** The versions the runs ran (Map version → version; missing ones left out). */
export async function loadVersions(runs) {
  const out = new Map();
  await Promise.all([...new Set(runs.map((r) => r.version))].map(async (v) => {
    try { out.set(v, await getVersion(v)); } catch { /* shown without source lines */ }
  }));
  return out;
}
