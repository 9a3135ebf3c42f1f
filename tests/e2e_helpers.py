"""Helpers of the end-to-end checks: a real Odoo server, its log, and
PostgreSQL administration with the login of the test configuration."""

import configparser
import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = re.compile(
    r"wkhtmltopdf: .*(unpatched qt|--header|--footer|switch)", re.IGNORECASE
)
LOG_LINE = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(config, db, log, python=sys.executable, extra=(), allowed=()):
    """Run an Odoo server on a free local port for the block; yield its URL.

    On exit the server stops and its log must hold no warning or error other
    than the unpatched-Qt wkhtmltopdf line and the user errors named in
    `allowed` (messages a test provokes on purpose and checks).
    """
    port = _free_port()
    with open(log, "w") as out:
        process = subprocess.Popen(
            [
                python,
                "-m",
                "odoo",
                "-c",
                str(config),
                "-d",
                db,
                f"--db-filter=^{db}$",
                f"--http-port={port}",
                "--http-interface=127.0.0.1",
                "--max-cron-threads=0",
                "--log-level=warn",
                *extra,
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/web/login", timeout=5) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"Odoo did not start:\n{log.read_text()[-3000:]}"
                    ) from None
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(30)
    assert_clean_log(log.read_text(), allowed)


def assert_clean_log(text, allowed=()):
    problems = [
        line
        for line in text.splitlines()
        if LOG_LINE.match(line)
        and not ALLOWED.search(line)
        and not (
            " WARNING " in line
            and " odoo.http: " in line
            and any(line.split(" odoo.http: ", 1)[1].startswith(e) for e in allowed)
        )
    ]
    assert not problems, "Odoo log has warnings:\n" + "\n".join(problems)


def scratch_db(suffix):
    """A database of one check, named after the test database (ISO_TEST_DB),
    so that clones testing side by side do not share it."""
    return f"{os.environ.get('ISO_TEST_DB', 'iso10002_test')}_{suffix}"


def odoo_config():
    return os.environ.get("ISO_ODOO_CONFIG", str(ROOT / "var" / "odoo-test.conf"))


def run_odoo(config, db, *args, python=sys.executable, script=None, timeout=900):
    """Run Odoo's command line on `db` (with `script` on stdin, for `shell`);
    return its exit code and its output (log included)."""
    result = subprocess.run(
        [
            str(python),
            "-m",
            "odoo",
            *[str(arg) for arg in args],
            "-c",
            str(config),
            "-d",
            db,
            "--log-level=warn",
        ],
        input=script,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def db_login(config):
    parser = configparser.ConfigParser()
    parser.read(config)
    opts = parser["options"]
    return {
        "user": opts.get("db_user"),
        "password": opts.get("db_password"),
        "host": opts.get("db_host"),
        "port": opts.get("db_port"),
    }


def pg_admin(config, statement):
    """Run one statement on the `postgres` database (CREATE/DROP DATABASE)."""
    conn = psycopg2.connect(dbname="postgres", **db_login(config))
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            cr.execute(statement)
    finally:
        conn.close()


def drop_database(config, name):
    pg_admin(config, sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def db_fetch(config, db, query, params=()):
    """Rows of one query on database `db`."""
    conn = psycopg2.connect(dbname=db, **db_login(config))
    try:
        with conn.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall()
    finally:
        conn.close()
