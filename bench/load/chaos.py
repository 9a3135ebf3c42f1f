"""The failure tests of `make load` / `make chaos` (run by bench/load/load.sh
against its multi-worker server and its own PostgreSQL pair; loopback only):

1. kill -9 an HTTP worker while web submissions are in flight, three times:
   the clients retry with their tokens; each submission is one complaint;
2. kill -9 the cron process in the middle of an escalation pass: the next
   pass completes, with no escalation recorded twice and none left out;
3. restart the primary PostgreSQL during submissions: the server recovers by
   itself; each accepted submission is one whole complaint;
4. stop the replica: read-only requests are answered from the primary (or
   fail with an error), never with wrong data; then start it again.

Exits 1 when a test fails. Accepted tokens are appended to OUT/tokens.txt
for the integrity check that follows.
"""

import argparse
import configparser
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlsplit

import psycopg2
import requests

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission_token" value="([^"]+)"')
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
FAILED = []


def say(text):
    print(text, flush=True)


def verdict(name, ok, detail):
    say(f"[{'ok  ' if ok else 'FAIL'}] {name}: {detail}")
    if not ok:
        FAILED.append(name)


def as_root(cmd):
    return subprocess.run(
        cmd if os.geteuid() == 0 else ["sudo", *cmd], check=True, capture_output=True
    )


class Db:
    def __init__(self, config, db):
        opts = configparser.ConfigParser()
        opts.read(config)
        o = opts["options"]
        self.login = {
            "dbname": db,
            "host": o.get("db_host"),
            "port": o.get("db_port"),
            "user": o.get("db_user"),
            "password": o.get("db_password"),
        }

    def query(self, sql, params=None, retries=30):
        for attempt in range(retries):
            try:
                with psycopg2.connect(**self.login) as conn, conn.cursor() as cr:
                    cr.execute(sql, params)
                    return cr.fetchall() if cr.description else None
            except psycopg2.OperationalError:
                if attempt == retries - 1:
                    raise
                time.sleep(1)
        return None

    def complaints_per_token(self, tokens):
        rows = self.query(
            """SELECT iso10002_submission_token, count(*) FROM helpdesk_ticket
                WHERE iso10002_submission_token = ANY(%s) GROUP BY 1""",
            [list(tokens)],
        )
        return {token: count for token, count in rows}


class Client:
    """A complainant's browser: one session, a form, its token."""

    def __init__(self, url, stats):
        self.url = url
        self.session = requests.Session()
        self.stats = stats

    def _get(self, path):
        for _attempt in range(60):
            try:
                response = self.session.get(self.url + path, timeout=60)
                if response.status_code < 500:
                    return response
                self.stats[f"GET {response.status_code}"] += 1
            except requests.RequestException as error:
                self.stats[f"GET {type(error).__name__}"] += 1
            time.sleep(0.5)
        raise RuntimeError(f"{path}: no answer")

    def form(self):
        for _attempt in range(60):
            response = self._get("/complaints/new")
            csrf, token = CSRF.search(response.text), SUBMISSION.search(response.text)
            if csrf and token:
                return csrf.group(1), token.group(1)
            self.stats[f"GET form not shown ({response.status_code})"] += 1
            time.sleep(0.5)
        raise RuntimeError("/complaints/new: no form")

    def submit(self, csrf, token, attachment=False, session=None):
        """POST until accepted (303 to the thanks page), retrying with the
        same token after a cut connection or a 5xx. The location, or None."""
        n = random.randrange(10**9)
        data = {
            "csrf_token": csrf,
            "submission_token": token,
            "name": f"Chaos Complainant {n}",
            "email": f"chaos.{token[-12:].lower()}@example.org",
            "title": "The parcel arrived damaged",
            "description": "Submitted during a failure test.",
            "consent": "on",
        }
        files = (
            {"attachments": ("photo.txt", b"y" * 200000, "text/plain")}
            if attachment
            else None
        )
        for attempt in range(40):
            try:
                response = (session or self.session).post(
                    self.url + "/complaints/submit",
                    data=data,
                    files=files,
                    allow_redirects=False,
                    timeout=120,
                )
                location = response.headers.get("Location", "")
                if response.status_code == 303 and "/complaints/thanks/" in location:
                    if attempt:
                        self.stats["accepted after a retry"] += 1
                    return location
                if response.status_code == 404:
                    # Odoo's answer when it cannot reach the database: the
                    # route is served without one (a browser shows Not Found)
                    self.stats["POST 404 (database unreachable), retried"] += 1
                elif response.status_code < 500:
                    self.stats[f"refused {response.status_code}"] += 1
                    return None
                else:
                    self.stats[f"POST {response.status_code}, retried"] += 1
            except requests.RequestException as error:
                self.stats[f"POST {type(error).__name__}, retried"] += 1
            time.sleep(min(0.3 * (attempt + 1), 3))
        return None


def submit_for(url, seconds, threads, stats, accepted, doubles=0.2):
    """``threads`` clients submitting for ``seconds``; a share of the
    submissions is sent twice at once (two connections, one token)."""
    deadline = time.time() + seconds
    lock = threading.Lock()

    def client_loop():
        client = Client(url, stats)
        while time.time() < deadline:
            try:
                csrf, token = client.form()
            except RuntimeError:
                continue
            attachment = random.random() < 0.3
            if random.random() < doubles:
                twin = requests.Session()
                twin.cookies.update(client.session.cookies)
                results = [None, None]

                def send(i, session, results, csrf, token, attachment):
                    results[i] = client.submit(csrf, token, attachment, session)

                both = [
                    threading.Thread(
                        target=send,
                        args=(i, session, results, csrf, token, attachment),
                    )
                    for i, session in enumerate((client.session, twin))
                ]
                for thread in both:
                    thread.start()
                for thread in both:
                    thread.join()
                stats["sent twice at once"] += 1
                if results[0] != results[1]:
                    stats["twins answered differently"] += 1
                location = results[0] or results[1]
            else:
                location = client.submit(csrf, token, attachment)
            if location:
                with lock:
                    accepted.append(token)

    workers = [threading.Thread(target=client_loop) for _ in range(threads)]
    for worker in workers:
        worker.start()
    return workers


def check_tokens(db, name, accepted, stats, extra=""):
    counts = db.complaints_per_token(accepted)
    wrong = {t: counts.get(t, 0) for t in set(accepted) if counts.get(t, 0) != 1}
    detail = (
        f"{len(set(accepted))} submissions accepted, "
        f"{sum(1 for t in set(accepted) if counts.get(t) == 1)} are exactly one "
        f"complaint; client side: "
        + ", ".join(f"{k} {v}" for k, v in sorted(stats.items()))
        + extra
    )
    verdict(
        name, not wrong and accepted and not stats["twins answered differently"], detail
    )
    if wrong:
        say(f"         not exactly one complaint: {list(wrong.items())[:10]}")


def streaming(args):
    """Whether the replica streams from the primary (pg_stat_replication's
    state is shown to superusers only)."""
    sql = "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
    cmd = ["psql", "-h", "/var/run/postgresql", "-p", args.primary_port, "-XtAc", sql]
    cmd = (
        ["runuser", "-u", "postgres", "--", *cmd]
        if os.geteuid() == 0
        else ["sudo", "-u", "postgres", *cmd]
    )
    out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
    return out.strip() not in ("", "0")


def wait_streaming(args, seconds=60):
    started = time.time()
    while time.time() - started < seconds:
        if streaming(args):
            return round(time.time() - started, 1)
        time.sleep(1)
    return None


def process_tree(pid):
    return [pid, *children(pid)]


def children(pid):
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return [int(p) for p in out.split()]


def http_workers(master):
    out = subprocess.run(
        ["ps", "-o", "pid=,args=", "--ppid", str(master)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return [
        int(line.split()[0])
        for line in out.splitlines()
        if line.strip() and " gevent " not in line
    ]


# ----------------------------------------------------------------------
def test_kill_worker(args, db, accepted_all):
    say("\n-- 1. kill -9 an HTTP worker while submissions are in flight")
    stats, accepted = Counter(), []
    threads = submit_for(args.url, 25, 12, stats, accepted)
    killed = []
    for _kill in range(3):
        time.sleep(6)
        workers = http_workers(args.master_pid)
        if workers:
            victim = random.choice(workers)
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)
    for thread in threads:
        thread.join()
    time.sleep(3)
    respawned = len(http_workers(args.master_pid))
    accepted_all.extend(accepted)
    check_tokens(
        db,
        "kill -9 a worker",
        accepted,
        stats,
        f"; workers killed {len(killed)}, HTTP workers alive after: {respawned}",
    )


def test_kill_cron(args, db):
    say("\n-- 2. kill -9 the cron process in the middle of an escalation pass")
    cron = db.query(
        """SELECT c.id, s.code FROM ir_cron c
             JOIN ir_act_server s ON s.id = c.ir_actions_server_id
            WHERE s.code LIKE '%%_cron_escalate%%'"""
    )
    cron_id, code = cron[0]
    # many small batches (each committed), so that a kill falls mid-pass
    db.query(
        "UPDATE ir_act_server SET code = %s WHERE id = "
        "(SELECT ir_actions_server_id FROM ir_cron WHERE id = %s)",
        ["model._cron_escalate(batch_size=20)", cron_id],
    )
    due = db.query(
        """UPDATE iso10002_sla_line
              SET at_risk_at = now() at time zone 'utc' - interval '2 days',
                  deadline = now() at time zone 'utc' - interval '1 day'
            WHERE state = 'running' AND escalation_level = 0
        RETURNING id"""
    )
    lines = [row[0] for row in due]
    say(f"   {len(lines)} running clocks made overdue")

    def trigger():
        db.query(
            "UPDATE ir_cron SET nextcall = now() at time zone 'utc' - interval "
            "'1 minute' WHERE id = %s; NOTIFY cron_trigger, %s",
            [cron_id, args.db],
        )

    def escalated():
        return db.query(
            "SELECT count(*) FROM iso10002_sla_line WHERE id = ANY(%s) "
            "AND escalation_level = 2",
            [lines],
        )[0][0]

    trigger()
    before_kill = 0
    deadline = time.time() + 120
    while time.time() < deadline:
        before_kill = escalated()
        if before_kill:
            break
        time.sleep(0.1)
    cron_pid = int(open(args.cron_pid_file).read())  # noqa: SIM115
    # the machine running the crons dies: its server and its cron worker
    for pid in process_tree(cron_pid):
        os.kill(pid, signal.SIGKILL)
    time.sleep(1)
    at_kill = escalated()
    say(f"   cron process {cron_pid} killed with {at_kill} of {len(lines)} escalated")
    log = os.path.join(args.out, "cron-after-kill.log")
    new = subprocess.Popen(
        [
            sys.executable,
            args.odoo_bin,
            "-c",
            args.config,
            "-d",
            args.db,
            "--no-http",
            "--workers",
            "1",
            "--max-cron-threads",
            "1",
            "--logfile",
            log,
        ]
    )
    with open(args.cron_pid_file, "w") as pidfile:
        pidfile.write(str(new.pid))
    time.sleep(5)
    trigger()
    deadline = time.time() + 180
    while time.time() < deadline and escalated() < len(lines):
        time.sleep(1)
    done = escalated()
    dupes = db.query(
        """SELECT count(*) FROM (SELECT 1 FROM iso10002_escalation
            WHERE sla_line_id = ANY(%s) GROUP BY sla_line_id, kind
           HAVING count(*) > 1) d""",
        [lines],
    )[0][0]
    missing = db.query(
        """SELECT count(*) FROM iso10002_sla_line l WHERE l.id = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM iso10002_escalation e
                               WHERE e.sla_line_id = l.id AND e.kind = 'breached')""",
        [lines],
    )[0][0]
    time.sleep(3)
    pending = db.query(
        """SELECT count(*) FROM iso10002_escalation
            WHERE sla_line_id = ANY(%s) AND notification_pending""",
        [lines],
    )[0][0]
    db.query(
        "UPDATE ir_act_server SET code = %s WHERE id = "
        "(SELECT ir_actions_server_id FROM ir_cron WHERE id = %s)",
        [code, cron_id],
    )
    verdict(
        "kill -9 the cron process mid-escalation",
        before_kill < len(lines) and done == len(lines) and not dupes and not missing,
        f"{at_kill} of {len(lines)} clocks escalated when killed, {done} after the "
        f"next pass; escalations recorded twice {dupes}, breaches without record "
        f"{missing}, team notifications still pending {pending}",
    )


def cron_runs(args, db, seconds=150):
    """Whether the cron process still runs jobs: the escalation job, due
    now, runs within ``seconds``."""
    cron_id = db.query(
        """SELECT c.id FROM ir_cron c
             JOIN ir_act_server s ON s.id = c.ir_actions_server_id
            WHERE s.code LIKE '%%_cron_escalate%%'"""
    )[0][0]
    db.query(
        "UPDATE ir_cron SET nextcall = now() at time zone 'utc' - interval "
        "'1 minute', lastcall = NULL WHERE id = %s; NOTIFY cron_trigger, %s",
        [cron_id, args.db],
    )
    started = time.time()
    while time.time() - started < seconds:
        if db.query("SELECT lastcall FROM ir_cron WHERE id = %s", [cron_id])[0][0]:
            return True
        time.sleep(2)
    return False


def test_restart_primary(args, db, accepted_all):
    say("\n-- 3. restart the primary PostgreSQL during submissions")
    stats, accepted = Counter(), []
    threads = submit_for(args.url, 30, 8, stats, accepted, doubles=0.1)
    time.sleep(8)
    started = time.time()
    as_root(["pg_ctlcluster", args.pg_version, args.primary, "restart", "-m", "fast"])
    restarted = time.time() - started
    # the server answers again by itself
    recovered = None
    while time.time() - started < 120:
        try:
            if requests.get(args.url + "/complaints", timeout=30).status_code == 200:
                recovered = time.time() - started
                break
        except requests.RequestException:
            pass
        time.sleep(0.5)
    for thread in threads:
        thread.join()
    accepted_all.extend(accepted)
    again = wait_streaming(args)
    cron_ok = cron_runs(args, db)
    check_tokens(
        db,
        "restart the primary",
        accepted,
        stats,
        f"; restart took {restarted:.1f} s, first page served "
        f"{recovered if recovered is None else round(recovered, 1)} s after it "
        f"began; replica streaming again {again} s after the submissions; "
        f"the cron process runs a job after it: {cron_ok}",
    )
    if not cron_ok:
        FAILED.append("cron process did not recover")
    if recovered is None:
        FAILED.append("server did not recover")


def _login_manager(url, fixtures, db):
    session = requests.Session()
    session.post(
        url + "/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "params": {
                "db": db,
                "login": fixtures["managers"][0],
                "password": fixtures["password"],
            },
        },
        timeout=60,
    ).raise_for_status()
    return session


def _figures(session, url):
    response = session.post(
        url + "/web/dataset/call_kw/iso10002.kpi.dashboard/get_figures",
        json={
            "jsonrpc": "2.0",
            "params": {
                "model": "iso10002.kpi.dashboard",
                "method": "get_figures",
                "args": [],
                "kwargs": {},
            },
        },
        timeout=60,
    )
    body = response.json()
    if "error" in body:
        return None, body["error"].get("data", {}).get("message", "error")
    return {row["code"]: row["value"] for row in body["result"]}, None


def _portal(url, fixtures):
    session = requests.Session()
    me = fixtures["portals"][0]
    page = session.get(url + "/web/login", timeout=60).text
    session.post(
        url + "/web/login",
        data={
            "login": me["login"],
            "password": fixtures["password"],
            "csrf_token": CSRF.search(page).group(1),
        },
        timeout=60,
    )
    return session, me["complaints"][0]


def test_stop_replica(args, db):
    say("\n-- 4. stop the replica: read-only requests")
    fixtures = json.load(open(os.environ["LOAD_FIXTURES"]))  # noqa: SIM115
    manager = _login_manager(args.url, fixtures, args.db)
    portal, ticket = _portal(args.url, fixtures)
    baseline, error = _figures(manager, args.url)
    reference = db.query(
        "SELECT complaint_reference FROM helpdesk_ticket WHERE id = %s", [ticket]
    )[0][0]
    as_root(["pg_ctlcluster", args.pg_version, args.replica, "stop", "-m", "fast"])
    outcomes = Counter()
    messages = Counter()
    deadline = time.time() + 15
    while time.time() < deadline:
        figures, error = _figures(manager, args.url)
        if error:
            outcomes["figures: error"] += 1
            messages[error[:80]] += 1
        else:
            outcomes[
                "figures: same as before" if figures == baseline else "figures: WRONG"
            ] += 1
        response = portal.get(f"{args.url}/my/complaints/{ticket}", timeout=60)
        if response.status_code >= 500:
            outcomes[f"portal page: {response.status_code}"] += 1
        else:
            outcomes[
                "portal page: right complaint"
                if reference in response.text
                else "portal page: WRONG"
            ] += 1
        public = requests.get(args.url + "/complaints", timeout=60).status_code
        outcomes[f"public page: {public}"] += 1
    as_root(["pg_ctlcluster", args.pg_version, args.replica, "start"])
    again = wait_streaming(args)
    wrong = sum(v for k, v in outcomes.items() if "WRONG" in k)
    verdict(
        "stop the replica",
        not wrong and baseline is not None,
        ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
        + (f"; errors: {dict(messages)}" if messages else "")
        + f"; replica streaming again {again} s after its start",
    )


def main():
    parser = argparse.ArgumentParser()
    for name in (
        "out",
        "config",
        "db",
        "url",
        "cron-pid-file",
        "pg-version",
        "odoo-bin",
    ):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--master-pid", type=int, required=True)
    parser.add_argument("--primary", required=True)
    parser.add_argument("--replica", required=True)
    parser.add_argument("--primary-port", required=True)
    parser.add_argument("--only", nargs="*", default=["1", "2", "3", "4"])
    args = parser.parse_args()
    if urlsplit(args.url).hostname not in LOOPBACK:
        sys.exit("failure tests run against a loopback address only")
    db = Db(args.config, args.db)
    accepted = []
    try:
        if "1" in args.only:
            test_kill_worker(args, db, accepted)
        if "2" in args.only:
            test_kill_cron(args, db)
        if "3" in args.only:
            test_restart_primary(args, db, accepted)
        if "4" in args.only:
            test_stop_replica(args, db)
    finally:
        with open(os.path.join(args.out, "tokens.txt"), "a") as tokens:
            tokens.writelines(token + "\n" for token in accepted)
    say(f"\nfailure tests: {len(FAILED) or 'none'} failed {FAILED or ''}")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
