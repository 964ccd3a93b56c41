// A run's page (`/runs/{id}`): where it stands, its timeline, its source
// with the line it stands at, its input and result, its sub-flows, and the
// repairs it allows.

import { actionsCard } from './actions.js';
import { api, getVersion, loadVersions, q } from './api.js';
import { badge, copyButton, h, jsonBlock, nothing, timeEl } from './dom.js';
import { absolute, ago, parseTime, preview, splitPosition, unreadable, until } from './format.js';
import { isCurrent } from './router.js';
import { runTable, waitSummary } from './runlist.js';
import { focusLine, markLine, sourceView } from './source.js';
import { timeline, timelineItem } from './timeline.js';

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
    if (!isCurrent(gen)) return;
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
