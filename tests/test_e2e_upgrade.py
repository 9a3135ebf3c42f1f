"""Upgrading from the previous release: an administrator edits catalogues,
stages and templates of a database with demo data, then the current code
upgrades it (`-u`). The migrations must give the data its new shape, the edits
must survive, the log must stay clean, and the lifecycle must go on.

Which previous release, on this branch (19.0):

* once a 19.0 release precedes the manifest's version in git, its code
  (taken from git) installs the database and the current code upgrades it;
* until then (19.0.1.0.0 is the first 19.0 release) the previous release is
  18.0's last, whose code does not run on Odoo 19: moving a database from
  Odoo 18 to 19 is Odoo's own upgrade (its upgrade service or OpenUpgrade),
  which changes Odoo's tables and leaves this addon's data as 18.0 left it,
  with the addon's version still the 18.0 one. The test makes that database:
  the current code installs it, then the data this addon ships in noupdate
  records is put back in its 18.0 shape and the addon's version back to the
  18.0 release 19.0 started from (18.0.1.4.0), with a breach left flagged as
  before 18.0.1.5.0, and `-u` must run this addon's migrations since
  (18.0.1.5.0: the breach moves to the escalation pass's queue;
  19.0.1.0.0: the R-5.3 evidence domain on ``groups_id``, a field Odoo 19 no
  longer has). What Odoo's upgrade does to its own tables is not
  covered here. The 18.0 migrations (18.0.1.x) are tested on the branch 18.0.
"""

import ast
import configparser
import json
import subprocess
import tarfile

import pytest
from e2e_helpers import (
    ROOT,
    assert_clean_log,
    drop_database,
    odoo_config,
    run_odoo,
    scratch_db,
)

ADDON = "iso10002_complaints"
ACK_COLUMNS = "helpdesk.ticket.evidence.acknowledgement.list"
DB = scratch_db("upgrade")
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
env.cr.commit()
complaints = env["helpdesk.ticket"].search_count([("is_complaint", "=", True)])
print("EDITED", json.dumps(complaints))
"""

# this addon's data as its last 18.0 release left it, after Odoo's own
# upgrade to 19: the evidence domain (noupdate) on groups_id, and the
# addon's installed version (OLD_VERSION: the last 18.0 release)
OLD_R_5_3 = "[('groups_id.category_id.name', 'ilike', 'ISO 10002')]"
SHAPE_18 = """
clause = env.ref("iso10002_complaints.clause_r_5_3")
env.cr.execute(
    "UPDATE iso10002_clause SET evidence_domain = %s WHERE id = %s",
    [OLD_R_5_3, clause.id],
)
# before 18.0.1.5.0 a breach not yet reported to its team was a flag on the
# escalation: one left by an escalation pass stopped before its messages
line = env["iso10002.sla.line"].search(
    [("ticket_id.is_complaint", "=", True), ("ticket_id.escalation_ids", "=", False)],
    limit=1,
)
env.cr.execute(
    "ALTER TABLE iso10002_escalation ADD COLUMN notification_pending boolean"
)
env.cr.execute(
    "INSERT INTO iso10002_escalation (ticket_id, company_id, sla_line_id,"
    " phase, kind, date, notification_pending)"
    " VALUES (%s, %s, %s, %s, 'breached', now() at time zone 'UTC', true)",
    [line.ticket_id.id, line.company_id.id, line.id, line.phase],
)
env.cr.execute(
    "UPDATE ir_module_module SET latest_version = %s WHERE name = %s",
    ["OLD_VERSION", "iso10002_complaints"],
)
env.cr.commit()
print("SHAPED", 1)
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
r_5_3 = ref("iso10002_complaints.clause_r_5_3")
# breaches not yet reported to their team, and the next pass's message
queued = env["iso10002.escalation"].search([("kind", "=", "breached")]).filtered(
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
print("CHECK", json.dumps({
    "queued": [
        len(queued),
        flag_columns,
        len(queued.filtered("notification_pending")),
        len(team.message_ids) - before,
        bool(queued) and queued.ticket_id.complaint_reference
        in (team.message_ids[:1].body or ""),
    ],
    "version": ref("base.module_iso10002_complaints").latest_version,
    "stages": stages,
    "category": ref("iso10002_complaints.complaint_category_05").name,
    "remedy": ref("iso10002_complaints.remedy_52").name,
    "stage": ref("iso10002_complaints.helpdesk_ticket_stage_iso_assessed").name,
    "subject": ref("iso10002_complaints.mail_template_complaint_ack").subject,
    "respond_hours": ref("iso10002_complaints.sla_policy_standard").respond_hours,
    "complaints": complaints,
    "new_reference": complaint.complaint_reference,
    "new_step": complaint.iso10002_step,
    "r_5_3": [
        r_5_3.evidence_domain,
        env["res.users"].search_count(r_5_3._evidence_domain()),
    ],
    "r_7_1": ref("iso10002_complaints.clause_r_7_1").sequence,
}))
env.cr.rollback()
"""


def _git(*args):
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def _series(version):
    return version.split(".", 2)[:2]


def _previous_release():
    """The last commit before the manifest got its current version, its
    version and the current one."""
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
    """(addons folder of the previous release or None, its version, the
    current version): None when the previous release is of an earlier Odoo
    series (see the module's docstring)."""
    previous, old, new = _previous_release()
    if _series(old) != _series(new):
        return None, old, new
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
    new_path = ",".join([str(ROOT), *others])
    # the first release of a series starts from the current code, its data
    # put back in the previous series' shape
    old_path = ",".join([str(old_root), *others]) if old_root else new_path
    drop_database(config, DB)
    try:
        _odoo(["-i", ADDON, "--with-demo", "--stop-after-init"], config, old_path)
        edited = _printed(
            _odoo(["shell", "--no-http"], config, old_path, script=EDIT), "EDITED"
        )
        if not old_root:
            script = SHAPE_18.replace("OLD_VERSION", old_version).replace(
                "OLD_R_5_3", repr(OLD_R_5_3)
            )
            _printed(
                _odoo(["shell", "--no-http"], config, new_path, script=script), "SHAPED"
            )
        _odoo(["-u", ADDON, "--stop-after-init"], config, new_path)
        after = _printed(
            _odoo(["shell", "--no-http"], config, new_path, script=CHECK), "CHECK"
        )
    finally:
        drop_database(config, DB)
    assert old_version != after["version"] == new_version
    if not old_root:
        # 18.0.1.5.0: the breach an interrupted pass left flagged is queued,
        # the flag's column is gone, and the next pass reports it to its team
        assert after["queued"] == [1, 0, 0, 1, True]
    # the shipped stages of the simplified set (Annex A)
    assert after["stages"] == {
        "received": True,
        "assessed": True,
        "investigating": False,
        "waiting": False,
        "closed": True,
    }
    # administrators' edits survive -u, the auditor's order of the register too
    assert after["category"] == "Faulty goods (our wording)"
    assert after["remedy"] == "Written apology from the manager"
    assert after["stage"] == "Triage done"
    assert after["subject"].startswith("We have your complaint")
    assert after["respond_hours"] == 60
    assert after["r_7_1"] == 99
    # nothing lost, and the lifecycle goes on
    assert after["complaints"] == edited > 0
    assert after["new_reference"].startswith("CMP/")
    assert after["new_step"] == "acknowledged"
    # 19.0.1.0.0: the evidence (roles) names the users with an ISO
    # 10002 role through the field Odoo 19 has (the demo's agents, managers,
    # top management and auditor)
    domain, users = after["r_5_3"]
    assert "groups_id" not in domain
    assert (
        domain == "[('group_ids.privilege_id.category_id.name', 'ilike', 'ISO 10002')]"
    )
    assert users >= 4
