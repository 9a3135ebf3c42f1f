from odoo import api, fields, models

from .iso10002_data import STEPS


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    iso10002_step = fields.Selection(
        selection=STEPS,
        string="ISO 10002 Step",
        help="Step of the ISO 10002 process this stage stands for. Only stages with "
        "a step are used by complaints teams; a complaint reaches a step only with "
        "the data that step needs.",
    )
    iso10002_sla_pause = fields.Boolean(
        string="Waiting for the Complainant",
        help="While a complaint is in this stage its SLA clocks are paused: the "
        "time spent waiting for the complainant does not count.",
    )
    iso10002_in_simplified = fields.Boolean(
        string="In the Simplified Stage Set",
        default=True,
        help="Teams using the simplified stage set of small organisations "
        "(ISO 10002 Annex A) show this stage. Steps without a stage in that set "
        "are still recorded on the complaint (an investigation's findings, for "
        "example), only without their own column.",
    )
    is_iso10002_stage = fields.Boolean(
        string="Complaints Stage",
        compute="_compute_is_iso10002_stage",
        store=True,
        index=True,
    )

    @api.depends("iso10002_step")
    def _compute_is_iso10002_stage(self):
        for stage in self:
            stage.is_iso10002_stage = bool(stage.iso10002_step)
