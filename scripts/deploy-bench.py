#!/usr/bin/env python3
"""Where a large deploy's time goes (docs/benchmarks.md, issue 14 item 7).

usage: scripts/deploy-bench.py WEFT_BINARY 7500,15000,30000

Starts `weft serve` on a fresh data directory and deploys, one after
another, a flow of each number of statements (`v{i % 59000} = x` a line:
each an unused variable, so each draws a warning), printing each deploy's
status, wall time, the server's CPU so far (from /proc) and the size of
the answer. With PERF=FILE, the last deploy is recorded by `perf record
-g` into FILE.
"""
import json, os, subprocess, sys, tempfile, time, urllib.request, shutil, re
binary = sys.argv[1]; sizes = [int(x) for x in sys.argv[2].split(',')]
perf = os.environ.get('PERF')
home = tempfile.mkdtemp(prefix='weft-deploy-bench-')
proc = subprocess.Popen([binary, 'serve', '--listen', '127.0.0.1:0', '--data', home + '/data'], stderr=subprocess.PIPE, text=True)
base = None
for line in proc.stderr:
    m = re.search(r'listening on (http://\S+)', line)
    if m: base = m.group(1); break
def req(path, body):
    r = urllib.request.Request(base + path, data=json.dumps(body).encode(), headers={'content-type': 'application/json'}, method='POST')
    try:
        with urllib.request.urlopen(r, timeout=600) as resp: return resp.status, resp.read()
    except urllib.error.HTTPError as e: return e.code, e.read()
try:
    for n in sizes:
        body = "".join(f"  v{i % 59000} = x\n" for i in range(n))
        src = f"flow Long{n}(x) {{\n{body}    return x\n}}\n"
        pp = None
        if perf and n == sizes[-1]:
            pp = subprocess.Popen(['perf', 'record', '-F', '499', '-g', '-o', perf, '-p', str(proc.pid)], stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
            time.sleep(1)
        cpu0 = os.times()
        t0 = time.monotonic()
        s, out = req('/v1/flows', {'files': [{'name': f'long{n}.weft', 'text': src}]})
        dt = time.monotonic() - t0
        st = open(f'/proc/{proc.pid}/stat').read().split()
        cpu = (int(st[13]) + int(st[14])) / os.sysconf('SC_CLK_TCK')
        print(f'{n} statements: {s} in {dt:.2f} s wall; server CPU so far {cpu:.2f} s; answer {len(out)} bytes', flush=True)
        if pp: pp.send_signal(2); pp.wait()
finally:
    proc.kill(); proc.wait(); shutil.rmtree(home, ignore_errors=True)
