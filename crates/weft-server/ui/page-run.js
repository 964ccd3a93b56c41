// A run's page (`/runs/{id}`): where it stands, its timeline, its source
// with the line it stands at, its input and result, its sub-flows, and the
// repairs it allows.

import { actionsCard, retell } from './actions.js';
import { api, download, errorText, getActivities, getVersion, loadVersions, q } from './api.js';
import { badge, copyButton, h, jsonBlock, nothing, timeEl, toast } from './dom.js';
import { absolute, ago, parseTime, preview, splitPosition, unreadable, until } from './format.js';
import { JOURNAL_PAGES_MAX, readJournal } from './journal.js';
import { isCurrent } from './router.js';
import { runTable, waitSummary } from './runlist.js';
import { focusLine, markLine, sourceView } from './source.js';
import { timeline, timelineItem } from './timeline.js';
import { travelCard } from './travel.js';
import { originParts } from './triggers-format.js';
import { newerVersions, upgradable, upgradeCard } from './upgrade.js';

/** The fact "Started by": the event (a link to it) or the schedule that
 * started the run; null when neither did. */
function startedBy(origin) {
  const o = originParts(origin);
  if (!o) return null;
  return h('div', { id: 'started-by', dataset: { kind: o.kind } }, h('dt', 'Started by'),
    h('dd', `${o.label} `, h('a.mono', { href: o.href }, o.name), ` (${o.detail}`, o.at ? [', ', timeEl(o.at)] : null, ')'));
}

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

function waitCard(w, run) {
  const s = waitSummary(w);
  const rows = [];
  const stalled = run.stalled && run.stalled.activity === w.activity && !w.acknowledged ? run.stalled : null;
  if (w.kind === 'activity' && stalled) {
    rows.push(h('div.tone-failed.stalled', h('strong', w.activity), `: ${stalled.message}. `,
      h('a', { href: '/workers' }, 'See the workers'), ' · its task waits in the queue.'));
    if (w.token) rows.push(h('div.token', h('span.muted', 'token '), h('code.mono', { dataset: { token: w.token } }, w.token), copyButton(w.token)));
    rows.push(h('div.sub.mono', `call id ${w.callId}`));
  } else if (w.kind === 'activity') {
    rows.push(h('div', h('strong', w.activity), w.callback ? (w.acknowledged ? ' was started and waits for its callback' : ' is being started; then its callback is awaited') : ' is running (an activity call)'));
    if (w.token) rows.push(h('div.token', h('span.muted', 'token '), h('code.mono', { dataset: { token: w.token } }, w.token), copyButton(w.token)));
    if (w.until) rows.push(h('div', w.callback ? 'times out at ' : 'attempt times out at ', timeEl(w.until, `${absolute(w.until)} (${until(w.until)})`)));
    rows.push(h('div.sub.mono', `call id ${w.callId}`));
  } else if (w.kind === 'timer') {
    rows.push(h('div', h('strong', 'Timer'), ' fires at ', timeEl(w.until, `${absolute(w.until)} (${until(w.until)})`)));
  } else if (w.kind === 'child') {
    const failed = run.failedChild && run.failedChild.runId === w.runId;
    rows.push(h('div', { class: failed ? 'tone-failed blocked' : '' }, 'Sub-flow ', h('a', { href: `/runs/${q(w.runId)}` }, h('strong', w.flow)), ' ', h('span.mono.sub', w.runId),
      failed ? h('span.err', ` failed: ${run.failedChild.message}`) : null));
  }
  return h('li.wait', { class: `w-${s.icon}${stalled ? ' tone-failed' : ''}` }, rows);
}

/** Draws the page of run `id` into `main`; returns it ({refresh}). */
export async function runPage(main, id, gen) {
  let run = await api(`/v1/runs/${q(id)}`);
  if (!isCurrent(gen)) return null;
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
  const travelSlot = h('div');
  const auditSlot = h('div');
  const actionSlot = h('div');
  const upgradeSlot = h('div');
  // Outside the actions card: it stays when the card changes with the status.
  const outcome = h('div.outcome', { 'aria-live': 'polite' });
  const waitSlot = h('div');
  const timelineList = h('ol.timeline', { 'aria-label': 'Timeline' });
  const timelineTools = h('div.tools');
  const timelineNote = h('div');
  const sourceSlot = h('div.source-slot');
  const sourceTitle = h('h2', 'Source');
  const ioSlot = h('div.io');
  const childSlot = h('div');
  main.replaceChildren(h('section.page.run-page',
    h('nav.crumbs', { 'aria-label': 'Breadcrumb' }, h('a', { href: '/' }, 'Runs'), ' / ', h('span.mono', id)),
    headSlot, calloutSlot, outcome, waitSlot, actionSlot, upgradeSlot, travelSlot,
    h('div.run-grid',
      h('section.card.timeline-card', h('div.card-head', h('h2', 'Timeline'), timelineTools), timelineNote, timelineList),
      h('div.side',
        h('section.card.source-card', sourceTitle, sourceSlot),
        ioSlot)),
    childSlot, auditSlot));

  let view = null;
  let viewKey = '';
  let newer = { at: 0, of: null, versions: [] };
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
  // While stepping through the journal, the source shows the step's line.
  let stepping = null;
  const stepLine = (line, note) => {
    stepping = { line, note };
    if (view) markLine(view, line, 'info', note);
  };
  let shapes = null;
  getActivities(run.version).then((m) => { shapes = m; keys.actions = null; }).catch(() => {});

  const render = async (journal, kids) => {
    if (changed('head', [run, Math.floor(Date.now() / 10000)])) {
      headSlot.replaceChildren(h('header.run-head',
        h('h1', badge(run.status), h('span.flowname', run.flow), h('span.mono.runid', run.id), copyButton(run.id, 'Copy id')),
        h('dl.facts',
          h('div', h('dt', 'Flow'), h('dd', flowLink(run), ` · version ${run.version}`)),
          h('div', h('dt', 'Started'), h('dd', timeEl(run.createdAt, `${absolute(run.createdAt)} (${ago(run.createdAt)})`))),
          h('div', h('dt', 'Updated'), h('dd', timeEl(run.updatedAt))),
          run.parent ? h('div', h('dt', 'Parent'), h('dd', h('a.mono', { href: `/runs/${q(run.parent)}` }, run.parent))) : null,
          startedBy(run.startedBy),
          run.idempotencyKey ? h('div', h('dt', 'Idempotency key'), h('dd.mono', run.idempotencyKey)) : null,
          run.forkedFrom ? h('div', h('dt', 'Forked from'), h('dd', h('a.mono', { href: `/runs/${q(run.forkedFrom)}`, id: 'forked-from' }, run.forkedFrom))) : null,
          run.position ? h('div', h('dt', 'Position'), h('dd.mono', run.position)) : null)));
    }
    if (changed('callout', [run.status, run.error, run.result, run.failedChild, run.stalled?.activity])) {
      let c = null;
      if (unreadable(run) && run.error.code === 'engine_panic') {
        c = h('section.callout.tone-failed', { role: 'alert', id: 'unreadable' },
          h('div.callout-title', `Parked: a step panicked (${run.error.code}): `, h('span.err', run.error.message)),
          h('p', 'A bug in this Weft build, met by this run. Its snapshot is kept as it was before that step, with its timers and tasks set aside. ',
            'A build without the bug resumes the run when it starts; it can also be cancelled. ',
            'See "A run this build cannot read" in docs/operating.md.'));
      } else if (unreadable(run)) {
        c = h('section.callout.tone-failed', { role: 'alert', id: 'unreadable' },
          h('div.callout-title', `Unreadable by this build (${run.error.code}): `, h('span.err', run.error.message)),
          h('p', 'Its snapshot and program are kept as they were, with its timers and tasks set aside. ',
            'A Weft build that reads them resumes the run when it starts; it can also be cancelled. ',
            'See "Upgrading Weft" in docs/operating.md.'));
      } else if (run.failedChild) {
        c = h('section.callout.tone-failed', { role: 'alert', id: 'failed-child' },
          h('div.callout-title', 'A sub-flow it waits for failed: ',
            h('a', { href: `/runs/${q(run.failedChild.runId)}` }, run.failedChild.flow), ' · ', h('span.err', run.failedChild.message)),
          h('p', 'This run goes on once the sub-flow is repaired (retry, resolve or cancel it on its page).'));
      } else if (run.stalled) {
        c = h('section.callout.tone-failed', { role: 'alert', id: 'stalled' },
          h('div.callout-title', `No worker serves ${run.stalled.activity}: `, h('span.err', run.stalled.message)),
          h('p', 'Its task waits in the queue until a worker polls for it. ', h('a', { href: '/workers' }, 'See the workers and queues'), '.'));
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
    // What an action did is told again as the run moves on: a message
    // that the run is running must not stay once it failed again.
    retell(outcome, run.status);
    if (changed('actions', [run.status, (run.waitingFor || []).map((w) => w.token || ''), !!shapes])) {
      const failedCall = [...journal.entries].reverse().find((e) => e.type === 'callFailed' && !e.retryAt);
      actionSlot.replaceChildren(actionsCard(run, outcome, async () => { await refresh(); },
        { shapes, failedActivity: run.status === 'failed' ? failedCall?.activity : null }) || nothing);
    }
    // Newer versions are looked for now and then (one may be deployed
    // while the page is open); the card is rebuilt only when they or the
    // run's version change, so a verdict on screen stays.
    if (owner && upgradable(run) && (Date.now() - newer.at > 10000 || newer.of !== run.version)) {
      newer = { at: Date.now(), of: run.version, versions: await newerVersions(owner, run.version).catch(() => newer.versions) };
      if (!isCurrent(gen)) return;
    }
    const offered = upgradable(run) && newer.of === run.version ? newer.versions : [];
    if (changed('upgrade', [run.status, run.version, unreadable(run), offered])) {
      upgradeSlot.replaceChildren(upgradeCard(run, owner, offered, outcome, async () => { await refresh(); }) || nothing);
    }
    if (changed('waits', [run.waitingFor, run.status, run.stalled, run.failedChild, Math.floor(Date.now() / 10000)])) {
      const ws = run.waitingFor || [];
      waitSlot.replaceChildren(ws.length
        ? h('section.card.waits-card', h('h2', run.status === 'waiting' ? 'Waiting for' : 'In progress'), h('ul.waits', ws.map((w) => waitCard(w, run))))
        : nothing);
    }
    const childStatus = new Map(kids.runs.map((k) => [k.id, k.status]));
    const ended = run.status === 'completed' || run.status === 'cancelled' ? run.status : null;
    if (changed('journal', [journal.entries.length, journal.entries[0]?.step, journal.droppedSteps, journal.capped, [...childStatus], ended])) {
      const items = timeline(journal.entries);
      const t0 = parseTime(journal.entries[0]?.at ?? run.createdAt);
      timelineList.replaceChildren(...items.map((it) => timelineItem(it, t0, showLine, childStatus, ended)));
      const steps = journal.entries.reduce((m, e) => Math.max(m, e.step || 0), 0);
      timelineTools.replaceChildren(
        h('button.secondary', { type: 'button', id: 'step-through', disabled: steps === 0, onclick: () => {
          travelSlot.replaceChildren(travelCard(run, steps, { onLine: stepLine, onClose: () => { stepping = null; viewKey = ''; render(journal, kids); } }));
          travelSlot.scrollIntoView({ block: 'nearest' });
        } }, 'Step through…'),
        h('button.link', { type: 'button', id: 'download-journal', onclick: () => download(`/v1/runs/${q(id)}/export`, `run-${id}.json`).catch((e) => toast(`The download failed (${errorText(e)})`, 'bad')) }, 'Download JSON'));
      const notes = [];
      if (journal.droppedSteps) {
        notes.push(h('p.muted.small', { id: 'journal-dropped' }, `The oldest ${journal.droppedSteps.toLocaleString('en')} steps are no longer kept `
          + '(a run keeps its newest 10,000 steps): the timeline starts later than the run.'));
      }
      if (journal.capped) {
        notes.push(h('p.muted.small', { id: 'journal-capped' }, `Only the first ${journal.entries.length.toLocaleString('en')} journal entries `
          + `(${JOURNAL_PAGES_MAX} pages) are shown; the rest is in GET /v1/runs/{id}/journal.`));
      }
      timelineNote.replaceChildren(...notes);
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
        if (stepping) requestAnimationFrame(() => markLine(view, stepping.line, 'info', stepping.note));
        else if (mark) requestAnimationFrame(() => markLine(view, mark.line, mark.tone, mark.note));
        else if (scroll) view.scrollTop = scroll;
      }
    }
    if (changed('io', [run.input, run.result, run.status])) {
      ioSlot.replaceChildren(
        h('section.card', h('h2', 'Input'), jsonBlock(run.input)),
        run.status === 'completed' ? h('section.card', h('h2', 'Result'), jsonBlock(run.result)) : nothing);
    }
    if (audit && changed('audit', audit)) {
      auditSlot.replaceChildren(audit.actions.length
        ? h('section.card.audit-card', h('h2', 'Operator actions'), h('ul.audit-list', audit.actions.map((a) => h('li', { dataset: { action: a.action } },
          timeEl(a.at, absolute(a.at)), ' ', h('strong', a.actor), ` ${a.action}`,
          a.matched > 1 ? h('span.sub', ` (one of ${a.matched} runs)`) : null,
          a.detail?.fork ? [' → ', h('a.mono', { href: `/runs/${q(a.detail.fork)}` }, a.detail.fork)] : null))))
        : nothing);
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
  let audit = null;
  let settled = false;
  let auditAt = 0;
  const journalPage = (cursor) => api(`/v1/runs/${q(id)}/journal${cursor ? `?cursor=${q(cursor)}` : ''}`);
  const refresh = async () => {
    const terminal = run.status === 'completed' || run.status === 'cancelled';
    const auditDue = Date.now() - auditAt > 10_000 || !settled;
    const [r, j, k, a] = await Promise.all([
      api(`/v1/runs/${q(id)}`),
      settled ? journal : readJournal(journalPage, journal, () => isCurrent(gen)),
      settled ? kids : api(`/v1/runs?parent=${q(id)}&limit=100`),
      auditDue ? api(`/v1/audit?run=${q(id)}&limit=20`).catch(() => audit) : audit,
    ]);
    if (!isCurrent(gen)) return;
    if (auditDue) auditAt = Date.now();
    settled = terminal && r.status === run.status && journal !== null;
    journal = j;
    kids = k;
    audit = a;
    run = r;
    document.title = `${run.flow} ${run.status} · Weft`;
    await render(journal, kids);
  };
  await refresh();
  return { refresh };
}
