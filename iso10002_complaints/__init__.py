from . import controllers
from . import models
from . import report
from . import wizards


def post_init_hook(env):
    """Give every existing company its complaint sequence."""
    for company in env["res.company"].search([]):
        company._iso10002_complaint_sequence()


def uninstall_hook(env):
    """Leave helpdesk_mgmt working: complaints in the addon's ISO stages move
    to the plain helpdesk stages (closed ones to a closed stage) before those
    stages are removed with the addon's data."""
    cr = env.cr
    # the addon's own tables go with it: empty first those that reference the
    # shipped catalogues, so that Odoo can remove the catalogues cleanly
    cr.execute("DELETE FROM iso10002_escalation")
    cr.execute("DELETE FROM iso10002_complaint_remedy")
    cr.execute("DELETE FROM iso10002_systemic_remedy_line")
    cr.execute("DELETE FROM iso10002_systemic_remedy")
    cr.execute("DELETE FROM iso10002_sla_line")
    cr.execute("DELETE FROM iso10002_stage_history")
    cr.execute("DELETE FROM iso10002_audit_finding")
    cr.execute("UPDATE helpdesk_ticket SET sla_policy_id = NULL")
    cr.execute(
        "SELECT id, closed FROM helpdesk_ticket_stage WHERE iso10002_step IS NOT NULL"
    )
    iso_stages = cr.fetchall()
    if not iso_stages:
        return
    cr.execute(
        """SELECT id, closed FROM helpdesk_ticket_stage
            WHERE iso10002_step IS NULL AND active
         ORDER BY sequence, id"""
    )
    plain = cr.fetchall()
    open_stage = next((sid for sid, closed in plain if not closed), None)
    closed_stage = next((sid for sid, closed in plain if closed), open_stage)
    for stage_id, closed in iso_stages:
        target = closed_stage if closed else open_stage
        if target:
            cr.execute(
                "UPDATE helpdesk_ticket SET stage_id = %s WHERE stage_id = %s",
                [target, stage_id],
            )
