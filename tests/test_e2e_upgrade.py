"""Upgrading from the previous release: its code (taken from git) installs a
fresh database with demo data, an administrator edits catalogues, stages and
templates, then the current code upgrades it (`-u`). The migrations must give
the data its new shape, the edits must survive, the log must stay clean, and
the lifecycle must go on."""

import ast
import configparser
import json
import subprocess
import tarfile

import pytest
from e2e_helpers import ROOT, assert_clean_log, drop_database, odoo_config, run_odoo

ADDON = "iso10002_complaints"
ACK_COLUMNS = "helpdesk.ticket.evidence.acknowledgement.list"
DB = "iso10002_upgrade"
MANIFEST = f"{ADDON}/__manifest__.py"

EDIT = """
import json
ref = env.ref
category = ref("iso10002_complaints.complaint_category_05")
category.name = "Faulty goods (our wording)"
remedy = ref("iso10002_complaints.remedy_52")
remedy.name = "Written apology from the manager"
stage = ref("iso10002_complaints.helpdesk_ticket_stage_iso_assessed")
stage.name = "Triage done"
template = ref("iso10002_complaints.mail_template_complaint_ack")
template.subject = "We have your complaint {{ object.complaint_reference }}"
policy = ref("iso10002_complaints.sla_policy_standard")
policy.respond_hours = 60
# the clause register is noupdate: an auditor moved R-7.1 to the end
ref("iso10002_complaints.clause_r_7_1").sequence = 99
# the decision e-mail as releases before 18.0.1.3.0 installed it (no link to
# answer online), never edited since: written in SQL, as an old install left it
decision = ref("iso10002_complaints.mail_template_complaint_decision")
env.cr.execute(
    "UPDATE mail_template SET body_html = %s::jsonb WHERE id = %s",
    [json.dumps({"en_US": "<p>Our decision: see below.</p>"}), decision.id],
)
# an audit planned with the criteria of the previous release (G.3.2's
# items on lines of their own beside the clauses)
import datetime
today = datetime.date.today()
env["iso10002.audit"].create({
    "name": "Planned before the upgrade", "scope": "Everything",
    "date_from": today - datetime.timedelta(days=30), "date_to": today,
    "planned_date": today,
    "lead_auditor_id": ref("iso10002_complaints.user_demo_auditor").id,
})
# a breach recorded by an escalation pass stopped before its team's message
line = env["iso10002.sla.line"].search(
    [("ticket_id.is_complaint", "=", True), ("ticket_id.escalation_ids", "=", False)],
    limit=1,
)
env["iso10002.escalation"].create({
    "ticket_id": line.ticket_id.id, "sla_line_id": line.id, "phase": line.phase,
    "kind": "breached", "notification_pending": True,
})
env.cr.commit()
complaints = env["helpdesk.ticket"].search_count([("is_complaint", "=", True)])
print("EDITED", json.dumps(complaints))
"""

CHECK = """
import json
ref = env.ref
stage = "iso10002_complaints.helpdesk_ticket_stage_iso_"
stages = {
    xmlid: ref(stage + xmlid).iso10002_in_simplified
    for xmlid in ("received", "assessed", "investigating", "waiting", "closed")
}
complaints = env["helpdesk.ticket"].search_count([("is_complaint", "=", True)])
complaint = env["helpdesk.ticket"].create({
    "name": "After the upgrade",
    "description": "<p>Still handled</p>",
    "team_id": ref("iso10002_complaints.helpdesk_team_complaints").id,
    "partner_id": ref("base.res_partner_2").id,
    "channel_id": ref("helpdesk_mgmt.helpdesk_ticket_channel_phone").id,
    "complaint_category_id": ref("iso10002_complaints.complaint_category_05").id,
})
complaint.action_iso10002_log_acknowledgement()
Escalation = env["iso10002.escalation"]
queued = Escalation.search([("kind", "=", "breached")]).filtered(
    "notification_pending"
)
env.cr.execute(
    "SELECT count(*) FROM information_schema.columns"
    " WHERE table_name = 'iso10002_escalation'"
    " AND column_name = 'notification_pending'"
)
flag_columns = env.cr.fetchone()[0]
team = queued.ticket_id.team_id
before = len(team.message_ids)
env["iso10002.sla.line"]._send_breach_digests()
reported = [
    len(queued.filtered("notification_pending")),
    len(team.message_ids) - before,
    queued.ticket_id.complaint_reference in (team.message_ids[:1].body or ""),
]
print("CHECK", json.dumps({
    "version": ref("base.module_iso10002_complaints").latest_version,
    "queued": [len(queued), flag_columns, reported],
    "stages": stages,
    "category": ref("iso10002_complaints.complaint_category_05").name,
    "remedy": ref("iso10002_complaints.remedy_52").name,
    "stage": ref("iso10002_complaints.helpdesk_ticket_stage_iso_assessed").name,
    "subject": ref("iso10002_complaints.mail_template_complaint_ack").subject,
    "decision_body": str(
        ref("iso10002_complaints.mail_template_complaint_decision").body_html
    ),
    "respond_hours": ref("iso10002_complaints.sla_policy_standard").respond_hours,
    "complaints": complaints,
    "new_reference": complaint.complaint_reference,
    "new_step": complaint.iso10002_step,
    "planned_audit": [
        len(audit.finding_ids),
        len(audit.finding_ids.filtered("clause_id")),
        env["iso10002.clause"].search_count([]),
    ]
    if (audit := env["iso10002.audit"].search(
        [("name", "=", "Planned before the upgrade")]
    ))
    else None,
    "evidence": {
        xmlid: [
            clause.evidence_view_id.name or None,
            clause.evidence_report_id.name or None,
            clause.evidence_url or None,
            clause.sequence,
        ]
        for xmlid in ("clause_r_7_4", "clause_r_4_10", "clause_r_4_6", "clause_r_7_1")
        for clause in [ref("iso10002_complaints." + xmlid)]
    },
}))
env.cr.rollback()
"""


def _git(*args):
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def _previous_release():
    """The last commit before the manifest got its current version."""
    version = ast.literal_eval((ROOT / MANIFEST).read_text())["version"]
    commits = _git(
        "log", "--format=%H", f'-S"version": "{version}"', "--", MANIFEST
    ).split()
    assert commits, f"no commit introduces version {version}: is this a git clone?"
    previous = f"{commits[-1]}^"
    old = ast.literal_eval(_git("show", f"{previous}:{MANIFEST}"))["version"]
    assert old != version
    return previous, old, version


def _odoo(args, config, addons_path, script=None):
    code, output = run_odoo(
        config, DB, *args, f"--addons-path={addons_path}", script=script
    )
    assert code == 0, output[-4000:]
    assert_clean_log(output)
    return output


def _printed(output, tag):
    line = next(line for line in output.splitlines() if line.startswith(tag + " "))
    return json.loads(line.split(" ", 1)[1])


@pytest.fixture
def old_code(tmp_path):
    previous, old, new = _previous_release()
    archive = tmp_path / "old.tar"
    subprocess.run(
        ["git", "archive", "-o", str(archive), previous, ADDON], cwd=ROOT, check=True
    )
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "old", filter="data")
    return tmp_path / "old", old, new


def test_upgrade_from_previous_release(old_code):
    old_root, old_version, new_version = old_code
    config = odoo_config()
    parser = configparser.ConfigParser()
    parser.read(config)
    others = [
        path
        for path in parser["options"]["addons_path"].split(",")
        if path.strip() and str(ROOT) != path.strip().rstrip("/")
    ]
    old_path = ",".join([str(old_root), *others])
    new_path = ",".join([str(ROOT), *others])
    drop_database(config, DB)
    try:
        _odoo(["-i", ADDON, "--stop-after-init"], config, old_path)
        edited = _printed(
            _odoo(["shell", "--no-http"], config, old_path, script=EDIT), "EDITED"
        )
        _odoo(["-u", ADDON, "--stop-after-init"], config, new_path)
        after = _printed(
            _odoo(["shell", "--no-http"], config, new_path, script=CHECK), "CHECK"
        )
    finally:
        drop_database(config, DB)
    assert old_version != after["version"] == new_version
    # the breach an interrupted pass left unreported is queued, the flag's
    # column is gone, and the next pass reports it to its team
    assert after["queued"] == [1, 0, [0, 1, True]]
    # the migration's shape: the shipped stages left out of the simplified set
    assert after["stages"] == {
        "received": True,
        "assessed": True,
        "investigating": False,
        "waiting": False,
        "closed": True,
    }
    # administrators' edits survive -u
    assert after["category"] == "Faulty goods (our wording)"
    assert after["remedy"] == "Written apology from the manager"
    assert after["stage"] == "Triage done"
    assert after["subject"].startswith("We have your complaint")
    # a template nobody edited gets the current wording (the answer link)
    assert "You can also answer online" in after["decision_body"]
    assert after["respond_hours"] == 60
    # nothing lost, and the lifecycle goes on
    assert after["complaints"] == edited > 0
    assert after["new_reference"].startswith("CMP/")
    assert after["new_step"] == "acknowledged"
    # a planned audit gets the criteria of this release: one per clause
    lines, with_clause, clauses = after["planned_audit"]
    assert lines == with_clause == clauses
    # the clause register opens and prints its evidence; the auditor's
    # own order of the register is kept
    assert after["evidence"] == {
        "clause_r_7_4": [
            "helpdesk.ticket.evidence.acknowledgement.list",
            None,
            None,
            19,
        ],
        "clause_r_4_10": [None, "Corrective-Action Status Report", None, 10],
        "clause_r_4_6": [None, None, "/complaints", 6],
        "clause_r_7_1": [None, None, "/complaints", 99],
    }
