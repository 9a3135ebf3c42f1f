from datetime import date, timedelta
from datetime import datetime as dt
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..models import iso10002_kpi_data as kpi_data
from .common import ComplaintCase, make_calendar

# February 2025 in Brussels: 1 Feb 00:00 local is 31 Jan 23:00 UTC; a year
# the demo history (the 12 months before today) does not reach
FEB_FROM, FEB_TO = date(2025, 2, 1), date(2025, 2, 28)


@tagged("post_install", "-at_install")
class TestMonitoring(ComplaintCase):
    """R-8.4 KPIs, R-6.2 objectives, R-6.4 training, R-8.5 audits, R-8.6
    management reviews."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.tz = "Europe/Brussels"
        cls.calendar = make_calendar(
            cls.env, "24/7 UTC", ((0, 12, "morning"), (12, 24, "afternoon")), range(7)
        )
        cls.team.resource_calendar_id = cls.calendar
        cls.Kpi = cls.env["iso10002.kpi"]

    def _complaint_at(self, moment, **vals):
        with freeze_time(moment):
            return self._new_complaint(**vals)

    def _kpis(self, **filters):
        return self.Kpi._compute(
            FEB_FROM, FEB_TO, companies=self.company, teams=self.team, **filters
        )

    # ------------------------------------------------------------------
    def test_r_8_4_received_with_time_zone_boundaries(self):
        # 31 Jan 23:30 UTC is 1 Feb 00:30 in Brussels: February
        self._complaint_at(dt(2025, 1, 31, 23, 30))
        # 28 Feb 22:59 UTC is 23:59 local: still February
        self._complaint_at(dt(2025, 2, 28, 22, 59))
        # 28 Feb 23:00 UTC is 1 March 00:00 local: March
        self._complaint_at(dt(2025, 2, 28, 23, 0))
        # 31 Jan 22:59 UTC is 23:59 local: January
        self._complaint_at(dt(2025, 1, 31, 22, 59))
        self.assertEqual(self._kpis()["received"], 2)
        utc = self.Kpi._compute(
            FEB_FROM, FEB_TO, companies=self.company, teams=self.team, tz_name="UTC"
        )
        self.assertEqual(utc["received"], 2)  # 2 Feb-UTC complaints, other ones

    def test_r_8_4_each_kpi_on_a_known_data_set(self):
        closed_fast = self._complaint_at(dt(2025, 2, 2, 9, 0))
        with freeze_time(dt(2025, 2, 2, 10, 0)):
            closed_fast.action_iso10002_log_acknowledgement()  # 1 h
        with freeze_time(dt(2025, 2, 2, 12, 0)):
            self._to_decision_communicated(closed_fast)  # same day: first contact
            self._answer(closed_fast, "accepted")
            closed_fast.action_iso10002_close()
        late = self._complaint_at(dt(2025, 2, 3, 9, 0), product_id=False)
        with freeze_time(dt(2025, 2, 3, 21, 0)):
            late.action_iso10002_log_acknowledgement()  # 12 h > 8 h: late
            self._assess(late)
            late.severity = "high"  # changed after the assessment
        rejected = self._complaint_at(dt(2025, 2, 5, 9, 0))
        with freeze_time(dt(2025, 2, 5, 11, 0)):
            self._to_decision_communicated(rejected)
        with freeze_time(dt(2025, 2, 9, 9, 0)):
            self._answer(
                rejected,
                "rejected",
                rejection_reason="Not enough",
                review_type="external_recourse",
                recourse_provider_id=self.env["iso10002.dispute.provider"]
                .create({"name": "Ombudsman"})
                .id,
            )
            rejected.write({"review_result": "exhausted", "recourse_result": "upheld"})
            rejected.action_iso10002_close()
        rejected.write(
            {
                "remedy_ids": [
                    (
                        0,
                        0,
                        {
                            "remedy_id": self.env.ref(
                                "iso10002_complaints.remedy_52"
                            ).id,
                            "state": "implemented",
                        },
                    )
                ]
            }
        )
        self.env["iso10002.complaint.remedy"].create(
            {
                "ticket_id": closed_fast.id,
                "remedy_id": self.env.ref("iso10002_complaints.remedy_50").id,
                "amount": 80,
            }
        ).write({"state": "implemented"})
        survey = closed_fast.satisfaction_ids
        with freeze_time(dt(2025, 2, 10, 9, 0)):
            survey._submit(4, "ok", "yes", "yes")
        action = self.env["iso10002.action"].create(
            {
                "name": "Better scripts",
                "action_type": "improvement",
                "ticket_ids": [(6, 0, closed_fast.ids)],
            }
        )
        action.write({"state": "closed", "closed_on": date(2025, 2, 20)})
        self.env["iso10002.training"].create(
            {"user_id": self.agent.id, "course": "Complaints 101", "date": "2025-01-10"}
        )
        values = self._kpis()
        flagged = self.env["helpdesk.ticket"].search(
            [
                ("team_id", "=", self.team.id),
                ("severity_changed_after_assessment", "=", True),
            ]
        )
        self.assertEqual(flagged, late, flagged.mapped("name"))
        self.assertEqual(values["received"], 3)
        self.assertAlmostEqual(values["resolved_share"], 200 / 3)
        # decided on the day of receipt: closed_fast and rejected, but the
        # complainant rejected the second decision: not resolved at first contact
        self.assertAlmostEqual(values["first_contact_share"], 100 / 3)
        # assessed: all three; reprioritised: one
        self.assertAlmostEqual(values["misprioritised_share"], 100 / 3)
        # acknowledgements: fast (met), late (met late), rejected (met at decision)
        self.assertAlmostEqual(values["acknowledged_in_time_share"], 200 / 3)
        self.assertEqual(values["external_recourse_share"], 50.0)
        # rejected closed after 96 h on a 24/7 calendar: over its 80 h target
        self.assertEqual(values["resolved_in_time_share"], 50.0)
        self.assertEqual(values["ack_hours_median"], 2.0)
        self.assertEqual(values["ack_hours_p90"], 10.0)
        self.assertEqual(values["satisfaction"], 4.0)
        self.assertEqual(values["fair_share"], 100.0)
        self.assertEqual(values["remedy_cost"], 80.0)
        self.assertEqual(values["improvements"], 1)
        # with a team chosen: its members holding the agent group (Ada, Bo
        # and Mia); Ada is trained
        self.assertAlmostEqual(values["staff_trained_share"], 100 / 3)
        # an improvement action that answers no complaint of the team does
        # not count for the team (it does for the company)
        self.env["iso10002.action"].create(
            {"name": "Audit follow-up", "action_type": "improvement"}
        ).write({"state": "closed", "closed_on": date(2025, 2, 1)})
        self.assertEqual(self._kpis()["improvements"], 1)
        company_wide = self.Kpi._compute(FEB_FROM, FEB_TO, companies=self.company)
        self.assertEqual(company_wide["improvements"], 2)

    def test_r_4_4_at_risk_activity_deadline_in_the_assignees_zone(self):
        """R-4.4: the at-risk to-do tells the assignee the deadline in their
        own time zone, and names the zone; its due day is their local day."""
        self.agent.tz = "Asia/Taipei"
        # 10:00 UTC; the 24/7 clock's acknowledgement deadline falls after
        # 16:00 UTC, on the next day in Taipei (UTC+8)
        complaint = self._complaint_at(
            dt(2025, 2, 2, 10, 0),
            user_id=self.agent.id,
            channel_id=self.channel_email.id,
        )
        ack = complaint.sla_line_ids.filtered(lambda l: l.phase == "acknowledge")
        self.assertGreaterEqual(ack.deadline, dt(2025, 2, 2, 16, 0))
        with freeze_time(ack.at_risk_at):
            ack._schedule_at_risk_activities()
        activity = complaint.activity_ids.filtered(lambda a: a.user_id == self.agent)
        local = ack.deadline + timedelta(hours=8)
        self.assertEqual(activity.date_deadline, local.date())
        self.assertIn(f"{local:%Y-%m-%d %H:%M} Asia/Taipei", activity.summary)

    def _count_figure_queries(self):
        self.env.flush_all()
        self.Kpi._figures(FEB_FROM, FEB_TO, companies=self.company)  # warm caches
        before = self.cr.sql_log_count
        self.Kpi._figures(FEB_FROM, FEB_TO, companies=self.company)
        return self.cr.sql_log_count - before

    def test_r_8_4_query_count_does_not_grow_with_complaints(self):
        self._complaint_at(dt(2025, 2, 2, 9, 0))
        few = self._count_figure_queries()
        for day in range(3, 20):
            self._complaint_at(dt(2025, 2, day, 9, 0))
        many = self._count_figure_queries()
        self.assertEqual(few, many)
        # a fixed number of queries (one per source of figures, and two
        # turning PostgreSQL's JIT off and back), whatever the number of
        # complaints
        self.assertLessEqual(many, 10)

    def test_r_8_4_figures_leave_the_jit_setting_as_it_was(self):
        """The aggregates run without JIT compilation (their estimated cost
        made PostgreSQL compile longer than it ran), and the transaction's
        setting is what it was before, on or off."""
        self._complaint_at(dt(2025, 2, 2, 9, 0))
        Kpi = type(self.Kpi)
        aggregate = Kpi._aggregate_periods
        during = []

        def spy(kpi, *args):
            kpi.env.cr.execute("SELECT current_setting('jit')")
            during.append(kpi.env.cr.fetchone()[0])
            return aggregate(kpi, *args)

        for setting in ("on", "off"):
            with (
                self.subTest(jit=setting),
                patch.object(Kpi, "_aggregate_periods", spy),
            ):
                self.cr.execute("SELECT set_config('jit', %s, true)", [setting])
                figures = self.Kpi._figures(FEB_FROM, FEB_TO, companies=self.company)
                self.assertEqual(figures["received"], 1)
                self.assertEqual(during.pop(), "off")
                self.cr.execute("SELECT current_setting('jit')")
                self.assertEqual(self.cr.fetchone()[0], setting)

    def test_r_6_2_objective_actual_is_computed(self):
        self._complaint_at(dt(2025, 2, 2, 9, 0))
        self._complaint_at(dt(2025, 2, 3, 9, 0))
        objective = self.env["iso10002.objective"].create(
            {
                "name": "At most one complaint",
                "kpi_code": "received",
                "date_from": FEB_FROM,
                "date_to": FEB_TO,
                "target": 1,
                "direction": "low",
            }
        )
        self.assertEqual(objective.actual, 2.0)
        self.assertEqual(objective.attainment, 50.0)
        self.assertEqual(objective.status, "red")
        objective.target = 2
        self.assertEqual(objective.status, "green")
        with self.assertRaisesMessage(ValidationError, "ends before it starts"):
            objective.date_to = date(2025, 1, 1)
        with self.assertRaisesMessage(ValidationError, "Only top management"):
            objective.with_user(self.manager).action_approve()
        objective.with_user(self.top).action_approve()
        self.assertEqual(objective.approved_by_id, self.top)
        # the approved target stays what top management approved
        with self.assertRaisesMessage(UserError, "kept as approved"):
            objective.target = 10

    def test_r_6_4_training_validity(self):
        Training = self.env["iso10002.training"]
        valid = Training.create(
            {"user_id": self.agent.id, "course": "Handling", "date": "2025-01-01"}
        )
        expired = Training.create(
            {
                "user_id": self.agent2.id,
                "course": "Handling",
                "date": "2024-01-01",
                "expiry_date": "2024-12-31",
            }
        )
        with freeze_time("2025-02-01"):
            self.assertIn(valid, Training.search([("is_valid", "=", True)]))
            self.assertIn(expired, Training.search([("is_valid", "=", False)]))
        with self.assertRaisesMessage(ValidationError, "cannot expire before"):
            Training.create(
                {
                    "user_id": self.agent.id,
                    "course": "X",
                    "date": "2025-01-02",
                    "expiry_date": "2025-01-01",
                }
            )

    # ------------------------------------------------------------------
    def _audit(self, **vals):
        return self.env["iso10002.audit"].create(
            dict(
                {
                    "name": "Audit Feb",
                    "scope": "Complaints desk",
                    "date_from": FEB_FROM,
                    "date_to": FEB_TO,
                    "planned_date": "2025-03-10",
                    "lead_auditor_id": self.auditor.id,
                    "team_ids": [(6, 0, self.team.ids)],
                },
                **vals,
            )
        )

    def test_r_8_5_audit_independence(self):
        self._complaint_at(dt(2025, 2, 2, 9, 0), user_id=self.agent.id)
        with self.assertRaisesMessage(ValidationError, "not independent.*Ada Agent"):
            self._audit(lead_auditor_id=self.agent.id)
        audit = self._audit()
        complaint = self._complaint_at(dt(2025, 2, 4, 9, 0), user_id=self.agent2.id)
        finding = audit.finding_ids[0]
        with self.assertRaisesMessage(ValidationError, "not independent"):
            audit.auditor_ids = [(4, self.agent2.id)]
        finding.ticket_ids = [(4, complaint.id)]
        self.assertEqual(finding.ticket_ids, complaint)

    def test_r_8_5_audit_lifecycle(self):
        audit = self._audit()
        clauses = self.env["iso10002.clause"].search([])
        self.assertEqual(len(audit.finding_ids), len(clauses))
        self.assertIn("R-7.4", " ".join(audit.finding_ids.mapped("criterion")))
        with self.assertRaisesMessage(UserError, "audit team"):
            audit.with_user(self.agent).action_start()
        audit = audit.with_user(self.auditor)
        audit.action_start()
        with self.assertRaisesMessage(UserError, "Give a result for every criterion"):
            audit.action_report()
        audit.finding_ids.write({"result": "conforming", "evidence": "Sampled."})
        nc = audit.finding_ids[0]
        nc.write({"result": "minor", "evidence": "No policy review in 2024"})
        audit.action_report()
        with self.assertRaisesMessage(UserError, "needs a corrective action"):
            audit.with_user(self.manager).action_close()
        nc.action_create_action()
        self.assertEqual(nc.action_id.origin, "audit_finding")
        self.assertEqual(nc.action_id.audit_id, audit)
        with self.assertRaisesMessage(UserError, "complaints manager closes"):
            audit.action_close()
        audit.with_user(self.manager).action_close()
        self.assertEqual(audit.state, "closed")
        self.assertEqual(audit.nonconformity_count, 1)

    def test_r_8_6_review_inputs_and_outputs(self):
        self._complaint_at(dt(2025, 2, 2, 9, 0))
        audit = self._audit()
        audit.write({"state": "reported", "planned_date": "2025-02-20"})
        previous = self.env["iso10002.review"].create(
            {"name": "2024", "date_from": "2024-01-01", "date_to": "2024-12-31"}
        )
        self.env["iso10002.review.decision"].create(
            {
                "review_id": previous.id,
                "kind": "resources",
                "description": "Train the shop staff",
                "owner_id": self.manager.id,
                "due_date": "2025-03-31",
            }
        )._create_actions()
        previous.write({"state": "approved"})
        self.env["iso10002.objective"].create(
            {
                "name": "Few complaints",
                "kpi_code": "received",
                "date_from": FEB_FROM,
                "date_to": FEB_TO,
                "target": 5,
                "direction": "low",
            }
        )
        review = self.env["iso10002.review"].create(
            {"name": "Feb 2025", "date_from": FEB_FROM, "date_to": FEB_TO}
        )
        review.action_assemble_inputs()
        self.assertEqual(review.state, "inputs")
        self.assertEqual(review.previous_review_id, previous)
        self.assertIn(audit, review.audit_ids)
        received = review.kpi_line_ids.filtered(lambda l: l.kpi_code == "received")
        self.assertEqual(received.value, 1.0)
        self.assertEqual(received.target, 5.0)
        self.assertEqual(received.status, "green")
        self.assertEqual(
            review.previous_decision_ids.description, "Train the shop staff"
        )
        open_actions = self.env["iso10002.action"].search_count(
            [("company_id", "=", self.company.id), ("state", "=", "open")]
        )
        self.assertGreaterEqual(open_actions, 1)
        self.assertEqual(review.actions_open, open_actions)
        with self.assertRaisesMessage(UserError, "top management"):
            review.action_hold()
        review.participant_ids = [(6, 0, (self.top | self.manager).ids)]
        review.action_hold()
        review.decision_ids = [
            (
                0,
                0,
                {
                    "kind": "process",
                    "description": "Answer phone complaints on the spot",
                    "owner_id": self.manager.id,
                    "due_date": "2025-06-30",
                },
            )
        ]
        with self.assertRaisesMessage(UserError, "Only top management"):
            review.with_user(self.manager).action_approve()
        # 8.6.3: no approval without the conclusion on suitability, adequacy
        # and effectiveness
        with self.assertRaisesMessage(UserError, "Write the conclusion"):
            review.with_user(self.top).action_approve()
        review.conclusion = "<p>Suitable, adequate and effective.</p>"
        review.with_user(self.top).action_approve()
        self.assertEqual(review.state, "approved")
        action = review.decision_ids.action_id
        self.assertEqual(action.origin, "management_review")
        self.assertEqual(action.owner_id, self.manager)

    def test_clause_register_points_at_evidence(self):
        clause = self.env.ref("iso10002_complaints.clause_r_7_4")
        self.assertEqual(clause.code, "R-7.4")
        before = clause.evidence_count
        complaint = self._new_complaint()
        complaint.action_iso10002_log_acknowledgement()
        clause.invalidate_recordset(["evidence_count"])
        self.assertEqual(clause.evidence_count, before + 1)
        action = clause.action_open_evidence()
        self.assertIn(complaint, self.env["helpdesk.ticket"].search(action["domain"]))

    def test_dashboard_lists_every_kpi_with_objectives(self):
        self._complaint_at(dt(2025, 2, 2, 9, 0))
        self.env["iso10002.objective"].create(
            {
                "name": "Few",
                "kpi_code": "received",
                "date_from": FEB_FROM,
                "date_to": FEB_TO,
                "target": 3,
                "direction": "low",
            }
        )
        dashboard = self.env["iso10002.kpi.dashboard"].create(
            {
                "date_from": FEB_FROM,
                "date_to": FEB_TO,
                "team_ids": [(6, 0, self.team.ids)],
            }
        )
        self.assertEqual(len(dashboard.line_ids), len(kpi_data.KPIS))
        received = dashboard.line_ids.filtered(lambda l: l.code == "received")
        self.assertEqual(received.value, 1.0)
        self.assertEqual(received.status, "green")
        self.assertIn("G.3.3", dashboard.visibility_note)
        # shown as people read them: a count, the target in the same unit,
        # "no data" where there is none (not "0.00")
        self.assertEqual(received.value_display, "1")
        self.assertEqual(received.target_display, "3")
        lines = {line.code: line for line in dashboard.line_ids}
        self.assertEqual(lines["satisfaction"].value_display, "no data")
        self.assertFalse(lines["satisfaction"].target_display)
        self.assertRegex(
            lines["resolved_share"].value_display, r"^\d+\.\d %$|^no data$"
        )

    def test_r_8_4_trend_amounts_in_the_company_currency(self):
        Kpi = self.env["iso10002.kpi"]
        months = Kpi._trend_months(FEB_TO)
        series = {code: [None] * len(months) for code in kpi_data.KPIS}
        series["remedy_cost"][-1] = 45.0
        html = str(Kpi._trend_html_from(months, series, self.company.currency_id))
        self.assertIn(self.company.currency_id.symbol, html)
        self.assertIn("45.00", html)

    def test_r_8_4_values_formatted_by_unit(self):
        Kpi = self.env["iso10002.kpi"]
        euro = self.env.ref("base.EUR")
        self.assertEqual(Kpi._format_value(None, "percent"), "no data")
        self.assertEqual(Kpi._format_value(0.0, "percent"), "0.0 %")
        self.assertEqual(Kpi._format_value(13.0, "count"), "13")
        self.assertEqual(Kpi._format_value(4.256, "score"), "4.26 / 5")
        self.assertEqual(Kpi._format_value(12.25, "hours"), "12.2 h")
        amount = Kpi._format_value(45.0, "amount", euro)
        self.assertIn("45.00", amount)
        self.assertIn(euro.symbol, amount)

    def test_r_8_4_dashboard_states_rules_and_unapplied_filters(self):
        """R-8.4, G.3.3: each figure says as of when it is stated and which
        way is better; a filter a KPI cannot apply is shown beside it, not
        silently ignored; both G.3.3 notes are shown."""
        dashboard = self.env["iso10002.kpi.dashboard"].create(
            {
                "date_from": FEB_FROM,
                "date_to": FEB_TO,
                "team_ids": [(6, 0, self.team.ids)],
                "channel_ids": [(6, 0, self.channel_phone.ids)],
            }
        )
        lines = {line.code: line for line in dashboard.line_ids}
        self.assertEqual(
            lines["staff_trained_share"].scope_note, "Not filtered by: Channel"
        )
        noted = dashboard.line_ids.filtered("scope_note")
        self.assertEqual(noted.mapped("code"), ["staff_trained_share"])
        self.assertIn("end of the period", lines["resolved_share"].as_of)
        self.assertIn("G.3.3", lines["received"].direction)
        self.assertIn("approximation", lines["improvements"].definition)
        self.assertIn("do not measure customer satisfaction", dashboard.visibility_note)
        self.assertIn("more visible", dashboard.visibility_note)

    def test_r_8_4_monthly_trend_and_objective_per_month(self):
        """R-8.4: each KPI per month over the last 12 months on the
        dashboard; R-6.2: an objective's actual against its target for each
        month of its period, not only the last value."""
        self.assertEqual(
            self.Kpi._months(date(2025, 1, 15), date(2025, 3, 10)),
            [
                (date(2025, 1, 15), date(2025, 1, 31)),
                (FEB_FROM, FEB_TO),
                (date(2025, 3, 1), date(2025, 3, 10)),
            ],
        )
        self._complaint_at(dt(2025, 1, 20, 9, 0))
        self._complaint_at(dt(2025, 2, 2, 9, 0))
        self._complaint_at(dt(2025, 2, 3, 9, 0))
        months, series = self.Kpi._trend(
            date(2025, 2, 10), companies=self.company, teams=self.team
        )
        self.assertEqual(len(months), 12)
        self.assertEqual(months[0], (date(2024, 3, 1), date(2024, 3, 31)))
        self.assertEqual(months[-1], (FEB_FROM, FEB_TO))
        self.assertEqual(series["received"][-3:], [0, 1, 2])
        dashboard = self.env["iso10002.kpi.dashboard"].create(
            {
                "date_from": FEB_FROM,
                "date_to": FEB_TO,
                "team_ids": [(6, 0, self.team.ids)],
            }
        )
        self.assertIn("Mar 2024", dashboard.trend_html)
        self.assertIn("Feb 2025", dashboard.trend_html)
        objective = self.env["iso10002.objective"].create(
            {
                "name": "At most one a month",
                "kpi_code": "received",
                "date_from": date(2025, 1, 1),
                "date_to": FEB_TO,
                "target": 1,
                "direction": "low",
            }
        )
        history = str(objective.history_html)
        self.assertIn("Jan 2025", history)
        self.assertIn("Feb 2025", history)
        # January met (one complaint), February not (two)
        self.assertLess(history.index("Met"), history.index("Not met"))
        self.assertEqual(history.count("table-success"), 1)
        self.assertEqual(history.count("table-danger"), 1)

    def test_r_8_4_pareto_of_categories(self):
        """R-8.4, R-8.2: the categories of the period's complaints, most
        frequent first, with the cumulative share reaching 100 %; shown on
        the dashboard and kept with the review's inputs (R-8.6)."""
        other = self.env.ref("iso10002_complaints.complaint_category_01")
        self._complaint_at(dt(2025, 2, 2, 9, 0))
        self._complaint_at(dt(2025, 2, 3, 9, 0), complaint_category_id=other.id)
        self._complaint_at(dt(2025, 2, 4, 9, 0), complaint_category_id=other.id)
        self._complaint_at(dt(2025, 3, 4, 9, 0))  # March: not in the period
        rows = self.Kpi._pareto(
            FEB_FROM, FEB_TO, companies=self.company, teams=self.team
        )
        self.assertEqual(
            [(name, count) for name, count, _share, _cumulative in rows],
            [(other.display_name, 2), (self.category.display_name, 1)],
        )
        self.assertAlmostEqual(rows[0][3], 200 / 3)
        self.assertAlmostEqual(rows[-1][3], 100.0)
        dashboard = self.env["iso10002.kpi.dashboard"].create(
            {
                "date_from": FEB_FROM,
                "date_to": FEB_TO,
                "team_ids": [(6, 0, self.team.ids)],
            }
        )
        self.assertIn(other.display_name, dashboard.pareto_html)
        review = self.env["iso10002.review"].create(
            {"name": "Feb", "date_from": FEB_FROM, "date_to": FEB_TO}
        )
        review.action_assemble_inputs()
        self.assertIn(other.display_name, review.pareto_html)
        self.assertIn("Feb 2025", review.trend_html)
        self.assertIn("Mar 2024", review.trend_html)
        with self.assertRaises(UserError):
            review.with_user(self.manager).pareto_html = "<p>typed</p>"

    def test_r_8_4_complaint_rates_against_volume(self):
        """R-8.4: complaints per 1,000 of the volume the company enters each
        month, with u-chart limits; a month above them is signalled. Only
        complaints managers enter volumes; auditors read them."""
        Volume = self.env["iso10002.volume"]
        for months_back in range(12):
            Volume.with_user(self.manager).create(
                {
                    "month": FEB_TO - relativedelta(months=months_back),
                    "basis": "orders",
                    "volume": 1000,
                }
            )
        ours = Volume.search([("month", "<=", FEB_TO)], order="month desc")
        self.assertEqual(ours[0].month, FEB_FROM)
        with self.assertRaisesMessage(ValidationError, "above zero"):
            Volume.create({"month": "2024-01-10", "volume": 0})
        with self.assertRaises(AccessError):
            Volume.with_user(self.agent).create({"month": "2024-02-01", "volume": 5})
        self.assertEqual(Volume.with_user(self.auditor).search([]) & ours, ours)
        self.assertEqual(len(ours), 12)
        for day in (2, 3, 4):
            self._complaint_at(dt(2025, 2, day, 9, 0))
        dashboard = self.env["iso10002.kpi.dashboard"].create(
            {
                "date_from": FEB_FROM,
                "date_to": FEB_TO,
                "team_ids": [(6, 0, self.team.ids)],
            }
        )
        # centre 3 / 12 = 0.25 per 1,000; February's 3 is above 0.25 + 1.5
        self.assertIn("Above the upper limit", dashboard.u_chart_html)
        self.assertIn("Orders", dashboard.u_chart_html)
        self.assertEqual(dashboard.u_chart_html.count("Above the upper limit"), 1)

    def test_menu_opens_the_dashboard_computed(self):
        """R-8.4: the monitoring menu shows the KPIs at once, as an auditor or
        a manager opens it, not an empty form waiting for a click."""
        menu_action = self.env.ref("iso10002_complaints.iso10002_kpi_dashboard_open")
        for user in (self.manager, self.auditor):
            action = menu_action.with_user(user).run()
            dashboard = self.env["iso10002.kpi.dashboard"].browse(action["res_id"])
            self.assertEqual(action["res_model"], "iso10002.kpi.dashboard")
            self.assertEqual(len(dashboard.line_ids), len(kpi_data.KPIS))
            self.assertIn("Monitoring, ", dashboard.display_name)
