// The triggers page in Chromium: `node triggers.mjs URL`, with what the
// caller set up in WEFT_UI_TEST (JSON; see crates/weft-cli/tests/ui.rs,
// triggers_in_a_browser: the seed's moderation trigger with one run it
// started, the schedule `digest`, and the HTTP source `shop` whose
// endpoint does not answer).

import { harness } from './harness.mjs';

const base = process.argv[2];
if (!base) {
  console.error('usage: node triggers.mjs URL   (with WEFT_UI_TEST set; see crates/weft-cli/tests/ui.rs)');
  process.exit(2);
}
const cfg = JSON.parse(process.env.WEFT_UI_TEST || '{}');
const WIDE = { width: 1400, height: 900 };
const h = await harness(base, cfg);
const { step, expect, shot, api, newPage } = h;

const page = await newPage(WIDE);
h.current = page;

await step('the nav leads to the triggers page, which lists a trigger, a schedule and a source', async () => {
  await page.goto(`${base}/`);
  await page.locator('nav a[data-tab="triggers"]').click();
  await page.waitForURL(/\/triggers$/);
  expect(await page.locator('nav a[data-tab="triggers"]').getAttribute('aria-current') === 'page', 'the Triggers tab is current');
  const t = page.locator('#triggers tr[data-trigger="AutomaticModeration"]');
  await t.waitFor();
  expect(await t.locator('td[data-started="1"]').count() === 1, 'the trigger counts the one run it started');
  const row = await t.textContent();
  expect(row.includes('created') && row.includes('subject == "question"'), `types and where: ${row}`);
  expect(row.includes(cfg.event), `its last event: ${row}`);
  expect(await t.locator(`a[href="/runs/${cfg.moderationRun}"]`).count() === 1, 'a link to the run it started');
  // The event nested too deep for the flow's input: a failed start.
  expect(row.includes('(1 failed)'), `the failed start is counted: ${row}`);
  expect(row.includes('VALUE_DEPTH_MAX'), `the last error says why: ${row}`);
  const s = page.locator('#schedules tr[data-schedule="digest"]');
  await s.waitFor();
  const srow = await s.textContent();
  expect(srow.includes('every 1 h'), `when it fires: ${srow}`);
  expect(srow.includes('UTC'), `its zone: ${srow}`);
  expect(srow.includes('overlap queue') && srow.includes('catch-up none'), `its policies: ${srow}`);
  expect(srow.includes('never'), `no fire yet: ${srow}`);
  expect(await s.locator('td.state').textContent() === 'active', 'active');
  // The source's endpoint does not answer: the page says so.
  const src = page.locator('#sources tr[data-source="shop"]');
  await src.waitFor();
  await page.waitForFunction(() => document.querySelector('#sources tr[data-source="shop"] .err'), null, { timeout: 15_000 });
  expect((await src.textContent()).includes('http'), 'the source kind');
  await shot(page, 'triggers-1400x900', { fullPage: true });
});

await step('Pause, then Trigger now: each shows the API\'s answer and the change', async () => {
  await page.locator('button[data-action="pause:digest"]').click();
  await page.locator('#schedule-answer [data-action="pause"]').waitFor();
  expect((await page.locator('#schedule-answer').textContent()).includes('Paused digest'), 'the answer says paused');
  await page.locator('#schedules tr[data-schedule="digest"][data-paused="true"]').waitFor();
  expect(await page.locator('#schedules tr[data-schedule="digest"] td.state').textContent() === 'paused', 'the state says paused');
  expect(await page.locator('button[data-action="resume:digest"]').count() === 1, 'Resume replaces Pause');
  const { body } = await api('/v1/schedules');
  expect(body.schedules[0].paused === true, `the server has it paused: ${JSON.stringify(body)}`);

  await page.locator('button[data-action="trigger:digest"]').click();
  await page.locator('#schedule-answer [data-action="trigger"]').waitFor();
  const after = await api('/v1/schedules');
  const runId = after.body.schedules[0].lastRunId;
  expect(runId, 'the trigger started a run');
  const said = await page.locator('#schedule-answer').textContent();
  expect(said.includes('Started a run of Digest now') && said.includes(runId), `the answer names the run: ${said}`);
  await page.locator('#schedules tr[data-schedule="digest"][data-fires="1"]').waitFor();
  const link = page.locator(`#schedules tr[data-schedule="digest"] a[href="/runs/${runId}"]`);
  await link.waitFor();
  await shot(page, 'triggers-after-actions-1400x900', { fullPage: true });
  // The run the button started names its schedule.
  await link.click();
  await page.waitForURL(new RegExp(`/runs/${runId}$`));
  const by = page.locator('#started-by[data-kind="schedule"]');
  await by.waitFor();
  const text = await by.textContent();
  expect(text.includes('digest') && text.includes('triggered now'), `started by: ${text}`);
});

await step('a run a trigger started names its event, and the link shows the event', async () => {
  await page.goto(`${base}/runs/${cfg.moderationRun}`);
  const by = page.locator('#started-by[data-kind="event"]');
  await by.waitFor();
  const text = await by.textContent();
  expect(text.includes(cfg.event), `the event's id: ${text}`);
  expect(text.includes('type created') && text.includes('subject question') && text.includes('trigger AutomaticModeration'), `what it was: ${text}`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'run-started-by-event-1400x900');
  await by.locator('a').click();
  await page.waitForURL(/\/triggers\?event=/);
  const card = page.locator('#event');
  await card.waitFor();
  expect((await card.getAttribute('data-event')) === cfg.event, 'the event shown is the run\'s');
  expect(await card.locator(`#event-starts tr[data-trigger="AutomaticModeration"] a[href="/runs/${cfg.moderationRun}"]`).count() === 1, 'the event links back to the run');
});

await step('an event whose start failed is re-driven from its card, and the answer is shown', async () => {
  await page.goto(`${base}/triggers?event=deep`);
  const card = page.locator('#event[data-event="deep"]');
  await card.waitFor();
  expect((await card.locator('#event-starts').textContent()).includes('VALUE_DEPTH_MAX'), 'the failed start and why');
  await card.locator('button[data-action="redrive"]').click();
  const said = page.locator('#event #redrive-answer');
  await said.waitFor();
  const text = await said.textContent();
  // Still too deep for any flow's input: the start fails again, and says so.
  expect(text.includes('Re-drove deep: 0 runs started, 1 start still failing'), `the answer: ${text}`);
  expect((await page.locator('#event #event-starts').textContent()).includes('VALUE_DEPTH_MAX'), 'the start still says why');
  const { body } = await api('/v1/events?limit=100');
  expect(body.events.filter((e) => e.id === 'deep').length === 1, 'still one event');
});

await step('a trigger\'s failed starts are re-driven from its row, the answer is shown and audited', async () => {
  const row = page.locator('#triggers tr[data-trigger="AutomaticModeration"]');
  await row.waitFor();
  await row.locator('button[data-action="redrive:AutomaticModeration"]').click();
  const said = page.locator('#trigger-answer [data-trigger="AutomaticModeration"]');
  await said.waitFor();
  const text = await said.textContent();
  // The one failed start (the event nested too deep) fails again.
  expect(text.includes('Re-drove 1 event of AutomaticModeration: 0 runs started, 1 start still failing.'), `the answer: ${text}`);
  const { body } = await api('/v1/audit?limit=1');
  const last = body.actions[0];
  expect(last.action === 'trigger-redrive' && last.detail.trigger === 'AutomaticModeration', `audited: ${JSON.stringify(last)}`);
  expect(last.actor !== 'api', `the UI names its operator: ${last.actor}`);
});

await step('the workers page links to the sources\' new place', async () => {
  await page.goto(`${base}/workers`);
  await page.locator('#sources-moved a[href="/triggers"]').waitFor();
  expect(await page.locator('#sources').count() === 0, 'no sources table on the workers page');
});

await h.done();
