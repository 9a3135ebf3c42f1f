"""A complaint from receipt to closure over Odoo's external API (JSON-2,
``/json/2/<model>/<method>`` with an API key per user; Odoo 19 logs a
deprecation warning for every XML-RPC call), as the demo users, with the
server's own access rules and error messages."""

import json
import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from e2e_helpers import odoo_config, run_odoo

USERS = ("admin", "agent", "manager", "auditor")

# an API key per demo user, valid for a day (made in the database before the
# calls: keys are made in Odoo's preferences, behind a password check)
KEYS = """
import datetime, json
expires = datetime.datetime.now() + datetime.timedelta(days=1)
keys = {}
for login in %r:
    user = env["res.users"].search([("login", "=", login)])
    keys[login] = env["res.users.apikeys"].with_user(user).sudo()._generate(
        None, "end-to-end tests", expires
    )
env.cr.commit()
print("KEYS", json.dumps(keys))
"""


class ApiError(Exception):
    """An error the server answered with: its message, as users see it."""


class Api:
    def __init__(self, url, db, key):
        self.url, self.db, self.key = url, db, key
        self.uid = self("res.users", "context_get")["uid"]

    def __call__(self, model, method, ids=None, **kwargs):
        if ids is not None:
            kwargs["ids"] = ids
        request = urllib.request.Request(
            f"{self.url}/json/2/{model}/{method}",
            data=json.dumps(kwargs).encode(),
            headers={
                "Authorization": f"bearer {self.key}",
                "Content-Type": "application/json",
                "X-Odoo-Database": self.db,
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as reply:
                return json.loads(reply.read())
        except urllib.error.HTTPError as error:
            body = json.loads(error.read() or b"{}")
            raise ApiError(body.get("message") or str(error)) from None

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self(
            "ir.model.data",
            "search_read",
            domain=[("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
        )
        return rows[0]["res_id"]


@pytest.fixture(scope="module")
def keys(odoo_db):
    code, output = run_odoo(
        odoo_config(), odoo_db, "shell", "--no-http", script=KEYS % (USERS,)
    )
    assert code == 0, output[-4000:]
    line = next(line for line in output.splitlines() if line.startswith("KEYS "))
    return json.loads(line.split(" ", 1)[1])


@pytest.fixture(scope="module")
def api(server, odoo_db, keys):
    """login -> a client calling the server as that user."""
    return lambda login: Api(server, odoo_db, keys[login])


@pytest.fixture(scope="module")
def ref(api):
    """xmlid -> id, looked up as the administrator (users cannot read xmlids)."""
    return api("admin").ref


@pytest.fixture(scope="module")
def agent(api):
    return api("agent")


@pytest.fixture(scope="module")
def manager(api):
    return api("manager")


@pytest.fixture(scope="module")
def auditor(api):
    return api("auditor")


def _expect_fault(expected_errors, call, *args, contains, **kwargs):
    """Call the API expecting a user error; return its message."""
    with pytest.raises(ApiError) as fault:
        call(*args, **kwargs)
    message = str(fault.value)
    assert contains in message
    expected_errors.append(message.splitlines()[0])
    return message


def _new_complaint(api, ref, **extra):
    vals = {
        "name": "Cabinet door arrived scratched",
        "description": "<p>Deep scratch on the left door.</p>",
        "team_id": ref("iso10002_complaints.helpdesk_team_complaints"),
        "partner_id": ref("iso10002_complaints.partner_demo_oliver"),
        "channel_id": ref("helpdesk_mgmt.helpdesk_ticket_channel_phone"),
        "complaint_category_id": ref("iso10002_complaints.complaint_category_09"),
    }
    vals.update(extra)
    (complaint_id,) = api("helpdesk.ticket", "create", vals_list=[vals])
    return complaint_id


def test_server_serves_login_page(server):
    with urllib.request.urlopen(f"{server}/web/login") as reply:
        page = reply.read().decode()
    assert 'name="login"' in page


def test_r_7_complaint_lifecycle_over_the_api(agent, manager, ref):
    complaint_id = _new_complaint(agent, ref)
    ticket = "helpdesk.ticket"
    (row,) = agent(
        ticket, "read", [complaint_id], fields=["complaint_reference", "iso10002_step"]
    )
    assert re.fullmatch(r"CMP/\d{4}/\d{5}", row["complaint_reference"])
    assert row["iso10002_step"] == "received"

    agent(ticket, "action_iso10002_log_acknowledgement", [complaint_id])
    agent(
        ticket,
        "write",
        [complaint_id],
        vals={
            "severity": "medium",
            "complexity": "simple",
            "impact": "minor",
            "assessment_outcome": "valid",
        },
    )
    agent(ticket, "action_iso10002_assess", [complaint_id])
    agent(ticket, "write", [complaint_id], vals={"investigator_id": manager.uid})
    agent(ticket, "action_iso10002_start_investigation", [complaint_id])
    agent(
        ticket,
        "write",
        [complaint_id],
        vals={
            "findings": "Scratched in the warehouse.",
            "root_cause": "Doors stacked without protection.",
            "decision": "A new door is fitted free of charge.",
            "decision_items_addressed": True,
            "decision_confirmed": True,
        },
    )
    manager(ticket, "action_iso10002_record_decision", [complaint_id])
    agent(ticket, "write", [complaint_id], vals={"communication_channel": "phone"})
    agent(ticket, "action_iso10002_communicate_decision", [complaint_id])
    (wizard,) = agent(
        "iso10002.complainant.response.wizard",
        "create",
        vals_list=[{"ticket_id": complaint_id, "response": "accepted"}],
    )
    agent("iso10002.complainant.response.wizard", "action_confirm", [wizard])
    agent(ticket, "action_iso10002_close", [complaint_id])
    (row,) = agent(
        ticket,
        "read",
        [complaint_id],
        fields=["iso10002_step", "closed", "complainant_response", "stage_history_ids"],
    )
    assert row["iso10002_step"] == "closed"
    assert row["closed"] is True
    assert row["complainant_response"] == "accepted"
    assert len(row["stage_history_ids"]) == 7


def test_bad_input_gets_a_clear_error_and_changes_nothing(agent, ref, expected_errors):
    complaint_id = _new_complaint(agent, ref)
    closed = ref("iso10002_complaints.helpdesk_ticket_stage_iso_closed")
    message = _expect_fault(
        expected_errors,
        agent,
        "helpdesk.ticket",
        "write",
        [complaint_id],
        vals={"stage_id": closed},
        contains="cannot be at step 'Closed' yet",
    )
    assert "Fill in: Acknowledged On" in message
    (row,) = agent("helpdesk.ticket", "read", [complaint_id], fields=["iso10002_step"])
    assert row["iso10002_step"] == "received"


def test_r_8_1_complaints_cannot_be_deleted(agent, manager, ref, expected_errors):
    complaint_id = _new_complaint(agent, ref)
    for user in (agent, manager):
        _expect_fault(
            expected_errors,
            user,
            "helpdesk.ticket",
            "unlink",
            [complaint_id],
            contains="cannot be deleted. Archive them instead.",
        )
    # archiving is a complaints manager's act, with a reason
    _expect_fault(
        expected_errors,
        agent,
        "helpdesk.ticket",
        "write",
        [complaint_id],
        vals={"active": False, "archive_reason": "Duplicate"},
        contains="Only a complaints manager archives complaints",
    )
    _expect_fault(
        expected_errors,
        manager,
        "helpdesk.ticket",
        "write",
        [complaint_id],
        vals={"active": False},
        contains="Reason for Archiving",
    )
    manager(
        "helpdesk.ticket",
        "write",
        [complaint_id],
        vals={"active": False, "archive_reason": "Registered twice by phone."},
    )
    rows = manager(
        "helpdesk.ticket",
        "search_count",
        domain=[("id", "=", complaint_id), ("active", "=", False)],
    )
    assert rows == 1


def test_r_8_5_auditor_reads_only(agent, auditor, ref, expected_errors):
    complaint_id = _new_complaint(agent, ref)
    (row,) = auditor(
        "helpdesk.ticket", "read", [complaint_id], fields=["complaint_reference"]
    )
    assert row["complaint_reference"].startswith("CMP/")
    _expect_fault(
        expected_errors,
        auditor,
        "helpdesk.ticket",
        "write",
        [complaint_id],
        vals={"name": "changed"},
        contains="not allowed to modify",
    )


def test_r_7_2_concurrent_creates_are_gap_free(api, ref):
    """Eight agents' creates at once: eight consecutive references, and the
    register check finds no new gap (a refused create consumes no number)."""

    # the xmlids are resolved once: one API client per thread
    known = {}

    def cached_ref(xmlid):
        if xmlid not in known:
            known[xmlid] = ref(xmlid)
        return known[xmlid]

    def create(_):
        return _new_complaint(api("agent"), cached_ref)

    def check_register():
        return admin("res.company", "action_iso10002_check_register", [company_id])[
            "params"
        ]["message"]

    admin = api("admin")
    company_id = admin("res.users", "read", [admin.uid], fields=["company_id"])[0][
        "company_id"
    ][0]
    before = check_register()
    _new_complaint(api("agent"), cached_ref)
    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(create, range(8)))
    references = [
        row["complaint_reference"]
        for row in admin("helpdesk.ticket", "read", ids, fields=["complaint_reference"])
    ]
    numbers = sorted(int(reference.rsplit("/", 1)[1]) for reference in references)
    assert numbers == list(range(numbers[0], numbers[0] + 8)), references
    assert check_register() == before
