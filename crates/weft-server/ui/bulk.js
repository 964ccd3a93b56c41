// Bulk repair: retry, resolve or cancel every run a search matches. A dry
// run first says how many runs it would act on and shows some of them;
// the action then goes out with the operator's name (for the audit log),
// and its progress shows until it is done.

import { actorName, api, errorText, q, setActorName } from './api.js';
import { h, nothing, toast } from './dom.js';
import { json } from './format.js';

/** How often the progress of a long bulk action is read. */
const PROGRESS_MS = 1000;

/**
 * The bulk panel of a search (`search`: the API's parameters of the list
 * shown); `done()` refreshes the page after an action.
 */
export function bulkPanel(search, done) {
  const open = h('button.secondary', { type: 'button', id: 'bulk-open' }, 'Act on all matching runs…');
  const slot = h('div.bulk-slot');
  const panel = h('div.bulk', open, slot);
  open.addEventListener('click', () => {
    open.classList.add('hidden');
    slot.replaceChildren(form());
  });
  const form = () => {
    const action = h('select', { id: 'bulk-action', 'aria-label': 'Action' },
      h('option', { value: 'retry' }, 'Retry the failed step'),
      h('option', { value: 'resolve' }, 'Resolve the failed call with a value'),
      h('option', { value: 'cancel' }, 'Cancel'));
    const value = h('textarea.code', { id: 'bulk-value', rows: 3, spellcheck: 'false', 'aria-label': 'Value' });
    value.value = '{\n  "status": "ok"\n}';
    const reason = h('input', { type: 'text', id: 'bulk-reason', placeholder: 'why (recorded with the runs)', 'aria-label': 'Reason' });
    const who = h('input', { type: 'text', id: 'bulk-actor', value: actorName(), placeholder: 'your name', 'aria-label': 'Your name (for the audit log)' });
    const valueRow = h('div.bulk-value.hidden', h('label', { for: 'bulk-value' }, 'Value the failed calls return'), value);
    const reasonRow = h('div.bulk-reason.hidden', h('label', { for: 'bulk-reason' }, 'Reason'), reason);
    action.addEventListener('change', () => {
      valueRow.classList.toggle('hidden', action.value !== 'resolve');
      reasonRow.classList.toggle('hidden', action.value !== 'cancel');
    });
    const out = h('div.bulk-out', { id: 'bulk-out', 'aria-live': 'polite' });
    const body = () => {
      const b = { action: action.value, query: search };
      if (action.value === 'resolve') b.value = JSON.parse(value.value);
      if (action.value === 'cancel' && reason.value.trim()) b.reason = reason.value.trim();
      return b;
    };
    const dry = h('button.primary', { type: 'button', id: 'bulk-dry' }, 'Dry run');
    dry.addEventListener('click', async () => {
      let b;
      try { b = body(); } catch (e) { out.replaceChildren(h('div.bad', `The value is not JSON: ${e.message}`)); return; }
      setActorName(who.value.trim());
      out.replaceChildren(h('span.muted', 'Counting…'));
      try {
        const r = await api('/v1/runs/bulk', { method: 'POST', body: { ...b, dryRun: true } });
        const n = r.matched;
        const go = h('button', { type: 'button', id: 'bulk-confirm', class: b.action === 'cancel' ? 'danger' : 'primary', disabled: n === 0 },
          `${verb(b.action)} ${n.toLocaleString('en')} run${n === 1 ? '' : 's'}`);
        go.addEventListener('click', () => apply(b, n, out));
        out.replaceChildren(
          h('p', h('strong', { id: 'bulk-matched', dataset: { matched: String(n) } }, n.toLocaleString('en')), ` run${n === 1 ? '' : 's'} match; nothing has changed yet.`,
            r.exact === false ? h('span.err', ' (not exact: narrow the search first)') : null),
          r.sample.length ? h('ul.bulk-sample', { id: 'bulk-sample' }, r.sample.map((s) => h('li',
            h('a.mono', { href: `/runs/${q(s.id)}` }, s.id), ` ${s.flow} `, h('span.badge', { class: `st-${s.status}` }, s.status),
            s.error ? h('span.sub', ` ${s.error.message}`) : null))) : nothing,
          n > r.sample.length ? h('p.sub', `and ${(n - r.sample.length).toLocaleString('en')} more`) : nothing,
          b.action === 'resolve' ? h('pre.json', json(b.value)) : nothing,
          h('div.buttons', go));
      } catch (e) {
        out.replaceChildren(h('div.bad', { role: 'alert' }, `Refused (${errorText(e)})`));
      }
    });
    const apply = async (b, n, box) => {
      box.replaceChildren(h('div.progress', h('progress', { id: 'bulk-progress', max: String(n), value: '0' }), h('span.muted', ' Working…')));
      try {
        let r = await api('/v1/runs/bulk', { method: 'POST', body: b });
        while (!r.done) {
          box.replaceChildren(h('div.progress', h('progress', { id: 'bulk-progress', max: String(r.matched), value: String(r.applied + r.failed) }),
            h('span', ` ${(r.applied + r.failed).toLocaleString('en')} of ${r.matched.toLocaleString('en')}`)));
          await new Promise((res) => setTimeout(res, PROGRESS_MS));
          const a = await api(`/v1/audit/${r.auditId}`);
          r = { ...r, applied: a.applied, failed: a.failed, done: a.done, failures: a.failures.slice(0, 20) };
        }
        box.replaceChildren(h('div.ok', { id: 'bulk-done' },
          h('strong', `${verb(b.action)}: ${r.applied.toLocaleString('en')} of ${r.matched.toLocaleString('en')} run${r.matched === 1 ? '' : 's'}.`),
          r.failed ? ` ${r.failed} could not be:` : ' ',
          h('a', { href: `/audit#action-${r.auditId}` }, 'In the audit log'), '.'),
          r.failures?.length ? h('ul.bulk-failures', r.failures.map((f) => h('li', h('a.mono', { href: `/runs/${q(f.run)}` }, f.run), ` ${f.error}`))) : nothing);
        toast(`${verb(b.action)}: ${r.applied} run${r.applied === 1 ? '' : 's'}.`, 'ok');
        await done();
      } catch (e) {
        box.replaceChildren(h('div.bad', { role: 'alert' }, `Refused (${errorText(e)})`));
      }
    };
    return h('div.card.bulk-card',
      h('h2', 'Act on every run this search matches'),
      h('div.bulk-row', h('label', { for: 'bulk-action' }, 'Action'), action,
        h('label', { for: 'bulk-actor' }, 'As'), who),
      valueRow, reasonRow, h('div.buttons', dry), out);
  };
  return panel;
}

function verb(action) {
  return { retry: 'Retry', resolve: 'Resolve', cancel: 'Cancel' }[action] || action;
}
