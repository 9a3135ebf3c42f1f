from datetime import datetime as dt
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import convert_file

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestImprovement(ComplaintCase):
    """R-8.2 recurring problems, R-8.7 corrective actions, Annex E.2 systemic
    remedies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.iso10002_recurrence_window_days = 60
        cls.company.iso10002_recurrence_by_partner = False
        cls.kettle = cls.env["product.product"].create({"name": "Kettle K1"})
        cls.toaster = cls.env["product.product"].create({"name": "Toaster T1"})
        cls.other = cls.env["res.partner"].create(
            {"name": "Otto Other", "email": "otto@example.org"}
        )

    def _at(self, when, **vals):
        return self._new_complaint(received_at=when, **vals)

    # ------------------------------------------------------------------
    # recurrence
    # ------------------------------------------------------------------
    def test_r_8_2_recurrence_across_the_window_boundary(self):
        # 2021: before any demo history, whose complaints would match by category
        first = self._at(dt(2021, 1, 1, 10), product_id=self.kettle.id)
        inside = self._at(
            dt(2021, 3, 2, 10), product_id=self.kettle.id, partner_id=self.other.id
        )
        self.assertTrue(first.recurrence_detected)
        self.assertTrue(inside.recurrence_detected)
        lone = self._at(dt(2021, 1, 1, 10), product_id=self.toaster.id)
        outside = self._at(dt(2021, 3, 3, 10), product_id=self.toaster.id)
        self.assertFalse(lone.recurrence_detected)
        self.assertFalse(outside.recurrence_detected, "61 days apart: not recurring")

    def test_r_8_2_same_category_without_product(self):
        first = self._at(dt(2026, 5, 1, 10), product_id=False)
        second = self._at(dt(2026, 5, 20, 10), product_id=False)
        self.assertTrue(first.recurrence_detected and second.recurrence_detected)
        other_category = self._at(
            dt(2026, 5, 21, 10),
            product_id=False,
            complaint_category_id=self.env.ref(
                "iso10002_complaints.complaint_category_20"
            ).id,
        )
        self.assertFalse(other_category.recurrence_detected)

    def test_r_8_2_recurrence_per_customer_when_asked(self):
        self.company.iso10002_recurrence_by_partner = True
        first = self._at(dt(2026, 6, 1, 10), product_id=self.kettle.id)
        other_customer = self._at(
            dt(2026, 6, 2, 10), product_id=self.kettle.id, partner_id=self.other.id
        )
        self.assertFalse(other_customer.recurrence_detected)
        same_customer = self._at(dt(2026, 6, 3, 10), product_id=self.kettle.id)
        self.assertTrue(first.recurrence_detected and same_customer.recurrence_detected)

    def test_r_8_2_group_into_problem_with_one_corrective_action(self):
        first = self._at(dt(2026, 7, 1, 10), product_id=self.kettle.id)
        second = self._at(dt(2026, 7, 5, 10), product_id=self.kettle.id)
        action = second.action_iso10002_group_problem()
        problem = self.env["iso10002.problem"].browse(action["res_id"])
        self.assertEqual(problem.ticket_ids, first | second)
        self.assertEqual(problem.product_id, self.kettle)
        third = self._at(dt(2026, 7, 9, 10), product_id=self.kettle.id)
        third.action_iso10002_group_problem()
        self.assertEqual(third.problem_id, problem, "joins the existing problem")
        result = problem.action_create_corrective_action()
        capa = self.env["iso10002.action"].browse(result["res_id"])
        self.assertEqual(capa.origin, "recurring_problem")
        self.assertEqual(capa.ticket_ids, first | second | third)
        self.assertIn(capa, first.action_ids)

    # ------------------------------------------------------------------
    # corrective actions
    # ------------------------------------------------------------------
    def test_r_8_7_action_closes_only_after_effectiveness_check(self):
        complaint = self._new_complaint()
        context = complaint.action_iso10002_new_action()["context"]
        action = (
            self.env["iso10002.action"]
            .with_context(**context)
            .create({"owner_id": self.manager.id, "due_date": "2026-12-31"})
        )
        self.assertRegex(action.reference, r"^CAPA/\d{4}/\d{4}$")
        self.assertEqual(action.ticket_ids, complaint)
        with self.assertRaisesMessage(UserError, "must be implemented"):
            action.action_close()
        action.action_implemented()
        self.assertEqual(action.state, "implemented")
        with self.assertRaisesMessage(UserError, "Record the effectiveness check"):
            action.action_close()
        action.write(
            {
                "effectiveness_result": "not_effective",
                "effectiveness_notes": "Two more kettles failed in March.",
            }
        )
        with self.assertRaisesMessage(UserError, "was not effective"):
            action.with_user(self.top).action_close()
        action.effectiveness_result = "effective"
        # the check is signed by the manager who closes, not typed
        action.with_user(self.top).action_close()
        self.assertEqual(action.state, "closed")
        self.assertEqual(action.effectiveness_verified_by_id, self.top)
        self.assertEqual(action.effectiveness_verified_on, fields.Date.today())

    def test_r_8_7_overdue_actions(self):
        Action = self.env["iso10002.action"]
        late = Action.create({"name": "Late", "due_date": "2026-01-10"})
        on_time = Action.create({"name": "On time", "due_date": "2026-02-10"})
        with freeze_time("2026-02-01"):
            late.invalidate_recordset(["is_overdue"])
            self.assertTrue(late.is_overdue)
            found = Action.search([("is_overdue", "=", True)])
            self.assertIn(late, found)
            self.assertNotIn(on_time, found)
            self.assertIn(on_time, Action.search([("is_overdue", "=", False)]))
            late.action_implemented()
            self.assertNotIn(late, Action.search([("is_overdue", "=", True)]))

    # ------------------------------------------------------------------
    # systemic remedy
    # ------------------------------------------------------------------
    def test_annex_e2_systemic_remedy_roll_out(self):
        complaint = self._new_complaint()
        with self.assertRaisesMessage(UserError, "Propose a remedy"):
            complaint.action_iso10002_offer_to_others()
        complaint.remedy_ids = [
            (0, 0, {"remedy_id": self.env.ref("iso10002_complaints.remedy_37").id})
        ]
        result = complaint.action_iso10002_offer_to_others()
        systemic = self.env["iso10002.systemic.remedy"].browse(result["res_id"])
        self.assertTrue(complaint.others_affected)
        self.assertEqual(systemic.ticket_ids, complaint)
        self.assertEqual(systemic.line_ids.partner_id, self.complainant)
        self.assertTrue(systemic.line_ids.complained)
        systemic.line_ids = [(0, 0, {"partner_id": self.other.id})]
        other_line = systemic.line_ids.filtered(lambda l: l.partner_id == self.other)
        self.assertFalse(other_line.complained, "affected without complaining")
        systemic.action_start()
        self.assertEqual(systemic.state, "rolling_out")
        with self.assertRaisesMessage(UserError, "2 people affected"):
            systemic.action_done()
        other_line.action_offer()
        other_line.action_done()
        self.assertEqual(systemic.progress, 50.0)
        (systemic.line_ids - other_line).action_decline()
        systemic.action_done()
        self.assertEqual(systemic.state, "done")
        self.assertEqual(systemic.progress, 100.0)

    # ------------------------------------------------------------------
    # catalogues survive upgrades
    # ------------------------------------------------------------------
    def test_catalogue_edits_survive_module_update(self):
        remedy = self.env.ref("iso10002_complaints.remedy_52")
        category = self.env.ref("iso10002_complaints.complaint_category_05")
        policy = self.env.ref("iso10002_complaints.sla_policy_standard")
        remedy.write(
            {"name": "Written apology from the manager", "needs_approval": True}
        )
        category.name = "Faulty product"
        policy.acknowledge_hours = 4
        for path in (
            "data/iso10002_remedy_data.xml",
            "data/iso10002_complaint_category_data.xml",
            "data/iso10002_sla_policy_data.xml",
        ):
            convert_file(
                self.env, "iso10002_complaints", path, {}, mode="update", noupdate=False
            )
        self.assertEqual(remedy.name, "Written apology from the manager")
        self.assertTrue(remedy.needs_approval)
        self.assertEqual(category.name, "Faulty product")
        self.assertEqual(policy.acknowledge_hours, 4)

    def test_later_complaint_outside_window_of_flagged_ones(self):
        base = dt(2026, 8, 1, 10)
        first = self._at(base, product_id=self.toaster.id)
        self._at(base + timedelta(days=30), product_id=self.toaster.id)
        late = self._at(base + timedelta(days=200), product_id=self.toaster.id)
        self.assertTrue(first.recurrence_detected)
        self.assertFalse(late.recurrence_detected)
