// Weft source, shown with line numbers and light syntax colouring, and one
// line marked (where a run stands or failed).

const KEYWORDS = new Set([
  'flow', 'let', 'var', 'if', 'else', 'while', 'for', 'in', 'return', 'func',
  'await', 'true', 'false', 'null', 'break', 'continue',
]);
const UNITS = 'ms|millis|seconds|second|secs|sec|s|minutes|minute|mins|min|m|hours|hour|hrs|hr|h|days|day|d|weeks|week|w';
const TOKEN = new RegExp([
  '(?<comment>//[^\\n]*)',
  '(?<block>/\\*)',
  '(?<string>"(?:[^"\\\\\\n]|\\\\.)*"?)',
  `(?<duration>\\d[\\d_]*(?:\\.\\d+)?(?:${UNITS})\\b)`,
  '(?<number>\\d[\\d_]*(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)',
  '(?<annotation>@[A-Za-z_]\\w*)',
  '(?<word>[A-Za-z_]\\w*)',
].join('|'), 'g');

/** [{text, cls}] tokens of the whole text (block comments nest). */
export function tokenize(text) {
  const out = [];
  let i = 0;
  const push = (t, cls) => { if (t) out.push({ text: t, cls }); };
  TOKEN.lastIndex = 0;
  while (i < text.length) {
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(text);
    if (!m) { push(text.slice(i), ''); break; }
    push(text.slice(i, m.index), '');
    const g = m.groups;
    if (g.block) {
      let depth = 0, j = m.index;
      while (j < text.length) {
        if (text.startsWith('/*', j)) { depth++; j += 2; } else if (text.startsWith('*/', j)) { depth--; j += 2; if (!depth) break; } else j++;
      }
      push(text.slice(m.index, j), 'tk-comment');
      i = j;
      continue;
    }
    let cls = '';
    if (g.comment) cls = 'tk-comment';
    else if (g.string) cls = 'tk-string';
    else if (g.duration || g.number) cls = 'tk-number';
    else if (g.annotation) cls = 'tk-annotation';
    else if (g.word) {
      if (KEYWORDS.has(g.word)) cls = 'tk-keyword';
      else if (/^[A-Z]/.test(g.word) && /^\s*\(/.test(text.slice(m.index + g.word.length))) cls = 'tk-call';
    }
    push(m[0], cls);
    i = m.index + m[0].length;
  }
  return out;
}

/** The tokens split into lines. */
function lines(text) {
  const rows = [[]];
  for (const t of tokenize(text)) {
    const parts = t.text.split('\n');
    parts.forEach((p, k) => {
      if (k > 0) rows.push([]);
      if (p) rows[rows.length - 1].push({ text: p, cls: t.cls });
    });
  }
  return rows;
}

/**
 * A source listing. `mark`: {line, tone} (tone: failed, waiting, running,
 * completed, info) for the line to highlight; `dots`: Set of lines that ran;
 * `onLine(line)`: click on a line number.
 */
export function sourceView(text, { mark, dots, onLine, label } = {}) {
  const pre = document.createElement('div');
  pre.className = 'source';
  pre.setAttribute('role', 'region');
  pre.setAttribute('aria-label', label || 'Source');
  pre.tabIndex = 0;
  lines(text).forEach((toks, k) => {
    const n = k + 1;
    const row = document.createElement('div');
    row.className = 'ln';
    row.dataset.line = String(n);
    const no = document.createElement('span');
    no.className = 'no';
    no.textContent = String(n);
    if (dots && dots.has(n)) no.classList.add('ran');
    if (onLine) no.addEventListener('click', () => onLine(n));
    const code = document.createElement('span');
    code.className = 'code';
    for (const t of toks) {
      if (t.cls) {
        const s = document.createElement('span');
        s.className = t.cls;
        s.textContent = t.text;
        code.append(s);
      } else {
        code.append(t.text);
      }
    }
    if (!toks.length) code.append('\u200b');
    row.append(no, code);
    pre.append(row);
  });
  return pre;
}

/** Highlights one line (and only that one); scrolls it into view. */
export function markLine(view, line, tone = 'info', note) {
  for (const old of view.querySelectorAll('.ln.mark')) {
    old.classList.remove('mark', 'tone-failed', 'tone-waiting', 'tone-running', 'tone-completed', 'tone-info');
    old.removeAttribute('aria-current');
    old.querySelector('.note')?.remove();
  }
  const row = view.querySelector(`.ln[data-line="${line}"]`);
  if (!row) return null;
  row.classList.add('mark', `tone-${tone}`);
  row.setAttribute('aria-current', 'step');
  if (note) {
    const n = document.createElement('span');
    n.className = 'note';
    n.textContent = note;
    row.append(n);
  }
  scrollTo(view, row);
  return row;
}

/** Outlines one line (a node or a timeline step the user picked). */
export function focusLine(view, line) {
  for (const old of view.querySelectorAll('.ln.focus')) old.classList.remove('focus');
  const row = view.querySelector(`.ln[data-line="${line}"]`);
  if (!row) return null;
  row.classList.add('focus');
  scrollTo(view, row);
  return row;
}

/** Scrolls the listing so that the row is in its upper third, and the page
 * so that the row is on screen (the listing may be below the fold). */
function scrollTo(view, row) {
  view.scrollTop = Math.max(0, row.offsetTop - view.clientHeight / 3);
  const r = row.getBoundingClientRect();
  const top = document.querySelector('.top')?.getBoundingClientRect().bottom || 0;
  if (r.top < top || r.bottom > window.innerHeight) row.scrollIntoView({ block: 'center' });
}
