from odoo import fields, models

from .iso10002_data import ROLLOUT_STATES


class Iso10002SystemicRemedyLine(models.Model):
    """One person or organisation a systemic remedy is offered to."""

    _name = "iso10002.systemic.remedy.line"
    _description = "Systemic Remedy Roll-out"
    _order = "systemic_remedy_id, id"
    _inherit = ["iso10002.controlled.mixin"]
    _iso10002_controlled_fields = frozenset({"state", "date_done"})

    systemic_remedy_id = fields.Many2one(
        comodel_name="iso10002.systemic.remedy",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="systemic_remedy_id.company_id", store=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Affected", required=True
    )
    complained = fields.Boolean(
        compute="_compute_complained",
        help="This person complained; the others were affected without complaining.",
    )
    state = fields.Selection(
        selection=ROLLOUT_STATES, default="pending", required=True, readonly=True
    )
    date_done = fields.Date(string="Provided On", readonly=True)
    notes = fields.Char()

    _partner_uniq = models.Constraint(
        "unique(systemic_remedy_id, partner_id)",
        "Each person appears once in a roll-out.",
    )

    def _compute_complained(self):
        for line in self:
            line.complained = (
                line.partner_id in line.systemic_remedy_id.ticket_ids.partner_id
            )

    def action_offer(self):
        self._iso10002_write_controlled({"state": "offered"})
        return True

    def action_done(self):
        self._iso10002_write_controlled(
            {"state": "done", "date_done": fields.Date.context_today(self)}
        )
        return True

    def action_decline(self):
        self._iso10002_write_controlled({"state": "declined"})
        return True
