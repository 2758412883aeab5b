#!/usr/bin/env python3
"""The work of scripts/crash: kill -9 the server in the middle of an import (the wizard's
confirmation of 7,500 values of the metropoli), a year-end close (the metropoli's, through the
API) and the approval of the premi (the demo's 2020, from its page), ROUNDS times each at
random moments; restart it after each kill and check that the database passes its integrity
check, every audit trail verifies, and each operation is either all there or not there at all.
Standard library only.

    crash.py BIN DATABASE_URL ROUNDS
"""
import atexit
import http.cookiejar
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

BIN, URL, ROUNDS = sys.argv[1], sys.argv[2], int(sys.argv[3])
METROPOLI, MILANO = "099999", "015146"
rnd = random.Random(int(os.environ.get("CRASH_SEED", "7")))
# Removed when the script ends, however it ends.
work = tempfile.mkdtemp(prefix="traguardi-crash-")
atexit.register(shutil.rmtree, work, ignore_errors=True)


def cli(*args, check=True):
    out = subprocess.run([BIN, "--database-url", URL, *args], capture_output=True, text=True)
    if check and out.returncode != 0:
        sys.exit(f"traguardi {' '.join(args)}: {out.stderr.strip()[:2000]}")
    return out


def sql(query):
    """One column of a query, read with the database's own client."""
    if URL.startswith("sqlite:"):
        out = subprocess.run(["sqlite3", URL.split("://", 1)[1], query], capture_output=True, text=True, check=True)
    else:
        out = subprocess.run(["psql", URL, "-At", "-c", query], capture_output=True, text=True, check=True)
    return out.stdout.split("\n")[:-1]


def one(query):
    return int(sql(query)[0])


def setup():
    cli("metropoli")
    # 2020 left open: the year-end steps are what this script kills and checks.
    cli("demo", "--no-serve", "--anno-aperto")
    cli("user", "role", "pianificatore", "--ente", METROPOLI, "--ruolo", "pianificatore")
    # Open the gates of the demo's 2020 premi: the plan approved, the Relazione approved by the
    # Giunta and validated by the NIV.
    cli("plan", "stato", "--ente", MILANO, "--cycle", "2020", "--stato", "proposto")
    cli("plan", "stato", "--ente", MILANO, "--cycle", "2020", "--stato", "approvato", "--atto", "GC 838/2020")
    acts = os.path.join(work, "atti.csv")
    with open(acts, "w") as f:
        f.write("organo,numero,data,oggetto,immediatamente_eseguibile\ngiunta,1,2021-06-10,Approvazione della Relazione sulla Performance 2020,si\n")
    cli("import", "atti", "--ente", MILANO, acts)
    cli("relazione", "--ente", MILANO, "--cycle", "2020", "--stato", "approvata", "--atto", "GC 1/2021", "--data", "2021-06-20")
    cli("relazione", "--ente", MILANO, "--cycle", "2020", "--stato", "validata", "--data", "2021-06-20")
    token = re.search(r"trg_\S+", cli("user", "token", "pianificatore", "--nome", "crash").stdout).group(0)
    kpis = sql(f"SELECT k.code FROM kpi k JOIN ente e ON e.id = k.ente_id WHERE e.code = '{METROPOLI}' "
               "AND k.formula IS NULL AND k.measure IN ('numero', 'percentuale', 'importo') ORDER BY k.code")
    return token, kpis


class Server:
    def __init__(self):
        self.proc = subprocess.Popen([BIN, "--database-url", URL, "serve", "--bind", "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for line in self.proc.stdout:
            m = re.search(r"http://[0-9.:]+", line)
            if m:
                self.addr = m.group(0)
                break
        self.jar = http.cookiejar.CookieJar()
        self.web = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def page(self, path, form=None, body=None, headers=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else body
        req = urllib.request.Request(self.addr + path, data=data, headers=headers or {})
        with self.web.open(req, timeout=120) as r:
            return r.read().decode()

    def login(self):
        csrf = re.search(r'name="csrf" value="([^"]+)"', self.page("/login")).group(1)
        self.page("/login", {"utente": "pianificatore", "password": "traguardi-demo", "csrf": csrf})

    def csrf(self, path):
        return re.search(r'name="csrf" value="([^"]+)"', self.page(path)).group(1)

    def in_background(self, fn):
        """Starts `fn` (a request) in a thread: the server is killed while it runs."""
        t = threading.Thread(target=lambda: swallow(fn), daemon=True)
        t.start()
        return t


def swallow(fn):
    try:
        fn()
    except Exception:
        pass  # the server was killed: the connection breaks


def multipart(fields, file):
    boundary = "traguardicrash"
    out = io.BytesIO()
    for k, v in fields:
        out.write(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n".encode())
    name, content = file
    out.write(f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n".encode())
    out.write(content + b"\r\n" + f"--{boundary}--\r\n".encode())
    return out.getvalue(), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def checks(label):
    """The database after a kill: intact, every trail verified."""
    problems = []
    if URL.startswith("sqlite:"):
        ok = sql("PRAGMA integrity_check")
        if ok != ["ok"]:
            problems.append(f"integrity_check: {ok[:3]}")
    for ente in (METROPOLI, MILANO):
        out = cli("audit", "--ente", ente, "--verify", check=False)
        if out.returncode != 0:
            problems.append(f"audit {ente}: {out.stderr.strip()}")
    if problems:
        sys.exit(f"after the kill during {label}: " + "; ".join(problems))


def moment(n, span):
    """When to kill in round n: the rounds spread over `span` seconds (the operation's length
    and past it), so that kills land before, during and after the writing."""
    return span * (n + rnd.uniform(0.2, 0.8)) / ROUNDS


def round_import(n, kpis):
    note = f"crash {n}"
    rows = "".join(f"{k},2025-12-31,{rnd.randint(0, 100)},{note}\n" for k in kpis)
    s = Server()
    s.login()
    start = f"/enti/{METROPOLI}/cicli/2025/importa"
    body, headers = multipart([("csrf", s.csrf(start)), ("tipo", "misurazioni")], ("valori.csv", ("kpi,data,valore,nota\n" + rows).encode()))
    req = urllib.request.Request(s.addr + start, data=body, headers=headers)
    with s.web.open(req, timeout=120) as r:
        wizard = urllib.parse.urlparse(r.geturl()).path
    s.page(wizard, {"csrf": s.csrf(wizard), "col.kpi": "kpi", "col.data": "data", "col.valore": "valore", "col.nota": "nota", "azione": "colonne"})
    csrf = s.csrf(wizard + "/anteprima")
    s.in_background(lambda: s.page(wizard + "/conferma", {"csrf": csrf}))
    time.sleep(moment(n, 8.0))
    s.kill()
    checks("an import")
    found = one(f"SELECT COUNT(*) FROM measurement WHERE note = '{note}'")
    if found not in (0, len(kpis)):
        sys.exit(f"import {n}: {found} of {len(kpis)} values written: a half import")
    return "complete" if found else "absent"


def round_close(n, token):
    s = Server()
    s.in_background(lambda: s.page(f"/api/v1/enti/{METROPOLI}/cicli/2025/chiusura", body=json.dumps({"forza": True, "motivo": f"prova {n}"}).encode(),
                                   headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"}))
    time.sleep(moment(n, 30.0))
    s.kill()
    checks("a close")
    cycle = f"(SELECT c.id FROM cycle c JOIN ente e ON e.id = c.ente_id WHERE e.code = '{METROPOLI}' AND c.year = 2025)"
    closed = one(f"SELECT COUNT(*) FROM cycle_close WHERE cycle_id = {cycle}")
    frozen = one(f"SELECT COUNT(*) FROM objective WHERE cycle_id = {cycle} AND state = 'chiuso'")
    total = one(f"SELECT COUNT(*) FROM objective WHERE cycle_id = {cycle}")
    if (closed, frozen) not in ((0, 0), (1, total)):
        sys.exit(f"close {n}: {closed} close rows and {frozen} of {total} objectives closed: a half close")
    if closed:
        out = cli("close", "--ente", METROPOLI, "--cycle", "2025", "--verify", check=False)
        if out.returncode != 0:
            sys.exit(f"close {n}: the close does not verify: {out.stderr.strip()}")
    return "complete" if closed else "absent"


def round_approve(n):
    s = Server()
    s.login()
    path = f"/enti/{MILANO}/cicli/2020/premi"
    csrf = s.csrf(path)
    s.in_background(lambda: s.page(path, {"csrf": csrf, "azione": "approva", "nome": "base"}))
    time.sleep(moment(n, 1.0))
    s.kill()
    checks("an approval")
    approved = one(f"SELECT COUNT(*) FROM pay_scenario p JOIN ente e ON e.id = p.ente_id WHERE e.code = '{MILANO}' AND p.name = 'base' AND p.approved_at IS NOT NULL")
    recorded = one(f"SELECT COUNT(*) FROM audit_log a JOIN ente e ON e.id = a.ente_id WHERE e.code = '{MILANO}' AND a.action = 'approva premi'")
    if approved != recorded:
        sys.exit(f"approval {n}: approved {approved}, recorded in the audit trail {recorded}")
    return "complete" if approved else "absent"


token, kpis = setup()
tally = {}
rounds = (("import", lambda n: round_import(n, kpis)), ("approval", round_approve), ("close", lambda n: round_close(n, token)))
for name, run in rounds:
    for n in range(ROUNDS):
        outcome = run(n)
        tally.setdefault(name, []).append(outcome)
        # A close or an approval found complete is done for good: the next would be refused.
        if outcome == "complete" and name != "import":
            break
# The server starts and answers after the last kill.
s = Server()
ok = urllib.request.urlopen(s.addr + "/readyz", timeout=30).read().decode()
s.proc.terminate()
backend = URL.split(":")[0]
summary = ", ".join(f"{k}: {len(v)} kills ({v.count('complete')} found complete, {v.count('absent')} absent)" for k, v in tally.items())
print(f"crash {backend}: {summary}; integrity and audit trails verified after every kill; restarted: {ok}")
