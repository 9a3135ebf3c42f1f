"""The escalation pass of the SLA clocks (cron, R-4.4, R-5.3.1 g): clocks at
risk give their agent an activity, breached ones are reported to the team
leader and the management representative, once per clock and level, in one
message per team and pass."""

import threading
from collections import defaultdict

from markupsafe import Markup
from psycopg2 import errors

from odoo import api, fields, models
from odoo.tools import SQL

from . import iso10002_data as iso
from . import iso10002_sla_math as sla_math
from .iso10002_escalation import TO_REPORT

# consecutive serialization conflicts a cron pass retries before giving up
MAX_CONFLICTS = 10
# complaints listed by name in a team's breach message (the rest counted)
DIGEST_ITEMS = 50


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
        its breaches in one message for the whole pass. The due clocks are
        found in one index scan; each batch then locks and escalates, in one
        statement, those of its rows still due and not locked by another
        worker."""
        now = self._now()
        due = self._due_ids(now)
        done = batches = conflicts = 0
        start = 0
        while start < len(due) and (limit_batches is None or batches < limit_batches):
            chunk = due[start : start + batch_size]
            try:
                ids = self.browse(chunk)._escalate(now)
                self.env.flush_all()
            except errors.SerializationFailure:
                # another worker committed these rows after our snapshot was
                # taken: start a fresh transaction and lock them again (those
                # it escalated are no longer due)
                if not commit or conflicts >= MAX_CONFLICTS:
                    raise
                conflicts += 1
                self.env.cr.rollback()
                continue
            start += batch_size
            done += len(ids)
            batches += 1
            if commit:
                # commits the batch and shows the cron's progress
                self.env["ir.cron"]._commit_progress(
                    len(chunk), remaining=max(len(due) - start, 0)
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
    def _due_ids(self, now):
        """The clocks due at ``now``, in id order (no lock)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM iso10002_sla_line WHERE %s ORDER BY id",
                self._due_condition(now),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _escalate(self, now):
        """Escalate the lines of ``self`` still due at ``now`` in one
        statement: each is locked (those another worker holds are skipped,
        ``FOR UPDATE SKIP LOCKED``), raised to its new level (breached before
        at risk) and given one escalation record per level (a record already
        there is kept, never doubled); then the activities of the at-risk
        clocks, one create per batch. Breaches are left for the team's
        message at the end of the pass. Returns the ids of the lines
        escalated."""
        self.env.flush_all()
        uid = self.env.uid
        moment = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """WITH due AS (
                       SELECT line.id, line.ticket_id, line.company_id,
                              line.phase,
                              CASE WHEN line.deadline <= %(now)s
                                    AND line.escalation_level < %(breached)s
                                   THEN 'breached' ELSE 'at_risk' END AS kind
                         FROM iso10002_sla_line line
                        WHERE line.id IN %(ids)s AND %(due)s
                     ORDER BY line.id
                          FOR UPDATE SKIP LOCKED
                   ), raised AS (
                       UPDATE iso10002_sla_line line
                          SET escalation_level = CASE due.kind
                                  WHEN 'breached' THEN %(breached)s
                                  ELSE %(at_risk)s END,
                              write_uid = %(uid)s, write_date = %(moment)s
                         FROM due
                        WHERE line.id = due.id
                   )
                   , recorded AS (
                       INSERT INTO iso10002_escalation (ticket_id, company_id,
                           sla_line_id, phase, kind, date, user_id, create_uid,
                           create_date, write_uid, write_date)
                       SELECT ticket_id, company_id, id, phase, kind,
                              %(moment)s, %(uid)s, %(uid)s, %(moment)s,
                              %(uid)s, %(moment)s
                         FROM due
                           ON CONFLICT (sla_line_id, kind) DO NOTHING
                    RETURNING id, company_id, sla_line_id, kind
                   ), queued AS (
                       INSERT INTO %(to_report)s (company_id, escalation_id)
                       SELECT company_id, id FROM recorded
                        WHERE kind = 'breached'
                   )
                   SELECT due.id, recorded.kind
                     FROM due LEFT JOIN recorded ON recorded.sla_line_id = due.id
                 ORDER BY due.id""",
                now=now,
                breached=iso.ESCALATION_BREACHED,
                at_risk=iso.ESCALATION_AT_RISK,
                ids=tuple(self.ids),
                due=self._due_condition(now, "line"),
                uid=uid,
                moment=moment,
                to_report=SQL.identifier(TO_REPORT),
            ),
            # a row another worker committed after our snapshot was taken
            # fails with a serialization error, which the pass handles by
            # starting again: not a database error to log
            log_exceptions=False,
        )
        raised = self.env.cr.fetchall()
        self.invalidate_recordset(["escalation_level", "write_uid", "write_date"])
        self.env["iso10002.escalation"].invalidate_model()
        self.env["helpdesk.ticket"].invalidate_model(["escalation_ids"])
        at_risk = self.browse(line_id for line_id, kind in raised if kind == "at_risk")
        at_risk._schedule_at_risk_activities()
        return [line_id for line_id, _kind in raised]

    def _schedule_at_risk_activities(self):
        """A to-do for the agent of each clock at risk (or the team leader
        when nobody is assigned), due on the clock's deadline as the assignee
        reads it, scheduled set-based (``mail.activity._iso10002_schedule_many``:
        the assignee's access check, following, bus notification)."""
        if not self:
            return
        self.env.flush_all()
        activity_type = self.env["ir.model.data"]._xmlid_to_res_id(
            "mail.mail_activity_data_todo"
        )
        phases = dict(self._fields["phase"]._description_selection(self.env))
        summary = self.env._("SLA at risk: %(phase)s due %(deadline)s")
        # who acts on each clock, in one query (not reads per clock)
        self.env.cr.execute(
            SQL(
                """SELECT line.ticket_id, line.phase, line.deadline,
                          COALESCE(ticket.user_id, team.user_id)
                     FROM iso10002_sla_line line
                     JOIN helpdesk_ticket ticket ON ticket.id = line.ticket_id
                LEFT JOIN helpdesk_ticket_team team ON team.id = ticket.team_id
                    WHERE line.id IN %s
                 ORDER BY line.id""",
                tuple(self.ids),
            )
        )
        clocks = [row for row in self.env.cr.fetchall() if row[3]]
        users = self.env["res.users"].sudo().browse({row[3] for row in clocks})
        zones = {user.id: user.tz for user in users}
        complaints = self.env["helpdesk.ticket"].sudo().browse(row[0] for row in clocks)
        # the name's fields only, not every column of the complaints
        complaints.fetch(["number", "name", "is_complaint", "is_confidential"])
        names = {complaint.id: complaint.display_name for complaint in complaints}
        values = []
        for complaint_id, phase, deadline, user_id in clocks:
            # the deadline as the assignee reads it, zone named
            day, due = sla_math.local_deadline(deadline, zones[user_id])
            values.append(
                {
                    "res_id": complaint_id,
                    "res_name": names[complaint_id],
                    "user_tz": zones[user_id],
                    "activity_type_id": activity_type,
                    "user_id": user_id,
                    "date_deadline": day,
                    "summary": summary % {"phase": phases[phase], "deadline": due},
                }
            )
        self.env["mail.activity"].sudo()._iso10002_schedule_many(values)

    @api.model
    def _send_breach_digests(self):
        """One message per team for the breaches of the pass (and any left
        by an interrupted one), to its leader and the management
        representative, listing the complaints and phases. The escalations
        are locked while their message is posted, so that two workers never
        report the same breach."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT escalation_id FROM %s
                 ORDER BY escalation_id
               FOR UPDATE SKIP LOCKED""",
                SQL.identifier(TO_REPORT),
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if not ids:
            return
        escalations = self.env["iso10002.escalation"].sudo().browse(ids)
        phases = dict(self._fields["phase"]._description_selection(self.env))
        # what the messages name, in one query (not a read per escalation)
        self.env.cr.execute(
            SQL(
                """SELECT ticket.team_id, ticket.company_id, ticket.id,
                          ticket.complaint_reference, escalation.phase
                     FROM iso10002_escalation escalation
                     JOIN helpdesk_ticket ticket ON ticket.id = escalation.ticket_id
                    WHERE escalation.id IN %s
                 ORDER BY ticket.team_id, escalation.sla_line_id""",
                tuple(ids),
            )
        )
        by_team = defaultdict(list)
        for team_id, company_id, ticket_id, reference, phase in self.env.cr.fetchall():
            by_team[team_id].append((company_id, ticket_id, reference, phase))
        Ticket = self.env["helpdesk.ticket"].sudo()
        Company = self.env["res.company"].sudo()
        for team_id, breaches in by_team.items():
            team = self.env["helpdesk.ticket.team"].sudo().browse(team_id)
            companies = Company.browse({company for company, *_rest in breaches})
            partners = (
                team.user_id.partner_id
                | companies.iso10002_management_representative_id.partner_id
            )
            if not partners:
                continue
            items = Markup("").join(
                Markup("<li>%s — %s</li>")
                % (Ticket.browse(ticket_id)._get_html_link(reference), phases[phase])
                for _company, ticket_id, reference, phase in breaches[:DIGEST_ITEMS]
            )
            more = len(breaches) - DIGEST_ITEMS
            if more > 0:
                # a message of thousands of links is read by nobody: the
                # escalations of each complaint hold them all
                items += Markup("<li>%s</li>") % self.env._(
                    "and %(count)s more: the Deadline Breached filter of the "
                    "complaints list shows them all.",
                    count=more,
                )
            team.message_post(
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (self.env._("SLA deadlines breached:"), items),
                subject=self.env._("Complaint deadlines breached"),
                partner_ids=partners.ids,
                subtype_xmlid="mail.mt_note",
            )
        # reported: out of the queue, in one statement
        self.env.cr.execute(
            SQL(
                "DELETE FROM %s WHERE escalation_id IN %s",
                SQL.identifier(TO_REPORT),
                tuple(escalations.ids),
            )
        )
        escalations.invalidate_recordset(["notification_pending"])
        self.env["res.company"].invalidate_model(["iso10002_breaches_to_report_ids"])
