# ISO 10002 complaints handling for Odoo 19.0 — project commands.
#   make run    everything, then the demo server on http://localhost:8069
#   make test   a fresh test database and the whole suite
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ADDON      := iso10002_complaints
DEMO_DB    ?= iso10002_demo
TEST_DB    ?= iso10002_test
HTTP_PORT  ?= 8069
# existing complaints the benches seed; several sizes: BENCH_N=10000,100000
BENCH_N    ?= 10000
BENCH_DB   ?= iso10002_bench
BENCH_REVIEW_N ?= 1000000
VENV        = $(shell cat var/venv)
PY          = $(VENV)/bin/python
ODOO        = $(PY) -m odoo
TEST_LOG   := .test.log
# Odoo's own log of the pytest stages: pytest-odoo sets Odoo's log level to
# critical unless told otherwise, and pytest captures stderr, so Odoo's
# warnings would never reach $(TEST_LOG). The addon's, helpdesk_mgmt's and
# Odoo's suites log at warning level into this file instead, held to zero
# WARNING/ERROR lines by tools/check_log.sh.
ODOO_TEST_LOG := .test-odoo.log
ODOO_LOG_ARGS = --odoo-log-level=warn --odoo-extra=logfile=$(CURDIR)/$(ODOO_TEST_LOG)
ODOO_SUITES := mail portal rating

.PHONY: help setup run test test-addon test-helpdesk test-odoo test-e2e shell bench load chaos lint wheel readme clean-test

help:
	@echo "make run    set up everything and serve the demo on http://localhost:$(HTTP_PORT)"
	@echo "make test   fresh test database, then the whole test suite"
	@echo "make shell  Odoo shell on $(DEMO_DB) (reads a script from stdin)"
	@echo "make bench  benchmarks over BENCH_N=$(BENCH_N) seeded complaints (e.g. BENCH_N=10000,100000)"
	@echo "make load   multi-worker Odoo + PostgreSQL read replica under a bounded locust load,"
	@echo "            integrity check, failure tests (LOAD_SECONDS=$(LOAD_SECONDS), LOAD_USERS=$(LOAD_USERS))"
	@echo "make chaos  the failure tests only (kill workers, cron, restart primary, stop replica)"
	@echo "make lint   pre-commit: ruff, pylint-odoo, prettier"
	@echo "make wheel  build the addon's wheel (whool) into dist/"
	@echo "make readme README.rst and index.html from the readme/ fragments"

setup:
	@bash tools/setup.sh

run: setup
	@bash tools/run_demo.sh "$(DEMO_DB)" "$(HTTP_PORT)"

# ---------------------------------------------------------------------------
# Tests: a fresh database with the addon and demo data, then
#   1. the addon's own tests (pytest-odoo, HTTP server for HttpCase and tours),
#   2. helpdesk_mgmt's own tests with our addon installed (non-ISO teams must
#      behave as before; test_js.py holds only TestHelpdesMgmtJs, the whole web
#      JS unit suite (and pytest would also collect the WebSuite it imports):
#      that one file is left out),
#   3. Odoo's own mail, portal and rating tests with our addon installed (the
#      addon overrides mail internals: recipients, posting, message and rating
#      access; Odoo's messaging must keep working for every other model),
#   4. the end-to-end checks of tests/ against a running server.
# Any WARNING from Odoo fails the run: in the make log (install, end-to-end
# servers) and in the Odoo log of the pytest stages ($(ODOO_TEST_LOG)).
# ---------------------------------------------------------------------------
test: setup
	@rm -f $(TEST_LOG) $(ODOO_TEST_LOG)
	@$(MAKE) --no-print-directory clean-test
	@echo "== installing $(ADDON) into a fresh database $(TEST_DB)"
	@$(ODOO) -c var/odoo-test.conf -d $(TEST_DB) -i $(ADDON) --stop-after-init \
		--with-demo 2>&1 | tee -a $(TEST_LOG)
	@status=0; \
	$(MAKE) --no-print-directory test-addon || status=1; \
	$(MAKE) --no-print-directory test-helpdesk || status=1; \
	$(MAKE) --no-print-directory test-odoo || status=1; \
	$(MAKE) --no-print-directory test-e2e || status=1; \
	bash tools/check_log.sh $(TEST_LOG) || status=1; \
	echo "== the Odoo log of the pytest stages, $(ODOO_TEST_LOG):"; \
	bash tools/check_log.sh $(ODOO_TEST_LOG) || status=1; \
	exit $$status

clean-test:
	@$(PY) tools/dropdb.py var/odoo-test.conf $(TEST_DB)
	@rm -rf var/filestore/filestore/$(TEST_DB)

test-addon:
	@echo "== $(ADDON) tests"
	@ISO10002_NODE_MODULES=$$(cat var/node_modules) $(PY) -m pytest -c pytest.ini -p no:cacheprovider --odoo-config=var/odoo-test.conf \
		--odoo-database=$(TEST_DB) --odoo-http $(ODOO_LOG_ARGS) $(ADDON)/tests 2>&1 | tee -a $(TEST_LOG)

test-helpdesk:
	@echo "== helpdesk_mgmt tests with $(ADDON) installed"
	@hm=$$($(PY) -c 'import importlib.util as u; print(u.find_spec("odoo.addons.helpdesk_mgmt").submodule_search_locations[0])'); \
	$(PY) -m pytest -c pytest.ini -p no:cacheprovider --odoo-config=var/odoo-test.conf \
		--odoo-database=$(TEST_DB) --odoo-http $(ODOO_LOG_ARGS) "$$hm/tests" \
		--ignore="$$hm/tests/test_js.py" 2>&1 | tee -a $(TEST_LOG)

# Odoo's mail, portal and rating tests (Odoo 19.0, the tree on addons_path)
# against the test database, as helpdesk_mgmt's suite runs. Three tests (five
# cases with their subtests) are left out, by id: they fail the same way on a
# database with only mail and helpdesk_mgmt installed, so not because of the
# addon (HTML parsing and sanitising give other markup than these tests
# expect in this env, Python 3.11 with Odoo's pinned lxml 4.9.3; not confirmed
# further):
#  - mail test_qweb_regex_rendering: '<div/aa t-out=...>' renders
#    '<div aa="">' instead of '<div>';
#  - mail test_mail_template_acl: a rendered attribute differs in quoting;
#  - mail TestDiscussMessageUpdateController (three subtests): an updated body
#    comes back as <span> instead of <p>.
# (The two tests left out on 18.0 for pytest-odoo's lack of Odoo's test mode,
# test_unlink_failure_message_notify_author and
# test_mail_group_public_page_as_guest, pass on 19.0.)
# All else passes on this database (demo data): mail 294 (1 skipped), portal
# 27, rating 2.
# Their Odoo log goes to $(ODOO_TEST_LOG) like the other pytest stages' (Odoo's
# suites mute the warnings they provoke on purpose): a line the addon causes
# there fails the run. The summary lines go to $(TEST_LOG).
ODOO_DESELECT := \
	--deselect test_mail_render.py::TestRegexRendering::test_qweb_regex_rendering \
	--deselect test_mail_template.py::TestMailTemplate::test_mail_template_acl \
	--deselect discuss/test_discuss_message_update_controller.py::TestDiscussMessageUpdateController

test-odoo:
	@paths=$$($(PY) -c 'import sys; from odoo.tools import config; config.parse_config(["-c", sys.argv[1]]); from odoo.modules.module import get_module_path; print(*(get_module_path(m) for m in sys.argv[2:]))' var/odoo-test.conf $(ODOO_SUITES)); \
	status=0; \
	for path in $$paths; do \
		echo "== Odoo's $$(basename $$path) tests with $(ADDON) installed" | tee -a $(TEST_LOG); \
		$(PY) -m pytest -c pytest.ini -p no:cacheprovider --odoo-config=var/odoo-test.conf \
			--odoo-database=$(TEST_DB) --odoo-http $(ODOO_LOG_ARGS) $(ODOO_DESELECT) \
			"$$path/tests" 2>&1 | tee -a $(TEST_LOG) || status=1; \
	done; \
	exit $$status

test-e2e:
	@echo "== end-to-end tests against a running server"
	@ISO_ODOO_CONFIG=var/odoo-test.conf ISO_TEST_DB=$(TEST_DB) \
		$(PY) -m pytest -c pytest.ini -p no:cacheprovider -p no:odoo tests 2>&1 | tee -a $(TEST_LOG)

shell: setup
	@if [ -t 0 ]; then $(ODOO) shell -c var/odoo.conf -d $(DEMO_DB) --no-http; \
	else $(ODOO) shell -c var/odoo.conf -d $(DEMO_DB) --no-http --log-level=warn; fi

bench: setup
	@$(PY) tools/dropdb.py var/odoo-test.conf $(BENCH_DB)
	@$(ODOO) -c var/odoo-test.conf -d $(BENCH_DB) -i $(ADDON) --stop-after-init
	@for script in bench/bench_*.py; do \
		echo "== $$script"; \
		BENCH_N=$(BENCH_N) BENCH_REVIEW_N=$(BENCH_REVIEW_N) $(ODOO) shell \
			-c var/odoo-test.conf -d $(BENCH_DB) --no-http --log-level=warn \
			< $$script; \
	done

# ---------------------------------------------------------------------------
# Many users (README "Running for many users"): its own PostgreSQL primary and
# streaming replica (Debian clusters iso10002-load-primary/-replica on ports
# LOAD_PG_PRIMARY_PORT/LOAD_PG_REPLICA_PORT, never the main cluster), Odoo with
# LOAD_WORKERS workers and db_replica_* set plus a cron-only process, locust
# in its own env; loopback only, LOAD_SECONDS per run (at most 180). Not part
# of `make test`.
# ---------------------------------------------------------------------------
LOAD_SECONDS ?= 120
LOAD_USERS   ?= 24
LOAD_WORKERS ?= 4
export LOAD_SECONDS LOAD_USERS LOAD_WORKERS

load: setup
	@bash bench/load/load.sh load

chaos: setup
	@bash bench/load/load.sh chaos

wheel: setup
	@$(PY) -m pip wheel -q --no-deps --no-build-isolation ./$(ADDON) -w dist
	@ls dist/*.whl

readme: setup
	@$(PY) tools/gen_readme.py $(ADDON)

lint: setup
	@$(PY) -m pip install -q -r requirements-lint.txt
	@PATH="$(VENV)/bin:$$PATH" pre-commit run --all-files --show-diff-on-failure
