// Words for triggers, schedules and what started a run, without the DOM
// (unit-tested in tests/triggers-format.test.js): the triggers page and a
// run's page use them.

/** An interval in its largest whole unit: "1 h", "90 s", "1500 ms". */
export function interval(ms) {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['min', 60_000], ['s', 1000]]) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${unit}`;
  }
  return `${ms} ms`;
}

/** When a schedule fires, from its `spec.when`: "every 1 min",
 * "cron 30 2 * * *", "once". */
export function scheduleWhen(spec) {
  const w = spec?.when || {};
  if (w.cron) return `cron ${w.cron.pattern}`;
  if (w.every) return `every ${interval(w.every.ms)}`;
  if (w.at) return 'once';
  return 'unknown';
}

/** The time zone a schedule's fire times follow: its cron's zone (UTC by
 * default); interval and one-off schedules count in absolute time. */
export function scheduleZone(spec) {
  const w = spec?.when || {};
  if (w.cron) return w.cron.timezone || 'UTC';
  return 'UTC';
}

/** Overlap and catch-up policies in a line: "overlap skip · catch-up last". */
export function schedulePolicy(spec) {
  const overlap = spec?.overlap || 'skip';
  const catchup = spec?.catchup || 'last';
  const bound = catchup === 'all' && spec?.catchupMax ? ` (at most ${spec.catchupMax})` : '';
  return `overlap ${overlap} · catch-up ${catchup}${bound}`;
}

/** What a trigger's `where` selects: its subject (`where: "question"`),
 * its condition as written (`where` of GET /v1/triggers, when the server
 * lists one), both, or any event. */
export function triggerWhere(t) {
  const parts = [];
  if (t.subject) parts.push(`subject == "${t.subject}"`);
  if (t.where) parts.push(t.where);
  return parts.length ? parts.join(' && ') : 'any event';
}

/**
 * What started a run (`startedBy` of GET /v1/runs/{id}) as parts a page
 * shows: `{kind, label, name, href, detail, at}`; null when nothing did
 * (started through the API, a sub-flow).
 */
export function originParts(o) {
  if (!o) return null;
  if (o.kind === 'event') {
    const e = o.event || {};
    const detail = [`type ${e.type}`, e.subject ? `subject ${e.subject}` : null, `trigger ${o.trigger}`]
      .filter(Boolean).join(' · ');
    return {
      kind: 'event',
      label: 'Event',
      name: e.id,
      href: `/triggers?event=${encodeURIComponent(e.id)}`,
      detail,
      at: e.receivedAt,
    };
  }
  if (o.kind === 'schedule') {
    const how = { now: 'triggered now', queued: 'queued fire' }[o.fire] || 'scheduled fire';
    return {
      kind: 'schedule',
      label: 'Schedule',
      name: o.schedule,
      href: `/triggers#schedule-${encodeURIComponent(o.schedule)}`,
      detail: how,
      at: o.fireAt,
    };
  }
  return null;
}

/** What a schedule action's answer says, in a sentence. */
export function actionAnswer(action, s) {
  if (action === 'pause') return `Paused ${s.name}: it does not fire until resumed.`;
  if (action === 'resume') return `Resumed ${s.name}${s.nextAt ? `: next fire ${new Date(s.nextAt).toISOString()}` : ''}.`;
  if (action === 'trigger') return `Started a run of ${s.flow} now${s.lastRunId ? `: ${s.lastRunId}` : ''}${s.lastError ? ` (error: ${s.lastError})` : ''}.`;
  return `${action}: done.`;
}

/** What a re-drive (`POST /v1/events/redrive`) answered, in a sentence. */
export function redriveAnswer(r) {
  const started = r.starts.filter((s) => s.runId).length;
  const failing = r.starts.filter((s) => s.error).length;
  const n = (k, one, many) => `${k} ${k === 1 ? one : many}`;
  return `Re-drove ${r.id}: ${n(started, 'run', 'runs')} started, ${n(failing, 'start', 'starts')} still failing.`;
}

/** The sentence a trigger's re-drive answers with
 * (`POST /v1/triggers/{name}/redrive`). */
export function triggerRedriveAnswer(r) {
  const n = (k, one, many) => `${k.toLocaleString('en')} ${k === 1 ? one : many}`;
  const head = `Re-drove ${n(r.redriven, 'event', 'events')} of ${r.trigger}: ${n(r.runsStarted, 'run', 'runs')} started, ${n(r.stillFailing, 'start', 'starts')} still failing.`;
  const stopped = r.error ? ` Stopped: ${r.error}` : '';
  return r.more ? `${head}${stopped} More are left: re-drive again.` : head;
}
