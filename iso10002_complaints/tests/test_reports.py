import re

from odoo.tests import HttpCase, new_test_user, tagged

from .common import AGENT, AUDITOR, TOP


@tagged("post_install", "-at_install")
class TestReports(HttpCase):
    """The three QWeb PDF reports render through wkhtmltopdf with the
    figures of the records (R-8.5, R-8.6, Annex D)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env, "report_agent", groups=AGENT, name="Rae Agent"
        )
        cls.auditor = new_test_user(
            cls.env, "report_auditor", groups=AUDITOR, name="Aurel Auditor"
        )
        cls.top = new_test_user(cls.env, "report_top", groups=TOP, name="Tia Top")
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Report Complaints", "is_iso10002": True}
        )
        cls.complaint = cls.env["helpdesk.ticket"].create(
            {
                "name": "Desk wobbles",
                "description": "<p>The desk wobbles.</p>",
                "team_id": cls.team.id,
                "partner_id": cls.env["res.partner"].create({"name": "Rita Report"}).id,
                "channel_id": cls.env.ref(
                    "helpdesk_mgmt.helpdesk_ticket_channel_phone"
                ).id,
                "user_id": cls.agent.id,
            }
        )
        cls.complaint.action_iso10002_log_acknowledgement()
        cls.complaint.write(
            {
                "severity": "high",
                "complexity": "simple",
                "impact": "minor",
                "assessment_outcome": "valid",
                "findings": "Missing screw",
                "root_cause": "Packing list",
                "remedy_ids": [
                    (
                        0,
                        0,
                        {"remedy_id": cls.env.ref("iso10002_complaints.remedy_37").id},
                    )
                ],
            }
        )
        today = cls.complaint.received_at.date()
        cls.period = {"date_from": today.replace(day=1), "date_to": today}

    def _render(self, xmlid, records):
        Report = self.env["ir.actions.report"]
        html = Report._render_qweb_html(xmlid, records.ids)[0].decode()
        # tests render HTML unless asked for the real PDF (wkhtmltopdf)
        pdf, kind = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
            xmlid, records.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreater(len(pdf), 2000)
        # the company is named in the body, where no wkhtmltopdf drops it
        company = records.company_id
        page = html[html.index('class="page ') :]
        self.assertRegex(
            page,
            r'class="o_iso10002_report_company[^"]*">\s*<strong>'
            + re.escape(company.name),
        )
        if company.city:
            self.assertIn(company.city, page[:2000])
        return html

    def test_annex_d_complaint_dossier(self):
        html = self._render(
            "iso10002_complaints.action_report_iso10002_complaint_dossier",
            self.complaint,
        )
        self.assertIn("Withheld: the complainant did not agree", html)
        self.assertNotIn("Rita Report", html)
        self.complaint.consent_scope = "sharing"
        self.complaint.partner_id.write(
            {
                "street": "12 Lantern Street",
                "zip": "10001",
                "city": "Springfield",
                "country_id": self.env.ref("base.us").id,
            }
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "iso10002_complaints.action_report_iso10002_complaint_dossier",
                self.complaint.ids,
            )[0]
            .decode()
        )
        for expected in (
            self.complaint.complaint_reference,
            "Rita Report",
            "Missing screw",
            "Repair or rework",
            "High",
            "Timeline",
            "12 Lantern Street, 10001 Springfield, United States",
        ):
            self.assertIn(expected, html)
        # yes and no are words of the report, translated with it
        self.assertRegex(
            html, r"needed / possible</th>\s*<td>\s*(Yes|No)\s*/\s*(Yes|No)"
        )

    def test_r_8_5_audit_report(self):
        audit = self.env["iso10002.audit"].create(
            dict(
                self.period,
                name="Audit Report Test",
                scope="Report complaints team",
                planned_date=self.period["date_to"],
                lead_auditor_id=self.auditor.id,
                team_ids=[(6, 0, self.team.ids)],
            )
        )
        audit.with_user(self.auditor).action_start()
        audit.finding_ids.write({"result": "conforming", "evidence": "Sampled."})
        audit.finding_ids[0].write(
            {"result": "major", "evidence": "No policy approved"}
        )
        audit.with_user(self.auditor).action_report()
        html = self._render("iso10002_complaints.action_report_iso10002_audit", audit)
        self.assertIn("Audit Report Test", html)
        self.assertIn("No policy approved", html)
        self.assertIn("Major nonconformity", html)
        self.assertRegex(html, r'o_iso10002_nc_count">1<')
        self.assertIn("Complaints received", html)
        self.assertIn("G.3.3", html)

    def test_r_8_6_review_report_populated_and_empty(self):
        review = self.env["iso10002.review"].create(
            dict(self.period, name="Review Report Test")
        )
        review.action_assemble_inputs()
        review.participant_ids = [(6, 0, self.top.ids)]
        review.action_hold()
        review.decision_ids = [
            (
                0,
                0,
                {
                    "kind": "resources",
                    "description": "Train two more agents",
                    "owner_id": self.top.id,
                    "due_date": self.period["date_to"],
                },
            )
        ]
        review.conclusion = "<p>Complaints handling remains effective.</p>"
        review.with_user(self.top).action_approve()
        html = self._render("iso10002_complaints.action_report_iso10002_review", review)
        self.assertIn("Conclusion: suitability, adequacy and effectiveness", html)
        self.assertIn("Complaints handling remains effective.", html)
        self.assertIn("Review Report Test", html)
        self.assertIn("Train two more agents", html)
        received = review.kpi_line_ids.filtered(lambda l: l.kpi_code == "received")
        self.assertGreaterEqual(received.value, 1)
        self.assertIn("Complaints received", html)
        # G.3.3's two notes travel with the figures
        self.assertIn("reflects that complaining became easier and more visible", html)
        self.assertIn("These objective data do not", html)
        # each figure per month and the categories, server-rendered
        self.assertIn("Each figure per month", html)
        self.assertIn("Complaints by category", html)
        empty = self.env["iso10002.review"].create(
            {"name": "Empty period", "date_from": "2001-01-01", "date_to": "2001-01-31"}
        )
        empty.action_assemble_inputs()
        html = self._render("iso10002_complaints.action_report_iso10002_review", empty)
        self.assertIn("Empty period", html)
        self.assertIn("No previous review", html)
        # no survey: said in words, not as "0 answered, average 0.00"
        self.assertIn("No survey was answered in the period.", html)
        self.assertNotIn("surveys answered", html)
        # not approved yet: lines to sign, with their dates
        self.assertIn("Top management: ____", html)
        self.assertIn("Not recorded yet.", html)
        self.assertIn("Date: ____", html)

    def test_r_5_2_policy_report(self):
        policy = self.env["iso10002.policy"].create(
            {"content": "<p>We welcome complaints.</p>", "change_summary": "First."}
        )
        policy.with_user(self.top).action_approve()
        html = self._render("iso10002_complaints.action_report_iso10002_policy", policy)
        self.assertIn("We welcome complaints.", html)
        self.assertIn("Our time limits, in working days", html)
        self.assertIn("Tia Top", html)
