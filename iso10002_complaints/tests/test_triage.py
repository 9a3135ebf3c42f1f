"""Safety triage at receipt (ISO 10002 4.4, 7.5): a complaint whose words or
category signal a risk to health or safety gets the urgent policy from its
receipt, and the people responsible are alerted."""

from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestSafetyTriage(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.iso10002_management_representative_id = cls.manager
        cls.urgent = cls.env.ref("iso10002_complaints.sla_policy_health_safety")

    def _received(self, **vals):
        vals.setdefault("complaint_category_id", False)
        return self._new_complaint(user=self.agent, **vals)

    def test_r_4_4_words_of_the_complaint_select_the_urgent_policy(self):
        complaint = self._received(
            description="<p>The kettle gave my son a bad burn on the hand.</p>"
        )
        self.assertEqual(complaint.severity, "health_safety")
        self.assertEqual(complaint.sla_policy_id, self.urgent)
        self.assertIn("burn", complaint.iso10002_safety_flag)
        alert = complaint.activity_ids.filtered(lambda a: a.user_id == self.manager)
        self.assertEqual(alert.summary, "Health and safety complaint received")
        self.assertIn("health and safety", complaint.message_ids[0].body)
        # the assessment may still say otherwise: nothing is forced later
        self.assertFalse(complaint.assessed_by_id)

    def test_r_4_4_whole_words_given_severity_and_other_scripts(self):
        burnished = self._received(description="<p>The burnished finish peels.</p>")
        self.assertFalse(burnished.severity)
        self.assertFalse(burnished.iso10002_safety_flag)
        self.assertFalse(
            burnished.activity_ids.filtered(lambda a: a.user_id == self.manager)
        )
        given = self._received(description="<p>A small burn.</p>", severity="low")
        self.assertEqual(given.severity, "low")
        self.assertFalse(given.iso10002_safety_flag)
        self.company.iso10002_safety_keywords += ", 烫伤"
        chinese = self._received(description="<p>孩子被热水壶烫伤了。</p>")
        self.assertEqual(chinese.severity, "health_safety")

    def test_r_4_4_a_category_can_signal_safety(self):
        category = self.env.ref("iso10002_complaints.complaint_category_05")
        category.signals_safety = True
        complaint = self._received(
            complaint_category_id=category.id,
            description="<p>It stopped working.</p>",
        )
        self.assertEqual(complaint.severity, "health_safety")
        self.assertIn(category.name, complaint.iso10002_safety_flag)
