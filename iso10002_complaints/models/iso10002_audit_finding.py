from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

FINDING_RESULTS = [
    ("not_assessed", "Not assessed"),
    ("conforming", "Conforming"),
    ("observation", "Observation"),
    ("opportunity", "Opportunity for improvement"),
    ("minor", "Minor nonconformity"),
    ("major", "Major nonconformity"),
]


class Iso10002AuditFinding(models.Model):
    """The result of one audit criterion, with its evidence.

    A result is a verdict on evidence: every result but "Not assessed" needs
    the auditor's evidence (what they examined, or the complaints examined).
    What the records show for the criterion is filled in when the audit
    starts (``records_summary``); it informs the auditor, it is not their
    evidence.
    """

    _name = "iso10002.audit.finding"
    _inherit = ["iso10002.complaint.link", "iso10002.controlled.mixin"]
    _description = "Audit Finding"
    _order = "audit_id, sequence, id"
    _iso10002_controlled_fields = frozenset({"action_id", "records_summary"})

    audit_id = fields.Many2one(
        comodel_name="iso10002.audit", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="audit_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    criterion = fields.Char(required=True)
    clause_id = fields.Many2one(comodel_name="iso10002.clause")
    questions = fields.Text(
        string="Questions (G.3.2)",
        readonly=True,
        help="The items of ISO 10002 G.3.2 the auditor answers under this clause.",
    )
    result = fields.Selection(selection=FINDING_RESULTS)
    evidence = fields.Text(
        help="What the auditor examined: records, interviews, documents."
    )
    records_summary = fields.Text(
        string="From the Records",
        readonly=True,
        help="What the records show for this criterion in the audited period, "
        "filled in when the audit starts; the auditor's evidence is their own.",
    )
    ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        relation="iso10002_audit_finding_ticket_rel",
        column1="finding_id",
        column2="ticket_id",
        string="Evidence Complaints",
        domain=[("is_complaint", "=", True)],
    )
    action_id = fields.Many2one(
        comodel_name="iso10002.action", string="Corrective Action", readonly=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        audits = self.env["iso10002.audit"].browse(
            {vals.get("audit_id") for vals in vals_list}
        )
        for audit in audits:
            if audit._iso10002_is_frozen():
                raise UserError(audit._iso10002_frozen_message())
        return super().create(vals_list)

    def write(self, vals):
        result = super().write(vals)
        if "ticket_ids" in vals:
            self._check_evidence_independence()
        return result

    @api.constrains("result", "evidence", "ticket_ids")
    def _check_result_evidence(self):
        """R-8.5: a verdict rests on the auditor's evidence."""
        for finding in self:
            if finding.result and not finding._has_evidence():
                raise ValidationError(
                    self.env._(
                        "%(criterion)s: a result rests on evidence. Describe what "
                        "you examined or link the complaints you examined; "
                        "otherwise choose Not assessed.",
                        criterion=finding.criterion,
                    )
                )

    def _has_evidence(self):
        self.ensure_one()
        return self.result == "not_assessed" or bool(
            (self.evidence or "").strip() or self.ticket_ids
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_reported(self):
        for audit in self.audit_id:
            if audit._iso10002_is_frozen():
                raise UserError(audit._iso10002_frozen_message())

    def _iso10002_is_frozen(self):
        return self.audit_id._iso10002_is_frozen()

    def _iso10002_frozen_message(self):
        return self.audit_id._iso10002_frozen_message()

    def _check_evidence_independence(self):
        for finding in self:
            auditors = finding.audit_id._auditors()
            handled = finding.ticket_ids.filtered(
                lambda t, auditors=auditors: (
                    (t.user_id | t.investigator_id | t.decided_by_id) & auditors
                )
            )
            if handled:
                raise ValidationError(finding.audit_id._independence_message(handled))

    def action_create_action(self):
        """A corrective action from this finding (ISO 10002 8.5, 8.7)."""
        self.ensure_one()
        if self.action_id:
            raise UserError(self.env._("This finding already has an action."))
        if self.result in (False, "conforming", "not_assessed"):
            raise UserError(
                self.env._(
                    "Only observations, opportunities and nonconformities lead to "
                    "actions."
                )
            )
        # auditors raise findings; the action is the organisation's record
        return self.env["iso10002.action"]._iso10002_raise_from(
            self,
            {
                "name": self.env._(
                    "Audit %(audit)s: %(criterion)s",
                    audit=self.audit_id.name,
                    criterion=self.criterion,
                ),
                "origin": "audit_finding",
                "action_type": "corrective"
                if self.result in ("minor", "major")
                else "improvement",
                "company_id": self.audit_id.company_id.id,
                "audit_id": self.audit_id.id,
                "ticket_ids": [(6, 0, self.ticket_ids.ids)],
                "description": self.evidence,
            },
        )
