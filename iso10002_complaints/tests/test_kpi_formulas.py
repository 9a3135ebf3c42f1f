"""Plain unit tests of the KPI formulas (no database)."""

from datetime import date, datetime

from odoo.tests import BaseCase, tagged

from ..models import iso10002_kpi_data as k
from ..models import iso10002_sla_math as sla_math


@tagged("post_install", "-at_install")
class TestKpiFormulas(BaseCase):
    def test_r_8_4_shares_and_undefined_values(self):
        self.assertEqual(k.share(1, 4), 25.0)
        self.assertIsNone(k.share(3, 0))
        values = k.kpi_values({"received": 0})
        self.assertEqual(values["received"], 0)
        self.assertIsNone(values["resolved_share"])
        self.assertIsNone(values["satisfaction"])

    def test_r_8_4_kpi_values_from_figures(self):
        figures = {
            "received": 10,
            "closed": 4,
            "first_contact": 1,
            "assessed": 8,
            "misprioritised": 2,
            "ack_in_time": 9,
            "ack_due": 10,
            "resolved_in_time": 3,
            "external": 1,
            "external_decided": 4,
            "external_upheld": 1,
            "recurring": 5,
            "problems": 2,
            "improvements": 3,
            "satisfaction_avg": 4.5,
            "surveys": 3,
            "fair_answered": 2,
            "fair": 1,
            "acknowledge_median": 2.0,
            "remedy_cost": 120.0,
            "agents": 4,
            "agents_trained": 3,
        }
        values = k.kpi_values(figures)
        self.assertEqual(values["resolved_share"], 40.0)
        self.assertEqual(values["first_contact_share"], 10.0)
        self.assertEqual(values["misprioritised_share"], 25.0)
        self.assertEqual(values["acknowledged_in_time_share"], 90.0)
        self.assertEqual(values["resolved_in_time_share"], 75.0)
        self.assertEqual(values["external_recourse_share"], 25.0)
        self.assertEqual(values["external_upheld_share"], 25.0)
        self.assertIsNone(k.kpi_values({})["external_upheld_share"])
        self.assertEqual(values["recurring_share"], 50.0)
        self.assertEqual(values["fair_share"], 50.0)
        self.assertEqual(values["staff_trained_share"], 75.0)
        self.assertEqual(values["remedy_cost"], 120.0)
        self.assertEqual(set(values), set(k.KPIS))

    def test_r_8_4_every_kpi_is_defined_once_with_its_rules(self):
        """R-8.4, G.3.3: each KPI states its population and formula, the way
        that is better, its "as of" moment and the filters it honours; a rise
        in complaints received is not called bad."""
        for code, kpi in k.KPIS.items():
            with self.subTest(code=code):
                self.assertIn(kpi.better, k.DIRECTION_LABELS)
                self.assertIn(kpi.as_of, k.AS_OF_LABELS)
                self.assertIn(k.FILTER_COMPANY, kpi.filters)
                self.assertTrue(kpi.reference)
        self.assertEqual(k.KPIS["received"].better, "neutral")
        self.assertEqual(k.KPIS["resolved_share"].as_of, k.AS_OF_END)
        for code in ("misprioritised_share", "improvements"):
            self.assertIn("approximation", k.KPIS[code].definition._source)
        self.assertEqual(k.unapplied_filters("received", ["team", "channel"]), [])
        self.assertEqual(
            k.unapplied_filters("staff_trained_share", ["team", "channel"]),
            ["channel"],
        )

    def test_r_6_2_attainment_traffic_light(self):
        self.assertEqual(k.attainment(95, 95, "high"), (100.0, "green"))
        self.assertEqual(k.attainment(90, 95, "high")[1], "amber")
        self.assertEqual(k.attainment(80, 95, "high")[1], "red")
        self.assertEqual(k.attainment(8, 10, "low"), (125.0, "green"))
        self.assertEqual(k.attainment(11, 10, "low")[1], "amber")
        self.assertEqual(k.attainment(None, 10, "low"), (None, "none"))

    def test_r_4_4_local_deadline_names_the_zone(self):
        day, text = sla_math.local_deadline(datetime(2026, 2, 2, 17, 30), "Asia/Taipei")
        self.assertEqual(
            (day, text), (date(2026, 2, 3), "2026-02-03 01:30 Asia/Taipei")
        )
        day, text = sla_math.local_deadline(
            datetime(2026, 2, 2, 3, 0), "America/New_York"
        )
        self.assertEqual(day, date(2026, 2, 1))
        self.assertEqual(text, "2026-02-01 22:00 America/New_York")
        self.assertEqual(
            sla_math.local_deadline(datetime(2026, 2, 2, 3, 0), False)[1],
            "2026-02-02 03:00 UTC",
        )

    def test_r_8_4_u_chart_limits_and_signal(self):
        """R-8.4: complaint rates per 1,000 of volume, u-chart limits
        (centre +- 3 sqrt(u/n)), a month outside them is a signal, a month
        without a volume has no rate."""
        rows = k.u_chart([10, 10, 10, 30, 4], [1000, 1000, 1000, 1000, None])
        centre = 60 / 4
        self.assertEqual({row["centre"] for row in rows}, {centre})
        self.assertAlmostEqual(rows[0]["upper"], centre + 3 * centre**0.5)
        self.assertAlmostEqual(rows[0]["lower"], centre - 3 * centre**0.5)
        self.assertEqual(
            [row["signal"] for row in rows], [None, None, None, "above", None]
        )
        self.assertIsNone(rows[4]["rate"])
        # a larger volume narrows the limits
        wide, narrow = k.u_chart([1, 40], [100, 4000])
        self.assertLess(
            narrow["upper"] - narrow["lower"], wide["upper"] - wide["lower"]
        )
        self.assertEqual(k.u_chart([3], [None]), [dict.fromkeys(rows[4], None)])

    def test_percentile_matches_postgresql(self):
        self.assertEqual(k.percentile([1, 2, 3, 4], 0.5), 2.5)
        self.assertAlmostEqual(k.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 9.1)
        self.assertIsNone(k.percentile([], 0.5))
