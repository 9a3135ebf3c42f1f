from odoo import api, fields, models
from odoo.exceptions import AccessError


class Iso10002Reopening(models.Model):
    """A closed complaint opened again (R-7.9, R-8.1): who, when, why, and the
    closure it replaced, kept beside the complaint. Written by the Reopen
    action only, never edited."""

    _name = "iso10002.reopening"
    _inherit = ["iso10002.complaint.record"]
    _description = "Complaint Reopening"
    _order = "ticket_id, reopened_on desc, id desc"

    reason = fields.Text(required=True, readonly=True)
    reopened_by_id = fields.Many2one(
        comodel_name="res.users", required=True, readonly=True
    )
    reopened_on = fields.Datetime(required=True, readonly=True)
    step_before = fields.Char(readonly=True)
    previous_closed_on = fields.Datetime(string="Closed On Before", readonly=True)
    previous_decision = fields.Text(string="Decision Before", readonly=True)
    previous_decided_by_id = fields.Many2one(
        comodel_name="res.users", string="Decided By Before", readonly=True
    )
    previous_response = fields.Char(string="Complainant's Answer Before", readonly=True)
    # what the closure was at its end: the KPIs of past periods read them
    # ("as at the end of the period", R-8.4)
    previous_withdrawn = fields.Boolean(string="Withdrawn Before", readonly=True)
    previous_in_time = fields.Boolean(
        string="Resolved in Time Before",
        readonly=True,
        help="The closure it replaced met the resolution target.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_written_by_reopen()
        return super().create(vals_list)

    def write(self, vals):
        self._check_written_by_reopen()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_kept(self):
        self._check_written_by_reopen()

    def _check_written_by_reopen(self):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Reopenings are recorded by the Reopen action of a complaint "
                    "and kept as they were (ISO 10002 8.1)."
                )
            )
