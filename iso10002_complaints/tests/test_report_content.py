"""What the audit, review, dossier and policy reports say, read from their
HTML (the PDFs are rendered by test_reports), and the rules behind them."""

import re
from datetime import date, timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..report import report_iso10002_layout
from .common import ComplaintCase, refund_line


@tagged("post_install", "-at_install")
class TestReportContent(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = date.today()
        cls.clauses = cls.env["iso10002.clause"].search([])

    def _html(self, xmlid, records):
        return (
            self.env["ir.actions.report"]
            ._render_qweb_html(xmlid, records.ids)[0]
            .decode()
        )

    def _policy(self, content, user=None):
        Policy = self.env["iso10002.policy"]
        if user:
            Policy = Policy.with_user(user)
        return Policy.create(
            {"content": content, "change_summary": "Written for the test."}
        )

    def _audit(self, **vals):
        return self.env["iso10002.audit"].create(
            dict(
                {
                    "name": "Audit of the month",
                    "scope": "Complaints desk: receipt to closure",
                    "objectives": "Establish that complaints are answered in time.",
                    "date_from": self.today - timedelta(days=30),
                    "date_to": self.today,
                    "planned_date": self.today,
                    "lead_auditor_id": self.auditor.id,
                    "team_ids": [(6, 0, self.team.ids)],
                },
                **vals,
            )
        )

    def _finding(self, audit, code):
        return audit.finding_ids.filtered(lambda f: f.clause_id.code == code)

    # ------------------------------------------------------------------
    # audit: criteria, evidence, records
    # ------------------------------------------------------------------
    def test_r_8_5_one_criterion_per_clause_with_its_g32_items(self):
        """R-8.5 / Annex H: the criteria are the clause register, once each;
        G.3.2's items are the questions of their clause, not lines that
        repeat the clauses."""
        audit = self._audit()
        findings = audit.finding_ids
        self.assertEqual(len(findings), len(self.clauses))
        self.assertEqual(findings.clause_id, self.clauses)
        criteria = findings.mapped("criterion")
        self.assertEqual(len(criteria), len(set(criteria)))
        self.assertNotIn("Complainant satisfaction", criteria)
        self.assertIn(
            "Complainant satisfaction", self._finding(audit, "R-8.3").questions
        )
        training = self._finding(audit, "R-6.4").questions
        self.assertIn("Share of customer-facing staff trained", training)
        self.assertIn("Effectiveness of the training", training)
        asked = "\n".join(filter(None, findings.mapped("questions"))).split("\n")
        self.assertEqual(len(asked), 15)

    def test_r_8_5_a_result_rests_on_evidence(self):
        """R-8.5: a verdict without the auditor's evidence is refused when it
        is given; Not assessed needs none; an audit that assessed nothing is
        not reported."""
        audit = self._audit().with_user(self.auditor)
        audit.action_start()
        finding = self._finding(audit, "R-7.4")
        with self.assertRaisesMessage(ValidationError, "rests on evidence"):
            finding.write({"result": "conforming"})
        with self.assertRaisesMessage(ValidationError, "rests on evidence"):
            finding.write({"result": "observation", "evidence": "   "})
        finding.write({"result": "conforming", "evidence": "Read five dossiers."})
        with self.assertRaisesMessage(ValidationError, "rests on evidence"):
            finding.write({"evidence": False})
        complaint = self._new_complaint()
        finding.write({"evidence": False, "ticket_ids": [(6, 0, complaint.ids)]})
        self.assertEqual(finding.result, "conforming")
        others = audit.finding_ids - finding
        others.write({"result": "not_assessed"})
        self.assertFalse(others.filtered("evidence"))
        finding.write({"result": "not_assessed", "ticket_ids": [(5, 0, 0)]})
        with self.assertRaisesMessage(UserError, "assessed no criterion"):
            audit.action_report()
        finding.write({"result": "conforming", "evidence": "Read five dossiers."})
        audit.action_report()
        self.assertEqual(audit.state, "reported")

    def test_r_8_5_records_summary_and_policy_at_start(self):
        """R-8.5: at the start each criterion shows what the records say (its
        KPI against the approved objective); the policy version in force is
        the reference document. Neither is typed by the auditor."""
        policy = self._policy("<p>We welcome complaints.</p>")
        policy.with_user(self.top).action_approve()
        objective = self.env["iso10002.objective"].create(
            {
                "name": "No complaint at all",
                "kpi_code": "received",
                "target": 0,
                "direction": "low",
                "date_from": self.today - timedelta(days=30),
                "date_to": self.today,
            }
        )
        objective.with_user(self.top).action_approve()
        self._new_complaint()
        audit = self._audit().with_user(self.auditor)
        audit.action_start()
        self.assertEqual(audit.policy_id, policy)
        self.assertIn(
            "Complaints received: 1; objective 0: not met.",
            self._finding(audit, "R-4.3").records_summary,
        )
        # no data is said as such, never as 0
        self.assertIn(
            "Acknowledged within target: no data.",
            self._finding(audit, "R-4.4").records_summary,
        )
        self.assertIn(
            "Evidence complaints in the audit's scope and period: 1.",
            self._finding(audit, "R-7.2").records_summary,
        )
        with self.assertRaises(AccessError):
            self._finding(audit, "R-4.4").write({"records_summary": "All fine."})
        with self.assertRaises(AccessError):
            audit.write({"policy_id": False})

    def test_r_8_5_audit_report_content(self):
        """R-8.5: the report names the audit team, the objectives and scope,
        the reference documents, the sample examined, amounts with their
        currency; a verdict without evidence reads Not assessed."""
        policy = self._policy("<p>We welcome complaints.</p>")
        policy.with_user(self.top).action_approve()
        complaint = self._new_complaint()
        audit = self._audit(auditor_ids=[(6, 0, self.employee.ids)])
        audit.with_user(self.auditor).action_start()
        receipt = self._finding(audit, "R-7.2")
        receipt.write(
            {
                "result": "conforming",
                "evidence": "Each complaint has its reference.",
                "ticket_ids": [(6, 0, complaint.ids)],
            }
        )
        legacy = self._finding(audit, "R-7.9")
        # a result saved before evidence was required
        self.env.cr.execute(
            "UPDATE iso10002_audit_finding SET result = 'conforming' WHERE id = %s",
            [legacy.id],
        )
        legacy.invalidate_recordset(["result"])
        html = self._html("iso10002_complaints.action_report_iso10002_audit", audit)
        self.assertRegex(html, r"Aude Auditor\s*\(lead auditor\)")
        self.assertIn(self.employee.name, html)
        self.assertIn("Establish that complaints are answered in time.", html)
        self.assertIn("Complaints desk: receipt to closure", html)
        self.assertIn(policy.display_name, html)
        self.assertIn(f"The clause register: {len(self.clauses)} clauses", html)
        self.assertIn(f"{policy.display_name}, approved on", html)
        sample = html[html.index("o_iso10002_audit_sample") :]
        self.assertIn(complaint.complaint_reference, sample[:3000])
        self.assertIn("R-7.2", sample[:3000])
        legacy_row = html[html.index("R-7.9 Closing") :][:600]
        self.assertIn("Not assessed", legacy_row)
        self.assertNotIn("Conforming", legacy_row)
        symbol = self.company.currency_id.symbol
        kpis = html[html.index("o_iso10002_audit_kpis") :]
        self.assertRegex(
            kpis, r"Remedy cost</td>\s*<td[^>]*>\s*<span[^>]*>[^<]*" + re.escape(symbol)
        )
        # four parts, each but the first under a running head on a new page
        self.assertIn("Part 1/4", html)
        self.assertEqual(html.count("page-break-before: always"), 3)
        self.assertRegex(html, r"o_iso10002_running_head[^>]*>\s*<span[^>]*>Part 4/4")

    # ------------------------------------------------------------------
    # review: bars, no data
    # ------------------------------------------------------------------
    def test_r_8_6_review_bars_axis_legend_target(self):
        """R-8.6: percentages are bars on a 0-100 % axis with a legend and the
        objective's target marked; no data reads as no data."""
        self.env["iso10002.objective"].create(
            {
                "name": "Acknowledged in time",
                "kpi_code": "acknowledged_in_time_share",
                "target": 95,
                "date_from": self.today - timedelta(days=30),
                "date_to": self.today,
            }
        )
        self._new_complaint()
        review = self.env["iso10002.review"].create(
            {
                "name": "Review of the month",
                "date_from": self.today - timedelta(days=30),
                "date_to": self.today,
            }
        )
        review.action_assemble_inputs()
        html = self._html("iso10002_complaints.action_report_iso10002_review", review)
        axis = html[html.index("o_iso10002_bar_axis") :][:400]
        for label in ("0 %", "50 %", "100 %"):
            self.assertIn(label, axis)
        legend = html[html.index("o_iso10002_bar_legend") :][:2500]
        for label in ("Objective met", "Objective not met", "No objective", "Target"):
            self.assertIn(label, legend)
        self.assertIn("o_iso10002_target_marker", html)
        self.assertRegex(html, r"o_iso10002_target_marker[^>]*left: 95%")
        self.assertRegex(html, r"o_iso10002_kpi_status\">\s*<span>Not met</span>")
        self.assertIn("No survey was answered in the period.", html)
        # surveys without a fairness answer: no "handled fairly: 0.0 %"
        review.sudo().write({"survey_count": 2, "survey_average": 4.5})
        html = self._html("iso10002_complaints.action_report_iso10002_review", review)
        self.assertRegex(html, r"2 surveys answered; average\s*4.50 / 5\.")
        self.assertNotIn("Handled fairly:", html)

    # ------------------------------------------------------------------
    # dossier: approval trail
    # ------------------------------------------------------------------
    def test_r_8_1_dossier_approval_trail(self):
        """R-8.1: the dossier lists who recorded, approved, signed, decided,
        communicated and closed what, and when."""
        self.company.iso10002_remedy_approval_limit = 100
        complaint = self._new_complaint(user=self.agent)
        complaint.action_iso10002_log_acknowledgement()
        self._assess(complaint)
        complaint.investigator_id = self.agent2
        complaint.action_iso10002_start_investigation()
        complaint.write(
            {
                "findings": "Thermostat failed.",
                "root_cause": "Supplier part.",
                "decision": "We refund.",
                "decision_items_addressed": True,
                "decision_confirmed": True,
                "remedy_ids": [refund_line(self.env, 250)],
            }
        )
        complaint.with_user(self.manager).action_iso10002_record_decision()
        complaint.remedy_ids.with_user(self.manager).action_approve()
        complaint.communication_channel = "phone"
        complaint.with_user(self.manager).action_iso10002_communicate_decision()
        html = self._html(
            "iso10002_complaints.action_report_iso10002_complaint_dossier", complaint
        )
        trail = html[html.index("o_iso10002_dossier_trail") :]
        trail = trail[: trail.index("</table>")]
        for header in ("When", "Who", "What", "Signed as"):
            self.assertIn(f"<th>{header}</th>", trail)
        self.assertRegex(trail, r"Ada Agent</td>\s*<td>Acknowledged the complaint")
        self.assertRegex(
            trail,
            r"Mia Manager</td>\s*<td>Approved the remedy above the approval limit: "
            r"39\. Take back and refund on return \([^)]*250\.00[^)]*\)</td>\s*"
            r"<td>Complaints manager</td>",
        )
        self.assertRegex(trail, r"Mia Manager</td>\s*<td>Recorded the decision")
        self.assertRegex(trail, r"Mia Manager</td>\s*<td>Communicated the decision")
        # oldest first, without seconds
        self.assertLess(
            trail.index("Acknowledged the complaint"),
            trail.index("Recorded the decision"),
        )
        self.assertFalse(re.search(r"\d\d:\d\d:\d\d", trail))

    # ------------------------------------------------------------------
    # policy: printable, its promises from the SLA data
    # ------------------------------------------------------------------
    def test_r_5_2_policy_promises_what_the_sla_says(self):
        """R-5.2 / R-7.1: a policy cannot be approved while its text promises
        a time no SLA time limit says (24 hours where health and safety are
        answered in 2 working days)."""
        promise = self._policy(
            "<p>Health and safety complaints are answered within 24 hours.</p>"
        )
        with self.assertRaisesMessage(UserError, "promises 24 hours"):
            promise.with_user(self.top).action_approve()
        chinese = self._policy("<p>健康与安全投诉在 24 小时内答复。</p>")
        with self.assertRaisesMessage(UserError, "promises 24 小时"):
            chinese.with_user(self.top).action_approve()
        respond = self.env.ref("iso10002_complaints.sla_policy_health_safety")
        days = respond.respond_hours / self.company.resource_calendar_id.hours_per_day
        agreed = self._policy(
            f"<p>Health and safety complaints are answered within {days:g} "
            "working days; we acknowledge them within 1 hour.</p>"
        )
        agreed.with_user(self.top).action_approve()
        self.assertEqual(agreed.state, "approved")

    def test_r_5_2_policy_report(self):
        """R-5.2: the policy prints with its version, its approval and the time
        limits of the SLA policies."""
        policy = self._policy("<p>We welcome complaints.</p>")
        html = self._html("iso10002_complaints.action_report_iso10002_policy", policy)
        self.assertIn("Not approved yet.", html)
        self.assertIn("Top management: ____", html)
        policy.with_user(self.top).action_approve()
        html = self._html("iso10002_complaints.action_report_iso10002_policy", policy)
        self.assertRegex(
            html,
            r'class="o_iso10002_report_company[^"]*">\s*<strong>'
            + re.escape(self.company.name),
        )
        self.assertRegex(html, rf"<th>Version</th>\s*<td>{policy.version}</td>")
        self.assertRegex(html, r"<th>Approved by</th>\s*<td>\s*Tom Director")
        self.assertIn("We welcome complaints.", html)
        sla = html[html.index("o_iso10002_policy_sla") :]
        for row in self.env["helpdesk.ticket"]._iso10002_sla_rows(self.company):
            self.assertRegex(
                sla,
                r"\s*".join(
                    f"<td>{re.escape(row[key])}</td>"
                    for key in ("applies_to", "acknowledge", "respond", "resolve")
                ),
            )
        self.assertIn("Approved the complaints-handling policy", html)

    def test_r_5_2_demo_policy(self):
        """R-5.2: the demo policy is approved by the demo director, and no
        version promises a time the SLA table does not say."""
        v1 = self.env.ref(
            "iso10002_complaints.policy_demo_v1", raise_if_not_found=False
        )
        if not v1:
            self.skipTest("no demo data")
        director = self.env.ref("iso10002_complaints.user_demo_director")
        self.assertEqual(v1.approved_by_id, director)
        self.assertEqual(v1.iso10002_signature_ids.user_id, director)
        for policy in v1 | self.env.ref("iso10002_complaints.policy_demo_v2"):
            self.assertFalse(policy._iso10002_unpublished_promise())

    # ------------------------------------------------------------------
    # layout without patched Qt
    # ------------------------------------------------------------------
    def test_layout_without_patched_qt(self):
        """Debian's wkhtmltopdf draws no header: the top margin reserved for it
        is given back; with the patched build the paper format's stays."""
        policy = self._policy("<p>We welcome complaints.</p>")
        xmlid = "iso10002_complaints.action_report_iso10002_policy"
        target = report_iso10002_layout.__name__ + ".wkhtmltopdf_has_patched_qt"
        with patch(target, return_value=False):
            html = self._html(xmlid, policy)
        self.assertIn(
            f'data-report-margin-top="{report_iso10002_layout.UNPATCHED_MARGIN_TOP}"',
            html,
        )
        with patch(target, return_value=True):
            html = self._html(xmlid, policy)
        self.assertNotIn("data-report-margin-top", html)
