// Lists of runs (the runs page, a run's sub-flows): one row a run, each a
// link, saying where the run stands: what it waits for or why it failed,
// and the line of source.

import { preview, splitPosition, lineOf, unreadable, until } from './format.js';
import { age } from './format.js';
import { badge, h, timeEl } from './dom.js';
import { q } from './api.js';

/** What a run waits for, in a few words: {icon, text, sub}. */
export function waitSummary(w) {
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
  // What keeps the run from moving comes first, in red: a sub-flow it
  // waits for failed, or nobody serves the activity it calls.
  if (run.failedChild) {
    parts.push(h('div.why.tone-failed.blocked', { title: run.failedChild.message },
      `sub-flow ${run.failedChild.flow} failed: `, run.failedChild.message));
  }
  if (run.stalled) {
    parts.push(h('div.why.tone-failed.stalled', { title: `Nobody serves ${run.stalled.activity}: see Workers` }, run.stalled.message));
  }
  for (const w of (run.waitingFor || []).slice(0, 2)) {
    if (run.stalled && w.activity === run.stalled.activity) continue;
    if (run.failedChild && w.runId === run.failedChild.runId) continue;
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
    h('span.cell.c-id', h('span.mono', run.id), run.parent ? h('span.sub', ' sub-flow') : null, run.forkedFrom ? h('span.sub', ' fork') : null),
    h('span.cell.c-flow', h('span.flowname', run.flow), h('span.sub', ` v${run.version}`)),
    h('span.cell.c-where', whereCell(run, version)),
    h('span.cell.c-age', timeEl(run.createdAt, age(run.createdAt)), h('span.sub.only-narrow', ' old')),
    h('span.cell.c-updated', h('span.sr', 'updated '), timeEl(run.updatedAt)));
}

/** The runs as a list of rows (`versionsById` gives their source lines). */
export function runTable(runs, versionsById, { empty, label }) {
  const head = h('div.row.head', { 'aria-hidden': 'true' },
    ['Status', 'Run', 'Flow', 'Where it stands', 'Age', 'Updated'].map((t, i) =>
      h('span.cell', { class: ['c-status', 'c-id', 'c-flow', 'c-where', 'c-age', 'c-updated'][i] }, t)));
  const body = runs.length
    ? runs.map((r) => runRow(r, versionsById.get(r.version)))
    : [h('div.empty', empty)];
  return h('div.runlist', { role: 'region', 'aria-label': label }, head, body);
}
