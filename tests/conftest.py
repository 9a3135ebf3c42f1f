"""End-to-end checks against a real Odoo server.

The server runs the test database of `make test` (ISO_TEST_DB, with demo data)
on a free local port; its log must stay free of warnings.
"""

import os

import pytest
from e2e_helpers import odoo_config, running_server


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
    log = tmp_path_factory.mktemp("server") / "odoo.log"
    with running_server(odoo_config(), odoo_db, log, allowed=expected_errors) as url:
        yield url
