"""End-to-end checks against a real Odoo server.

The server runs the test database of `make test` (ISO_TEST_DB, with demo data)
on a free local port; its log must stay free of warnings.
"""

import configparser
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = re.compile(
    r"wkhtmltopdf: .*(unpatched qt|--header|--footer|switch)", re.IGNORECASE
)
LOG_LINE = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def odoo_db():
    return os.environ.get("ISO_TEST_DB", "iso10002_test")


@pytest.fixture(scope="module")
def expected_errors():
    """Messages of user errors a test provokes on purpose and checks.

    Odoo's HTTP layer logs every user error it returns at WARNING; in-process
    tests mute that logger around the expected error (mute_logger), here the
    test names the message it asserted instead, and only that line is allowed.
    """
    return []


@pytest.fixture(scope="module")
def server(odoo_db, tmp_path_factory, expected_errors):
    """A server for one test module: it stops (and lets go of the database)
    before the next module, which may copy the database."""
    config = os.environ.get("ISO_ODOO_CONFIG", str(ROOT / "var" / "odoo-test.conf"))
    parser = configparser.ConfigParser()
    parser.read(config)
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "odoo.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "odoo",
                "-c",
                config,
                "-d",
                odoo_db,
                f"--db-filter=^{odoo_db}$",
                f"--http-port={port}",
                "--http-interface=127.0.0.1",
                "--max-cron-threads=0",
                "--log-level=warn",
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
    problems = [
        line
        for line in log.read_text().splitlines()
        if LOG_LINE.match(line)
        and not ALLOWED.search(line)
        and not (
            " WARNING " in line
            and " odoo.http: " in line
            and any(
                line.split(" odoo.http: ", 1)[1].startswith(e) for e in expected_errors
            )
        )
    ]
    assert not problems, "server log has warnings:\n" + "\n".join(problems)
