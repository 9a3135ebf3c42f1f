"""Closing events (R-7.9, R-8.1): a closed complaint stays as it was closed,
it opens again only through Reopen with a reason (the closure kept beside it,
the clocks running again, KPIs within 100 %, a new survey), withdrawal by the
complainant is an outcome, and archiving keeps the statistics."""

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestClosing(ComplaintCase):
    def _closed_complaint(self):
        complaint = self._new_complaint(user=self.agent)
        self._to_decision_communicated(complaint, user=self.agent)
        self._answer(complaint.with_user(self.agent), "accepted")
        complaint.with_user(self.agent).action_iso10002_close()
        self.assertEqual(complaint.iso10002_step, "closed")
        return complaint

    def test_reopen_is_an_event_with_a_reason(self):
        """R-7.9, R-8.1: a closed complaint leaves Closed only through Reopen,
        by a complaints manager with a reason; the closure is kept beside it,
        the resolve clock runs again, KPIs stay within 100 % and re-closing
        asks for a new survey."""
        complaint = self._closed_complaint()
        first_closed = complaint.closed_date
        surveys = len(complaint.satisfaction_ids)
        self.assertEqual(surveys, 1)
        communicated = self.stage["communicated"]
        # the card dragged back, or the stage written: refused for everyone
        for user in (self.agent, self.manager):
            with self.assertRaisesMessage(UserError, "uses Reopen"):
                complaint.with_user(user).write({"stage_id": communicated.id})
        with self.assertRaisesMessage(UserError, "complaints manager reopens"):
            complaint.with_user(self.agent).action_iso10002_reopen()
        action = complaint.with_user(self.manager).action_iso10002_reopen()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create({"reason": "The replacement kettle failed too."})
        )
        wizard.action_confirm()
        self.assertEqual(complaint.iso10002_step, "investigating")
        self.assertFalse(complaint.closed_date)
        self.assertFalse(complaint.decided_by_id)
        self.assertFalse(complaint.complainant_response)
        self.assertEqual(complaint.reopen_count, 1)
        reopening = complaint.reopening_ids
        self.assertEqual(reopening.reopened_by_id, self.manager)
        self.assertEqual(reopening.previous_closed_on, first_closed)
        self.assertIn("Replace the kettle", reopening.previous_decision)
        self.assertEqual(reopening.previous_decided_by_id, self.agent)
        with self.assertRaises(AccessError):
            reopening.with_user(self.manager).write({"reason": "rewritten"})
        # the clocks of the steps to take again run under a deadline
        resolve = complaint.sla_line_ids.filtered(lambda line: line.phase == "resolve")
        respond = complaint.sla_line_ids.filtered(lambda line: line.phase == "respond")
        self.assertEqual((resolve.state, respond.state), ("running", "running"))
        self.assertTrue(resolve.deadline)
        self.assertEqual(complaint.sla_deadline, respond.deadline)
        # the history shows the way back
        self.assertEqual(complaint.stage_history_ids[-1].iso10002_step, "investigating")
        today = fields.Date.today()
        kpis = self.env["iso10002.kpi"]._compute(today, today, companies=self.company)
        self.assertLessEqual(kpis.get("resolved_in_time_share") or 0, 100)
        # handled again to closure: a second survey, the last closure counts
        complaint = complaint.with_user(self.agent)
        complaint.write({"decision": "Refund the kettle."})
        complaint.action_iso10002_record_decision()
        complaint.action_iso10002_communicate_decision()
        self._answer(complaint, "accepted")
        complaint.action_iso10002_close()
        self.assertEqual(len(complaint.satisfaction_ids), 2)
        self.assertEqual(resolve.state, "met")
        kpis = self.env["iso10002.kpi"]._compute(today, today, companies=self.company)
        self.assertLessEqual(kpis["resolved_in_time_share"], 100)

    def test_closed_complaint_is_kept_as_closed(self):
        """R-8.1: a closed complaint's decision, findings and remedies stay as
        they were closed; reopening is the way to change them."""
        complaint = self._closed_complaint()
        for user in (self.agent, self.manager):
            for vals in (
                {"decision": "Something else"},
                {"findings": "rewritten"},
                {"severity": "high"},
                {"name": "Another title"},
            ):
                with (
                    self.subTest(user=user.login, vals=vals),
                    self.assertRaisesMessage(UserError, "kept as it was closed"),
                ):
                    complaint.with_user(user).write(vals)
        remedy = self.env.ref("iso10002_complaints.remedy_50")
        with self.assertRaisesMessage(UserError, "kept as it was closed"):
            self.env["iso10002.complaint.remedy"].with_user(self.manager).create(
                {"ticket_id": complaint.id, "remedy_id": remedy.id, "amount": 10}
            )
        self.assertIn("Replace the kettle", complaint.decision)

    def test_withdrawal_is_an_outcome(self):
        """R-7.9: the complainant withdraws; the complaint closes as withdrawn
        with what they said, stays received, is not resolved, gets no survey,
        and its clocks stop without counting as met."""
        today = fields.Date.today()
        Kpi = self.env["iso10002.kpi"]
        before = Kpi._compute(today, today, companies=self.company)
        complaint = self._new_complaint(user=self.agent).with_user(self.agent)
        complaint.action_iso10002_log_acknowledgement()
        with self.assertRaisesMessage(UserError, "Reason for Withdrawal"):
            complaint.action_iso10002_withdraw()
        complaint.withdrawal_reason = "Sorted it out with the shop directly."
        complaint.action_iso10002_withdraw()
        self.assertEqual(complaint.iso10002_step, "closed")
        self.assertTrue(complaint.withdrawn_on)
        self.assertFalse(complaint.closed_without_response)
        self.assertFalse(complaint.satisfaction_ids)
        states = set(complaint.sla_line_ids.mapped("state"))
        self.assertNotIn("running", states)
        self.assertIn("cancelled", states)
        after = Kpi._compute(today, today, companies=self.company)
        received = after["received"]
        self.assertEqual(received, before["received"] + 1)
        withdrawn = round(after["withdrawn_share"] * received / 100)
        self.assertEqual(
            withdrawn,
            round((before.get("withdrawn_share") or 0) * (received - 1) / 100) + 1,
        )
        with self.assertRaises(AccessError):
            complaint.write({"withdrawn_on": False})

    def test_archiving_is_a_managers_act_and_keeps_statistics(self):
        """R-8.1: only a complaints manager archives, with a reason; an archived
        complaint still counts as received."""
        today = fields.Date.today()
        Kpi = self.env["iso10002.kpi"]
        complaint = self._new_complaint(user=self.agent)
        received = Kpi._compute(today, today, companies=self.company)["received"]
        with self.assertRaisesMessage(UserError, "Only a complaints manager archives"):
            complaint.with_user(self.agent).action_archive()
        with self.assertRaisesMessage(UserError, "Reason for Archiving"):
            complaint.with_user(self.manager).action_archive()
        complaint.with_user(self.manager).write(
            {"archive_reason": "Duplicate of a letter already registered."}
        )
        complaint.with_user(self.manager).action_archive()
        self.assertFalse(complaint.active)
        self.assertEqual(
            Kpi._compute(today, today, companies=self.company)["received"], received
        )
        # plain tickets archive as in helpdesk_mgmt
        plain = self.env["helpdesk.ticket"].create(
            {"name": "Printer", "description": "x", "team_id": self.plain_team.id}
        )
        plain.with_user(self.agent).action_archive()
        self.assertFalse(plain.active)
