# Copyright 2026 The iso10002_complaints authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.4.0: the clause register opens each clause's evidence with the
columns that prove it and prints its evidence report (ISO 10002 8.1); R-4.6
(charges) points to the public page, which says that complaining is free;
two clauses listed out of their order move into it.

The register is noupdate data (admins may refine it): the new links are set
on the clauses of this addon where nobody set them yet. The e-mail templates
nobody edited are brought to the current wording (see
``mail.template._iso10002_refresh_untouched``).
"""

from odoo import SUPERUSER_ID, api

# clause -> (list of evidence columns, evidence report or wizard)
EVIDENCE = {
    "clause_r_3": ("receipt", "iso10002_register_wizard_action"),
    "clause_r_4_3": ("receipt", None),
    "clause_r_4_5": ("investigation", None),
    "clause_r_4_7": ("consent", None),
    "clause_r_4_10": (None, "action_report_iso10002_action_status"),
    "clause_r_6_4": (None, "action_report_iso10002_training_register"),
    "clause_r_7_2": ("receipt", "iso10002_register_wizard_action"),
    "clause_r_7_4": ("acknowledgement", None),
    "clause_r_7_5": ("assessment", None),
    "clause_r_7_6": ("investigation", None),
    "clause_r_7_8": ("decision", None),
    "clause_r_7_9": ("closure", None),
    "clause_r_8_1": ("receipt", "iso10002_register_wizard_action"),
    "clause_r_8_5": (None, "action_report_iso10002_audit"),
    "clause_r_8_6": (None, "action_report_iso10002_review"),
    "clause_r_8_7": (None, "action_report_iso10002_action_status"),
    "clause_annex_h": (None, "action_report_iso10002_audit"),
}


# clauses listed out of their order: (old sequence, new sequence)
SEQUENCES = {"clause_r_7_1": (15, 17), "clause_annex_a": (31, 32)}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    charges = env.ref("iso10002_complaints.clause_r_4_6", False)
    if charges and not charges.evidence_url:
        # the public page says that complaining is free
        charges.evidence_url = "/complaints"
    env["mail.template"]._iso10002_refresh_untouched()
    _reload_planned_audit_criteria(env)
    for clause_xmlid, (old, new) in SEQUENCES.items():
        clause = env.ref(f"iso10002_complaints.{clause_xmlid}", False)
        if clause and clause.sequence == old:
            clause.sequence = new
    for clause_xmlid, (columns, report) in EVIDENCE.items():
        clause = env.ref(f"iso10002_complaints.{clause_xmlid}", False)
        if not clause:
            continue
        values = {}
        if columns and not clause.evidence_view_id:
            view = f"iso10002_complaints.iso10002_ticket_evidence_{columns}_list"
            values["evidence_view_id"] = env.ref(view).id
        if report and not clause.evidence_report_id:
            values["evidence_report_id"] = env.ref(f"iso10002_complaints.{report}").id
        if values:
            clause.write(values)


def _reload_planned_audit_criteria(env):
    """The audit criteria are now the clauses of the register once each,
    with G.3.2's items as their questions (before, both were lines of their
    own, overlapping). Audits not started yet whose criteria nobody has
    worked on get the new list; audits under way, reported or closed keep
    the criteria they were carried out against."""
    for audit in env["iso10002.audit"].search([("state", "=", "planned")]):
        findings = audit.finding_ids
        worked = findings.filtered(
            lambda f: f.result or f.evidence or f.ticket_ids or f.action_id
        )
        if worked:
            continue
        findings.unlink()
        audit._load_criteria()
