from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestPolicy(ComplaintCase):
    def _draft(self, user=None, **vals):
        Policy = self.env["iso10002.policy"]
        if user:
            Policy = Policy.with_user(user)
        return Policy.create(
            dict(
                {
                    "content": "<p>We welcome complaints and answer them fairly.</p>",
                    "change_summary": "Written for the test.",
                },
                **vals,
            )
        )

    def test_r_5_2_versions_and_approval(self):
        first = self._draft(user=self.manager)
        self.assertEqual(first.state, "draft")
        with self.assertRaisesMessage(UserError, "Only top management"):
            first.with_user(self.manager).action_approve()
        first.with_user(self.top).action_approve()
        self.assertEqual(first.state, "approved")
        self.assertEqual(first.approved_by_id, self.top)
        self.assertTrue(first.approved_on)
        self.assertEqual(self.company.iso10002_policy_id, first)

        action = first.with_user(self.manager).action_new_version()
        second = self.env["iso10002.policy"].browse(action["res_id"])
        self.assertEqual(second.version, first.version + 1)
        self.assertEqual(second.state, "draft")
        second.content = "<p>We answer within 10 days.</p>"
        # an amendment is approved with its reason
        with self.assertRaisesMessage(UserError, "What Changed"):
            second.with_user(self.top).action_approve()
        second.change_summary = "Answer within 10 days instead of 14."
        second.with_user(self.top).action_approve()
        self.assertEqual(first.state, "superseded")
        self.assertTrue(first.superseded_on)
        self.company.invalidate_recordset(["iso10002_policy_id"])
        self.assertEqual(self.company.iso10002_policy_id, second)

    def test_r_5_2_approved_policy_is_frozen(self):
        policy = self._draft()
        policy.with_user(self.top).action_approve()
        with self.assertRaisesMessage(UserError, "cannot be changed"):
            policy.content = "<p>Rewritten</p>"
        with self.assertRaisesMessage(UserError, "Only draft"):
            policy.unlink()
        draft = self._draft()
        draft.unlink()

    def test_r_5_2_policy_per_company(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        mine = self._draft()
        theirs = self._draft(company_id=other.id)
        (mine | theirs).action_approve()  # OdooBot is top management
        self.assertEqual(other.iso10002_policy_id, theirs)
        self.assertEqual(self.company.iso10002_policy_id, mine)
        self.assertEqual(theirs.version, 1)
