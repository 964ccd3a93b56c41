// Building the page: elements (`h`, `$`), focus that survives a rebuild,
// and the small pieces every page uses (badges, JSON blocks, times, copy
// buttons, toasts). The UI builds every element this way: never from
// HTML text.

import { absolute, ago, json } from './format.js';

/** Makes an element: h('a.link', {href}, 'text', child...). */
export function h(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split('.');
  const e = document.createElement(tag || 'div');
  if (classes.length) e.className = classes.join(' ');
  if (attrs === null || typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs)) {
    children.unshift(attrs);
    attrs = {};
  }
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className += (e.className ? ' ' : '') + v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

/** The first element `sel` selects. */
export const $ = (sel, root = document) => root.querySelector(sel);

/** Rebuilds a part of the page; focus on an element with `data-{key}`
 * inside it moves to its counterpart in the new content. */
export function keepFocus(container, key, rebuild) {
  const active = container.contains(document.activeElement) ? document.activeElement.closest(`[data-${key}]`) : null;
  const value = active?.dataset[key];
  rebuild();
  if (value !== undefined) container.querySelector(`[data-${key}="${CSS.escape(value)}"]`)?.focus();
}

/** An empty fragment: `slot.replaceChildren(x || nothing)` leaves the slot :empty. */
export const nothing = document.createDocumentFragment();

/** A run's status as a coloured badge. */
export function badge(status) {
  return h('span.badge', { class: `st-${status}`, dataset: { status } }, h('span.dot', { 'aria-hidden': 'true' }), status);
}

/** A value as indented JSON. */
export function jsonBlock(v, cls = '') {
  return h('pre.json', { class: cls }, json(v));
}

/** A value folded under a summary. */
export function details(summary, value) {
  return h('details.value', h('summary', summary), jsonBlock(value));
}

/** A <time> of `t` (its full date in the title); the text says how long ago by default. */
export function timeEl(t, text) {
  return h('time', { datetime: String(t), title: absolute(t) }, text ?? ago(t));
}

/** A button that copies `text` to the clipboard. */
export function copyButton(text, label = 'Copy') {
  return h('button.link.copy', {
    type: 'button',
    onclick: async (ev) => {
      try { await navigator.clipboard.writeText(text); ev.target.textContent = 'Copied'; } catch { ev.target.textContent = 'Select and copy'; }
      setTimeout(() => { ev.target.textContent = label; }, 1500);
    },
  }, label);
}

/** A button that empties `box`. */
export function dismiss(box) {
  return h('button.link.dismiss', { type: 'button', 'aria-label': 'Dismiss', onclick: () => box.replaceChildren() }, '×');
}

/** A message that shows for a few seconds. */
export function toast(message, tone = 'info') {
  const t = h('div.toast', { class: `tone-${tone}` }, message);
  $('#toasts').append(t);
  setTimeout(() => t.classList.add('out'), 4500);
  setTimeout(() => t.remove(), 5000);
}
