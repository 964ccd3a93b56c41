// Unit tests of journal.js: a run's journal read page after page, against
// a fake of `GET /v1/runs/{id}/journal` that pages as the server does
// (cursor `<step>.<entry>`, the next entry to read).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { JOURNAL_PAGES_MAX, readJournal } from '../journal.js';

/** A journal of `steps` (a list of entry counts, step numbers from
 * `first`), served `limit` entries a page; `reads` lists the cursors asked. */
function server(steps, { first = 1, limit = 3 } = {}) {
  const s = { steps, first, reads: [] };
  s.fetch = async (cursor) => {
    s.reads.push(cursor);
    const all = [];
    s.steps.forEach((n, i) => {
      for (let e = 0; e < n; e += 1) all.push({ step: s.first + i, entry: e, type: 'now' });
    });
    let from = 0;
    if (cursor) {
      const [step, entry] = cursor.split('.').map(Number);
      from = all.findIndex((x) => x.step > step || (x.step === step && x.entry >= entry));
      if (from < 0) from = all.length;
    }
    const entries = all.slice(from, from + limit);
    const after = all[from + limit];
    const page = { entries, nextCursor: after ? `${after.step}.${after.entry}` : null };
    if (!cursor && s.first > 1) page.droppedSteps = s.first - 1;
    return page;
  };
  return s;
}

const ids = (j) => j.entries.map((e) => `${e.step}.${e.entry}`);

test('every page is read, in order', async () => {
  const s = server([2, 3, 1, 4]);
  const j = await readJournal(s.fetch, null);
  assert.deepEqual(ids(j), ['1.0', '1.1', '2.0', '2.1', '2.2', '3.0', '4.0', '4.1', '4.2', '4.3']);
  assert.deepEqual(s.reads, ['', '2.1', '4.0', '4.3']);
  assert.equal(j.droppedSteps, 0);
  assert.equal(j.capped, false);
});

test('a refresh reads the first page and the last one again, and what came after', async () => {
  const s = server([2, 3, 1, 4]);
  const j = await readJournal(s.fetch, null);
  s.steps.push(2, 2);
  s.reads = [];
  const k = await readJournal(s.fetch, j);
  assert.deepEqual(s.reads, ['', '4.3', '6.0']);
  assert.equal(k.entries.length, 14);
  assert.deepEqual(ids(k).slice(-4), ['5.0', '5.1', '6.0', '6.1']);
  // Nothing new: two reads.
  s.reads = [];
  const l = await readJournal(s.fetch, k);
  assert.deepEqual(s.reads, ['', '6.0']);
  assert.deepEqual(ids(l), ids(k));
});

test('a journal whose oldest steps were dropped is read again from its start', async () => {
  const s = server([2, 3, 1, 4]);
  const j = await readJournal(s.fetch, null);
  s.steps = [1, 4, 2, 2];
  s.first = 3;
  s.reads = [];
  const k = await readJournal(s.fetch, j);
  assert.deepEqual(s.reads, ['', '4.2', '5.1']);
  assert.deepEqual(ids(k), ['3.0', '4.0', '4.1', '4.2', '4.3', '5.0', '5.1', '6.0', '6.1']);
  assert.equal(k.droppedSteps, 2);
});

test('reading stops at JOURNAL_PAGES_MAX pages and says so', async () => {
  const s = server(new Array(JOURNAL_PAGES_MAX * 3 + 2).fill(1));
  const j = await readJournal(s.fetch, null);
  assert.equal(s.reads.length, JOURNAL_PAGES_MAX);
  assert.equal(j.entries.length, JOURNAL_PAGES_MAX * 3);
  assert.equal(j.capped, true);
});

test('a cursor that does not move ends the reading', async () => {
  const fetch = async (cursor) => ({ entries: [{ step: 1, entry: cursor }], nextCursor: '1.1' });
  const j = await readJournal(fetch, null);
  assert.equal(j.entries.length, 2);
  assert.equal(j.capped, true);
});

test('leaving the page stops reading', async () => {
  const s = server([5, 5, 5]);
  let left = false;
  const fetch = async (c) => { const p = await s.fetch(c); left = s.reads.length >= 2; return p; };
  assert.equal(await readJournal(fetch, null, () => !left), null);
  assert.equal(s.reads.length, 2);
});
