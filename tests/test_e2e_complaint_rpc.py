"""A complaint from receipt to closure over Odoo's external API (XML-RPC),
as the demo users, with the server's own access rules and error messages."""

import re
import urllib.request
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor

import pytest


class Api:
    def __init__(self, url, db, login, password):
        self.db, self.password = db, password
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        self.uid = common.authenticate(db, login, password, {})
        assert self.uid, f"cannot log in as {login}"
        self.models = xmlrpc.client.ServerProxy(
            f"{url}/xmlrpc/2/object", allow_none=True
        )

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(
            self.db, self.uid, self.password, model, method, list(args), kwargs
        )

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
        )
        return rows[0]["res_id"]


@pytest.fixture(scope="module")
def ref(server, odoo_db):
    """xmlid -> id, looked up as the administrator (users cannot read xmlids)."""
    admin = Api(server, odoo_db, "admin", "admin")
    return admin.ref


@pytest.fixture(scope="module")
def agent(server, odoo_db):
    return Api(server, odoo_db, "agent", "agent")


@pytest.fixture(scope="module")
def manager(server, odoo_db):
    return Api(server, odoo_db, "manager", "manager")


@pytest.fixture(scope="module")
def auditor(server, odoo_db):
    return Api(server, odoo_db, "auditor", "auditor")


def _expect_fault(expected_errors, call, *args, contains):
    """Call the API expecting a user error; return its message."""
    with pytest.raises(xmlrpc.client.Fault) as fault:
        call(*args)
    message = fault.value.faultString
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
    return api("helpdesk.ticket", "create", vals)


def test_server_serves_login_page(server):
    with urllib.request.urlopen(f"{server}/web/login") as reply:
        page = reply.read().decode()
    assert 'name="login"' in page


def test_r_7_complaint_lifecycle_over_the_api(agent, manager, ref):
    complaint_id = _new_complaint(agent, ref)
    ticket = "helpdesk.ticket"
    (row,) = agent(
        ticket, "read", [complaint_id], ["complaint_reference", "iso10002_step"]
    )
    assert re.fullmatch(r"CMP/\d{4}/\d{5}", row["complaint_reference"])
    assert row["iso10002_step"] == "received"

    agent(ticket, "action_iso10002_log_acknowledgement", [complaint_id])
    agent(
        ticket,
        "write",
        [complaint_id],
        {
            "severity": "medium",
            "complexity": "simple",
            "impact": "minor",
            "assessment_outcome": "valid",
        },
    )
    agent(ticket, "action_iso10002_assess", [complaint_id])
    agent(ticket, "write", [complaint_id], {"investigator_id": manager.uid})
    agent(ticket, "action_iso10002_start_investigation", [complaint_id])
    agent(
        ticket,
        "write",
        [complaint_id],
        {
            "findings": "Scratched in the warehouse.",
            "root_cause": "Doors stacked without protection.",
            "decision": "A new door is fitted free of charge.",
            "decision_items_addressed": True,
            "decision_confirmed": True,
        },
    )
    manager(ticket, "action_iso10002_record_decision", [complaint_id])
    agent(ticket, "write", [complaint_id], {"communication_channel": "phone"})
    agent(ticket, "action_iso10002_communicate_decision", [complaint_id])
    wizard = agent(
        "iso10002.complainant.response.wizard",
        "create",
        {"ticket_id": complaint_id, "response": "accepted"},
    )
    agent("iso10002.complainant.response.wizard", "action_confirm", [wizard])
    agent(ticket, "action_iso10002_close", [complaint_id])
    (row,) = agent(
        ticket,
        "read",
        [complaint_id],
        ["iso10002_step", "closed", "complainant_response", "stage_history_ids"],
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
        {"stage_id": closed},
        contains="cannot be at step 'Closed' yet",
    )
    assert "Fill in: Acknowledged On" in message
    (row,) = agent("helpdesk.ticket", "read", [complaint_id], ["iso10002_step"])
    assert row["iso10002_step"] == "received"


def test_r_8_1_complaints_cannot_be_deleted(agent, manager, ref, expected_errors):
    complaint_id = _new_complaint(agent, ref)
    for api in (agent, manager):
        _expect_fault(
            expected_errors,
            api,
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
        {"active": False, "archive_reason": "Duplicate"},
        contains="Only a complaints manager archives complaints",
    )
    _expect_fault(
        expected_errors,
        manager,
        "helpdesk.ticket",
        "write",
        [complaint_id],
        {"active": False},
        contains="Reason for Archiving",
    )
    manager(
        "helpdesk.ticket",
        "write",
        [complaint_id],
        {"active": False, "archive_reason": "Registered twice by phone."},
    )
    rows = manager(
        "helpdesk.ticket",
        "search_count",
        [("id", "=", complaint_id), ("active", "=", False)],
    )
    assert rows == 1


def test_r_8_5_auditor_reads_only(agent, auditor, ref, expected_errors):
    complaint_id = _new_complaint(agent, ref)
    (row,) = auditor("helpdesk.ticket", "read", [complaint_id], ["complaint_reference"])
    assert row["complaint_reference"].startswith("CMP/")
    _expect_fault(
        expected_errors,
        auditor,
        "helpdesk.ticket",
        "write",
        [complaint_id],
        {"name": "changed"},
        contains="not allowed to modify",
    )


def test_r_7_2_concurrent_creates_are_gap_free(server, odoo_db, ref):
    """Eight agents' creates at once: eight consecutive references, and the
    register check finds no new gap (a refused create consumes no number)."""

    # the xmlids are resolved once: one XML-RPC connection per thread
    known = {}

    def cached_ref(xmlid):
        if xmlid not in known:
            known[xmlid] = ref(xmlid)
        return known[xmlid]

    def create(_):
        return _new_complaint(Api(server, odoo_db, "agent", "agent"), cached_ref)

    def check_register():
        return admin("res.company", "action_iso10002_check_register", [company_id])[
            "params"
        ]["message"]

    admin = Api(server, odoo_db, "admin", "admin")
    company_id = admin("res.users", "read", [admin.uid], fields=["company_id"])[0][
        "company_id"
    ][0]
    before = check_register()
    _new_complaint(Api(server, odoo_db, "agent", "agent"), cached_ref)
    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(create, range(8)))
    references = [
        row["complaint_reference"]
        for row in admin("helpdesk.ticket", "read", ids, fields=["complaint_reference"])
    ]
    numbers = sorted(int(reference.rsplit("/", 1)[1]) for reference in references)
    assert numbers == list(range(numbers[0], numbers[0] + 8)), references
    assert check_register() == before
