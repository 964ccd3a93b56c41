// What the browser scripts share: Chromium through playwright-core, steps
// that print one line each (and a screenshot of a failure), expectations,
// and calls of the API. With `keepGoing`, a failed step does not stop the
// script: every step runs and the failures are listed at the end (to see
// which steps fail against another build of the UI).

import { chromium } from 'playwright-core';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Starts a harness for the server at `base`; `cfg` is the caller's configuration. */
export async function harness(base, cfg) {
  const artifacts = cfg.artifacts || 'ui-artifacts';
  mkdirSync(artifacts, { recursive: true });
  for (const f of readdirSync(artifacts)) if (f.startsWith('failure-')) rmSync(join(artifacts, f));
  const browser = await chromium.launch({
    executablePath: cfg.chromium || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const problems = [];
  const failedSteps = [];
  const h = {
    current: null,
    async newPage(viewport, { acceptDownloads = false } = {}) {
      const ctx = await browser.newContext({ viewport, acceptDownloads });
      const page = await ctx.newPage();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (e) => problems.push(`uncaught error: ${e.message}`));
      page.on('console', (m) => {
        // Chromium logs every failed fetch as an error; tests that cut the
        // server off expect some.
        if (m.type() === 'error' && !/status of (401|404|409)|Failed to load resource|ERR_FAILED/.test(m.text())) problems.push(`console: ${m.text()}`);
      });
      return page;
    },
    async step(name, fn) {
      const t0 = Date.now();
      try {
        await fn();
        if (problems.length) throw new Error(problems.splice(0).join('\n'));
        console.log(`ok   ${name} (${Date.now() - t0} ms)`);
      } catch (e) {
        problems.splice(0);
        failedSteps.push(name);
        console.log(`FAIL ${name} (${Date.now() - t0} ms)\n${e.stack || e}`);
        if (h.current) {
          const shot = join(artifacts, `failure-${name.replace(/\W+/g, '-')}.png`);
          await h.current.screenshot({ path: shot, fullPage: true }).catch(() => {});
          console.log(`     screenshot: ${shot}`);
        }
        if (!cfg.keepGoing) {
          await browser.close();
          process.exit(1);
        }
      }
    },
    expect(cond, message) {
      if (!cond) throw new Error(message);
    },
    async shot(page, name, options = {}) {
      const path = join(artifacts, `${name}.png`);
      await page.screenshot({ path, ...options });
      console.log(`     screenshot: ${path}`);
    },
    async api(path, init = {}) {
      const r = await fetch(base + path, { ...init, headers: { 'Content-Type': 'application/json', ...(init.headers || {}) } });
      return { status: r.status, body: await r.json().catch(() => null) };
    },
    async done() {
      await browser.close();
      if (failedSteps.length) {
        console.log(`${failedSteps.length} step(s) failed: ${failedSteps.join('; ')}`);
        process.exit(1);
      }
    },
  };
  return h;
}
