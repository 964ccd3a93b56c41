// Operating many runs, in Chromium: `node operating.mjs URL`, with the runs
// the caller set up described in WEFT_UI_TEST (JSON; see
// crates/weft-cli/tests/ui.rs, operating_many_runs_in_a_browser: a server
// with more than 10,000 runs). Search, bulk repair with a dry run, the
// workers view, stepping through a journal and forking, and each defect
// of issue 16, each in a step of its own (with `keepGoing`, every step runs
// and the failures are listed at the end).

import { readFileSync } from 'node:fs';
import { harness } from './harness.mjs';

const base = process.argv[2];
if (!base) {
  console.error('usage: node operating.mjs URL   (with WEFT_UI_TEST set; see crates/weft-cli/tests/ui.rs)');
  process.exit(2);
}
const cfg = JSON.parse(process.env.WEFT_UI_TEST || '{}');
const runs = cfg.runs;
const WIDE = { width: 1400, height: 900 };
const h = await harness(base, cfg);
const { step, expect, shot, api, newPage } = h;

const page = await newPage(WIDE, { acceptDownloads: true });
h.current = page;

/** Waits until the run page shows `status`. */
async function waitStatus(p, status) {
  await p.locator(`.run-head .badge[data-status="${status}"]`).waitFor();
}

/** The ids of the rows of the list, in order. */
function rowIds(p) {
  return p.locator('a.row').evaluateAll((rows) => rows.map((r) => r.dataset.id));
}

/** Waits until the API says run `id` satisfies `ok`. */
async function until(id, ok, what) {
  const t0 = Date.now();
  for (;;) {
    const { body } = await api(`/v1/runs/${id}`);
    if (body && ok(body)) return body;
    if (Date.now() - t0 > 15_000) throw new Error(`run ${id} did not ${what}: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

await step('search finds runs among more than 10,000 by a condition, with the exact count', async () => {
  await page.goto(`${base}/`);
  await page.locator('.chip[data-status="all"] .count').waitFor();
  const all = Number((await page.locator('.chip[data-status="all"] .count').textContent()).replace(/,/g, ''));
  expect(all >= 10_000, `the All chip counts every run: ${all}`);
  await page.locator('#search-q').fill('run.flow == "Pay" && input.nick == "bob"');
  await page.locator('#search-go').click();
  await page.waitForURL(/q=/);
  await page.locator('#match-count strong[data-total="8"]').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('a.row').length === 8);
  const statuses = await page.locator('a.row').evaluateAll((rows) => rows.map((r) => r.dataset.status));
  expect(statuses.every((s) => s === 'failed'), `eight failed Pay runs of bob: ${statuses}`);
  await shot(page, 'search-1400x900');
  // A condition that does not parse is said at the search box.
  await page.locator('#search-q').fill('input.nick ==');
  await page.locator('#search-go').click();
  await page.locator('#search-error').waitFor();
  expect(/`q`/.test(await page.locator('#search-error').textContent()), 'the error names q');
  // Top-level runs only: the sub-flows leave the count.
  await page.goto(`${base}/`);
  const before = Number(await page.locator('#match-count strong').getAttribute('data-total'));
  await page.locator('#top-level').check();
  await page.waitForURL(/topLevel=true/);
  await page.waitForFunction((n) => Number(document.querySelector('#match-count strong')?.dataset.total) < n, before);
});

await step('bulk retry: a dry run counts and shows the runs, then the action is confirmed and audited', async () => {
  await page.goto(`${base}/?q=${encodeURIComponent('run.flow == "Pay" && input.nick == "bob"')}`);
  await page.locator('#match-count strong[data-total="8"]').waitFor();
  await page.locator('#bulk-open').click();
  await page.locator('#bulk-actor').fill('ann@ops');
  await page.locator('#bulk-dry').click();
  await page.locator('#bulk-matched[data-matched="8"]').waitFor();
  expect(await page.locator('#bulk-sample li').count() === 8, 'the sample lists the runs');
  const still = await api(`/v1/runs?q=${encodeURIComponent('run.flow == "Pay" && status == "failed"')}`);
  expect(still.body.total === 12, `a dry run changes nothing: ${still.body.total} failed`);
  await shot(page, 'bulk-dry-run-1400x900');
  await page.locator('#bulk-confirm').click();
  await page.locator('#bulk-done').filter({ hasText: 'Retry: 8 of 8 runs' }).waitFor();
  await page.goto(`${base}/audit`);
  const row = page.locator('#audit tr[data-action="bulk-retry"]').first();
  await row.waitFor();
  expect((await row.locator('.actor').textContent()) === 'ann@ops', 'the audit log names who');
  expect(/8 of 8/.test(await row.textContent()), `and how many: ${await row.textContent()}`);
  await shot(page, 'audit-1400x900');
});

await step('the workers view shows each queue; nobody polls ReserveNick, and its runs say so (defect: slow and undeployed looked the same)', async () => {
  await page.goto(`${base}/workers`);
  const q = page.locator('#queues tr[data-activity="ReserveNick"]');
  await q.waitFor();
  expect(await q.getAttribute('data-stalled') === 'true', 'ReserveNick is marked');
  expect(Number(await q.locator('[data-ready]').getAttribute('data-ready')) >= 3, 'its tasks wait');
  expect(/no worker has polled ReserveNick/.test(await q.textContent()), 'and why');
  await page.locator('#workers tr[data-worker="ops-test"]').waitFor();
  await shot(page, 'workers-1400x900');
  await page.goto(`${base}/?id=${runs.signups[0]}`);
  const row = page.locator(`a.row[data-id="${runs.signups[0]}"]`);
  await row.waitFor();
  expect(/no worker has polled ReserveNick/.test(await row.textContent()), `the row says so: ${await row.textContent()}`);
  expect(!/calling ReserveNick/.test(await row.textContent()), 'not "calling ReserveNick"');
  await row.click();
  await page.locator('#stalled').filter({ hasText: 'no worker has polled ReserveNick' }).waitFor();
});

await step('stepping through a journal shows the variables and where the flow stood; a fork goes on from a step', async () => {
  await page.goto(`${base}/runs/${runs.trip}`);
  await waitStatus(page, 'failed');
  await page.locator('#step-through').click();
  await page.locator('#step-label').filter({ hasText: 'Step 3 of 3' }).waitFor();
  await page.locator('#step-prev').click();
  await page.locator('#step-label').filter({ hasText: 'Step 2 of 3' }).waitFor();
  await page.locator('tr.var[data-name="nights"] code').filter({ hasText: /^3$/ }).waitFor();
  await page.locator(`.source .ln.mark.tone-info[data-line="${cfg.lines.rent}"]`).waitFor();
  await shot(page, 'step-through-1400x900');
  await page.locator('#step-prev').click();
  await page.locator('#step-label').filter({ hasText: 'Step 1 of 3' }).waitFor();
  await page.locator('tr.var[data-name="city"] code').filter({ hasText: '"Oslo"' }).waitFor();
  await page.locator(`.source .ln.mark.tone-info[data-line="${cfg.lines.book}"]`).waitFor();
  expect(await page.locator('tr.var[data-name="hotel"] code').textContent() === 'null', 'not yet booked at step 1');
  await page.locator('#step-slider').fill('2');
  await page.locator('#step-label').filter({ hasText: 'Step 2 of 3' }).waitFor();
  // The dialog offers the flow's newer version; the state at step 2 waits
  // on the Rent call that version changed, so the checker refuses it.
  await page.locator('#act-fork').click();
  await page.locator('#confirm-dialog').filter({ hasText: 'Fork a new run from step 2?' }).waitFor();
  expect(await page.locator('#fork-version option').count() === 2, 'its own version and the newer one');
  await page.locator('#fork-version').selectOption(String(cfg.tripV2));
  await page.locator('#confirm-yes').click();
  await page.locator('#step-body .bad').filter({ hasText: new RegExp(`cannot move from version \\d+ to ${cfg.tripV2}`) }).waitFor();
  expect(page.url().endsWith(runs.trip), 'a refused fork stays on the run');
  // On its own version (the default).
  await page.locator('#act-fork').click();
  await page.locator('#confirm-dialog').filter({ hasText: 'Fork a new run from step 2?' }).waitFor();
  await page.locator('#confirm-yes').click();
  await page.locator('#forked-from').filter({ hasText: runs.trip }).waitFor();
  expect(!page.url().endsWith(runs.trip), 'the new run\'s page');
  await waitStatus(page, 'completed');
  await page.locator('.timeline .item.k-forked').waitFor();
  await shot(page, 'fork-1400x900');
});

await step('the journal shows every attempt\'s time of day and downloads as JSON with absolute times', async () => {
  await page.goto(`${base}/runs/${runs.pays[1]}`);
  await page.locator('.timeline .item.k-call').first().waitFor();
  const times = await page.locator('.timeline .attempt time.abs').allTextContents();
  expect(times.length >= 2 && times.every((t) => /^\d\d:\d\d:\d\d\.\d{3}$/.test(t)), `attempt times: ${times}`);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#download-journal').click()]);
  expect(dl.suggestedFilename() === `run-${runs.pays[1]}.json`, dl.suggestedFilename());
  const file = JSON.parse(readFileSync(await dl.path(), 'utf8'));
  expect(file.run.id === runs.pays[1] && file.steps.length >= 3, `the file: ${file.steps?.length} steps`);
  for (const s of file.steps) for (const e of s.entries) expect(/^\d{4}-\d\d-\d\dT/.test(e.at) && typeof e.atMs === 'number', JSON.stringify(e));
});

await step('a run whose oldest journal steps are no longer kept says so above its timeline (issue 14)', async () => {
  await page.goto(`${base}/runs/${runs.longJournal}`);
  await waitStatus(page, 'completed');
  await page.locator('#journal-dropped').filter({ hasText: `The oldest ${cfg.droppedSteps} steps are no longer kept` }).waitFor();
  await page.locator('.timeline > .item').first().waitFor();
  await shot(page, 'journal-dropped-1400x900');
});

await step('a parent whose sub-flow failed says so (defect: it looked like any waiting run)', async () => {
  await page.goto(`${base}/runs/${runs.onboard}`);
  await page.locator('#failed-child').filter({ hasText: 'SetupIT' }).filter({ hasText: 'directory is read-only' }).waitFor();
  await page.goto(`${base}/?id=${runs.onboard}`);
  const row = page.locator(`a.row[data-id="${runs.onboard}"] .why.blocked`);
  await row.waitFor();
  expect(/sub-flow SetupIT failed/.test(await row.textContent()), await row.textContent());
});

await step('the flows page counts exactly, and counts inline sub-flows\' runs (defect: "498+", sub-flows nowhere)', async () => {
  const { body } = await api('/v1/runs/counts?flow=Signup');
  await page.goto(`${base}/flows`);
  const pill = page.locator('.flow-card[data-flow="Signup"] .badge[data-status="running"]:not([data-sub])');
  await pill.waitFor();
  expect(Number(await pill.getAttribute('data-count')) === body.counts.running, `${await pill.textContent()} for ${body.counts.running}`);
  expect(!/\+/.test(await pill.textContent()), 'no "+"');
  await page.locator('.flow-card[data-flow="Onboard"] .badge[data-sub="true"][data-status="failed"]').filter({ hasText: '1 failed in sub-flows' }).waitFor();
  await shot(page, 'flows-1400x900');
});

await step('after a retry that fails again, the page does not go on saying the run is running (defect)', async () => {
  await page.goto(`${base}/runs/${runs.pays[0]}`);
  await waitStatus(page, 'failed');
  await page.locator('#act-retry').click();
  await page.locator('#confirm-yes').click();
  await page.locator('.outcome').filter({ hasText: 'Retried' }).waitFor();
  await until(runs.pays[0], (r) => r.status === 'failed' && r.updatedAt, 'fail again');
  await waitStatus(page, 'failed');
  await page.locator('.outcome .again').filter({ hasText: 'failed again' }).waitFor();
  expect(await page.locator('.outcome .ok').count() === 0, 'no green "the run is now running"');
});

await step('the retried attempt comes after "Retried by an operator" (defect: it was drawn above)', async () => {
  const kinds = await page.locator('.timeline > .item').evaluateAll((items) => items.map((i) => (i.textContent.includes('Retried by an operator') ? 'retried' : i.classList.contains('k-call') ? 'call' : 'other')));
  const retried = kinds.indexOf('retried');
  expect(retried >= 0 && kinds.lastIndexOf('call') > retried, `order: ${kinds}`);
});

await step('back-off timers are told on their call, not as "Timer fired" rows (defect)', async () => {
  expect(await page.locator('.timeline > .item.k-timer').count() === 0, 'no timer rows');
  await page.locator('.timeline .item.k-call .attempt.note').filter({ hasText: 'back-off ended' }).first().waitFor();
});

await step('a cancelled run\'s call does not say it waits for its callback (defect)', async () => {
  await page.goto(`${base}/runs/${runs.approveCancel}`);
  await waitStatus(page, 'waiting');
  await page.locator('#act-cancel').click();
  await page.locator('#confirm-yes').click();
  await waitStatus(page, 'cancelled');
  const call = page.locator('.timeline .item.k-call').filter({ hasText: 'Approve' });
  await call.locator('.tag').filter({ hasText: 'cancelled with the run' }).waitFor();
  expect(!/waiting for callback/.test(await call.textContent()), await call.textContent());
});

await step('a page that failed to load while the server was away comes back with it (defect: it stayed failed)', async () => {
  const p = await newPage(WIDE);
  h.current = p;
  await p.route('**/v1/**', (r) => r.abort());
  await p.goto(`${base}/runs/${runs.trip}`);
  await p.locator('#load-failed').waitFor();
  await p.locator('#retry-load').waitFor();
  expect(/did not answer/.test(await p.locator('#load-failed').textContent()), await p.locator('#load-failed').textContent());
  await p.unroute('**/v1/**');
  await p.locator('.run-head .badge').waitFor();
  await p.context().close();
  h.current = page;
});

await step('repair editors start from the declared result type (defect: always {"status": "ok"})', async () => {
  await page.goto(`${base}/runs/${runs.trip}`);
  await waitStatus(page, 'failed');
  await page.locator('#resolve-declared').filter({ hasText: '{car: string, nights: int}' }).waitFor();
  const text = await page.locator('#resolve-value').inputValue();
  expect(text === '{\n  "car": "",\n  "nights": 0\n}', `the declared fields, in order: ${text}`);
  await page.goto(`${base}/runs/${runs.approveEdit}`);
  await waitStatus(page, 'waiting');
  await page.locator('.declared').filter({ hasText: 'reason' }).waitFor();
  const c = await page.locator('#callback-value-0').inputValue();
  expect(c === '{\n  "status": "",\n  "reason": ""\n}', `the declared fields, in order: ${c}`);
});

await step('the list does not move under the pointer (defect: it reordered every 2 s)', async () => {
  await page.goto(`${base}/`);
  await page.locator('a.row').nth(10).waitFor();
  await page.locator('a.row').nth(5).hover();
  const before = await rowIds(page);
  for (const nick of ['x1', 'x2', 'x3']) {
    await api('/v1/runs', { method: 'POST', body: JSON.stringify({ flow: 'Signup', input: { nick } }) });
  }
  await page.locator('#list-paused:not(.hidden)').waitFor();
  await page.waitForTimeout(2500);
  expect(JSON.stringify(await rowIds(page)) === JSON.stringify(before), 'the rows stay while the pointer is on them');
  await page.mouse.move(5, 5);
  await page.waitForFunction((first) => document.querySelector('a.row')?.dataset.id !== first, before[0]);
});

await step('Back puts the list where it was scrolled (defect: it lost the position)', async () => {
  await page.goto(`${base}/`);
  await page.locator('a.row').nth(40).waitFor();
  const row = page.locator('a.row').nth(40);
  await row.scrollIntoViewIfNeeded();
  await page.waitForTimeout(200);
  const y = await page.evaluate(() => window.scrollY);
  expect(y > 1000, `scrolled: ${y}`);
  const id = await row.getAttribute('data-id');
  await row.click();
  await page.waitForURL(`**/runs/${id}`);
  await page.locator('.run-head').waitFor();
  await page.goBack();
  await page.locator('a.row').nth(40).waitFor();
  await page.waitForFunction((y0) => Math.abs(window.scrollY - y0) < 60, y, { timeout: 5000 }).catch(async () => {
    const seen = await page.evaluate(() => ({ y: window.scrollY, height: document.documentElement.scrollHeight, state: history.state }));
    throw new Error(`back at ${JSON.stringify(seen)}, not ${y}`);
  });
});

await step('a "line N" button brings the source on screen (defect: it scrolled a panel off screen)', async () => {
  const p = await newPage({ width: 900, height: 700 });
  h.current = p;
  await p.goto(`${base}/runs/${runs.trip}`);
  await p.locator('.timeline .chip-line').first().waitFor();
  await p.evaluate(() => window.scrollTo(0, 0));
  const btn = p.locator('.timeline .chip-line').first();
  await btn.click();
  const focus = p.locator('.source .ln.focus');
  await focus.waitFor();
  const box = await focus.boundingBox();
  expect(box && box.y >= 0 && box.y + box.height <= 700, `the line is on screen: ${JSON.stringify(box)}`);
  await p.context().close();
  h.current = page;
});

await step('the flow filter offers inline sub-flows (defect: it left them out)', async () => {
  await page.goto(`${base}/`);
  await page.locator('#flow-filter option[value="SetupIT"]').waitFor({ state: 'attached' });
  await page.locator('#flow-filter').selectOption('SetupIT');
  await page.waitForURL(/flow=SetupIT/);
  await page.locator('#match-count strong[data-total="1"]').waitFor();
});

await step('source line numbers are readable: contrast of at least 4.5 (defect: low contrast)', async () => {
  await page.goto(`${base}/runs/${runs.trip}`);
  await page.locator('.source .ln .no').first().waitFor();
  const ratio = await page.evaluate(() => {
    const no = [...document.querySelectorAll('.source .ln:not(.mark) .no:not(.ran)')][0];
    const rgb = (s) => s.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
    const lum = ([r, g, b]) => {
      const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const st = getComputedStyle(no);
    const a = lum(rgb(st.color)), b = lum(rgb(st.backgroundColor));
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });
  expect(ratio >= 4.5, `contrast ${ratio.toFixed(2)}`);
});

await h.done();
console.log('all steps of many runs passed');
