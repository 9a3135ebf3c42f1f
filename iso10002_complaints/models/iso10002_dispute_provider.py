"""The register of external dispute-resolution providers (ISO 10002 7.9,
ISO 10003): the bodies a complainant who does not accept the decision may
turn to, chosen from this list on the portal and by agents."""

from odoo import api, fields, models

PROVIDER_KINDS = [
    ("ombudsman", "Ombudsman"),
    ("mediation", "Mediation"),
    ("conciliation", "Conciliation"),
    ("arbitration", "Arbitration"),
    ("other", "Other"),
]
RECOURSE_RESULTS = [
    ("upheld", "Upheld in the complainant's favour"),
    ("partly_upheld", "Partly upheld"),
    ("not_upheld", "Not upheld"),
    ("settled", "Settled between the parties"),
    ("withdrawn", "Withdrawn by the complainant"),
    ("declined", "Declined by the provider"),
]


class Iso10002DisputeProvider(models.Model):
    _name = "iso10002.dispute.provider"
    _description = "External Dispute-Resolution Provider"
    _order = "sequence, name"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(
        selection=PROVIDER_KINDS, required=True, default="ombudsman"
    )
    scope = fields.Text(
        translate=True,
        help="Which disputes it takes (e.g. consumer disputes up to 5,000 EUR), "
        "shown to complainants.",
    )
    cost_note = fields.Char(
        string="Cost to the Complainant",
        translate=True,
        help="e.g. Free of charge for consumers.",
    )
    website = fields.Char()
    email = fields.Char()
    phone = fields.Char()
    referral_count = fields.Integer(
        string="Referrals", compute="_compute_referral_count"
    )

    @api.depends_context("uid")
    def _compute_referral_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]
            .with_context(active_test=False)
            ._read_group(
                [("recourse_provider_id", "in", self.ids)],
                ["recourse_provider_id"],
                ["__count"],
            )
        )
        for provider in self:
            provider.referral_count = counts.get(provider, 0)

    def action_open_referrals(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "helpdesk.ticket",
            "view_mode": "list,form",
            "domain": [("recourse_provider_id", "=", self.id)],
            "context": {"active_test": False},
        }
