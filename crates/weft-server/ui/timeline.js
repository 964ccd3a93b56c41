// A run's timeline: its journal entries grouped into items (a call with
// its attempts, a timer armed and fired, a sub-flow started and finished),
// each drawn with what it did and the line it did it at.

import { absolute, parseTime, preview, span, timeText, until } from './format.js';
import { details, h, jsonBlock } from './dom.js';
import { q } from './api.js';

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

/** One timeline item; `t0` is when the run started, `onLine(line)` shows a line of source. */
export function timelineItem(it, t0, onLine, childStatus) {
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
