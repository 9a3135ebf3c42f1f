from collections import defaultdict

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
        """One access check per assignee for all the activities created or
        moved together (the escalation pass creates them by the hundred)."""
        activities = self.sudo().filtered(
            lambda a: a.res_model == TICKET and a.res_id and a.user_id
        )
        if not activities:
            return
        Ticket = self.env[TICKET].sudo().with_context(active_test=False)
        complaints = (
            Ticket.browse(set(activities.mapped("res_id")))
            .exists()
            .filtered("is_complaint")
        )
        by_user = defaultdict(list)
        for activity in activities:
            if activity.res_id in complaints._ids:
                by_user[activity.user_id].append(activity.res_id)
        for user, ids in by_user.items():
            assigned = Ticket.browse(ids)
            denied = assigned - assigned.with_user(user)._filtered_access("read")
            if denied:
                complaint = denied[0]
                raise UserError(
                    self.env._(
                        "%(user)s may not see complaint %(ref)s: assign the "
                        "activity to someone who handles it.",
                        user=user.name,
                        ref=complaint.complaint_reference or complaint.number,
                    )
                )
