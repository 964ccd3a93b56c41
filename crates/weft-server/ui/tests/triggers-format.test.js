// Unit tests of triggers-format.js. Run by Node's test runner (`cargo test
// -p weft-cli --test ui` runs every file here).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { actionAnswer, interval, redriveAnswer, originParts, scheduleWhen, scheduleZone, schedulePolicy, triggerRedriveAnswer, triggerWhere } from '../triggers-format.js';

test('a schedule says when it fires and in which zone', () => {
  const cron = { when: { cron: { pattern: '30 2 * * *', timezone: 'Europe/Berlin' } } };
  assert.equal(scheduleWhen(cron), 'cron 30 2 * * *');
  assert.equal(scheduleZone(cron), 'Europe/Berlin');
  assert.equal(scheduleZone({ when: { cron: { pattern: '* * * * *' } } }), 'UTC');
  assert.equal(scheduleWhen({ when: { every: { ms: 60_000 } } }), 'every 1 min');
  assert.equal(scheduleWhen({ when: { at: { ms: 1 } } }), 'once');
  assert.equal(scheduleWhen({}), 'unknown');
  assert.equal(scheduleWhen(null), 'unknown');
});

test('an interval is written in its largest whole unit', () => {
  assert.equal(interval(3_600_000), '1 h');
  assert.equal(interval(90_000), '90 s');
  assert.equal(interval(120_000), '2 min');
  assert.equal(interval(172_800_000), '2 d');
  assert.equal(interval(1500), '1500 ms');
  assert.equal(interval(5400_000), '90 min');
});

test('a schedule states its overlap and catch-up policies, with the bound of "all"', () => {
  assert.equal(schedulePolicy({ overlap: 'queue', catchup: 'none' }), 'overlap queue · catch-up none');
  assert.equal(schedulePolicy({ overlap: 'allow', catchup: 'all', catchupMax: 10 }), 'overlap allow · catch-up all (at most 10)');
  assert.equal(schedulePolicy({}), 'overlap skip · catch-up last');
});

test('a trigger says what its where selects', () => {
  assert.equal(triggerWhere({ subject: 'question' }), 'subject == "question"');
  assert.equal(triggerWhere({ subject: null }), 'any event');
  assert.equal(triggerWhere({ subject: null, where: 'event.data.score > 3' }), 'event.data.score > 3');
  assert.equal(triggerWhere({ subject: 'q', where: 'event.data.n > 1' }), 'subject == "q" && event.data.n > 1');
});

test('a run started by an event links to the event, named with its type, subject and trigger', () => {
  const p = originParts({
    kind: 'event',
    trigger: 'AutomaticModeration',
    event: { id: 'machine:question/q1/1', type: 'created', subject: 'question', receivedAt: 5 },
  });
  assert.equal(p.kind, 'event');
  assert.equal(p.name, 'machine:question/q1/1');
  assert.equal(p.href, '/triggers?event=machine%3Aquestion%2Fq1%2F1');
  assert.equal(p.detail, 'type created · subject question · trigger AutomaticModeration');
  assert.equal(p.at, 5);
  const bare = originParts({ kind: 'event', trigger: 'T', event: { id: 'e', type: 'x', subject: null } });
  assert.equal(bare.detail, 'type x · trigger T');
});

test('a run started by a schedule names the schedule and how it fired', () => {
  const p = originParts({ kind: 'schedule', schedule: 'nightly report', fire: 'now', fireAt: 7 });
  assert.equal(p.href, '/triggers#schedule-nightly%20report');
  assert.equal(p.detail, 'triggered now');
  assert.equal(originParts({ kind: 'schedule', schedule: 's', fire: 'queued', fireAt: 1 }).detail, 'queued fire');
  assert.equal(originParts({ kind: 'schedule', schedule: 's', fire: 'scheduled', fireAt: 1 }).detail, 'scheduled fire');
  assert.equal(originParts(undefined), null);
  assert.equal(originParts({ kind: 'other' }), null);
});

test('an action on a schedule answers in a sentence from what the API returned', () => {
  assert.equal(actionAnswer('pause', { name: 'h' }), 'Paused h: it does not fire until resumed.');
  assert.equal(actionAnswer('resume', { name: 'h', nextAt: 0 }), 'Resumed h.');
  assert.equal(actionAnswer('resume', { name: 'h', nextAt: Date.UTC(2026, 0, 1) }), 'Resumed h: next fire 2026-01-01T00:00:00.000Z.');
  assert.equal(actionAnswer('trigger', { flow: 'F', lastRunId: 'r1' }), 'Started a run of F now: r1.');
});

test('a re-drive answers with the runs it started and the starts still failing', () => {
  assert.equal(redriveAnswer({ id: 'deep', starts: [{ trigger: 'T', flow: 'F', runId: null, error: 'too deep' }] }),
    'Re-drove deep: 0 runs started, 1 start still failing.');
  assert.equal(redriveAnswer({ id: 'e1', starts: [{ runId: 'r1' }, { runId: 'r2' }, { error: 'no' }, { error: 'no' }] }),
    'Re-drove e1: 2 runs started, 2 starts still failing.');
  assert.equal(redriveAnswer({ id: 'e2', starts: [] }), 'Re-drove e2: 0 runs started, 0 starts still failing.');
});

test('a trigger\'s re-drive counts events, runs and failures, and says when more are left', () => {
  assert.equal(triggerRedriveAnswer({ trigger: 'T', redriven: 1, runsStarted: 0, stillFailing: 1, more: false }),
    'Re-drove 1 event of T: 0 runs started, 1 start still failing.');
  assert.equal(triggerRedriveAnswer({ trigger: 'T', redriven: 1000, runsStarted: 998, stillFailing: 2, more: true }),
    'Re-drove 1,000 events of T: 998 runs started, 2 starts still failing. More are left: re-drive again.');
  assert.equal(triggerRedriveAnswer({ trigger: 'T', redriven: 3, runsStarted: 3, stillFailing: 0, more: true, error: 'the node is stopping' }),
    'Re-drove 3 events of T: 3 runs started, 0 starts still failing. Stopped: the node is stopping More are left: re-drive again.');
  assert.equal(triggerRedriveAnswer({ trigger: 'T', redriven: 0, runsStarted: 0, stillFailing: 0, more: false }),
    'Re-drove 0 events of T: 0 runs started, 0 starts still failing.');
});
