// A live upgrade from a run's page: "Upgrade to version N" asks the server
// for the checker's verdict first (a dry run), shows it (what moves where,
// or why the run cannot move), and only upgrades once the operator has
// seen an accepted verdict and confirmed it.

import { confirmAction } from './actions.js';
import { api, q } from './api.js';
import { badge, dismiss, h, nothing, toast } from './dom.js';
import { unreadable } from './format.js';

/** The verdict of a dry run or an upgrade, as elements. */
export function verdictView(v) {
  if (!v.accepted) {
    return h('div.verdict.refused', { role: 'alert' },
      h('p', h('strong', `The run cannot move to version ${v.to}:`)),
      h('ul.reasons', v.reasons.map((r) => h('li', r))));
  }
  const rows = [];
  for (const m of v.moves || []) {
    m.frames.forEach((f, depth) => {
      const vars = (f.variables || []).map((x) => (x.from === x.to ? x.from : `${x.from} → ${x.to}`));
      rows.push(h('li', { class: depth ? `depth-${Math.min(depth, 4)}` : null },
        h('span', m.fiber === 0 ? 'the flow' : `branch ${m.fiber}`, depth ? ` (frame ${depth})` : '', ': '),
        h('code', `${f.from.function} line ${f.from.line}`), ' → ', h('code', `${f.to.function} line ${f.to.line}`),
        vars.length ? h('div.sub', `variables ${vars.join(', ')}`) : null));
    });
  }
  return h('div.verdict.accepted',
    h('p', h('strong', `The checker accepts the move from version ${v.from} to ${v.to}.`), ' Where each part of the run stands and will stand:'),
    h('ul.moves', rows),
    (v.notes || []).length ? h('ul.notes', v.notes.map((n) => h('li.muted', n))) : null);
}

/** Whether a live upgrade can be asked for at all: the run has not
 * finished and this build reads it. */
export function upgradable(run) {
  return !unreadable(run) && run.status !== 'completed' && run.status !== 'cancelled';
}

/** The versions of deployed flow `flow` newer than `version`, newest first. */
export async function newerVersions(flow, version) {
  const { flows } = await api('/v1/flows');
  const f = (flows || []).find((x) => x.name === flow);
  return (f?.versions || []).filter((v) => v > version).sort((a, b) => b - a);
}

/**
 * The upgrade card of a run (null when it cannot move or no version is
 * newer); `owner` is the deployed flow the run's flow is written in,
 * `versions` its newer versions (newest first). `result` shows what the
 * server answered; `after()` refreshes the page.
 */
export function upgradeCard(run, owner, versions, result, after) {
  if (!owner || !upgradable(run) || !versions.length) return null;
  const verdictSlot = h('div.verdict-slot', { 'aria-live': 'polite' });
  const select = h('select', { id: 'upgrade-version', 'aria-label': 'Version to upgrade to' },
    versions.map((v) => h('option', { value: String(v) }, `version ${v}`)));
  const button = h('button.primary', { type: 'button', id: 'act-upgrade' }, `Upgrade to version ${versions[0]}…`);
  select.addEventListener('change', () => { button.textContent = `Upgrade to version ${select.value}…`; });
  button.addEventListener('click', async () => {
    const to = Number(select.value);
    button.disabled = true;
    verdictSlot.replaceChildren(h('span.muted', 'Asking the checker…'));
    try {
      const dry = await api(`/v1/runs/${q(run.id)}/upgrade`, { method: 'POST', body: { version: to, dryRun: true, by: 'web UI' } });
      verdictSlot.replaceChildren(verdictView(dry));
      if (!dry.accepted) return;
      const ok = await confirmAction({
        title: `Upgrade this run to version ${to}?`,
        body: [verdictView(dry), h('p', 'The run then goes on with the new version\'s code. This is written to its journal.')],
        confirm: 'Upgrade',
      });
      if (!ok) return;
      const done = await api(`/v1/runs/${q(run.id)}/upgrade`, { method: 'POST', body: { version: to, by: 'web UI' } });
      verdictSlot.replaceChildren(nothing);
      const now = await api(`/v1/runs/${q(run.id)}`);
      result.replaceChildren(h('div.ok', h('strong', `Upgraded to version ${done.to}.`), ' The run is ', badge(now.status), '.', dismiss(result)));
      toast(`Upgraded to version ${done.to}.`, 'ok');
      await after().catch(() => {});
    } catch (e) {
      if (e.error?.verdict) {
        verdictSlot.replaceChildren(verdictView(e.error.verdict));
      } else {
        verdictSlot.replaceChildren(h('div.bad', { role: 'alert' }, h('strong', `Refused (${e.status || 'no answer'}${e.code ? ` ${e.code}` : ''}): `), e.message));
      }
      toast(`Not upgraded: ${e.message}`, 'bad');
    } finally {
      button.disabled = false;
    }
  });
  return h('section.card.upgrade-card', { 'aria-label': 'Upgrade' },
    h('h2', 'Upgrade'),
    h('p.muted', `This run is on version ${run.version}. A newer version of ${owner} is deployed; the run can move onto it if the checker proves it safe (see "Live upgrade" in docs/language.md).`),
    h('div.upgrade-row', select, button),
    verdictSlot);
}
