from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models import iso10002_data as iso


class Iso10002ComplainantResponseWizard(models.TransientModel):
    """Record the complainant's answer to the decision (ISO 10002 7.9)."""

    _name = "iso10002.complainant.response.wizard"
    _inherit = ["iso10002.complaint.link"]
    _description = "Complainant's Answer to the Decision"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", string="Complaint", required=True
    )
    response = fields.Selection(
        selection=iso.COMPLAINANT_RESPONSES, string="Answer", required=True
    )
    response_on = fields.Datetime(
        string="Answered On", required=True, default=fields.Datetime.now
    )
    rejection_reason = fields.Text()
    review_type = fields.Selection(selection=iso.REVIEW_TYPES, string="Review Path")
    company_id = fields.Many2one(related="ticket_id.company_id")
    recourse_provider_id = fields.Many2one(
        comodel_name="iso10002.dispute.provider",
        string="Dispute Resolution Provider",
        domain="[('company_id', '=', company_id)]",
    )
    recourse_referred_on = fields.Date(
        string="Referred On", default=fields.Date.context_today
    )
    recourse_reference = fields.Char(string="Provider Reference")

    @api.onchange("response")
    def _onchange_response(self):
        if self.response == iso.RESPONSE_ACCEPTED:
            self.rejection_reason = False
            self.review_type = False

    def action_confirm(self):
        self.ensure_one()
        self._check_can_confirm()
        return self._do_confirm()

    def _check_can_confirm(self):
        if self.response != iso.RESPONSE_REJECTED:
            return
        if not (self.rejection_reason or "").strip():
            raise UserError(
                self.env._("Give the reason the complainant rejects the decision.")
            )
        if not self.review_type:
            raise UserError(
                self.env._(
                    "Choose how the rejection is followed up: internal review or "
                    "external recourse."
                )
            )
        if self.review_type == iso.REVIEW_EXTERNAL and not self.recourse_provider_id:
            raise UserError(
                self.env._(
                    "Choose the external dispute-resolution provider from the "
                    "register (Configuration > Dispute-Resolution Providers)."
                )
            )

    def _do_confirm(self):
        ticket = self.ticket_id
        ticket._check_can_record_response()
        vals = {
            "complainant_response": self.response,
            "complainant_response_on": self.response_on,
        }
        if self.response == iso.RESPONSE_REJECTED:
            vals.update(
                rejection_reason=self.rejection_reason,
                review_type=self.review_type,
                recourse_provider_id=self.recourse_provider_id.id,
                recourse_referred_on=self.recourse_referred_on
                if self.review_type == iso.REVIEW_EXTERNAL
                else False,
                recourse_reference=self.recourse_reference,
            )
            ticket._iso10002_write_controlled(vals)
            ticket._iso10002_set_step(iso.STEP_REVIEW)
            body = self.env._(
                "The complainant rejected the decision: %(reason)s",
                reason=self.rejection_reason,
            )
        else:
            ticket._iso10002_write_controlled(vals)
            # accepting the decision accepts the remedies it offered
            ticket.remedy_ids.filtered(
                lambda r: r.state == iso.REMEDY_PROPOSED
            ).action_accept()
            body = self.env._("The complainant accepted the decision.")
        ticket.message_post(body=body, subtype_xmlid="mail.mt_note")
        return {"type": "ir.actions.act_window_close"}
