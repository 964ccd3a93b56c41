#!/usr/bin/env python3
"""Time and memory of issue 14's hostile flows on a real `weft serve`.

    scripts/hostile-bench.py WEFT_BINARY [NAME ...]

Each flow runs on a server of its own (a fresh data directory, SQLite),
started by this script with an address space cap (ULIMIT_KIB, so a flow
that blows up fails instead of taking the machine) and a time cap per flow
(SECONDS_MAX). For each it prints: what the run ended as (or what happened
to the server), the wall time from the start request to the end, the
server's peak resident memory (VmHWM), the data directory's size, and, for
the flows that measure it, how long a quick run started meanwhile took.
Figures: docs/benchmarks.md ("Hostile flows"). Run it against the build
before a change and the build after, on the same machine.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ULIMIT_KIB = 4 * 1024 * 1024
SECONDS_MAX = 300

QUICK = 'flow Quick(x) {\n    return x\n}\n'

# name -> (source, flow, input, start a quick run meanwhile)
FLOWS = {
    "nesting-50000": (
        'flow Deep(n) {\n    x = []\n    for _i in range(n) {\n        x = [x]\n    }\n    Sleep(1s)\n    return 1\n}\n',
        "Deep", 50000, False),
    "sharing-20": (
        'flow Double(n) {\n    o = {leaf: 1}\n    for _i in range(n) {\n        o = {a: o, b: o}\n    }\n    Sleep(1s)\n    return 1\n}\n',
        "Double", 20, False),
    "sharing-24": (
        'flow Double(n) {\n    o = {leaf: 1}\n    for _i in range(n) {\n        o = {a: o, b: o}\n    }\n    Sleep(1s)\n    return 1\n}\n',
        "Double", 24, False),
    "refs-200x1MiB": (
        'flow Refs(n) {\n    big = "x"\n    while len(big) < 1000000 {\n        big = big + big\n    }\n    items = []\n    for _i in range(n) {\n        items = append(items, big)\n    }\n    Sleep(1s)\n    return len(items)\n}\n',
        "Refs", 200, False),
    "parallel-subflows-1000": (
        'flow Fan(n) {\n    return len(ParallelForEach(range(n), func(i) { return Child(i) }))\n}\n\nflow Child(i) {\n    return i\n}\n',
        "Fan", 1000, False),
    "parallel-subflows-2000": (
        'flow Fan(n) {\n    return len(ParallelForEach(range(n), func(i) { return Child(i) }))\n}\n\nflow Child(i) {\n    return i\n}\n',
        "Fan", 2000, False),
    "fill-object-100000": (
        'flow Fill(n) {\n    o = {}\n    for i in range(n) {\n        o[string(i)] = i\n    }\n    return len(o)\n}\n',
        "Fill", 100000, True),
    "append-99999": (
        'flow Grow(n) {\n    a = []\n    for i in range(n) {\n        a = append(a, i)\n    }\n    return len(a)\n}\n',
        "Grow", 99999, True),
    "string-growth-100000": (
        'flow Text(n) {\n    s = ""\n    for i in range(n) {\n        s += "x"\n    }\n    return len(s)\n}\n',
        "Text", 100000, True),
    "inline-children-100000": (
        'flow Kids(n) {\n    for i in range(n) {\n        _h = flow Kid(i) {\n            Sleep(1h)\n            return i\n        }\n    }\n    return 1\n}\n',
        "Kids", 100000, True),
}


def request(base, method, path, body=None, timeout=SECONDS_MAX):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def peak_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def dir_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total


def serve(binary, home):
    log = open(os.path.join(home, "log"), "w")
    proc = subprocess.Popen(
        ["bash", "-c", f'ulimit -v {ULIMIT_KIB}; exec "$0" serve --data "$1" --listen 127.0.0.1:0',
         binary, os.path.join(home, "data")],
        stdout=log, stderr=subprocess.STDOUT)
    for _ in range(600):
        text = open(os.path.join(home, "log")).read()
        m = re.search(r"listening on (?:http://)?([0-9.]+:[0-9]+)", text)
        if m:
            return proc, "http://" + m.group(1)
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    raise SystemExit(f"the server did not start:\n{open(os.path.join(home, 'log')).read()}")


def bench(binary, name):
    source, flow, n, quick = FLOWS[name]
    home = tempfile.mkdtemp(prefix="weft-hostile-")
    proc, base = serve(binary, home)
    try:
        status, body = request(base, "POST", "/v1/flows",
                               {"files": [{"name": "h.weft", "text": source + "\n" + QUICK}]})
        assert status == 201, (status, body)
        started = time.monotonic()
        status, body = request(base, "POST", "/v1/runs", {"flow": flow, "input": n}, timeout=SECONDS_MAX)
        if status != 201:
            return f"start refused {status}", time.monotonic() - started, peak_kib(proc.pid), dir_bytes(home), None
        run = body["id"]
        quick_s = None
        if quick:
            q0 = time.monotonic()
            s, _ = request(base, "POST", "/v1/runs", {"flow": "Quick", "input": 1, "wait": "300s"})
            quick_s = time.monotonic() - q0 if s == 201 else None
        end = "timed out"
        while time.monotonic() - started < SECONDS_MAX:
            if proc.poll() is not None:
                end = f"server died (exit {proc.returncode})"
                break
            try:
                s, rec = request(base, "GET", f"/v1/runs/{run}", timeout=10)
            except Exception as e:  # the server may be stalled or gone
                end = f"no answer ({type(e).__name__})"
                time.sleep(0.5)
                continue
            if s != 200:
                end = f"GET answered {s}"
                break
            if rec["status"] in ("completed", "failed", "cancelled") or (
                    rec["status"] == "waiting" and "Sleep" in source):
                end = rec["status"]
                if rec.get("error"):
                    msg = rec["error"].get("message", "")
                    limit = re.search(r"[A-Z_]+_MAX|STEP_BUDGET", msg)
                    end += f" ({limit.group(0) if limit else msg[:60]})"
                break
            time.sleep(0.05)
        took = time.monotonic() - started
        return end, took, peak_kib(proc.pid), dir_bytes(home), quick_s
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        shutil.rmtree(home, ignore_errors=True)


def bench_deploy(binary, statements):
    """A deploy of one flow of `statements` assignments (issue 14, item 7),
    with a quick run started 0.2 s into it: the deploy's time, and the
    quick run's."""
    # Short lines: the whole source stays under the default body limit.
    body = "".join(f"  v{i % 59000} = x\n" for i in range(statements))
    source = f"flow Long(x) {{\n{body}    return x\n}}\n"
    home = tempfile.mkdtemp(prefix="weft-hostile-")
    proc, base = serve(binary, home)
    try:
        status, _ = request(base, "POST", "/v1/flows",
                            {"files": [{"name": "q.weft", "text": QUICK}]})
        assert status == 201, status
        outcome = {}

        def deploy():
            t0 = time.monotonic()
            s, _ = request(base, "POST", "/v1/flows",
                           {"files": [{"name": "long.weft", "text": source}]})
            outcome["deploy"] = (s, time.monotonic() - t0)

        started = time.monotonic()
        t = threading.Thread(target=deploy)
        t.start()
        time.sleep(0.2)
        q0 = time.monotonic()
        s, _ = request(base, "POST", "/v1/runs", {"flow": "Quick", "input": 1, "wait": "300s"})
        quick_s = time.monotonic() - q0 if s == 201 else None
        t.join()
        status, took = outcome["deploy"]
        end = "deployed" if status == 201 else f"deploy answered {status}"
        return end, took, peak_kib(proc.pid), dir_bytes(home), quick_s
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        shutil.rmtree(home, ignore_errors=True)


DEPLOYS = {"deploy-60000": 60000}


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    names = sys.argv[2:] or list(FLOWS) + list(DEPLOYS)
    print(f"{'flow':<26} {'end':<34} {'time s':>8} {'peak MiB':>9} {'data MiB':>9} {'quick s':>8}")
    for name in names:
        if name in DEPLOYS:
            end, took, peak, data, quick = bench_deploy(binary, DEPLOYS[name])
        else:
            end, took, peak, data, quick = bench(binary, name)
        print(f"{name:<26} {end:<34} {took:>8.2f} {(peak or 0) / 1024:>9.0f} "
              f"{data / 2**20:>9.1f} {'' if quick is None else f'{quick:.2f}':>8}", flush=True)


if __name__ == "__main__":
    main()
