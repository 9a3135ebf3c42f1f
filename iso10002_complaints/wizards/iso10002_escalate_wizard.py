from odoo import fields, models
from odoo.exceptions import UserError


class Iso10002EscalateWizard(models.TransientModel):
    """Any employee can report a complaint upwards, with a reason (ISO 10002
    5.3.5)."""

    _name = "iso10002.escalate.wizard"
    _inherit = ["iso10002.complaint.link"]
    _description = "Escalate a Complaint"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", string="Complaint", required=True
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self._check_can_escalate()
        self.ticket_id._iso10002_escalate_manually(self.reason.strip())
        return {"type": "ir.actions.act_window_close"}

    def _check_can_escalate(self):
        if not (self.reason or "").strip():
            raise UserError(self.env._("Say why the complaint needs escalating."))
        if self.env["helpdesk.ticket"]._iso10002_reads_only():
            raise UserError(
                self.env._(
                    "Auditors read complaints without acting on them: report what "
                    "needs attention in the audit's findings."
                )
            )
        # the employee must be allowed to see the complaint they escalate
        self.ticket_id.check_access("read")
        if not self.ticket_id.is_complaint:
            raise UserError(self.env._("Only complaints can be escalated."))
