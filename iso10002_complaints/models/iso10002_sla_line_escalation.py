"""The escalation pass of the SLA clocks (cron, R-4.4, R-5.3.1 g): clocks at
risk give their agent an activity, breached ones are reported to the team
leader and the management representative, once per clock and level, in one
message per team and pass."""

import threading

from markupsafe import Markup
from psycopg2 import errors

from odoo import api, fields, models
from odoo.tools import SQL

from . import iso10002_data as iso
from . import iso10002_sla_math as sla_math

# consecutive serialization conflicts a cron pass retries before giving up
MAX_CONFLICTS = 10


class Iso10002SlaLine(models.Model):
    _inherit = "iso10002.sla.line"

    # ------------------------------------------------------------------
    # Escalation (cron)
    # ------------------------------------------------------------------
    @api.model
    def _cron_escalate(self, batch_size=500):
        """Escalate the clocks that became at risk or breached.

        Rows are taken in bounded batches with FOR UPDATE SKIP LOCKED, so two
        workers never escalate the same clock; the new level is recorded in the
        same transaction as the escalation, committed per batch. Notifications
        are queued and sent by the mail queue after the commit.
        """
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        return self._escalate_due(batch_size=batch_size, commit=auto_commit)

    @api.model
    def _escalate_due(self, batch_size=500, commit=True, limit_batches=None):
        """Escalate the due clocks batch after batch, then tell each team of
        its breaches in one message for the whole pass."""
        now = self._now()
        done = batches = conflicts = 0
        due = None  # counted once, for the progress shown
        while limit_batches is None or batches < limit_batches:
            try:
                ids = self._lock_due_ids(now, batch_size)
                if not ids:
                    break
                self.browse(ids)._escalate(now)
                self.env.flush_all()
            except errors.SerializationFailure:
                # another worker committed these rows after our snapshot was
                # taken: start a fresh transaction and pick again
                if not commit or conflicts >= MAX_CONFLICTS:
                    raise
                conflicts += 1
                self.env.cr.rollback()
                continue
            if due is None:
                due = done + self._count_due(now) + len(ids)
            done += len(ids)
            batches += 1
            if commit:
                # commits the batch and shows the cron's progress
                self.env["ir.cron"]._commit_progress(
                    len(ids), remaining=max(due - done, 0)
                )
        self._send_breach_digests()
        if commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        return done

    @api.model
    def _due_condition(self, now, alias="iso10002_sla_line"):
        return SQL(
            """%(t)s.state = 'running' AND (
                   (%(t)s.escalation_level < %(breached)s AND %(t)s.deadline <= %(now)s)
                OR (%(t)s.escalation_level < %(at_risk)s
                    AND %(t)s.at_risk_at <= %(now)s))""",
            t=SQL.identifier(alias),
            breached=iso.ESCALATION_BREACHED,
            at_risk=iso.ESCALATION_AT_RISK,
            now=now,
        )

    @api.model
    def _lock_due_ids(self, now, limit):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT id FROM iso10002_sla_line
                    WHERE %s
                 ORDER BY id
                    LIMIT %s
               FOR UPDATE SKIP LOCKED""",
                self._due_condition(now),
                limit,
            ),
            # a row another worker committed after our snapshot fails with a
            # serialization error, which the pass handles by starting again:
            # not a database error to log
            log_exceptions=False,
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _count_due(self, now):
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM iso10002_sla_line WHERE %s",
                self._due_condition(now),
            )
        )
        return self.env.cr.fetchone()[0]

    def _escalate(self, now):
        """Escalate locked lines in one statement: the new level of each clock
        (breached before at risk) and one escalation record per clock and
        level (a record already there is kept, never doubled); then the
        activities of the at-risk clocks, one create per batch. Breaches are
        left for the team's message at the end of the pass."""
        self.env.flush_all()
        uid = self.env.uid
        moment = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """WITH due AS (
                       SELECT line.id, line.ticket_id, ticket.company_id,
                              line.phase,
                              CASE WHEN line.deadline <= %(now)s
                                    AND line.escalation_level < %(breached)s
                                   THEN 'breached' ELSE 'at_risk' END AS kind
                         FROM iso10002_sla_line line
                         JOIN helpdesk_ticket ticket ON ticket.id = line.ticket_id
                        WHERE line.id IN %(ids)s AND %(due)s
                   ), raised AS (
                       UPDATE iso10002_sla_line line
                          SET escalation_level = CASE due.kind
                                  WHEN 'breached' THEN %(breached)s
                                  ELSE %(at_risk)s END,
                              write_uid = %(uid)s, write_date = %(moment)s
                         FROM due
                        WHERE line.id = due.id
                   )
                   INSERT INTO iso10002_escalation (ticket_id, company_id,
                       sla_line_id, phase, kind, date, user_id,
                       notification_pending, create_uid, create_date, write_uid,
                       write_date)
                   SELECT ticket_id, company_id, id, phase, kind, %(moment)s,
                          %(uid)s, kind = 'breached', %(uid)s, %(moment)s,
                          %(uid)s, %(moment)s
                     FROM due
                       ON CONFLICT (sla_line_id, kind) DO NOTHING
                RETURNING sla_line_id, kind""",
                now=now,
                breached=iso.ESCALATION_BREACHED,
                at_risk=iso.ESCALATION_AT_RISK,
                ids=tuple(self.ids),
                due=self._due_condition(now, "line"),
                uid=uid,
                moment=moment,
            )
        )
        raised = self.env.cr.fetchall()
        self.invalidate_recordset(["escalation_level", "write_uid", "write_date"])
        self.env["iso10002.escalation"].invalidate_model()
        self.env["helpdesk.ticket"].invalidate_model(["escalation_ids"])
        at_risk = self.browse(line_id for line_id, kind in raised if kind == "at_risk")
        at_risk._schedule_at_risk_activities()

    def _schedule_at_risk_activities(self):
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        phases = dict(self._fields["phase"]._description_selection(self.env))
        values = []
        for line in self:
            complaint = line.ticket_id
            user = complaint.user_id or complaint.team_id.user_id
            if not user:
                continue
            # the deadline as the assignee reads it, zone named
            day, due = sla_math.local_deadline(line.deadline, user.tz)
            values.append(
                {
                    "res_model_id": model_id,
                    "res_id": complaint.id,
                    # stored with the insert (mail computes them after it)
                    "res_name": complaint.sudo().display_name,
                    "date_done": False,
                    "user_tz": user.tz,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "date_deadline": day,
                    "summary": self.env._(
                        "SLA at risk: %(phase)s due %(deadline)s",
                        phase=phases[line.phase],
                        deadline=due,
                    ),
                }
            )
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(values)

    @api.model
    def _send_breach_digests(self):
        """One message per team for the breaches of the pass (and any left
        by an interrupted one), to its leader and the management
        representative, listing the complaints and phases. The escalations
        are locked while their message is posted, so that two workers never
        report the same breach."""
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT id FROM iso10002_escalation
                WHERE notification_pending
             ORDER BY id
           FOR UPDATE SKIP LOCKED"""
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if not ids:
            return
        escalations = self.env["iso10002.escalation"].sudo().browse(ids)
        phases = dict(self._fields["phase"]._description_selection(self.env))
        for team, team_escalations in escalations.grouped(
            lambda escalation: escalation.ticket_id.team_id
        ).items():
            companies = team_escalations.ticket_id.company_id
            partners = (
                team.user_id.partner_id
                | companies.iso10002_management_representative_id.partner_id
            )
            if not partners:
                continue
            items = Markup("").join(
                Markup("<li>%s — %s</li>")
                % (
                    escalation.ticket_id._get_html_link(
                        escalation.ticket_id.complaint_reference
                    ),
                    phases[escalation.phase],
                )
                for escalation in team_escalations.sorted("sla_line_id")
            )
            team.sudo().message_post(
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (self.env._("SLA deadlines breached:"), items),
                subject=self.env._("Complaint deadlines breached"),
                partner_ids=partners.ids,
                subtype_xmlid="mail.mt_note",
            )
        # one statement for the pass's escalations (not a write per hundred)
        self.env.cr.execute(
            SQL(
                """UPDATE iso10002_escalation
                      SET notification_pending = false, write_uid = %s,
                          write_date = %s
                    WHERE id IN %s""",
                self.env.uid,
                fields.Datetime.now(),
                tuple(escalations.ids),
            )
        )
        escalations.invalidate_recordset(
            ["notification_pending", "write_uid", "write_date"]
        )
