from odoo import api, fields, models

from .iso10002_data import STEPS


class Iso10002StageHistory(models.Model):
    """When a complaint entered and left each stage, and who moved it (R-7.3)."""

    _name = "iso10002.stage.history"
    _inherit = ["iso10002.complaint.record"]
    _description = "Complaint Stage History"
    _order = "ticket_id, date_in, id"

    stage_id = fields.Many2one(
        comodel_name="helpdesk.ticket.stage",
        required=True,
        ondelete="restrict",
        readonly=True,
    )
    iso10002_step = fields.Selection(
        selection=STEPS,
        string="ISO 10002 Step",
        compute="_compute_iso10002_step",
        store=True,
        readonly=True,
    )
    is_sla_pause = fields.Boolean(
        string="SLA Paused",
        compute="_compute_iso10002_step",
        store=True,
        readonly=True,
        help="The complaint waited for the complainant here: SLA clocks paused.",
    )
    date_in = fields.Datetime(string="Entered On", required=True, readonly=True)
    date_out = fields.Datetime(string="Left On", readonly=True)
    duration_hours = fields.Float(
        string="Duration (hours)",
        readonly=True,
        aggregator="avg",
        help="Time spent in the stage; empty while the complaint is still there.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users", string="Moved By", readonly=True
    )

    @api.depends("stage_id")
    def _compute_iso10002_step(self):
        # stored at entry: renaming or remapping a stage later keeps history true
        for line in self:
            if not line.iso10002_step:
                line.iso10002_step = line.stage_id.iso10002_step
                line.is_sla_pause = line.stage_id.iso10002_sla_pause

    @api.model
    def _close_open_lines(self, tickets, now):
        open_lines = self.search(
            [("ticket_id", "in", tickets.ids), ("date_out", "=", False)]
        )
        for line in open_lines:
            line.write(
                {
                    "date_out": now,
                    "duration_hours": (now - line.date_in).total_seconds() / 3600,
                }
            )
