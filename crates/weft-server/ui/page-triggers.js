// The triggers page (`/triggers`): what starts runs without a caller. The
// triggers in force with what they did (`GET /v1/triggers`), the schedules
// with their next and last fires and the operator's Pause / Resume /
// Trigger now (`/v1/schedules`), the pull and stream sources
// (`GET /v1/sources`), and one event when the address names it
// (`?event=ID`, linked from the page of a run it started).

import { api, errorText, q } from './api.js';
import { h, jsonBlock, keepFocus, timeEl, toast } from './dom.js';
import { isCurrent } from './router.js';
import { sourcesCard } from './sources.js';
import { actionAnswer, redriveAnswer, scheduleWhen, scheduleZone, schedulePolicy, triggerRedriveAnswer, triggerWhere } from './triggers-format.js';

/** A run's id as a link to its page. */
function runLink(id) {
  return id ? h('a.mono', { href: `/runs/${q(id)}` }, id) : null;
}

/** Re-drives the event `id`'s failed starts; the card again, with the
 * answer (`POST /v1/events/redrive`) in it. */
async function redrive(id) {
  let said;
  try {
    const r = await api('/v1/events/redrive', { method: 'POST', body: { id } });
    said = h('p.callout.tone-completed', { id: 'redrive-answer' }, redriveAnswer(r));
  } catch (e) {
    said = h('p.callout.tone-failed', { id: 'redrive-answer' }, errorText(e));
    toast(errorText(e), 'failed');
  }
  return eventCard(id, said);
}

/** A card showing the event `id`: its fields and the runs it started, and
 * when a start failed, a button to re-drive it (`said`: the last answer). */
async function eventCard(id, said = null) {
  let e;
  try {
    e = await api(`/v1/events/${q(id)}`);
  } catch (err) {
    return h('section.card', { id: 'event' }, h('h2', 'Event'), h('p.err', errorText(err)));
  }
  const failed = e.starts.some((s) => s.error);
  const card = h('section.card', { id: 'event', dataset: { event: e.id } },
    h('h2', 'Event ', h('span.mono', e.id)),
    h('dl.facts',
      h('div', h('dt', 'Type'), h('dd', e.type)),
      h('div', h('dt', 'Subject'), h('dd', e.subject ?? h('span.sub', 'none'))),
      h('div', h('dt', 'Source'), h('dd', e.source ?? 'the API')),
      h('div', h('dt', 'Taken'), h('dd', timeEl(e.receivedAt)))),
    e.starts.length
      ? h('table.grid', { id: 'event-starts' },
        h('thead', h('tr', ['Trigger', 'Flow', 'Run', 'Error'].map((t) => h('th', t)))),
        h('tbody', e.starts.map((s) => h('tr', { dataset: { trigger: s.trigger } },
          h('td.flowname', s.trigger), h('td', s.flow), h('td', runLink(s.runId)),
          h('td', s.error ? h('span.err', s.error) : h('span.sub', 'none'))))))
      : h('p.muted', 'No trigger took this event.'),
    said,
    failed
      ? h('p', h('button.secondary', {
        type: 'button',
        dataset: { action: 'redrive' },
        title: 'Start the failed triggers again, as they are deployed now (the same idempotency keys: never a second run)',
        onclick: async () => card.replaceWith(await redrive(e.id)),
      }, 'Re-drive failed starts'))
      : null,
    h('details.value', h('summary', 'Data'), jsonBlock(e.data)));
  return card;
}

/** Draws the triggers page into `main`; returns it ({refresh}). */
export async function triggersPage(main, params, gen) {
  const triggers = h('div');
  const schedules = h('div');
  const note = h('p.muted.small', { id: 'trigger-counts' });
  const triggerAnswer = h('div', { id: 'trigger-answer', role: 'status', 'aria-live': 'polite' });
  const answer = h('div', { id: 'schedule-answer', role: 'status', 'aria-live': 'polite' });
  const sources = sourcesCard();
  const eventId = params.get('event');
  const event = eventId ? await eventCard(eventId) : null;
  main.replaceChildren(h('section.page.triggers-page',
    h('div.page-head', h('h1', 'Triggers, schedules and sources')),
    event,
    h('section.card', h('h2', 'Triggers'), note, triggerAnswer, triggers),
    h('section.card', h('h2', 'Schedules'), answer, schedules),
    sources.el));
  let lastKey = '';
  const act = async (name, action) => {
    try {
      const s = await api(`/v1/schedules/${q(name)}/${action}`, { method: 'POST' });
      answer.replaceChildren(h('p.callout.tone-completed', { dataset: { action, schedule: name } }, actionAnswer(action, s)));
    } catch (e) {
      answer.replaceChildren(h('p.callout.tone-failed', { dataset: { action, schedule: name } }, errorText(e)));
      toast(errorText(e), 'failed');
    }
    lastKey = '';
    await refresh();
  };
  // Every failed start of a trigger at once, once it is fixed; when more
  // are left, the next click goes on after the last event re-driven.
  const nextAfter = new Map();
  const redriveTrigger = async (name) => {
    try {
      const after = nextAfter.get(name);
      const r = await api(`/v1/triggers/${q(name)}/redrive${after != null ? `?after=${after}` : ''}`, { method: 'POST' });
      if (r.more && r.next != null) nextAfter.set(name, r.next); else nextAfter.delete(name);
      triggerAnswer.replaceChildren(h('p.callout.tone-completed', { dataset: { trigger: name } }, triggerRedriveAnswer(r)));
    } catch (e) {
      triggerAnswer.replaceChildren(h('p.callout.tone-failed', { dataset: { trigger: name } }, errorText(e)));
      toast(errorText(e), 'failed');
    }
    lastKey = '';
    await refresh();
  };
  const refresh = async () => {
    const [ts, ss] = await Promise.all([api('/v1/triggers'), api('/v1/schedules'), sources.refresh()]);
    if (!isCurrent(gen)) return;
    const key = JSON.stringify([ts, ss, Math.floor(Date.now() / 10_000)]);
    if (key === lastKey) return;
    lastKey = key;
    note.textContent = ts.countsComplete
      ? `Counted over every event taken (${ts.eventsScanned.toLocaleString('en')}).`
      : `Counted over the newest ${ts.eventsScanned.toLocaleString('en')} events taken.`;
    triggers.replaceChildren(ts.triggers.length
      ? h('table.grid', { id: 'triggers' },
        h('thead', h('tr', ['Trigger', 'Event types', 'Where', 'Flow', 'Runs started', 'Last event', 'Last error'].map((t) => h('th', t)))),
        h('tbody', ts.triggers.map((t) => h('tr', { dataset: { trigger: t.name }, class: t.lastError ? 'tone-failed' : '' },
          h('td.flowname', t.name),
          h('td', t.types.join(', ')),
          h('td.mono', triggerWhere(t)),
          h('td', h('a', { href: `/flows/${q(t.flow)}` }, t.flow), h('span.sub', ` v${t.version}`)),
          h('td.num', { dataset: { started: String(t.runsStarted) } }, t.runsStarted.toLocaleString('en'),
            t.startsFailed ? h('span.err', ` (${t.startsFailed.toLocaleString('en')} failed)`) : null,
            t.startsFailed ? h('div', h('button.secondary.small', {
              type: 'button',
              dataset: { action: `redrive:${t.name}` },
              title: 'Try every failed start of this trigger again (same idempotency keys: no run starts twice)',
              onclick: () => redriveTrigger(t.name),
            }, 'Re-drive failed')) : null),
          h('td', t.lastEvent
            ? [timeEl(t.lastEvent.receivedAt), ' ', h('a.mono', { href: `/triggers?event=${q(t.lastEvent.id)}` }, t.lastEvent.id),
              t.lastEvent.runId ? [' → ', runLink(t.lastEvent.runId)] : null]
            : h('span.sub', 'none yet')),
          h('td', t.lastError
            ? [timeEl(t.lastError.at), ' ', h('span.err', t.lastError.message)]
            : h('span.sub', 'none'))))))
      : h('p.muted', 'No trigger is in force (sdk.TaskQueue in a deployed program; see docs/triggers.md).'));
    keepFocus(schedules, 'action', () => schedules.replaceChildren(ss.schedules.length
      ? h('table.grid', { id: 'schedules' },
        h('thead', h('tr', ['Schedule', 'Flow', 'When', 'Time zone', 'Next fire', 'Last fire', 'State', 'Policy', 'Last error', ''].map((t) => h('th', t)))),
        h('tbody', ss.schedules.map((s) => h('tr', {
          id: `schedule-${s.name}`,
          dataset: { schedule: s.name, paused: String(s.paused), fires: String(s.fires) },
          class: s.lastError ? 'tone-failed' : s.retired || s.paused ? 'muted' : '',
        },
        h('td.flowname', s.name),
        h('td', h('a', { href: `/flows/${q(s.flow)}` }, s.flow)),
        h('td.mono', scheduleWhen(s.spec)),
        h('td', scheduleZone(s.spec)),
        h('td', s.nextAt && !s.paused && !s.retired ? timeEl(s.nextAt) : h('span.sub', s.paused ? 'paused' : 'never'),
          s.lagMs > 0 ? h('span.err', ` (${Math.round(s.lagMs / 1000)} s late)`) : null),
        h('td', s.lastFireAt ? [timeEl(s.lastFireAt), ' ', runLink(s.lastRunId)] : h('span.sub', 'never'),
          h('div.sub', `${s.fires} fired · ${s.skipped} skipped · ${s.queued} queued`)),
        h('td.state', s.retired ? 'retired' : s.paused ? 'paused' : 'active'),
        h('td.small', schedulePolicy(s.spec)),
        h('td', s.lastError ? h('span.err', s.lastError) : h('span.sub', 'none')),
        h('td.actions', s.retired ? null : [
          s.paused
            ? h('button.secondary', { type: 'button', dataset: { action: `resume:${s.name}` }, onclick: () => act(s.name, 'resume') }, 'Resume')
            : h('button.secondary', { type: 'button', dataset: { action: `pause:${s.name}` }, onclick: () => act(s.name, 'pause') }, 'Pause'),
          ' ',
          h('button.secondary', { type: 'button', dataset: { action: `trigger:${s.name}` }, onclick: () => act(s.name, 'trigger') }, 'Trigger now'),
        ])))))
      : h('p.muted', 'No schedule is declared (sdk.Schedule in a deployed program; see docs/triggers.md).')));
  };
  await refresh();
  // A schedule named in the address (`#schedule-NAME`, from a run's page).
  if (location.hash) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
  return { refresh };
}
