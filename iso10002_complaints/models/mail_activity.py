from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

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
        moved together."""
        activities = self.sudo().filtered(
            lambda a: a.res_model == TICKET and a.res_id and a.user_id
        )
        if not activities:
            return
        by_user = defaultdict(list)
        for activity in activities:
            by_user[activity.user_id].append(activity.res_id)
        denied = self._iso10002_unreadable(by_user)
        for user, complaints in denied.items():
            complaint = complaints[0]
            raise UserError(
                self.env._(
                    "%(user)s may not see complaint %(ref)s: assign the "
                    "activity to someone who handles it.",
                    user=user.name,
                    ref=complaint.complaint_reference or complaint.number,
                )
            )

    @api.model
    def _iso10002_unreadable(self, by_user):
        """The complaints each assignee may not read, from ``{user: ticket
        ids}``: one access check per assignee. Tickets that are not
        complaints are not checked."""
        Ticket = self.env[TICKET].sudo().with_context(active_test=False)
        ids = {res_id for res_ids in by_user.values() for res_id in res_ids}
        complaints = Ticket.search(
            [("id", "in", list(ids)), ("is_complaint", "=", True)]
        )
        denied = {}
        for user, res_ids in by_user.items():
            assigned = Ticket.browse(i for i in res_ids if i in complaints._ids)
            unreadable = assigned - assigned.with_user(user)._filtered_access("read")
            if unreadable:
                denied[user] = unreadable
        return denied

    @api.model
    def _iso10002_schedule_many(self, values_list):
        """Schedule automated activities on complaints by the thousand (the
        escalation pass), with what ``create`` does for each, done for all at
        once: the assignee's access check (an activity the assignee may not
        read is left out, not raised: the pass goes on), the assignee
        following the complaint with the default subtypes, one bus
        notification per assignee. Each of ``values_list`` gives ``res_id``,
        ``user_id``, ``activity_type_id``, ``date_deadline`` and
        ``summary``. Returns the number of activities scheduled."""
        users = self.env["res.users"].sudo()
        by_user = defaultdict(list)
        for values in values_list:
            by_user[users.browse(values["user_id"])].append(values["res_id"])
        denied = {
            (user.id, res_id)
            for user, complaints in self._iso10002_unreadable(by_user).items()
            for res_id in complaints.ids
        }
        rows = [v for v in values_list if (v["user_id"], v["res_id"]) not in denied]
        if not rows:
            return 0
        self.env.flush_all()
        cr = self.env.cr
        model_id = self.env["ir.model"]._get_id(TICKET)
        now = fields.Datetime.now()
        uid = self.env.uid
        cr.execute(
            SQL(
                """INSERT INTO mail_activity (res_model_id, res_model, res_id,
                       res_name, activity_type_id, user_id, user_tz,
                       date_deadline, summary, automated, active, create_uid,
                       create_date, write_uid, write_date)
                   SELECT %(model_id)s, %(model)s, row.res_id, row.res_name,
                          row.type_id, row.user_id, row.tz, row.deadline,
                          row.summary, true, true, %(uid)s, %(now)s, %(uid)s,
                          %(now)s
                     FROM unnest(%(res_ids)s::int[], %(names)s::varchar[],
                                 %(types)s::int[], %(users)s::int[],
                                 %(tzs)s::varchar[], %(deadlines)s::date[],
                                 %(summaries)s::varchar[])
                          AS row(res_id, res_name, type_id, user_id, tz,
                                 deadline, summary)""",
                model_id=model_id,
                model=TICKET,
                uid=uid,
                now=now,
                res_ids=[v["res_id"] for v in rows],
                names=[v.get("res_name") for v in rows],
                types=[v["activity_type_id"] for v in rows],
                users=[v["user_id"] for v in rows],
                tzs=[v.get("user_tz") for v in rows],
                deadlines=[v["date_deadline"] for v in rows],
                summaries=[v.get("summary") for v in rows],
            )
        )
        assignees = users.browse({v["user_id"] for v in rows})
        partner_of = {user.id: user.partner_id.id for user in assignees}
        self.env["mail.followers"]._iso10002_follow(
            TICKET, {(v["res_id"], partner_of[v["user_id"]]) for v in rows}
        )
        self.env["mail.activity"].invalidate_model()
        self.env[TICKET].invalidate_model()
        # the assignees' activity counters (the systray) move by the to-dos
        # due today or earlier
        today = fields.Date.context_today(self)
        due_today = defaultdict(int)
        for values in rows:
            if values["date_deadline"] <= today:
                due_today[values["user_id"]] += 1
        for user in assignees.browse(due_today):
            user._bus_send(
                "mail.activity/updated",
                {"activity_created": True, "count_diff": due_today[user.id]},
            )
        return len(rows)
