// The machines' pages: `/machines` (the deployed machines and their
// commands), `/machines/{name}?where=EXPR&cursor=C` (its instances, with a
// query box: the `where` of GET /v1/machines/{machine}) and
// `/machines/{name}/{key}` (an instance's state and its history: every
// command with the version it made, or why it was refused).

import { api, q } from './api.js';
import { preview } from './format.js';
import { h, jsonBlock, keepFocus, timeEl } from './dom.js';
import { isCurrent, navigate } from './router.js';

/** Draws the machines page into `main`; returns it ({refresh}). */
export async function machinesPage(main, gen) {
  const list = h('div.flow-cards');
  main.replaceChildren(h('section.page.machines-page', h('div.page-head', h('h1', 'Machines')), list));
  let lastKey = '';
  const refresh = async () => {
    const { machines } = await api('/v1/machines');
    if (!isCurrent(gen)) return;
    const key = JSON.stringify(machines);
    if (key === lastKey) return;
    lastKey = key;
    keepFocus(list, 'machine', () => list.replaceChildren(...(machines.length ? machines.map((m) =>
      h('a.flow-card', { href: `/machines/${q(m.name)}`, dataset: { machine: m.name } },
        h('div.flowname', m.name),
        h('div.muted', `version ${m.latestVersion}`, m.versions.length > 1 ? ` · ${m.versions.length} versions` : ''),
        h('div.sub', m.commands.length ? `commands: ${m.commands.join(', ')}` : 'no commands')))
      : [h('p.muted', 'No machines are deployed. A program declares them with `machine Name { ... }`.')])));
  };
  await refresh();
  return { refresh };
}

function instanceRow(machine, i) {
  return h('a.row', { href: `/machines/${q(machine)}/${q(i.key)}`, dataset: { key: i.key } },
    h('span.cell.c-key', h('span.mono', i.key)),
    h('span.cell.c-version', `v${i.version}`),
    h('span.cell.c-state', h('code', preview(i.state, 120))),
    h('span.cell.c-updated', h('span.sr', 'updated '), timeEl(i.updatedAt)));
}

/** Draws a machine's instances (those `where` selects, from `cursor`). */
export async function machinePage(main, name, params, gen) {
  document.title = `${name} · Machines · Weft`;
  const where = params.get('where') || '';
  const cursor = params.get('cursor') || '';
  const input = h('input', { id: 'where', name: 'where', value: where, spellcheck: 'false', autocomplete: 'off',
    placeholder: 'state.total > 10 && key != "test"', 'aria-label': 'where' });
  const error = h('div.where-error', { role: 'alert' });
  const form = h('form.where-form', {
    onsubmit: (ev) => {
      ev.preventDefault();
      const w = input.value.trim();
      navigate(`/machines/${q(name)}${w ? `?where=${q(w)}` : ''}`);
    },
  }, h('label', { for: 'where' }, 'where'), input, h('button.primary', { type: 'submit' }, 'Query'));
  const list = h('div');
  const pager = h('div.pager');
  main.replaceChildren(h('section.page.machine-page',
    h('div.page-head', h('h1', h('a', { href: '/machines' }, 'Machines'), ' / ', h('span.flowname', name))),
    h('section.card', form, error, h('p.sub', 'An expression over ', h('code', 'state.<field>'), ', ', h('code', 'key'), ' and ',
      h('code', 'version'), ', as in flows: comparisons joined by ', h('code', '&&'), ', ', h('code', '||'), ' and ', h('code', '!'), '.')),
    list, pager));
  let lastKey = '';
  const refresh = async () => {
    const qs = new URLSearchParams({ limit: '100' });
    if (where) qs.set('where', where);
    if (cursor) qs.set('cursor', cursor);
    let page;
    try {
      page = await api(`/v1/machines/${q(name)}?${qs}`);
    } catch (e) {
      if (e.status !== 400) throw e;
      if (isCurrent(gen)) error.textContent = e.message;
      return;
    }
    if (!isCurrent(gen)) return;
    error.textContent = '';
    const key = JSON.stringify(page);
    if (key === lastKey) return;
    lastKey = key;
    const head = h('div.row.head', { 'aria-hidden': 'true' },
      ['Key', 'Version', 'State', 'Updated'].map((t, i) => h('span.cell', { class: ['c-key', 'c-version', 'c-state', 'c-updated'][i] }, t)));
    const rows = page.items.length ? page.items.map((i) => instanceRow(name, i))
      : [h('div.empty', where ? 'No instance fits.' : 'No instances yet: the first command makes one.')];
    keepFocus(list, 'key', () => list.replaceChildren(h('div.runlist.instances', { role: 'region', 'aria-label': 'Instances' }, head, rows)));
    const more = new URLSearchParams();
    if (where) more.set('where', where);
    if (page.next) more.set('cursor', page.next);
    pager.replaceChildren(...[
      cursor ? h('a', { href: `/machines/${q(name)}${where ? `?where=${q(where)}` : ''}` }, 'First page') : null,
      page.next ? h('a.next', { href: `/machines/${q(name)}?${more}` }, 'Next page') : null,
    ].filter(Boolean));
  };
  await refresh();
  return { refresh };
}

function commandRow(c) {
  const outcome = c.status === 'applied'
    ? h('span', `v${c.version} `, h('code', preview(c.state, 100)))
    : h('span.tone-failed', h('code', preview(c.error, 100)));
  return h('div.row', { dataset: { seq: String(c.seq), status: c.status } },
    h('span.cell.c-seq', `#${c.seq}`),
    h('span.cell.c-command', h('span.flowname', c.command), h('span.sub.mono', ` ${c.commandId}`)),
    h('span.cell.c-input', h('code', preview(c.input, 80))),
    h('span.cell.c-outcome', h('span.badge', { class: c.status === 'applied' ? 'st-completed' : 'st-failed' }, c.status), ' ', outcome),
    h('span.cell.c-run', c.runId ? h('a.mono', { href: `/runs/${q(c.runId)}` }, 'run') : null,
      c.finishedAt ? h('span.sub', ' ', timeEl(c.finishedAt)) : null));
}

/** Draws an instance: its state and its history. */
export async function instancePage(main, name, key, gen) {
  document.title = `${key} · ${name} · Weft`;
  const facts = h('div');
  const history = h('div');
  main.replaceChildren(h('section.page.instance-page',
    h('div.page-head', h('h1', h('a', { href: '/machines' }, 'Machines'), ' / ',
      h('a', { href: `/machines/${q(name)}` }, name), ' / ', h('span.mono', key))),
    h('section.card', h('h2', 'State'), facts),
    h('section.card', h('h2', 'History'), history)));
  let lastKey = '';
  const refresh = async () => {
    const [inst, hist] = await Promise.all([
      api(`/v1/machines/${q(name)}/${q(key)}`),
      api(`/v1/machines/${q(name)}/${q(key)}/history?limit=1000`),
    ]);
    if (!isCurrent(gen)) return;
    const k = JSON.stringify([inst, hist]);
    if (k === lastKey) return;
    lastKey = k;
    facts.replaceChildren(
      h('dl.facts',
        h('div', h('dt', 'version'), h('dd', h('span', { id: 'version' }, String(inst.version)))),
        h('div', h('dt', 'created'), h('dd', timeEl(inst.createdAt))),
        h('div', h('dt', 'updated'), h('dd', timeEl(inst.updatedAt)))),
      jsonBlock(inst.state, 'state'));
    const head = h('div.row.head', { 'aria-hidden': 'true' },
      ['#', 'Command', 'Input', 'Outcome', 'Run'].map((t, i) => h('span.cell', { class: ['c-seq', 'c-command', 'c-input', 'c-outcome', 'c-run'][i] }, t)));
    history.replaceChildren(...[h('div.runlist.history', { role: 'region', 'aria-label': 'History' }, head,
      hist.items.length ? hist.items.map(commandRow) : [h('div.empty', 'No commands.')]),
      hist.next ? h('p.sub', 'The first 1,000 commands are shown.') : null].filter(Boolean));
  };
  await refresh();
  return { refresh };
}
