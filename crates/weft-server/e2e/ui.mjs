// The web UI in Chromium: `node ui.mjs URL`, with the runs the caller set up
// described in WEFT_UI_TEST (JSON; see crates/weft-cli/tests/ui.rs, which
// runs this as part of `cargo test`). Prints one line per step; exits 1 on
// the first failure, with a screenshot of it in the artifacts folder.

import { chromium } from 'playwright-core';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const base = process.argv[2];
if (!base) {
  console.error('usage: node ui.mjs URL   (with WEFT_UI_TEST set; see crates/weft-cli/tests/ui.rs)');
  process.exit(2);
}
const cfg = JSON.parse(process.env.WEFT_UI_TEST || '{}');
const runs = cfg.runs;
const artifacts = cfg.artifacts || 'ui-artifacts';
mkdirSync(artifacts, { recursive: true });
// Screenshots of an earlier run's failure would mislead.
for (const f of readdirSync(artifacts)) if (f.startsWith('failure-')) rmSync(join(artifacts, f));

const WIDE = { width: 1400, height: 900 };
const NARROW = { width: 400, height: 800 };
const T = 15_000; // longest wait for one thing to appear

const browser = await chromium.launch({
  executablePath: cfg.chromium || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});

const problems = [];
async function newPage(viewport) {
  const ctx = await browser.newContext({ viewport });
  const page = await ctx.newPage();
  page.setDefaultTimeout(T);
  page.on('pageerror', (e) => problems.push(`uncaught error: ${e.message}`));
  page.on('console', (m) => {
    // Chromium logs every 4xx fetch as an error; those are expected here.
    if (m.type() === 'error' && !/status of (400|401|404|409)/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return page;
}

let current = null;
let failed = false;
async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    if (problems.length) throw new Error(problems.splice(0).join('\n'));
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed = true;
    console.log(`FAIL ${name} (${Date.now() - t0} ms)\n${e.stack || e}`);
    if (current) {
      const shot = join(artifacts, `failure-${name.replace(/\W+/g, '-')}.png`);
      await current.screenshot({ path: shot, fullPage: true }).catch(() => {});
      console.log(`     screenshot: ${shot}`);
    }
    await browser.close();
    process.exit(1);
  }
}

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

async function shot(page, name, options = {}) {
  const path = join(artifacts, `${name}.png`);
  await page.screenshot({ path, ...options });
  console.log(`     screenshot: ${path}`);
}

/** Waits until the run page shows `status`. */
async function waitStatus(page, status) {
  await page.locator(`.run-head .badge[data-status="${status}"]`).waitFor();
}

async function api(path, init = {}) {
  const r = await fetch(base + path, { ...init, headers: { 'Content-Type': 'application/json', ...(init.headers || {}) } });
  return { status: r.status, body: await r.json().catch(() => null) };
}

const page = await newPage(WIDE);
current = page;

await step('runs list shows counts per status and every run', async () => {
  await page.goto(base + '/');
  for (const [status, n] of Object.entries(cfg.counts)) {
    await page.locator(`.chip[data-status="${status}"] .count`).filter({ hasText: new RegExp(`^${n}$`) }).waitFor();
  }
  const total = Object.values(cfg.counts).reduce((a, b) => a + b, 0);
  expect(await page.locator('.chip[data-status="all"] .count').textContent() === String(total), 'the All chip counts every run');
  for (const id of Object.values(runs)) await page.locator(`a.row[data-id="${id}"]`).waitFor();
  const held = page.locator(`a.row[data-id="${runs.running}"]`);
  expect(/calling Hold/.test(await held.textContent()), 'the running row says what it waits for');
  expect((await held.textContent()).includes(`order.weft:${cfg.lines.hold}`), 'the running row shows its position');
  expect(/Hold\(order\.id\)/.test(await held.textContent()), 'the running row shows its source line');
  const cb = page.locator(`a.row[data-id="${runs.waiting}"]`);
  expect(/callback · Confirm/.test(await cb.textContent()), 'the waiting row names its callback');
  await shot(page, 'runs-1400x900');
});

await step('the failed chip filters the list; a row opens the run', async () => {
  await page.locator('.chip[data-status="failed"]').click();
  await page.waitForURL(/status=failed/);
  await page.locator('.chip[data-status="failed"][aria-pressed="true"]').waitFor();
  await page.locator(`a.row[data-id="${runs.retry}"]`).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('a.row').length === 5);
  const statuses = await page.locator('a.row').evaluateAll((rows) => rows.map((r) => r.dataset.status));
  expect(statuses.every((s) => s === 'failed'), `only failed runs: ${statuses}`);
  await page.locator(`a.row[data-id="${runs.retry}"]`).click();
  await page.waitForURL(`**/runs/${runs.retry}`);
  await waitStatus(page, 'failed');
});

await step('a run this build cannot read says why in the list and on its page, with no repair', async () => {
  const own = await newPage(WIDE);
  current = own;
  await own.goto(`${base}/?status=failed`);
  const row = own.locator(`a.row[data-id="${runs.unreadable}"]`);
  await row.waitFor();
  expect((await row.textContent()).includes('unreadable_state'), 'the row names the code');
  await own.goto(`${base}/runs/${runs.unreadable}`);
  const callout = own.locator('#unreadable');
  await callout.waitFor();
  const text = await callout.textContent();
  expect(/unreadable_state/.test(text) && /version 99/.test(text) && /reads versions 1 to 1/.test(text), `the callout says what and why: ${text}`);
  expect(/Upgrading Weft/.test(text), 'the callout says where to read on');
  await own.waitForTimeout(300);
  expect(await own.locator('#act-retry').count() === 0, 'no repair is offered');
  await shot(own, 'run-unreadable-1400x900');
  await own.context().close();
  current = page;
});

await step('a failed run shows its error and highlights its source line', async () => {
  await page.locator('.callout.tone-failed').filter({ hasText: 'card declined: insufficient funds' }).waitFor();
  const mark = page.locator('.source .ln.mark.tone-failed');
  await mark.waitFor();
  expect(await mark.getAttribute('data-line') === String(cfg.lines.charge), 'the failed line is marked');
  expect((await mark.textContent()).includes('Charge(order.amount)'), 'the marked line is the call');
  await page.locator('.timeline .item.k-call').filter({ hasText: 'Charge' }).filter({ hasText: 'failed' }).waitFor();
  await page.locator('.timeline .item.k-failed').waitFor();
  await page.waitForTimeout(300);
  await shot(page, 'run-failed-1400x900');
  await shot(page, 'run-failed-1400x900-full', { fullPage: true });
});

await step('retry asks for confirmation, then the run completes', async () => {
  await page.locator('#act-retry').click();
  const dialog = page.locator('#confirm-dialog');
  await dialog.waitFor();
  expect((await dialog.textContent()).includes('Retry the failed step?'), 'the dialog says what happens');
  await page.locator('#confirm-yes').click();
  await page.locator('.outcome .ok').filter({ hasText: 'Retried' }).waitFor();
  await waitStatus(page, 'completed');
  await page.locator('.timeline .item').filter({ hasText: 'Retried by an operator' }).waitFor();
  await page.locator('.callout.tone-completed').filter({ hasText: 'ch-500' }).waitFor();
});

await step('resolve validates the JSON before sending, then completes the run', async () => {
  await page.goto(`${base}/runs/${runs.resolve}`);
  await waitStatus(page, 'failed');
  const editor = page.locator('#resolve-value');
  const button = page.locator('#act-resolve');
  await editor.fill('{"chargeId": ');
  await page.locator('.json-msg.bad').filter({ hasText: 'Not valid JSON' }).waitFor();
  expect(await button.isDisabled(), 'the button is disabled while the JSON is invalid');
  expect(await editor.getAttribute('aria-invalid') === 'true', 'the editor is marked invalid');
  await editor.fill('{"chargeId": "manual-1"}');
  await page.locator('.json-msg.ok').waitFor();
  expect(!(await button.isDisabled()), 'valid JSON enables the button');
  await button.click();
  await page.locator('#confirm-dialog').filter({ hasText: 'manual-1' }).waitFor();
  await page.locator('#confirm-yes').click();
  await page.locator('.outcome .ok').filter({ hasText: 'Resolved' }).waitFor();
  await waitStatus(page, 'completed');
  await page.locator('.callout.tone-completed').filter({ hasText: 'manual-1' }).waitFor();
  await page.locator('.timeline .item').filter({ hasText: 'Resolved by an operator' }).waitFor();
});

await step('a waiting run shows its token; the callback is sent through the UI', async () => {
  await page.goto(`${base}/runs/${runs.callback}`);
  await waitStatus(page, 'waiting');
  const { body: run } = await api(`/v1/runs/${runs.callback}`);
  const token = run.waitingFor[0].token;
  await page.locator(`.waits code[data-token="${token}"]`).waitFor();
  const mark = page.locator('.source .ln.mark.tone-waiting');
  await mark.waitFor();
  expect(await mark.getAttribute('data-line') === String(cfg.lines.confirm), 'the awaited line is marked');
  await page.waitForTimeout(300);
  await shot(page, 'run-waiting-1400x900');
  const editor = page.locator('#callback-value-0');
  await editor.fill('{"confirmed": tru');
  expect(await page.locator('#act-callback').isDisabled(), 'invalid JSON disables the callback');
  await editor.fill('{"confirmed": true}');
  await page.locator('#act-callback').click();
  await page.locator('#confirm-yes').click();
  await page.locator('.outcome .ok').filter({ hasText: 'Callback accepted' }).waitFor();
  await waitStatus(page, 'completed');
  await page.locator('.timeline .item.k-call').filter({ hasText: 'Confirm' }).filter({ hasText: 'callback' }).waitFor();
});

await step('cancel from the UI', async () => {
  await page.goto(`${base}/runs/${runs.cancelUi}`);
  await waitStatus(page, 'waiting');
  await page.locator('#act-cancel').click();
  await page.locator('#confirm-dialog').filter({ hasText: 'Cancel this run?' }).waitFor();
  await page.locator('#confirm-yes').click();
  await waitStatus(page, 'cancelled');
  await page.locator('.timeline .item.k-cancelled').waitFor();
});

await step('a long run\'s timeline follows the journal\'s pages to its end', async () => {
  // Its journal is longer than one page of the API (ui.rs checks that).
  await page.goto(`${base}/runs/${runs.completed}`);
  await waitStatus(page, 'completed');
  await page.locator('.timeline .item.k-completed').waitFor();
  const packs = await page.locator('.timeline .item.k-call').filter({ hasText: 'Pack' }).count();
  expect(packs === cfg.packs, `every Pack call is on the timeline: ${packs} of ${cfg.packs}`);
  const charge = page.locator('.timeline .item.k-call').filter({ hasText: 'Charge' });
  expect(await charge.count() === 1, 'the call after the first page is on the timeline');
  expect(await page.locator('#journal-capped, #journal-dropped').count() === 0, 'nothing is said to be left out');
});

await step('a refused action shows the API error', async () => {
  // A page whose timers are frozen keeps showing the run as failed after
  // someone else repaired it; its retry is then refused by the server.
  const frozen = await newPage(WIDE);
  current = frozen;
  await frozen.clock.install();
  await frozen.goto(`${base}/runs/${runs.stale}`);
  await frozen.locator('#act-retry').waitFor();
  const r = await api(`/v1/runs/${runs.stale}/resolve`, { method: 'POST', body: JSON.stringify({ value: { chargeId: 'elsewhere' } }) });
  expect(r.status === 200, `resolved through the API: ${JSON.stringify(r)}`);
  await frozen.locator('#act-retry').click();
  await frozen.locator('#confirm-yes').click();
  const bad = frozen.locator('.outcome .bad');
  await bad.waitFor();
  const text = await bad.textContent();
  expect(/409/.test(text) && /not_applicable/.test(text), `the status and code are shown: ${text}`);
  await frozen.context().close();
  current = page;
});

await step('upgrade: the checker\'s verdict comes first; a refused one says why, an accepted one is confirmed', async () => {
  const { refused, accepted } = cfg.versions;
  await page.goto(`${base}/runs/${runs.upgrade}`);
  await waitStatus(page, 'waiting');
  const select = page.locator('#upgrade-version');
  await select.waitFor();
  expect(await select.inputValue() === String(accepted), 'the newest version is offered first');
  await select.selectOption(String(refused));
  await page.locator('#act-upgrade').filter({ hasText: `Upgrade to version ${refused}` }).click();
  const no = page.locator('.upgrade-card .verdict.refused');
  await no.waitFor();
  const why = await no.textContent();
  expect(/`Audit\(order\.id\)`\) is a new step before the wait/.test(why), `the reason names the new step: ${why}`);
  expect(!(await page.locator('#confirm-dialog').isVisible()), 'a refused upgrade asks for no confirmation');
  await shot(page, 'run-upgrade-refused-1400x900');
  await select.selectOption(String(accepted));
  await page.locator('#act-upgrade').filter({ hasText: `Upgrade to version ${accepted}` }).click();
  const dialog = page.locator('#confirm-dialog');
  await dialog.filter({ hasText: `Upgrade this run to version ${accepted}?` }).waitFor();
  const verdict = await dialog.textContent();
  expect(/accepts the move from version 1 to 3/.test(verdict) && /Order line 5/.test(verdict), `the verdict shows what moves: ${verdict}`);
  expect(/variables order/.test(verdict), `and the variables: ${verdict}`);
  await shot(page, 'run-upgrade-verdict-1400x900');
  await page.locator('#confirm-yes').click();
  await page.locator('.outcome .ok').filter({ hasText: `Upgraded to version ${accepted}` }).waitFor();
  await page.locator('.facts').filter({ hasText: `version ${accepted}` }).waitFor();
  await page.locator('.timeline .item.k-upgraded').filter({ hasText: `Upgraded from version 1 to ${accepted}` }).filter({ hasText: 'by web UI' }).waitFor();
  const { body: run } = await api(`/v1/runs/${runs.upgrade}`);
  expect(run.version === accepted, `the run is on version ${accepted}: ${JSON.stringify(run)}`);
  // Nothing newer: no upgrade is offered any more.
  await page.locator('.upgrade-card').waitFor({ state: 'detached' });
});

await step('parent-less runs link to the flow; the flow page draws the diagram with counts', async () => {
  await page.goto(`${base}/runs/${runs.failed}`);
  await page.locator('.facts a', { hasText: 'Order' }).click();
  await page.waitForURL(/\/flows\/Order\?version=/);
  await page.locator('svg.graph').waitFor();
  const badge = async (line) => page.locator(`svg.graph .node[data-line="${line}"] .badge`).getAttribute('data-count');
  await page.waitForFunction(() => document.querySelectorAll('svg.graph .badge').length === 3);
  expect(await badge(cfg.lines.hold) === '1', 'one run stands at Hold');
  // One waits there; the unreadable run stands there too, failed.
  expect(await badge(cfg.lines.confirm) === '2', `two runs stand at Confirm: ${await badge(cfg.lines.confirm)}`);
  expect(await badge(cfg.lines.charge) === '1', 'one run failed at Charge');
  expect(await page.locator(`svg.graph .node.tone-failed[data-line="${cfg.lines.charge}"]`).count() === 1, 'the failed node is red');
  for (const kind of ['start', 'call', 'await', 'parallel', 'join', 'branch', 'loop', 'return']) {
    expect(await page.locator(`svg.graph .node[data-kind="${kind}"]`).count() > 0, `a ${kind} node`);
  }
  expect(await page.locator('svg.graph path.edge-back').count() === 1, 'the loop has its edge back');
  await shot(page, 'flow-1400x900');
  await page.locator(`svg.graph .node[data-line="${cfg.lines.charge}"]`).click();
  await page.locator(`.source .ln.focus[data-line="${cfg.lines.charge}"]`).waitFor();
  await page.goto(`${base}/flows`);
  await page.locator('.flow-card[data-flow="Order"]').waitFor();
});

await step('the activities page: where each activity runs, its limits, live figures', async () => {
  // Without a plan: the activities the deployed flow calls, none placed.
  await page.goto(base + '/');
  await page.locator('nav a[data-tab="activities"]').click();
  await page.waitForURL('**/activities');
  await page.locator('.activities-page p.muted').filter({ hasText: 'without a deployment plan' }).waitFor();
  // Every deployed version's calls: the upgrade step's version 2 adds Notify.
  const called = ['Address', 'Charge', 'Confirm', 'Fraud', 'Hold', 'Notify', 'Pack', 'Reserve'];
  for (const n of called) await page.locator(`tr[data-activity="${n}"][data-kind="none"]`).waitFor();
  const listed = await page.locator('tr[data-activity]').evaluateAll((rows) => rows.map((r) => r.dataset.activity));
  expect(JSON.stringify(listed) === JSON.stringify(called), `the called activities, sorted: ${listed}`);
  // The held run's task is the one nobody polls.
  const holdReady = page.locator('tr[data-activity="Hold"] td[data-figure="ready"]');
  expect(await holdReady.textContent() === '1', `Hold has one ready task: ${await holdReady.textContent()}`);

  // With a plan: each activity's placement, and figures that follow the queue.
  const planned = await newPage(WIDE);
  current = planned;
  await planned.goto(`${cfg.planUrl}/activities`);
  await planned.locator('.activities-page p.muted').filter({ hasText: 'plan.toml' }).waitFor();
  const charge = planned.locator('tr[data-activity="Charge"][data-kind="push"]');
  await charge.waitFor();
  const chargeText = await charge.textContent();
  expect(chargeText.includes('push endpoint') && chargeText.includes('http://127.0.0.1:9/charge'), `Charge's placement: ${chargeText}`);
  expect(/≤ 2 at once · 10\/s · timeout 5s/.test(chargeText), `Charge's limits: ${chargeText}`);
  // The planned server has only the first version: no Notify there.
  for (const n of called.filter((n) => n !== 'Charge' && n !== 'Notify')) {
    const row = planned.locator(`tr[data-activity="${n}"][data-kind="worker"]`);
    await row.waitFor();
    const text = await row.textContent();
    expect(text.includes('remote workers') && text.includes('orders'), `${n} runs on the workers: ${text}`);
  }
  const ready = planned.locator('tr[data-activity="Reserve"] td[data-figure="ready"]');
  expect(await ready.textContent() === '1', `one ready Reserve task: ${await ready.textContent()}`);
  // A second run: the live refresh shows its task without a reload.
  const r = await fetch(`${cfg.planUrl}/v1/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ flow: 'Order', input: { id: 'P2', item: 'book', amount: 10, lines: [] } }),
  });
  expect(r.status === 201, `the second run starts: ${r.status}`);
  await planned.locator('tr[data-activity="Reserve"] td[data-figure="ready"]').filter({ hasText: /^2$/ }).waitFor();
  await shot(planned, 'activities-1400x900');
  await planned.setViewportSize(NARROW);
  await planned.waitForTimeout(300);
  const wide = await planned.evaluate(() => document.documentElement.scrollWidth);
  expect(wide <= NARROW.width, `the activities page fits a narrow screen: ${wide} px`);
  // The table scrolls in its own box, so the last column can be reached.
  const box = planned.locator('.table-scroll');
  const [inner, outer] = await box.evaluate((el) => [el.scrollWidth, el.clientWidth]);
  expect(outer <= NARROW.width && inner > outer, `the table scrolls sideways: ${inner} in ${outer} px`);
  await box.evaluate((el) => { el.scrollLeft = el.scrollWidth; });
  expect(await planned.locator('tr[data-activity="Reserve"] td[data-figure="inFlight"]').isVisible(), 'the last columns are reachable');
  await shot(planned, 'activities-400x800');
  await planned.context().close();
  current = page;
});

await step('narrow screens: the list becomes cards, nothing overflows', async () => {
  const narrow = await newPage(NARROW);
  current = narrow;
  await narrow.goto(base + '/');
  await narrow.locator(`a.row[data-id="${runs.failed}"]`).waitFor();
  expect(!(await narrow.locator('.runlist .row.head').isVisible()), 'no table header on a narrow screen');
  const box = await narrow.locator(`a.row[data-id="${runs.failed}"]`).boundingBox();
  expect(box.width <= NARROW.width && box.height > 80, `a row is a card: ${JSON.stringify(box)}`);
  const wide = async () => narrow.evaluate(() => document.documentElement.scrollWidth);
  expect(await wide() <= NARROW.width, `the list fits: ${await wide()} px`);
  await shot(narrow, 'runs-400x800');
  await narrow.goto(`${base}/runs/${runs.failed}`);
  await narrow.locator('.source .ln.mark.tone-failed').waitFor();
  expect(await wide() <= NARROW.width, `the run page fits: ${await wide()} px`);
  await shot(narrow, 'run-failed-400x800');
  await narrow.goto(`${base}/flows/Order`);
  await narrow.locator('svg.graph').waitFor();
  expect(await wide() <= NARROW.width, `the flow page fits: ${await wide()} px`);
  await shot(narrow, 'flow-400x800');
  await narrow.context().close();
  current = page;
});

await step('machines: the list, a query, an instance with its history', async () => {
  const mp = await newPage(WIDE);
  current = mp;
  const mbase = cfg.machinesUrl;
  await mp.goto(mbase + '/machines');
  await mp.locator('a.flow-card[data-machine="Counter"]').click();
  await mp.locator('.instances a.row[data-key="apples"]').waitFor();
  const keys = async () => mp.locator('.instances a.row').evaluateAll((rows) => rows.map((r) => r.dataset.key));
  expect(JSON.stringify(await keys()) === JSON.stringify(['a/b', 'apples', 'pears']), `every instance, by key: ${await keys()}`);
  await mp.locator('#where').fill('state.total >= 5');
  await mp.locator('.where-form button').click();
  await mp.waitForURL(/where=/);
  // The list is drawn again for the query: wait for its end state, not for
  // a moment between the old rows leaving and the new ones arriving.
  const want = JSON.stringify(['a/b', 'apples']);
  await mp
    .waitForFunction(
      (w) => JSON.stringify([...document.querySelectorAll('.instances a.row')].map((r) => r.dataset.key)) === w,
      want,
      { timeout: 10000 },
    )
    .catch(async () => expect(false, `the query's instances: ${await keys()}`));
  expect(!(await mp.locator('main').textContent()).includes('null'), 'no stray text');
  await shot(mp, 'machine-1400x900');
  // A bad expression says why, and keeps the box.
  await mp.locator('#where').fill('state.total >');
  await mp.locator('.where-form button').click();
  await mp.locator('.where-error').filter({ hasText: 'where' }).waitFor();
  // A key with a slash is one instance.
  await mp.goto(`${mbase}/machines/Counter?where=${encodeURIComponent('state.total > 1')}`);
  await mp.locator('.instances a.row[data-key="a/b"]').click();
  await mp.locator('#version').filter({ hasText: '1' }).waitFor();
  // The history: both adds and the refusal, with its reason.
  await mp.goto(`${mbase}/machines/Counter/apples`);
  await mp.locator('.history .row[data-seq="3"][data-status="refused"]').waitFor();
  expect((await mp.locator('#version').textContent()) === '2', 'apples is at version 2');
  expect((await mp.locator('pre.json.state').textContent()).includes('"total": 5'), 'its state');
  expect((await mp.locator('.history .row[data-seq="3"]').textContent()).includes('too-low'), 'the refusal says why');
  expect(await mp.locator('.history .row[data-status="applied"]').count() === 2, 'two applied commands');
  expect(!(await mp.locator('main').textContent()).includes('null'), 'no stray text');
  await shot(mp, 'instance-1400x900');
  await mp.context().close();
  current = page;
});

await step('a server with a token asks for it once, and again when it is wrong', async () => {
  const locked = await newPage(WIDE);
  current = locked;
  await locked.goto(cfg.tokenUrl + '/');
  const dialog = locked.locator('#token-dialog');
  await dialog.waitFor();
  expect((await dialog.textContent()).includes('This server needs a token'), 'the dialog says why');
  await shot(locked, 'token-dialog-1400x900');
  await locked.locator('#token-input').fill('not-the-token-at-all');
  await locked.locator('#token-ok').click();
  await locked.locator('#token-title').filter({ hasText: 'The token was refused' }).waitFor();
  await locked.locator('#token-input').fill(cfg.token);
  await locked.locator('#token-ok').click();
  await locked.locator(`a.row[data-id="${cfg.tokenRun}"]`).waitFor();
  expect(!(await dialog.isVisible()), 'the dialog is gone');
  expect(await locked.evaluate(() => sessionStorage.getItem('weft.token')) === cfg.token, 'kept in sessionStorage');
  // Kept for the tab: other pages and reloads do not ask again.
  await locked.goto(`${cfg.tokenUrl}/runs/${cfg.tokenRun}`);
  await locked.locator('.run-head .badge[data-status="running"]').waitFor();
  expect(!(await dialog.isVisible()), 'no dialog after a reload');
  await locked.context().close();
  current = page;
});

await browser.close();
if (!failed) console.log('all web UI steps passed');
