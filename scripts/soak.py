#!/usr/bin/env python3
"""The load of scripts/soak: WRITERS threads enter KPI values through the API for SECONDS,
each on its own KPIs (as thirty-two people of different offices would), then the audit trail is
read and every accepted write must be in it. Any refusal or server error fails. Standard
library only.

    soak.py BIN DATABASE_URL WRITERS SECONDS
"""
import csv
import io
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

BIN, URL, WRITERS, SECONDS = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ENTE, YEAR = "015146", 2021


def cli(*args):
    out = subprocess.run([BIN, "--database-url", URL, *args], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"traguardi {' '.join(args)}: {out.stderr.strip()}")
    return out.stdout


# 2020 left open, as its writers write into it.
cli("demo", "--no-serve", "--anno-aperto")
token = re.search(r"trg_\S+", cli("user", "token", "pianificatore", "--nome", "soak")).group(0)
kpis = [r["codice"] for r in csv.DictReader(io.StringIO(cli("report", "scores", "--cycle", str(YEAR), "--format", "csv"))) if r["livello"] == "kpi"]

# One token for every writer: its rate limit is lifted, the load is the point here.
env = dict(os.environ, TRAGUARDI_API_RATE="100000000")
server = subprocess.Popen([BIN, "--database-url", URL, "serve", "--bind", "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
addr = None
for line in server.stdout:
    m = re.search(r"http://[0-9.:]+", line)
    if m:
        addr = m.group(0)
        break
threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
errors_log = []
threading.Thread(target=lambda: [errors_log.append(l) for l in server.stderr], daemon=True).start()

lock = threading.Lock()
accepted, refused, failed, latencies = [], 0, [], []


def writer(n):
    global refused
    rnd = random.Random(n)
    mine = kpis[n::WRITERS] or kpis
    stop = time.monotonic() + SECONDS
    while time.monotonic() < stop:
        body = json.dumps({"kpi": rnd.choice(mine), "data": f"{YEAR}-12-31", "valore": str(rnd.randint(0, 1000)), "nota": f"soak {n}"}).encode()
        req = urllib.request.Request(f"{addr}/api/v1/enti/{ENTE}/cicli/{YEAR}/valori", data=body, method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        started = time.monotonic()
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                got = json.loads(r.read())
                with lock:
                    accepted.append(got["id"])
                    latencies.append(time.monotonic() - started)
        except urllib.error.HTTPError as e:
            with lock:
                if e.code >= 500:
                    failed.append(f"{e.code} {e.read()[:200]!r}")
                else:
                    refused += 1
        except Exception as e:  # a connection reset or a timeout is a failure of the server too
            with lock:
                failed.append(repr(e))


threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
server.terminate()
server.wait(timeout=30)

trail = cli("audit", "--cycle", str(YEAR), "--format", "csv")
ids = {r["id"] for r in csv.DictReader(io.StringIO(trail)) if r["azione"] == "inserisci valore"}
missing = [i for i in accepted if i not in ids]
verify = cli("audit", "--verify").strip().splitlines()[0]
latencies.sort()
p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else 0
print(f"soak {URL.split(':')[0]}: {WRITERS} writers x {SECONDS} s: {len(accepted)} values accepted "
      f"({len(accepted) / SECONDS:.0f}/s, p50 {p(0.5):.0f} ms, p95 {p(0.95):.0f} ms), {refused} refused (4xx), "
      f"{len(failed)} server errors, {len(missing)} accepted writes missing from the audit trail; {verify}")
for f in failed[:5]:
    print("  server error:", f)
for l in [l for l in errors_log if "ERROR" in l][:5]:
    print("  log:", l.strip())
sys.exit(1 if failed or missing or refused or not accepted else 0)
