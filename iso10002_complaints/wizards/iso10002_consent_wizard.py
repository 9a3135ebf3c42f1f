import base64

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models import iso10002_data as iso

CONSENT_SCOPES = [
    ("handling", "To handle the complaint only"),
    ("sharing", "To handle the complaint and share beyond handling"),
]


class Iso10002ConsentWizard(models.TransientModel):
    """Record how the complainant consented to the use of their personal
    data, on any channel (ISO 10002 4.7): what they agreed to, how, when, who
    recorded it and the evidence. The web form records it itself."""

    _name = "iso10002.consent.wizard"
    _inherit = ["iso10002.complaint.link"]
    _description = "Record the Complainant's Consent"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    scope = fields.Selection(
        selection=CONSENT_SCOPES,
        string="The Complainant Agrees",
        required=True,
        default="handling",
    )
    channel = fields.Selection(
        selection=iso.CHANNEL_KINDS, string="Given By", required=True
    )
    evidence = fields.Text(
        required=True,
        help="What the complainant said or signed, and where the proof is "
        "(e.g. agreed on the phone at 10:32; the signed letter attached).",
    )
    proof = fields.Binary(string="Proof (File)")
    proof_name = fields.Char()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        ticket = self.env["helpdesk.ticket"].browse(values.get("ticket_id"))
        if ticket and "channel" in fields_list:
            values["channel"] = ticket.channel_id.iso10002_kind or "other"
        if ticket.consent_scope and "scope" in fields_list:
            values["scope"] = ticket.consent_scope
        return values

    def action_confirm(self):
        self.ensure_one()
        self._check_can_confirm()
        return self._do_confirm()

    def _check_can_confirm(self):
        ticket = self.ticket_id
        ticket._check_is_complaint()
        ticket.check_access("write")
        if not self.env.user.has_group("iso10002_complaints.group_iso10002_agent"):
            raise UserError(self.env._("Complaint agents and managers record consent."))
        if not (self.evidence or "").strip():
            raise UserError(
                self.env._(
                    "Say how the complainant gave their consent (what they said "
                    "or signed, and where the proof is)."
                )
            )

    def _do_confirm(self):
        ticket = self.ticket_id
        ticket._iso10002_write_controlled(
            {
                "consent_scope": self.scope,
                "consent_channel": self.channel,
                "consent_date": fields.Datetime.now(),
                "consent_recorded_by_id": self.env.user.id,
                "consent_evidence": self.evidence.strip(),
            }
        )
        scopes = dict(self._fields["scope"]._description_selection(self.env))
        channels = dict(self._fields["channel"]._description_selection(self.env))
        attachments = []
        if self.proof:
            attachments = [
                (
                    self.proof_name or self.env._("consent"),
                    base64.b64decode(self.proof),
                )
            ]
        ticket.message_post(
            body=self.env._(
                "Consent recorded: %(scope)s, given by %(channel)s. %(evidence)s",
                scope=scopes[self.scope],
                channel=channels[self.channel],
                evidence=self.evidence.strip(),
            ),
            subtype_xmlid="mail.mt_note",
            attachments=attachments,
        )
        return {"type": "ir.actions.act_window_close"}
