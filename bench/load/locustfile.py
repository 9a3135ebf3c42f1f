"""The load of `make load` (locust, in its own env): anonymous complainants
on the web form, agents over JSON-RPC, portal complainants, managers.

Loopback only: the host must be 127.0.0.1, ::1 or localhost. The users and
records come from the fixtures file written by seed_load.py (LOAD_FIXTURES);
every submission the server accepted is appended to LOAD_TOKENS, one token
a line, for the integrity check. Request names end with "(ro)" where Odoo
marks the request read-only (served by the replica when one is configured).
"""

import json
import os
import random
import re
import time
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

FIXTURES = json.load(open(os.environ["LOAD_FIXTURES"]))  # noqa: SIM115
TOKENS_FILE = os.environ["LOAD_TOKENS"]
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission_token" value="([^"]+)"')
# retries of one submission after a network error or a 5xx (its token makes
# a retried submission the same complaint)
SUBMIT_TRIES = 6


@events.init.add_listener
def _loopback_only(environment, **_kw):
    host = urlsplit(environment.host or "").hostname
    if host not in LOOPBACK:
        raise SystemExit(f"load test refused: {host!r} is not a loopback address")


def _accepted(token):
    with open(TOKENS_FILE, "a") as tokens:
        tokens.write(token + "\n")


class Complainant(HttpUser):
    """Opens the public page and the form, submits (a quarter with an
    attachment, one in ten twice), reads the thanks page."""

    weight = 3
    wait_time = between(2.0, 6.0)

    @task(4)
    def submit(self):
        page = self.client.get("/complaints/new", name="form (ro)")
        csrf, token = CSRF.search(page.text), SUBMISSION.search(page.text)
        if not (csrf and token):
            return
        token = token.group(1)
        n = random.randrange(10**9)
        data = {
            "csrf_token": csrf.group(1),
            "submission_token": token,
            "name": f"Load Complainant {n}",
            "email": f"load.{n}@example.org",
            "title": f"Load complaint {n}",
            "description": "The parcel arrived damaged.\nPlease replace it.",
            "consent": "on",
        }
        files = None
        if random.random() < 0.25:
            files = {"attachments": ("photo.txt", b"x" * 20000, "text/plain")}
        location = self._submit(data, files)
        if location and random.random() < 0.1:
            again = self._submit(data, files, name="submit again (double)")
            if again != location:
                events.request.fire(
                    request_type="CHECK",
                    name="double submit shows the same complaint",
                    response_time=0,
                    response_length=0,
                    exception=AssertionError(f"{again} != {location}"),
                )
        if location:
            self.client.get(location, name="thanks (ro)")

    def _submit(self, data, files, name="submit"):
        for attempt in range(SUBMIT_TRIES):
            with self.client.post(
                "/complaints/submit",
                data=data,
                files=files,
                allow_redirects=False,
                name=name if not attempt else f"{name} (retry)",
                catch_response=True,
            ) as response:
                location = response.headers.get("Location", "")
                if response.status_code == 303 and "/complaints/thanks/" in location:
                    response.success()
                    _accepted(data["submission_token"])
                    return location
                if response.status_code and response.status_code < 500:
                    response.failure(f"refused: {response.status_code}")
                    return None
                response.failure(f"{response.status_code or 'no answer'}: retry")
            time.sleep(0.5 * (attempt + 1))
        return None

    @task(1)
    def public_page(self):
        self.client.get("/complaints", name="public page (ro)")


class _RpcUser(HttpUser):
    abstract = True
    login = None

    def on_start(self):
        self.login = random.choice(self.logins())
        self.rpc(
            "/web/session/authenticate",
            {
                "db": os.environ["LOAD_DB"],
                "login": self.login,
                "password": FIXTURES["password"],
            },
            name="login",
        )

    def rpc(self, url, params, name):
        with self.client.post(
            url,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            name=name,
            catch_response=True,
        ) as response:
            try:
                body = response.json()
            except ValueError:
                response.failure(f"HTTP {response.status_code}")
                return None
            if "error" in body:
                error = body["error"].get("data", {})
                # a business rule refusing (e.g. two agents advancing the same
                # complaint) is an answer, not a failure: counted apart
                if error.get("name", "").endswith(("UserError", "ValidationError")):
                    response.success()
                    events.request.fire(
                        request_type="REFUSED",
                        name=name,
                        response_time=0,
                        response_length=0,
                        exception=None,
                    )
                    return None
                response.failure(error.get("message") or body["error"])
                return None
            return body.get("result")

    def call(self, model, method, args, kwargs=None, name=None):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
            name=name or f"{model}.{method}",
        )


class Agent(_RpcUser):
    """Lists complaints, opens one, writes a note, moves one of their own a
    step on (each agent advances its own share of the complaints, as agents
    work on the complaints assigned to them: two people changing one
    complaint at once is Odoo's ordinary concurrent update, retried, not
    what this load measures)."""

    weight = 2
    wait_time = between(0.5, 1.5)
    started = 0

    def on_start(self):
        agents = FIXTURES["agents"]
        self.share = Agent.started % len(agents)
        Agent.started += 1
        self.login = agents[self.share]
        self.rpc(
            "/web/session/authenticate",
            {
                "db": os.environ["LOAD_DB"],
                "login": self.login,
                "password": FIXTURES["password"],
            },
            name="login",
        )

    @task(3)
    def list_and_open(self):
        page = self.call(
            "helpdesk.ticket",
            "web_search_read",
            [[["is_complaint", "=", True]]],
            {
                "specification": {
                    "complaint_reference": {},
                    "name": {},
                    "iso10002_step": {},
                    "stage_id": {"fields": {"display_name": {}}},
                },
                "limit": 80,
                "order": "id desc",
            },
            name="agent list (ro)",
        )
        if not page or not page["records"]:
            return
        record = random.choice(page["records"])
        self.call(
            "helpdesk.ticket",
            "web_read",
            [[record["id"]]],
            {
                "specification": {
                    "complaint_reference": {},
                    "description": {},
                    "partner_id": {"fields": {"display_name": {}}},
                    "sla_line_ids": {"fields": {"phase": {}, "deadline": {}}},
                }
            },
            name="agent open (ro)",
        )
        if random.random() < 0.5:
            self.call(
                "helpdesk.ticket",
                "message_post",
                [[record["id"]]],
                {
                    "body": "Called the complainant, waiting for photos.",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_note",
                },
                name="agent note",
            )

    @task(1)
    def advance(self):
        found = self.call(
            "helpdesk.ticket",
            "search",
            [[["is_complaint", "=", True], ["iso10002_step", "=", "acknowledged"]]],
            {"limit": 80, "order": "id desc"},
            name="agent find next (ro)",
        )
        mine = [
            ticket
            for ticket in found or []
            if ticket % len(FIXTURES["agents"]) == self.share
        ]
        if not mine:
            return
        ticket = [random.choice(mine)]
        self.call(
            "helpdesk.ticket",
            "write",
            [
                ticket,
                {
                    "severity": "medium",
                    "complexity": "simple",
                    "impact": "minor",
                    "assessment_outcome": "valid",
                    "complaint_category_id": FIXTURES["category_id"],
                },
            ],
            name="agent assess (write)",
        )
        self.call(
            "helpdesk.ticket", "action_iso10002_assess", [ticket], name="agent assess"
        )


class PortalUser(HttpUser):
    """A complainant logged in to the portal reads their complaints."""

    weight = 2
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.me = random.choice(FIXTURES["portals"])
        page = self.client.get("/web/login", name="portal login form")
        csrf = CSRF.search(page.text)
        self.client.post(
            "/web/login",
            data={
                "login": self.me["login"],
                "password": FIXTURES["password"],
                "csrf_token": csrf.group(1) if csrf else "",
                "redirect": "/my",
            },
            allow_redirects=False,
            name="portal login",
        )

    @task
    def read(self):
        self.client.get("/my/complaints", name="portal list (ro)")
        ticket = random.choice(self.me["complaints"])
        with self.client.get(
            f"/my/complaints/{ticket}",
            name="portal complaint (ro)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: not shown")


class Manager(_RpcUser):
    """Opens the dashboard, reads the monitoring figures, prints the review."""

    weight = 1
    wait_time = between(1.0, 3.0)

    def logins(self):
        return FIXTURES["managers"]

    @task(2)
    def figures(self):
        self.call(
            "iso10002.kpi.dashboard", "get_figures", [], name="manager figures (ro)"
        )

    @task(1)
    def dashboard(self):
        action = self.call(
            "iso10002.kpi.dashboard", "action_open", [], name="manager dashboard open"
        )
        if action:
            self.call(
                "iso10002.kpi.dashboard",
                "web_read",
                [[action["res_id"]]],
                {
                    "specification": {
                        "line_ids": {"fields": {"code": {}, "value": {}}},
                        "trend_html": {},
                    }
                },
                name="manager dashboard read (ro)",
            )

    @task(1)
    def review(self):
        with self.client.get(
            f"/report/html/iso10002_complaints.report_review/{FIXTURES['review_id']}",
            name="manager review report (ro)",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "Load test review" not in response.text:
                response.failure(f"{response.status_code}: no review")
