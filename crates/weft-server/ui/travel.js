// Time travel on a run's page: step through its journal and see, after
// each step, where every branch of the flow stood, its variables and what
// it waited for (the server replays the journal to rebuild each state);
// fork a new run from any step.

import { api, errorText, q } from './api.js';
import { $, h, jsonBlock, nothing, toast } from './dom.js';
import { absolute, preview } from './format.js';
import { navigate } from './router.js';
import { newerVersions } from './upgrade.js';

/** One variable: its name and value (short, unfolded when long). */
function variable(v) {
  const text = preview(v.value, 90);
  const long = JSON.stringify(v.value)?.length > 90;
  return h('tr.var', { dataset: { name: v.name } },
    h('th.mono', v.name),
    h('td', long ? h('details.value', h('summary', h('code', text)), jsonBlock(v.value)) : h('code', text)));
}

function fiberView(f) {
  return h('div.fiber', { dataset: { fiber: String(f.fiber) } },
    h('div.fiber-head', f.fiber === 0 ? 'The flow' : `Branch ${f.fiber}`, h('span.sub', ` · ${f.wait}`)),
    f.frames.map((fr) => h('div.frame',
      h('div.frame-head', h('span.flowname', fr.function),
        fr.location ? h('span.sub.mono', ` ${fr.location.file}:${fr.location.line}`) : null),
      fr.variables.length
        ? h('table.vars', h('tbody', fr.variables.map(variable)))
        : h('div.sub', 'no variables yet'))));
}

/**
 * The time-travel card of run `run` with `steps` journal steps. `onLine(line,
 * note)` marks the line a step stands at in the page's source view;
 * `onClose()` puts it back.
 */
export function travelCard(run, steps, { onLine, onClose }) {
  let step = steps;
  const slider = h('input', { type: 'range', id: 'step-slider', min: '1', max: String(steps), value: String(step), 'aria-label': 'Journal step' });
  const label = h('span.step-label', { id: 'step-label', 'aria-live': 'polite' });
  const body = h('div.step-body', { id: 'step-body' });
  const prev = h('button.secondary', { type: 'button', id: 'step-prev', 'aria-label': 'Previous step' }, '‹ Step');
  const next = h('button.secondary', { type: 'button', id: 'step-next', 'aria-label': 'Next step' }, 'Step ›');
  const fork = h('button.secondary', { type: 'button', id: 'act-fork' }, 'Fork from this step…');
  const close = h('button.link', { type: 'button', onclick: () => { card.remove(); onClose(); } }, 'Close');
  let asked = 0;
  const show = async (n) => {
    step = Math.min(Math.max(1, n), steps);
    slider.value = String(step);
    prev.disabled = step <= 1;
    next.disabled = step >= steps;
    label.textContent = `Step ${step} of ${steps}`;
    const mine = ++asked;
    body.classList.add('loading');
    try {
      const s = await api(`/v1/runs/${q(run.id)}/steps/${step}`);
      if (mine !== asked) return;
      body.classList.remove('loading');
      const pos = s.positions[0];
      label.textContent = `Step ${step} of ${steps}${s.at ? ` · ${absolute(s.at)}` : ''} · ${s.status}`;
      body.replaceChildren(
        h('div.step-entries', h('h3', 'What happened'),
          h('ul', s.entries.map((e) => h('li', h('span.mono', e.type), ' ', h('span.sub', preview(Object.fromEntries(Object.entries(e).filter(([k]) => !['type', 'at', 'atMs', 'step'].includes(k))), 120)))))),
        h('div.step-where', h('h3', 'Where it stood'),
          s.positions.length
            ? h('ul', s.positions.map((p) => h('li', h('span.pos.mono', `${p.file}:${p.line}`), ' ', h('code', p.sourceLine))))
            : h('p.sub', s.status === 'completed' ? 'finished' : 'nowhere (nothing runs)'),
          s.error ? h('p.err', s.error.message) : null),
        h('div.step-vars', h('h3', 'Variables'), s.fibers.map(fiberView)));
      if (pos) onLine(pos.line, `step ${step}`);
    } catch (e) {
      if (mine !== asked) return;
      body.classList.remove('loading');
      body.replaceChildren(h('div.bad', { role: 'alert' }, `Step ${step} cannot be shown (${errorText(e)})`));
    }
  };
  slider.addEventListener('input', () => show(Number(slider.value)));
  prev.addEventListener('click', () => show(step - 1));
  next.addEventListener('click', () => show(step + 1));
  fork.addEventListener('click', async () => {
    const dlg = $('#confirm-dialog');
    // A newer version of the flow is offered too: the server moves the
    // state onto it by the live upgrade's rule, or refuses with why.
    const newer = await newerVersions(run.flow, run.version).catch(() => []);
    const choice = h('select', { id: 'fork-version', 'aria-label': 'Version of the new run' },
      h('option', { value: '' }, `version ${run.version}, the run's own`),
      newer.map((v) => h('option', { value: String(v) }, `version ${v}, if the state at step ${step} maps onto it`)));
    $('#confirm-title').textContent = `Fork a new run from step ${step}?`;
    $('#confirm-body').replaceChildren(
      h('p', `A new run of ${run.flow} starts from this run's state after step ${step}: `,
        'what it had computed is kept; the calls it was making, its timers and its running sub-flows start again under the new run.'),
      h('label', 'On ', choice),
      h('p.muted', 'This run is left as it is.'));
    $('#confirm-yes').textContent = 'Fork';
    $('#confirm-yes').className = 'primary';
    dlg.returnValue = '';
    dlg.showModal();
    const ok = await new Promise((resolve) => dlg.addEventListener('close', () => resolve(dlg.returnValue === 'ok'), { once: true }));
    if (!ok) return;
    try {
      const version = choice.value ? Number(choice.value) : undefined;
      const r = await api(`/v1/runs/${q(run.id)}/fork`, { method: 'POST', body: version ? { step, version } : { step } });
      toast(`Forked: run ${r.id} is ${r.status}.`, 'ok');
      navigate(`/runs/${q(r.id)}`);
    } catch (e) {
      body.prepend(h('div.bad', { role: 'alert' }, `The fork was refused (${errorText(e)})`));
    }
  });
  const card = h('section.card.travel-card', { 'aria-label': 'Step through the journal' },
    h('div.card-head', h('h2', 'Step through the journal'), close),
    h('div.step-controls', prev, slider, next, label, fork),
    body || nothing);
  queueMicrotask(() => show(step));
  return card;
}
