#!/usr/bin/env python3
"""fdatasync's cost by the bytes written before it, on the disk holding DIR.

Overwrites a preallocated 80 MiB file from its start, as SQLite's log is
written once it has been checkpointed, and syncs after each write: 100
writes of each size, three passes; prints each pass's median.
Usage: bench/sync-by-size.py [DIR]   (default /tmp)
"""
import os
import statistics
import sys
import time

SIZES_KIB = [4, 16, 32, 64, 96, 128, 256]
WRITES = 100
PASSES = 3
FILE_BYTES = 80 << 20

d = sys.argv[1] if len(sys.argv) > 1 else "/tmp"
path = os.path.join(d, "sync-by-size.bin")
fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
try:
    os.pwrite(fd, b"\0" * FILE_BYTES, 0)
    os.fsync(fd)
    buf = os.urandom(max(SIZES_KIB) * 1024)
    at = 0
    medians = {kib: [] for kib in SIZES_KIB}
    for _ in range(PASSES):
        for kib in SIZES_KIB:
            times = []
            for _ in range(WRITES):
                if at + kib * 1024 > FILE_BYTES:
                    at = 0
                os.pwrite(fd, buf[: kib * 1024], at)
                at += kib * 1024
                t = time.perf_counter()
                os.fdatasync(fd)
                times.append(time.perf_counter() - t)
            medians[kib].append(statistics.median(times) * 1000)
    for kib, ms in medians.items():
        print(f"{kib:4d} KiB then fdatasync: median ms per pass " + " ".join(f"{m:.3f}" for m in ms))
finally:
    os.close(fd)
    os.unlink(path)
