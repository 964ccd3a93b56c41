// What an operator can do to a run as it stands: retry, resolve or cancel
// a failed run; send an awaited call's callback, or cancel a waiting or
// running one. Each asks for confirmation first and says what the server
// answered.

import { api, errorText, q, STATUSES } from './api.js';
import { $, badge, dismiss, h, jsonBlock, toast } from './dom.js';
import { json, unreadable } from './format.js';

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

/** Asks for confirmation in the page's dialog; resolves to true when confirmed. */
export function confirmAction({ title, body, confirm, danger }) {
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

/** Tells again what an action did, once the run moved on: still true (the
 * run's status now), or that the run failed again. */
export function retell(result, status) {
  const done = result.dataset.done;
  if (!done || result.dataset.status === status) return;
  result.dataset.status = status;
  result.replaceChildren(status === 'failed'
    ? h('div.bad.again', { role: 'alert' }, h('strong', `${done}, `), 'but the run failed again.', dismiss(result))
    : h('div.ok', h('strong', `${done}.`), ' The run is now ', badge(status), '.', dismiss(result)));
}

/** What an editor starts from: a value of the declared result type of
 * `activity` (from `shapes`, the version's declared activities), or, when
 * it declares none, a plain `{"status": "ok"}`. */
function startValue(shapes, activity) {
  const a = activity ? shapes?.get(activity) : null;
  return a && a.declared ? { text: a.exampleText || json(a.example), returns: a.returns } : { text: '{\n  "status": "ok"\n}', returns: null };
}

/**
 * The repair actions a run allows as it stands (null: none). `result` is
 * where the outcome is told: it says which status it saw, so that the page
 * can drop it once the run moves on (a retried run that fails again must
 * not go on saying it is running). `shapes`: the version's declared
 * activities; `failedActivity`: the activity whose call failed.
 */
export function actionsCard(run, result, after, { shapes, failedActivity } = {}) {
  const act = async ({ title, body, confirm, danger, call, done }) => {
    if (!(await confirmAction({ title, body, confirm, danger }))) return;
    result.replaceChildren(h('span.muted', 'Sending…'));
    delete result.dataset.status;
    delete result.dataset.done;
    try {
      const r = await call();
      const now = r && r.status && STATUSES.includes(r.status) ? r : await api(`/v1/runs/${q(run.id)}`);
      result.dataset.status = now.status;
      result.dataset.done = done;
      result.replaceChildren(h('div.ok', h('strong', `${done}.`), ' The run is now ', badge(now.status), '.', dismiss(result)));
      toast(`${done}: the run is ${now.status}.`, 'ok');
    } catch (e) {
      result.replaceChildren(h('div.bad', { role: 'alert' }, h('strong', 'Refused '), `(${errorText(e)})`, dismiss(result)));
      toast(`Refused: ${e.status ? e.message : 'the server did not answer'}`, 'bad');
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
    const start = startValue(shapes, failedActivity);
    const editor = jsonEditor({
      id: 'resolve-value', label: `Value ${failedActivity || 'the failed call'} returns`, initial: start.text,
      onState: (ok) => { resolveBtn.disabled = !ok; },
    });
    if (start.returns) editor.el.append(h('div.sub.declared', { id: 'resolve-declared' }, `declared: ${start.returns}`));
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
      const start = startValue(shapes, w.activity);
      const editor = jsonEditor({
        id: `callback-value-${i}`, label: `Value ${w.activity} answers with`, initial: start.text,
        onState: (ok) => { send.disabled = !ok; },
      });
      if (start.returns) editor.el.append(h('div.sub.declared', `declared: ${start.returns}`));
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
