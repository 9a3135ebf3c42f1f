from odoo import api, models
from odoo.exceptions import UserError

TICKET = "helpdesk.ticket"


class MailActivity(models.Model):
    """An activity on a complaint is assigned only to someone who may read
    the complaint (R-4.7): its assignee reads it, its summary and the
    complaint's name, whatever their access to the complaint."""

    _inherit = "mail.activity"

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        activities._iso10002_check_assignee()
        return activities

    def write(self, vals):
        result = super().write(vals)
        if {"user_id", "res_id", "res_model_id", "res_model"} & set(vals):
            self._iso10002_check_assignee()
        return result

    def _iso10002_check_assignee(self):
        Ticket = self.env[TICKET].sudo().with_context(active_test=False)
        for activity in self.sudo().filtered(
            lambda a: a.res_model == TICKET and a.res_id and a.user_id
        ):
            complaint = Ticket.browse(activity.res_id).exists()
            if not complaint.is_complaint:
                continue
            if not complaint.with_user(activity.user_id).has_access("read"):
                raise UserError(
                    self.env._(
                        "%(user)s may not see complaint %(ref)s: assign the "
                        "activity to someone who handles it.",
                        user=activity.user_id.name,
                        ref=complaint.complaint_reference or complaint.number,
                    )
                )
