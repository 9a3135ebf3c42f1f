"""Plain unit tests of the working-time arithmetic (no database)."""

from datetime import datetime as dt

from odoo.tests import BaseCase, tagged

from ..models import iso10002_data as iso
from ..models import iso10002_sla_math as m

# Mon 9 - Fri 13 March 2026, 8-12 and 13-17 (UTC)
WEEK = [
    span
    for day in range(9, 14)
    for span in (
        (dt(2026, 3, day, 8), dt(2026, 3, day, 12)),
        (dt(2026, 3, day, 13), dt(2026, 3, day, 17)),
    )
]
FRIDAY_BEFORE = [
    (dt(2026, 3, 6, 8), dt(2026, 3, 6, 12)),
    (dt(2026, 3, 6, 13), dt(2026, 3, 6, 17)),
]


@tagged("post_install", "-at_install")
class TestSlaMath(BaseCase):
    def test_r_4_4_plan_inside_a_day(self):
        self.assertEqual(m.plan(WEEK, dt(2026, 3, 9, 9), 2), dt(2026, 3, 9, 11))
        # lunch break does not count
        self.assertEqual(m.plan(WEEK, dt(2026, 3, 9, 11), 2), dt(2026, 3, 9, 14))

    def test_r_4_4_plan_over_weekend(self):
        spans = FRIDAY_BEFORE + WEEK
        # received Friday 16:00: 1 h on Friday, 7 h on Monday
        self.assertEqual(m.plan(spans, dt(2026, 3, 6, 16), 8), dt(2026, 3, 9, 16))
        # received on Saturday: the clock starts on Monday
        self.assertEqual(m.plan(spans, dt(2026, 3, 7, 10), 1), dt(2026, 3, 9, 9))

    def test_r_4_4_plan_over_a_holiday(self):
        without_monday = [span for span in WEEK if span[0].day != 9]
        self.assertEqual(
            m.plan(FRIDAY_BEFORE + without_monday, dt(2026, 3, 6, 16), 8),
            dt(2026, 3, 10, 16),
        )

    def test_plan_beyond_the_spans_is_unknown(self):
        self.assertIsNone(m.plan(WEEK, dt(2026, 3, 9, 8), 41))
        self.assertEqual(m.plan(WEEK, dt(2026, 3, 9, 8), 40), dt(2026, 3, 13, 17))

    def test_worked_hours(self):
        spans = FRIDAY_BEFORE + WEEK
        self.assertEqual(m.worked(spans, dt(2026, 3, 6, 16), dt(2026, 3, 9, 10)), 3.0)
        self.assertEqual(m.worked(spans, dt(2026, 3, 7), dt(2026, 3, 8)), 0.0)
        self.assertEqual(m.worked(spans, dt(2026, 3, 9, 10), dt(2026, 3, 9, 9)), 0.0)

    def test_without_calendar_the_clock_runs_around_the_clock(self):
        self.assertEqual(m.plan(m.ALWAYS, dt(2026, 3, 7, 10), 8), dt(2026, 3, 7, 18))
        self.assertEqual(m.worked(m.ALWAYS, dt(2026, 3, 7), dt(2026, 3, 8)), 24.0)

    def test_deadlines_and_at_risk_point(self):
        deadline, at_risk = m.deadlines(WEEK, dt(2026, 3, 9, 8), 0, 8, 0.75)
        self.assertEqual(deadline, dt(2026, 3, 9, 17))
        self.assertEqual(at_risk, dt(2026, 3, 9, 15))
        # after a pause that used 7 of 8 hours, the phase is already at risk
        deadline, at_risk = m.deadlines(WEEK, dt(2026, 3, 10, 8), 7, 8, 0.75)
        self.assertEqual(deadline, dt(2026, 3, 10, 9))
        self.assertEqual(at_risk, dt(2026, 3, 10, 8))

    def test_merge_spans(self):
        merged = m.merge_spans(
            [
                (dt(2026, 3, 9, 13), dt(2026, 3, 9, 17)),
                (dt(2026, 3, 9, 8), dt(2026, 3, 9, 13)),
            ]
        )
        self.assertEqual(merged, [(dt(2026, 3, 9, 8), dt(2026, 3, 9, 17))])

    def test_r_4_4_status_from_now(self):
        deadline, at_risk = dt(2026, 3, 9, 17), dt(2026, 3, 9, 15)
        status = iso.sla_status
        self.assertEqual(
            status("running", deadline, at_risk, dt(2026, 3, 9, 14)), "on_track"
        )
        self.assertEqual(
            status("running", deadline, at_risk, dt(2026, 3, 9, 15)), "at_risk"
        )
        self.assertEqual(
            status("running", deadline, at_risk, dt(2026, 3, 9, 17)), "breached"
        )
        self.assertEqual(
            status("met_late", deadline, at_risk, dt(2026, 3, 9, 14)), "met_late"
        )
        self.assertEqual(status("paused", False, False, dt(2026, 3, 9, 14)), "paused")
