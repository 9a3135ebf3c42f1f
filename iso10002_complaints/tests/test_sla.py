import threading
from datetime import datetime as dt
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase, make_calendar

FRIDAY_16 = dt(2026, 3, 6, 16, 0)  # Friday 6 March 2026, 16:00 UTC


@tagged("post_install", "-at_install")
class TestSla(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = make_calendar(
            cls.env, "Test 40 h (UTC)", ((8, 12, "morning"), (13, 17, "afternoon"))
        )
        cls.team.resource_calendar_id = cls.calendar
        cls.company.iso10002_management_representative_id = cls.manager
        cls.standard = cls.env.ref("iso10002_complaints.sla_policy_standard")
        cls.health = cls.env.ref("iso10002_complaints.sla_policy_health_safety")

    def _complaint_at(self, moment, user=None, **vals):
        with freeze_time(moment):
            return self._new_complaint(user=user, **vals)

    def _line(self, complaint, phase):
        return complaint.sla_line_ids.filtered(lambda line: line.phase == phase)

    # ------------------------------------------------------------------
    # deadlines
    # ------------------------------------------------------------------
    def test_r_4_4_deadlines_over_the_weekend(self):
        complaint = self._complaint_at(FRIDAY_16)
        self.assertEqual(complaint.sla_policy_id, self.standard)
        ack = self._line(complaint, "acknowledge")
        self.assertEqual(ack.calendar_id, self.calendar)
        # 1 h on Friday, 7 h on Monday
        self.assertEqual(ack.deadline, dt(2026, 3, 9, 16))
        # 75 % of 8 h = 6 h: Monday 14:00
        self.assertEqual(ack.at_risk_at, dt(2026, 3, 9, 14))
        resolve = self._line(complaint, "resolve")
        # 80 h = 1 + 8 * 9 + 7: Friday 20 March, 16:00
        self.assertEqual(resolve.deadline, dt(2026, 3, 20, 16))
        self.assertEqual(complaint.sla_deadline, dt(2026, 3, 9, 16))

    def test_r_4_4_public_holiday_moves_the_deadline(self):
        complaint = self._complaint_at(FRIDAY_16)
        ack = self._line(complaint, "acknowledge")
        self.assertEqual(ack.deadline, dt(2026, 3, 9, 16))
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": dt(2026, 3, 9, 0, 0),
                "date_to": dt(2026, 3, 9, 23, 59),
            }
        )
        self.assertEqual(ack.deadline, dt(2026, 3, 10, 16))

    def test_r_4_4_working_spans_computed_once_a_day_until_hours_change(self):
        """Complaints received the same day share the calendar's working
        spans (computed once, kept in Odoo's cache); a public holiday or
        working hours changed line by line are read by the next complaint."""
        Calendar = type(self.env["resource.calendar"])
        calls = []
        original = Calendar._work_intervals_batch

        def counted(calendar, *args, **kwargs):
            calls.append(calendar.id)
            return original(calendar, *args, **kwargs)

        self.env.registry.clear_cache()
        with patch.object(Calendar, "_work_intervals_batch", counted):
            first = self._complaint_at(FRIDAY_16)
            second = self._complaint_at(FRIDAY_16 + timedelta(minutes=30))
            self.assertEqual(calls.count(self.calendar.id), 1)
            self.assertEqual(
                self._line(second, "acknowledge").deadline, dt(2026, 3, 9, 16, 30)
            )
            self.env["resource.calendar.leaves"].create(
                {
                    "name": "Public holiday",
                    "calendar_id": self.calendar.id,
                    "date_from": dt(2026, 3, 9, 0, 0),
                    "date_to": dt(2026, 3, 9, 23, 59),
                }
            )
            third = self._complaint_at(FRIDAY_16)
            self.assertEqual(
                self._line(third, "acknowledge").deadline, dt(2026, 3, 10, 16)
            )
            self.assertEqual(
                self._line(first, "acknowledge").deadline, dt(2026, 3, 10, 16)
            )
            # Tuesday's afternoon shortened by an import of attendance lines
            self.calendar.attendance_ids.filtered(
                lambda a: a.dayofweek == "1" and a.hour_from == 13
            ).write({"hour_to": 14})
            fourth = self._complaint_at(FRIDAY_16)
            # 1 h on Friday, Monday off, 4 + 1 h on Tuesday, 2 h on Wednesday
            self.assertEqual(
                self._line(fourth, "acknowledge").deadline, dt(2026, 3, 11, 10)
            )

    def test_r_4_4_team_working_hours_change_moves_deadlines(self):
        complaint = self._complaint_at(FRIDAY_16)
        ack = self._line(complaint, "acknowledge")
        self.team.resource_calendar_id = False
        self.assertEqual(ack.calendar_id, self.company.resource_calendar_id)
        self.team.resource_calendar_id = self.calendar
        self.assertEqual(ack.calendar_id, self.calendar)
        self.assertEqual(ack.deadline, dt(2026, 3, 9, 16))

    def test_r_4_4_policy_calendar_falls_back_to_company(self):
        self.team.resource_calendar_id = False
        complaint = self._complaint_at(FRIDAY_16)
        self.assertEqual(
            self._line(complaint, "acknowledge").calendar_id,
            self.company.resource_calendar_id,
        )

    def test_missing_calendar_never_crashes(self):
        self.team.resource_calendar_id = False
        self.company.resource_calendar_id = False
        complaint = self._complaint_at(FRIDAY_16)
        ack = self._line(complaint, "acknowledge")
        self.assertFalse(ack.calendar_id)
        self.assertEqual(ack.deadline, dt(2026, 3, 7, 0))  # 8 h around the clock

    # ------------------------------------------------------------------
    # statuses
    # ------------------------------------------------------------------
    def test_r_4_4_status_transitions(self):
        complaint = self._complaint_at(FRIDAY_16)
        Ticket = self.env["helpdesk.ticket"]
        for moment, status in (
            (dt(2026, 3, 9, 9), "on_track"),
            (dt(2026, 3, 9, 14), "at_risk"),
            (dt(2026, 3, 9, 16), "breached"),
        ):
            with self.subTest(status=status), freeze_time(moment):
                self.env.invalidate_all()
                self.assertEqual(complaint.sla_status, status)
                found = Ticket.search(
                    [("id", "=", complaint.id), ("sla_status", "=", status)]
                )
                self.assertEqual(found, complaint)
        with freeze_time(dt(2026, 3, 9, 16)):
            self.assertIn(complaint, Ticket.search([("sla_breached", "=", True)]))
            self.assertNotIn(complaint, Ticket.search([("sla_at_risk", "=", True)]))
        with freeze_time(dt(2026, 3, 9, 14)):
            self.assertIn(complaint, Ticket.search([("sla_at_risk", "=", True)]))
            self.assertIn(complaint, Ticket.search([("sla_due_today", "=", True)]))
            self.assertNotIn(complaint, Ticket.search([("sla_breached", "=", True)]))
        with freeze_time(dt(2026, 3, 11, 9)):  # assess was due on Tuesday
            self.assertNotIn(complaint, Ticket.search([("sla_due_today", "=", True)]))

    def test_r_4_4_met_and_met_late(self):
        on_time = self._complaint_at(FRIDAY_16)
        late = self._complaint_at(FRIDAY_16, name="Late")
        with freeze_time(dt(2026, 3, 9, 10)):
            on_time.action_iso10002_log_acknowledgement()
        with freeze_time(dt(2026, 3, 9, 17, 30)):
            late.action_iso10002_log_acknowledgement()
        self.assertEqual(self._line(on_time, "acknowledge").status, "met")
        self.assertEqual(self._line(on_time, "acknowledge").consumed_hours, 3.0)
        self.assertEqual(self._line(late, "acknowledge").status, "met_late")
        self.assertEqual(
            self._line(late, "acknowledge").reached_at, dt(2026, 3, 9, 17, 30)
        )

    # ------------------------------------------------------------------
    # pause, severity
    # ------------------------------------------------------------------
    def test_r_7_3_clock_pauses_while_waiting_for_complainant(self):
        complaint = self._complaint_at(FRIDAY_16)
        waiting = self.env.ref("iso10002_complaints.helpdesk_ticket_stage_iso_waiting")
        with freeze_time(dt(2026, 3, 9, 9)):
            complaint.action_iso10002_log_acknowledgement()
        with freeze_time(dt(2026, 3, 9, 10)):
            complaint.stage_id = waiting
        assess = self._line(complaint, "assess")
        self.assertEqual(assess.state, "paused")
        self.assertEqual(assess.status, "paused")
        self.assertEqual(assess.consumed_hours, 3.0)  # Fri 16-17, Mon 8-10
        self.assertFalse(assess.deadline)
        # two working days later the complainant answers
        with freeze_time(dt(2026, 3, 11, 10)):
            complaint.stage_id = self.stage["acknowledged"]
        self.assertEqual(assess.state, "running")
        # 13 h left from Wednesday 10:00: Wed 10-17 (6 h), Thu 8-17 (8 h) -> Thu 16:00
        self.assertEqual(assess.deadline, dt(2026, 3, 12, 16))
        pause_lines = complaint.stage_history_ids.filtered("is_sla_pause")
        self.assertEqual(len(pause_lines), 1)
        self.assertEqual(pause_lines.date_in, dt(2026, 3, 9, 10))
        self.assertEqual(pause_lines.date_out, dt(2026, 3, 11, 10))

    def test_r_7_5_severity_change_moves_deadlines_and_is_logged(self):
        complaint = self._complaint_at(FRIDAY_16)
        resolve = self._line(complaint, "resolve")
        self.assertEqual(resolve.target_hours, 80)
        with freeze_time(dt(2026, 3, 9, 9)):
            complaint.action_iso10002_log_acknowledgement()
            self._assess(complaint, severity="health_safety")
        self.assertEqual(complaint.sla_policy_id, self.health)
        self.assertEqual(resolve.target_hours, 40)
        # 40 h = 1 + 8 * 4 + 7: Friday 13 March 16:00
        self.assertEqual(resolve.deadline, dt(2026, 3, 13, 16))
        note = complaint.message_ids.filtered(
            lambda m: "deadlines moved" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertIn("Standard", note.body)

    def test_r_5_3_1_g_significant_complaint_notifies_top_management_once(self):
        complaint = self._complaint_at(FRIDAY_16)
        with freeze_time(dt(2026, 3, 9, 9)):
            complaint.action_iso10002_log_acknowledgement()
            self._assess(complaint, severity="health_safety")
        significant = complaint.escalation_ids.filtered(
            lambda e: e.kind == "significant"
        )
        self.assertEqual(len(significant), 1)
        self.assertIn(self.top.partner_id, significant.partner_ids)
        message = complaint.message_ids.filtered(
            lambda m: "Significant complaint" in (m.body or "")
        )
        self.assertIn(self.top.partner_id, message.partner_ids)
        # changing severity back and forth does not notify twice
        complaint.severity = "critical"
        complaint.severity = "health_safety"
        self.assertEqual(
            len(complaint.escalation_ids.filtered(lambda e: e.kind == "significant")), 1
        )

    def test_feedback_cancels_remaining_clocks(self):
        complaint = self._complaint_at(FRIDAY_16)
        with freeze_time(dt(2026, 3, 9, 9)):
            complaint.action_iso10002_log_acknowledgement()
            self._assess(
                complaint, outcome="not_complaint", reclassification_reason="An idea."
            )
        self.assertEqual(self._line(complaint, "resolve").state, "cancelled")
        self.assertEqual(self._line(complaint, "assess").state, "met")

    def test_r_4_4_closing_reaches_resolution(self):
        complaint = self._complaint_at(FRIDAY_16)
        with freeze_time(dt(2026, 3, 9, 9)):
            self._to_decision_communicated(complaint)
            self._answer(complaint, "accepted")
            complaint.action_iso10002_close()
        states = {line.phase: line.state for line in complaint.sla_line_ids}
        self.assertEqual(set(states.values()), {"met"})
        self.assertFalse(complaint.sla_deadline)

    # ------------------------------------------------------------------
    # escalation
    # ------------------------------------------------------------------
    def _escalate(self, moment):
        with freeze_time(moment):
            return self.env["iso10002.sla.line"]._escalate_due(commit=False)

    def test_r_4_4_escalation_once_per_level(self):
        complaint = self._complaint_at(FRIDAY_16, user_id=self.agent.id)
        self.assertEqual(self._escalate(dt(2026, 3, 9, 13)), 0)
        self.assertEqual(self._escalate(dt(2026, 3, 9, 14)), 1)  # acknowledge at risk
        activities = complaint.activity_ids
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.agent)
        self.assertIn("SLA at risk", activities.summary)
        self.assertEqual(self._escalate(dt(2026, 3, 9, 14, 30)), 0)
        # breached: team leader and management representative are notified
        self.assertEqual(self._escalate(dt(2026, 3, 9, 16)), 1)
        ack = self._line(complaint, "acknowledge")
        self.assertEqual(ack.escalation_level, 2)
        kinds = complaint.escalation_ids.mapped("kind")
        self.assertEqual(sorted(kinds), ["at_risk", "breached"])
        notice = self.team.message_ids.filtered(
            lambda m: complaint.complaint_reference in (m.body or "")
        )
        self.assertEqual(len(notice), 1)
        self.assertIn(self.manager.partner_id, notice.partner_ids)
        self.assertEqual(self._escalate(dt(2026, 3, 9, 16, 30)), 0)
        self.assertEqual(len(complaint.activity_ids), 1)

    def test_r_4_4_unique_escalation_per_level_in_database(self):
        complaint = self._complaint_at(FRIDAY_16)
        line = self._line(complaint, "acknowledge")
        Escalation = self.env["iso10002.escalation"]
        Escalation._record(line, "breached")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            Escalation._record(line, "breached")
            Escalation.flush_model()

    def test_r_5_3_5_any_employee_can_escalate_with_a_reason(self):
        complaint = self._complaint_at(FRIDAY_16)
        complaint.message_subscribe(self.employee.partner_id.ids)
        Wizard = self.env["iso10002.escalate.wizard"].with_user(self.employee)
        wizard = Wizard.create({"ticket_id": complaint.id, "reason": "  "})
        with self.assertRaisesMessage(UserError, "Say why"):
            wizard.action_confirm()
        wizard.reason = "The customer was injured, please call them today."
        wizard.action_confirm()
        escalation = complaint.escalation_ids.filtered(lambda e: e.kind == "manual")
        self.assertEqual(escalation.user_id, self.employee)
        self.assertIn(self.manager.partner_id, escalation.partner_ids)
        self.assertIn("injured", escalation.reason)

    def test_escalation_needs_access_to_the_complaint(self):
        complaint = self._complaint_at(FRIDAY_16)
        Wizard = self.env["iso10002.escalate.wizard"].with_user(self.employee)
        # refused when the wizard is made (R-4.7: it would show the complaint)
        with self.assertRaises(AccessError):
            Wizard.create(
                {"ticket_id": complaint.id, "reason": "Please look"}
            ).action_confirm()
        self.assertFalse(
            complaint.escalation_ids.filtered(lambda e: e.kind == "manual")
        )

    # ------------------------------------------------------------------
    # progress updates
    # ------------------------------------------------------------------
    def _progress_messages(self, complaint):
        return complaint.message_ids.filtered(
            lambda m: m.subject and m.subject.startswith("Progress on your complaint")
        )

    def test_r_7_3_progress_update_before_deadline_and_not_twice(self):
        complaint = self._complaint_at(FRIDAY_16)
        respond = self._line(complaint, "respond")
        # respond: 64 h -> Wednesday 18 March 16:00; the update goes 24 h before
        self.assertEqual(respond.deadline, dt(2026, 3, 18, 16))
        Line = self.env["iso10002.sla.line"]
        with freeze_time(dt(2026, 3, 17, 15)):
            self.assertEqual(Line._send_progress_updates(commit=False), 0)
        with freeze_time(dt(2026, 3, 17, 16, 30)):
            self.assertEqual(Line._send_progress_updates(commit=False), 1)
        message = self._progress_messages(complaint)
        self.assertEqual(len(message), 1)
        self.assertIn(self.complainant, message.partner_ids)
        self.assertIn(complaint.complaint_reference, message.body)
        self.assertEqual(complaint.iso10002_last_update_at, dt(2026, 3, 17, 16, 30))
        with freeze_time(dt(2026, 3, 17, 17)):
            self.assertEqual(Line._send_progress_updates(commit=False), 0)
        self.assertEqual(len(self._progress_messages(complaint)), 1)

    def test_r_7_3_no_progress_update_when_recently_updated(self):
        complaint = self._complaint_at(FRIDAY_16)
        with freeze_time(dt(2026, 3, 17, 10)):
            complaint.message_post(
                body="We are testing the kettle with the supplier.",
                partner_ids=self.complainant.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(complaint.iso10002_last_update_at, dt(2026, 3, 17, 10))
        with freeze_time(dt(2026, 3, 17, 16, 30)):
            self.env["iso10002.sla.line"]._send_progress_updates(commit=False)
        self.assertFalse(self._progress_messages(complaint))

    # ------------------------------------------------------------------
    # configuration
    # ------------------------------------------------------------------
    def test_bad_configuration_is_refused_and_nothing_saved(self):
        Policy = self.env["iso10002.sla.policy"]
        count = Policy.search_count([])
        for vals, message in (
            ({"acknowledge_hours": -1}, "positive"),
            ({"at_risk_percent": 150}, "between 0 and 100"),
            ({"acknowledge_hours": 100}, "before the response"),
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesMessage(ValidationError, message),
            ):
                Policy.create(dict({"name": "Bad"}, **vals))
        self.assertEqual(Policy.search_count([]), count)

    def test_policy_without_any_calendar_is_refused(self):
        company = self.env["res.company"].create({"name": "No Hours Co"})
        company.resource_calendar_id = False
        with self.assertRaisesMessage(ValidationError, "has no working hours"):
            self.env["iso10002.sla.policy"].create(
                {"name": "Nowhere", "company_id": company.id}
            )

    def test_policy_target_change_moves_running_deadlines(self):
        complaint = self._complaint_at(FRIDAY_16)
        ack = self._line(complaint, "acknowledge")
        self.standard.acknowledge_hours = 4
        self.assertEqual(ack.target_hours, 4)
        self.assertEqual(ack.deadline, dt(2026, 3, 9, 11))

    def test_policy_selection_by_criteria(self):
        letters = self.env["iso10002.sla.policy"].create(
            {
                "name": "Letters",
                "sequence": 50,
                "channel_id": self.channel_letter.id,
                "acknowledge_hours": 16,
            }
        )
        by_letter = self._complaint_at(FRIDAY_16, channel_id=self.channel_letter.id)
        by_phone = self._complaint_at(FRIDAY_16)
        self.assertEqual(by_letter.sla_policy_id, letters)
        self.assertEqual(by_phone.sla_policy_id, self.standard)

    def test_r_4_4_policy_changes_apply_to_the_next_complaint(self):
        """The policies a complaint is matched against are kept per worker
        between creations: a policy created, reordered, archived or deleted
        applies from the next complaint on, as do the policies of every
        company, whoever records the complaint."""
        self.assertEqual(self._complaint_at(FRIDAY_16).sla_policy_id, self.standard)
        phone = self.env["iso10002.sla.policy"].create(
            {
                "name": "Phone",
                "sequence": 900,
                "channel_id": self.channel_phone.id,
                "acknowledge_hours": 2,
            }
        )
        # after the standard policy, which matches every complaint
        self.assertEqual(self._complaint_at(FRIDAY_16).sla_policy_id, self.standard)
        phone.sequence = 1
        self.assertEqual(self._complaint_at(FRIDAY_16).sla_policy_id, phone)
        # recorded by an agent, who does not manage policies
        self.assertEqual(
            self._complaint_at(FRIDAY_16, user=self.agent).sla_policy_id, phone
        )
        phone.active = False
        self.assertEqual(self._complaint_at(FRIDAY_16).sla_policy_id, self.standard)
        phone.active = True
        self.assertEqual(self._complaint_at(FRIDAY_16).sla_policy_id, phone)
        # a policy no complaint used yet (those in use cannot be deleted)
        letters = self.env["iso10002.sla.policy"].create(
            {"name": "Letters", "sequence": 0, "channel_id": self.channel_letter.id}
        )
        self.assertEqual(self._complaint_at(FRIDAY_16).sla_policy_id, phone)
        letters.unlink()
        by_letter = self._complaint_at(FRIDAY_16, channel_id=self.channel_letter.id)
        self.assertEqual(by_letter.sla_policy_id, self.standard)

    def test_sla_analysis_report(self):
        complaint = self._complaint_at(FRIDAY_16)
        with freeze_time(dt(2026, 3, 9, 10)):
            complaint.action_iso10002_log_acknowledgement()
        Report = self.env["iso10002.sla.report"]
        self.env.flush_all()
        rows = Report.search([("ticket_id", "=", complaint.id)])
        statuses = {row.phase: row.status for row in rows}
        self.assertEqual(statuses["acknowledge"], "met")
        # the view compares with the database's now(): in 2026-11 all is breached
        groups = Report._read_group(
            [("ticket_id", "=", complaint.id)], ["status"], ["__count"]
        )
        self.assertEqual(sum(count for _status, count in groups), 4)


@tagged("post_install", "-at_install")
class TestSlaConcurrency(ComplaintCase):
    """Real concurrent transactions. A class of its own: the committed
    complaints take gap-free reference numbers, and a transaction that began
    before that commit (the other tests' class transaction) could not take the
    next number (serialization failure)."""

    def test_r_4_4_concurrent_cron_runs_escalate_once(self):
        """Two workers run the escalation at once, each in its own transaction."""
        registry = self.env.registry
        with registry.cursor() as cr:
            env = self.env(cr=cr)
            team = env["helpdesk.ticket.team"].create(
                {"name": "Concurrent escalation", "is_iso10002": True}
            )
            partner = env["res.partner"].create({"name": "Concurrent"})
            with freeze_time(FRIDAY_16):
                tickets = env["helpdesk.ticket"].create(
                    [
                        self._complaint_vals(
                            team_id=team.id, partner_id=partner.id, name=f"C{i}"
                        )
                        for i in range(30)
                    ]
                )
            ticket_ids = tickets.ids
            cr.commit()  # pylint: disable=invalid-commit

        results, errors = [], []
        barrier = threading.Barrier(2)

        def worker():
            try:
                with registry.cursor() as cr:
                    # freezegun is not thread-safe: "now" comes by context; on
                    # 1 April 2026 all these clocks are breached, and no clock of
                    # the demo data (received in the weeks before today) is due
                    env = self.env(cr=cr, context={"iso10002_now": dt(2026, 4, 1)})
                    barrier.wait(timeout=10)
                    results.append(
                        env["iso10002.sla.line"]._escalate_due(
                            batch_size=7, commit=True
                        )
                    )
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        try:
            with registry.cursor() as cr:
                cr.execute(
                    """SELECT count(*), count(DISTINCT (sla_line_id, kind))
                         FROM iso10002_escalation WHERE ticket_id = ANY(%s)""",
                    [ticket_ids],
                )
                total, distinct = cr.fetchone()
        finally:
            with registry.cursor() as cr:
                cr.execute(
                    "DELETE FROM mail_activity WHERE res_model = 'helpdesk.ticket'"
                    " AND res_id = ANY(%s)",
                    [ticket_ids],
                )
                cr.execute(
                    "DELETE FROM helpdesk_ticket WHERE id = ANY(%s)", [ticket_ids]
                )
                env = self.env(cr=cr)
                env["helpdesk.ticket.team"].browse(team.id).unlink()
                env["res.partner"].browse(partner.id).unlink()
                cr.commit()  # pylint: disable=invalid-commit
        self.assertEqual(errors, [])
        # 30 complaints x 4 phases, all breached: 120 escalations, no twins
        self.assertEqual(sum(results), 120)
        self.assertEqual(total, 120)
        self.assertEqual(distinct, 120)
