// A run's journal read in pages: the API gives at most 1,000 entries a
// page with a `nextCursor` to the next one, and a timeline that stopped at
// the first page would hide where a long run stands now.

/** Pages of a journal read at most (100,000 entries at the API's 1,000 a
 * page): a run's journal is bounded only in steps (its newest 10,000), and
 * a step may hold thousands of entries; past this the browser would be
 * drawing more than anyone reads. The timeline says when it stops here. */
export const JOURNAL_PAGES_MAX = 100;

/**
 * The whole journal, following `nextCursor`. `fetchPage(cursor)` reads one
 * page (`''`: the first). `prev` is what the last call returned (or null):
 * a journal only grows at its end, so its pages are kept and only the last
 * one is read again, unless the first page changed its start (the oldest
 * steps were dropped meanwhile), when all are read again. `live()` false
 * stops reading (the page was left). Returns `{entries, pages,
 * droppedSteps, capped}` (`capped`: there is more than
 * [`JOURNAL_PAGES_MAX`] pages hold), or null when stopped.
 */
export async function readJournal(fetchPage, prev, live = () => true) {
  const first = await fetchPage('');
  if (!live()) return null;
  const startOf = (p) => p.entries[0]?.step ?? null;
  let pages = [{ cursor: '', page: first }];
  if (prev && prev.pages.length > 1 && startOf(prev.pages[0].page) === startOf(first)) {
    // The first page is read already; the pages between it and the last
    // never change.
    pages = [pages[0], ...prev.pages.slice(1, -1)];
    const last = prev.pages[prev.pages.length - 1];
    const page = await fetchPage(last.cursor);
    if (!live()) return null;
    pages.push({ cursor: last.cursor, page });
  }
  const seen = new Set(pages.map((p) => p.cursor));
  for (let next = pages[pages.length - 1].page.nextCursor; next; next = pages[pages.length - 1].page.nextCursor) {
    if (seen.has(next) || pages.length >= JOURNAL_PAGES_MAX) break;
    seen.add(next);
    const page = await fetchPage(next);
    if (!live()) return null;
    pages.push({ cursor: next, page });
  }
  return {
    entries: pages.flatMap((p) => p.page.entries),
    pages,
    droppedSteps: first.droppedSteps || 0,
    capped: !!pages[pages.length - 1].page.nextCursor,
  };
}
