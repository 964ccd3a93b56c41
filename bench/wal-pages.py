#!/usr/bin/env python3
"""The pages each commit in a store's SQLite log wrote, by table or index.

Reads DIR/weft.db-wal frame by frame (up to the first frame whose salts
are not the header's), groups the frames into transactions at their
commit frames, and names each page with SQLite's dbstat table, read from
a copy of DIR (the store is not touched). The first SKIP transactions
are left out (default 10). Take DIR from a bench stopped mid-run, e.g.
  weft bench --runs 20000 --concurrency 64 & sleep 2.5; kill -9 %1; cp -r /tmp/weft-bench-* /tmp/wb
Usage: bench/wal-pages.py DIR [SKIP]
"""
import collections
import shutil
import sqlite3
import struct
import sys
import tempfile

src = sys.argv[1]
skip = int(sys.argv[2]) if len(sys.argv) > 2 else 10
wal = open(f"{src}/weft.db-wal", "rb").read()
_magic, _version, page_size, _seq, salt1, salt2, _c1, _c2 = struct.unpack(">8I", wal[:32])
frames = []
at = 32
while at + 24 + page_size <= len(wal):
    page, db_pages, s1, s2 = struct.unpack(">4I", wal[at : at + 16])
    if (s1, s2) != (salt1, salt2):
        break
    frames.append((page, db_pages))
    at += 24 + page_size
with tempfile.TemporaryDirectory() as tmp:
    shutil.copytree(src, tmp, dirs_exist_ok=True)
    con = sqlite3.connect(f"{tmp}/weft.db")
    names = {page: name for name, page in con.execute("SELECT name, pageno FROM dbstat")}
    con.close()
commits, current = [], []
for page, db_pages in frames:
    current.append(page)
    if db_pages:
        commits.append(current)
        current = []
kept = commits[skip:]
if not kept:
    sys.exit(f"{len(commits)} commits in the log, none after the first {skip}")
by_name = collections.Counter(names.get(p, "(free or new)") for c in kept for p in c)
print(f"page size {page_size}, {len(frames)} frames, {len(commits)} commits, {len(kept)} counted")
print(f"pages per commit {sum(len(c) for c in kept) / len(kept):.1f}")
for name, n in by_name.most_common():
    print(f"  {name:28s} {n / len(kept):.2f}")
