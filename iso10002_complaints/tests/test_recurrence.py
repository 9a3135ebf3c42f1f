import random
from datetime import datetime as dt
from datetime import timedelta

from odoo.tests import tagged

from .common import ComplaintCase


def recurs(complaint, other):
    """The R-8.2 rule, record by record, as the former Python implementation
    applied it to one new complaint: the oracle the set-based detection must
    agree with."""
    company = complaint.company_id
    if (
        other == complaint
        or other.company_id != company
        or not other.active
        or other.is_feedback
        or not other.is_complaint
    ):
        return False
    if complaint.product_id and other.product_id:
        same = complaint.product_id == other.product_id
    else:
        same = bool(
            complaint.complaint_category_id
            and complaint.complaint_category_id == other.complaint_category_id
        )
    if not same:
        return False
    if (
        company.iso10002_recurrence_by_partner
        and complaint.partner_id.commercial_partner_id
        != other.partner_id.commercial_partner_id
    ):
        return False
    window = timedelta(days=company.iso10002_recurrence_window_days)
    return abs(complaint.received_at - other.received_at) <= window


@tagged("post_install", "-at_install")
class TestRecurrenceBatch(ComplaintCase):
    """R-8.2: recurrence detection is one set-based query per batch; it flags
    exactly what the rule applied complaint by complaint flags."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.iso10002_recurrence_window_days = 30
        cls.company.iso10002_recurrence_by_partner = False
        cls.company_b = cls.env["res.company"].create(
            {
                "name": "Beta Recurrence Ltd",
                "iso10002_recurrence_window_days": 20,
                "iso10002_recurrence_by_partner": True,
            }
        )
        cls.team_b = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Beta complaints",
                "is_iso10002": True,
                "company_id": cls.company_b.id,
            }
        )
        Product = cls.env["product.product"]
        cls.products = [Product.create({"name": f"Kettle K{i}"}) for i in (1, 2)]
        cls.categories = [
            cls.env.ref("iso10002_complaints.complaint_category_05"),
            cls.env.ref("iso10002_complaints.complaint_category_20"),
        ]
        Partner = cls.env["res.partner"]
        acme = Partner.create({"name": "Acme", "is_company": True})
        cls.partners = [
            Partner.create({"name": "Ann", "parent_id": acme.id}),
            Partner.create({"name": "Bob", "parent_id": acme.id}),
            Partner.create({"name": "Zed", "email": "zed@example.org"}),
        ]
        cls.base = dt(2026, 1, 1, 10)

    def _random_vals(self, rng):
        return self._complaint_vals(
            name="Recurring?",
            team_id=rng.choice([self.team, self.team, self.team_b]).id,
            product_id=rng.choice([*self.products, self.products[0].browse()]).id,
            complaint_category_id=rng.choice(
                [*self.categories, self.categories[0].browse()]
            ).id,
            partner_id=rng.choice(self.partners).id,
            received_at=self.base + timedelta(hours=rng.randrange(0, 24 * 90)),
        )

    def _flagged(self):
        return (
            self.env["helpdesk.ticket"]
            .with_context(active_test=False)
            .search([("is_complaint", "=", True), ("recurrence_detected", "=", True)])
        )

    def _all_complaints(self):
        return (
            self.env["helpdesk.ticket"]
            .with_context(active_test=False)
            .search([("is_complaint", "=", True)])
        )

    def _expected(self, batch, before):
        pool = self._all_complaints()
        expected = set(before.ids)
        for complaint in batch.filtered(lambda c: not c.is_feedback):
            matches = pool.filtered(lambda other, c=complaint: recurs(c, other))
            if matches:
                expected |= {complaint.id, *matches.ids}
        return expected

    def test_r_8_2_set_based_detection_equals_the_rule_on_mixed_batches(self):
        """Mixed batches (two companies, one by customer with a shorter
        window, products, categories, neither, feedback and archived
        complaints, exact window boundaries) flag what the rule says."""
        rng = random.Random(15)
        Ticket = self.env["helpdesk.ticket"]
        created = Ticket
        checked = 0
        for size in (1, 7, 3, 12, 1, 20, 5, 30):
            before = self._flagged()
            batch = Ticket.create([self._random_vals(rng) for _ in range(size)])
            created |= batch
            self.assertEqual(set(self._flagged().ids), self._expected(batch, before))
            checked += len(batch)
            # feedback and archived complaints stop counting for what follows
            some = created.filtered(lambda c: c.is_complaint)[-3:]
            some[:1]._iso10002_write_raw({"assessment_outcome": "not_complaint"})
            some[1:2].sudo()._iso10002_write_raw({"active": False})
        self.assertEqual(checked, 79)
        flagged = self._flagged() & created
        self.assertTrue(flagged and created - flagged, "both outcomes exercised")
        # boundaries: exactly the window apart recurs, an hour more does not,
        # in a batch as alone (the former Python loop, in a batch spanning
        # more than the window, also took up to a day more: timedelta.days
        # rounds down; a complaint created alone never did)
        edge = self.base + timedelta(days=200)
        far = self.products[0]
        first = Ticket.create(self._complaint_vals(product_id=far.id, received_at=edge))
        later, earlier = Ticket.create(
            [
                self._complaint_vals(
                    product_id=far.id,
                    received_at=edge + timedelta(days=30, hours=1),
                ),
                self._complaint_vals(
                    product_id=far.id,
                    received_at=edge - timedelta(days=30, hours=1),
                ),
            ]
        )
        self.assertFalse(first.recurrence_detected or later.recurrence_detected)
        self.assertFalse(earlier.recurrence_detected)
        exact = Ticket.create(
            self._complaint_vals(product_id=far.id, received_at=edge + timedelta(30))
        )
        self.assertTrue(first.recurrence_detected and exact.recurrence_detected)
        self.assertTrue(later.recurrence_detected, "an hour from the new one")
        self.assertFalse(earlier.recurrence_detected)

    def test_r_8_2_complaints_created_one_by_one_see_what_waits_to_be_written(self):
        """A complaint created alone is checked without writing its own row
        first; what earlier changes in the same transaction left waiting to
        be written (a complaint just created, archived or made feedback) is
        still what the check sees."""
        Ticket = self.env["helpdesk.ticket"]
        when = self.base + timedelta(days=400)
        kettle, toaster = self.products

        def alone(product, days, **vals):
            return Ticket.create(
                self._complaint_vals(
                    product_id=product.id,
                    received_at=when + timedelta(days=days),
                    **vals,
                )
            )

        first = alone(kettle, 0)
        second = alone(kettle, 1)  # nothing written in between
        self.assertTrue(first.recurrence_detected and second.recurrence_detected)
        archived = alone(toaster, 0)
        archived.active = False
        self.assertFalse(alone(toaster, 1).recurrence_detected)
        feedback = alone(toaster, 100)
        feedback._iso10002_write_raw({"assessment_outcome": "not_complaint"})
        self.assertFalse(alone(toaster, 101).recurrence_detected)
        self.assertFalse(feedback.recurrence_detected)
        # a third kettle recurs with the first two
        last = alone(kettle, 2)
        self.assertTrue(last.recurrence_detected)

    def test_r_8_2_recurring_with_lists_every_match(self):
        """The complaints one complaint recurs with, flagged or not, as the
        rule says (what Group into Problem gathers)."""
        rng = random.Random(16)
        Ticket = self.env["helpdesk.ticket"]
        complaints = Ticket.create([self._random_vals(rng) for _ in range(40)])
        pool = self._all_complaints()
        found = 0
        for complaint in complaints:
            expected = pool.filtered(lambda other, c=complaint: recurs(c, other))
            self.assertEqual(complaint._iso10002_recurring_with(), expected)
            found += bool(expected)
        self.assertTrue(0 < found < len(complaints))

    def test_r_8_2_check_planned_once_per_database_session(self):
        """The check run for every complaint created one by one (web form,
        mail gateway) is a prepared statement planned once: PostgreSQL
        counts one generic plan used for every run and no plan made for a
        single run."""
        rng = random.Random(8)

        def statements():
            self.cr.execute(
                """SELECT name, generic_plans, custom_plans
                     FROM pg_prepared_statements
                    WHERE name LIKE 'iso10002%%'"""
            )
            return {
                name: (generic, custom) for name, generic, custom in self.cr.fetchall()
            }

        self.env["helpdesk.ticket"].create(self._random_vals(rng))
        self.env.flush_all()
        before = statements()
        self.assertTrue(before, "the check is a prepared statement")
        for _i in range(3):
            self.env["helpdesk.ticket"].create(self._random_vals(rng))
            self.env.flush_all()
        after = statements()
        grown = {
            name: (after[name][0] - generic, after[name][1] - custom)
            for name, (generic, custom) in before.items()
            if after[name] != (generic, custom)
        }
        self.assertEqual(list(grown.values()), [(3, 0)], grown)
