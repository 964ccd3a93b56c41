// A run's timeline: its journal entries grouped into items (a call with
// its attempts, a timer armed and fired, a sub-flow started and finished),
// each drawn with what it did and the line it did it at.

import { absolute, parseTime, preview, span, timeText, until } from './format.js';
import { details, h, jsonBlock } from './dom.js';
import { q } from './api.js';

/** The call's number in its run: the suffix of its call id. */
function callSeq(callId) {
  const i = (callId || '').lastIndexOf('-');
  return i < 0 ? '' : callId.slice(i + 1);
}

/**
 * Journal entries grouped into timeline items, in order of first entry.
 * A call's attempts made after an operator's retry form an item of their
 * own, after the operator's: the timeline reads in the order things
 * happened. Timers that belong to a call (its back-off before the next
 * attempt, an attempt's or an await's timeout) are told on the call, not
 * as timers of their own.
 */
export function timeline(entries) {
  const items = [];
  const calls = new Map();
  const bySeq = new Map();
  const children = new Map();
  const sleeps = [];
  let lastOperator = -1;
  const note = (seq, text, at) => {
    const c = bySeq.get(seq);
    if (c) (c.notes ||= []).push({ text, at });
    return !!c;
  };
  for (const e of entries) {
    switch (e.type) {
      case 'started': items.push({ kind: 'started', at: e.at, input: e.input }); break;
      case 'forked': items.push({ kind: 'forked', at: e.at, from: e.from, step: e.step }); break;
      case 'callStarted': {
        let c = calls.get(e.callId);
        if (c && items.indexOf(c) < lastOperator) {
          // Made again after an operator acted: an item after the action.
          c = { ...c, at: e.at, attempts: [], again: true, completed: undefined, acknowledged: undefined, notes: [] };
          calls.set(e.callId, c);
          bySeq.set(callSeq(e.callId), c);
          items.push(c);
        }
        if (!c) {
          c = { kind: 'call', at: e.at, callId: e.callId, activity: e.activity, awaited: e.awaited, line: e.line, args: e.args, attempts: [] };
          calls.set(e.callId, c);
          bySeq.set(callSeq(e.callId), c);
          items.push(c);
        }
        c.attempts.push({ attempt: e.attempt, at: e.at });
        if (e.line) c.line = e.line;
        break;
      }
      case 'callAcknowledged': { const c = calls.get(e.callId); if (c) c.acknowledged = e.at; break; }
      case 'callCompleted': {
        const c = calls.get(e.callId) || { kind: 'call', at: e.at, callId: e.callId, activity: e.activity, attempts: [] };
        if (!calls.has(e.callId)) { calls.set(e.callId, c); bySeq.set(callSeq(e.callId), c); items.push(c); }
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
      case 'timerStarted': { const t = { kind: 'timer', at: e.at, until: e.until }; sleeps.push(t); items.push(t); break; }
      case 'timerFired': {
        const [what, seq, attempt] = (e.key || '').split(':');
        if (what === 'backoff' && note(seq, 'the back-off ended: the next attempt goes out', e.at)) break;
        if (what === 'attempt' && note(seq, `attempt ${attempt} timed out`, e.at)) break;
        if (what === 'await' && note(seq, 'the wait for its callback timed out', e.at)) break;
        const t = sleeps.find((x) => !x.fired);
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
      case 'retried': items.push({ kind: 'retried', at: e.at }); lastOperator = items.length - 1; break;
      case 'resolved': items.push({ kind: 'resolved', at: e.at, value: e.value }); lastOperator = items.length - 1; break;
      case 'completed': items.push({ kind: 'completed', at: e.at, result: e.result }); break;
      case 'cancelled': items.push({ kind: 'cancelled', at: e.at, reason: e.reason }); lastOperator = items.length - 1; break;
      case 'upgraded': items.push({ kind: 'upgraded', at: e.at, by: e.by, from: e.from, to: e.to, moved: e.moved || [] }); break;
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

/** The time of day to the millisecond (absolute times of every attempt). */
function clock(t) {
  const d = new Date(parseTime(t));
  return Number.isNaN(d.getTime()) ? String(t) : `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/**
 * One timeline item; `t0` is when the run started, `onLine(line)` shows a
 * line of source, `ended` is the run's status once it completed or was
 * cancelled (a call it left unfinished says so).
 */
export function timelineItem(it, t0, onLine, childStatus, ended) {
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
    case 'forked':
      tone = 'operator';
      title = h('span', h('strong', 'Forked'), ' from ', h('a.mono', { href: `/runs/${q(it.from)}` }, it.from), ` after its step ${it.step}`);
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
      } else if (ended) {
        // The run ended with the call unfinished: nothing waits for it.
        tone = 'cancelled';
        tags.push(h('span.tag.tone-cancelled', ended === 'cancelled' ? 'cancelled with the run' : 'left unfinished'));
      } else if (it.acknowledged) {
        tags.push(h('span.tag.tone-waiting', 'waiting for callback'));
      } else {
        tags.push(h('span.tag.tone-running', 'in progress'));
      }
      if (it.again) tags.unshift(h('span.tag.tone-operator', 'again'));
      for (const a of it.attempts) {
        body.push(h('div.attempt', { class: a.error ? 'tone-failed' : '' },
          h('time.abs', { datetime: a.at, title: absolute(a.at) }, clock(a.at)), ` attempt ${a.attempt}`,
          a.error ? [' failed: ', h('span.err', a.error), a.failedAt ? h('span.sub', ` at ${clock(a.failedAt)}`) : null] : ' went out',
          a.retryAt ? h('span.sub', ` · next attempt ${timeText(a.retryAt)}`) : null));
      }
      for (const n of it.notes || []) body.push(h('div.attempt.note', h('time.abs', { datetime: n.at, title: absolute(n.at) }, clock(n.at)), ` ${n.text}`));
      if (it.acknowledged) body.push(h('div.attempt', h('time.abs', { datetime: it.acknowledged, title: absolute(it.acknowledged) }, clock(it.acknowledged)), ' started; waits for its callback'));
      if (it.completed) body.push(h('div.attempt', h('time.abs', { datetime: it.completed.at, title: absolute(it.completed.at) }, clock(it.completed.at)), ` ${it.completed.how}`));
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
    case 'upgraded':
      tone = 'operator';
      title = h('strong', `Upgraded from version ${it.from} to ${it.to}`);
      tags.push(h('span.tag', `by ${it.by}`));
      if (it.moved.length) body.push(h('details.value', h('summary', 'what moved where'), h('pre.moved', it.moved.join('\n'))));
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
