"""Property test of the Annex G figures (R-8.4, R-8.6, G.3.3).

Complaints are generated with a seeded random generator through the real
actions (every step, pauses, withdrawal, feedback, rejection with external
recourse, reopening, archiving, surveys, remedies) in two companies, with
receipts on the local period bounds of a time zone east (Asia/Taipei) and one
west (America/New_York) of UTC. Every KPI of ``iso10002.kpi`` must equal a
second, deliberately naive computation in Python from the raw rows, in every
scope (companies, team, category, channel) and time zone.
"""

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from ..models import iso10002_kpi_data as kpi_data
from .common import AGENT, MANAGER, ComplaintCase, company_user, make_calendar

SEED = 10002
FEB_FROM, FEB_TO = date(2026, 2, 1), date(2026, 2, 28)
PERIODS = ((FEB_FROM, FEB_TO), (FEB_FROM, FEB_FROM), (FEB_TO, FEB_TO))
ZONES = ("Asia/Taipei", "America/New_York")
# the UTC moments of the local February bounds in both zones, a minute either
# side: Taipei is UTC+8, New York UTC-5 in winter
BOUNDS = (
    datetime(2026, 1, 31, 16, 0),
    datetime(2026, 2, 1, 5, 0),
    datetime(2026, 2, 28, 16, 0),
    datetime(2026, 3, 1, 5, 0),
)
BOUNDARY_RECEIPTS = [
    moment + timedelta(minutes=delta) for moment in BOUNDS for delta in (-1, 0)
]
COMPUTED_AT = datetime(2026, 3, 20, 12, 0)
# the providers' outcomes of the rejected complaints, one after the other
RECOURSE_OUTCOMES = ("upheld", "not_upheld", "partly_upheld", "settled", "declined")
FATES = (
    "received",
    "acknowledged",
    "paused",
    "assessed",
    "feedback",
    "communicated",
    "accepted",
    "rejected",
    "withdrawn",
    "reopened",
    "archived",
)


def _local(moment, zone):
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(zone))


def _naive_percentile(values, fraction):
    if not values:
        return None
    values = sorted(values)
    position = (len(values) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def _share(part, whole):
    return 100.0 * part / whole if whole else None


@tagged("post_install", "-at_install")
class TestKpiProperty(ComplaintCase):
    """R-8.4: each KPI equals a naive recomputation from the raw rows in
    every scope and time zone; R-8.6: a past period's figures do not change
    when its complaints are reopened later."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rng = random.Random(SEED)
        calendar = make_calendar(
            cls.env, "24/7 UTC", ((0, 12, "morning"), (12, 24, "afternoon")), range(7)
        )
        cls.team.resource_calendar_id = calendar
        cls.company_b = cls.env["res.company"].create({"name": "Beta KPI Ltd"})
        # main company A, allowed in B too: handles B's complaints
        cls.agent_ab = new_test_user(
            cls.env,
            "kpi_agent_ab",
            groups=AGENT,
            company_id=cls.company.id,
            company_ids=[(6, 0, (cls.company | cls.company_b).ids)],
            name="Abe Both",
        )
        cls.agent_b = company_user(cls.env, "kpi_agent_b", cls.company_b, AGENT, "Bia")
        cls.manager_b = company_user(
            cls.env, "kpi_manager_b", cls.company_b, MANAGER, "Ben Manager"
        )
        cls.team_a2 = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Second desk",
                "is_iso10002": True,
                "resource_calendar_id": calendar.id,
                "user_ids": [(6, 0, cls.agent_ab.ids)],
            }
        )
        cls.team_b = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Beta desk",
                "is_iso10002": True,
                "company_id": cls.company_b.id,
                "resource_calendar_id": calendar.id,
                "user_ids": [(6, 0, (cls.agent_b | cls.agent_ab | cls.manager_b).ids)],
            }
        )
        cls.categories = cls.category | cls.env.ref(
            "iso10002_complaints.complaint_category_01"
        )
        cls.channels = cls.channel_phone | cls.channel_email | cls.channel_web
        cls.handlers = {
            cls.team: cls.agent | cls.agent2,
            cls.team_a2: cls.agent_ab,
            cls.team_b: cls.agent_b | cls.agent_ab,
        }
        cls.managers = {cls.company: cls.manager, cls.company_b: cls.manager_b}
        cls.stage_waiting = cls.env.ref(
            "iso10002_complaints.helpdesk_ticket_stage_iso_waiting"
        )
        cls._generate()

    # ------------------------------------------------------------------
    # Generation through the real actions
    # ------------------------------------------------------------------
    @classmethod
    def _generate(cls):
        rng = cls.rng
        receipts = list(BOUNDARY_RECEIPTS)
        receipts += [
            datetime(2026, 1, 29) + timedelta(minutes=rng.randrange(36 * 24 * 60))
            for _index in range(40)
        ]
        fates = list(FATES) * 3
        rng.shuffle(fates)
        cls.complaints = cls.env["helpdesk.ticket"]
        for index, receipt in enumerate(receipts):
            fate = fates[index % len(fates)]
            team = rng.choice(list(cls.handlers))
            complaint = cls._generate_one(team, receipt, fate)
            cls.complaints |= complaint
        # recurring problems: group a few complaints with those they
        # recur with
        for complaint in cls.complaints.filtered("recurrence_detected")[:4]:
            complaint.action_iso10002_group_problem()
        cls._generate_actions_and_training()

    @classmethod
    def _vals(cls, team):
        rng = cls.rng
        return cls._complaint_vals(
            team_id=team.id,
            user_id=rng.choice(cls.handlers[team]).id,
            channel_id=rng.choice(cls.channels).id,
            complaint_category_id=rng.choice(cls.categories).id,
        )

    @classmethod
    def _generate_one(cls, team, receipt, fate):
        rng = cls.rng
        moment = [receipt]

        def later(low=0.2, high=40.0):
            moment[0] += timedelta(hours=rng.uniform(low, high))
            return freeze_time(moment[0])

        with freeze_time(receipt):
            complaint = cls.env["helpdesk.ticket"].create(cls._vals(team))
        if fate == "received":
            return complaint
        if not complaint.acknowledged_at:  # phone complaints are, at receipt
            with later():
                complaint.action_iso10002_log_acknowledgement()
        if fate == "paused":
            with later():
                complaint.stage_id = cls.stage_waiting
            with later():
                complaint.stage_id = cls.stage["acknowledged"]
        if fate in ("acknowledged", "paused"):
            return complaint
        if fate == "withdrawn":
            with later():
                complaint.withdrawal_reason = "Solved with the shop."
                complaint.action_iso10002_withdraw()
            return complaint
        with later(0.1, 3):
            if fate == "feedback":
                cls._assess_class(
                    complaint,
                    "not_complaint",
                    reclassification_reason="A suggestion, not a complaint.",
                )
                # a survey row about feedback: it must not count
                cls.env["iso10002.satisfaction"].sudo().create(
                    {"ticket_id": complaint.id}
                )._submit(1, "", "no", "no")
                return complaint
            cls._assess_class(complaint, "valid")
            if rng.random() < 0.4:
                complaint.severity = rng.choice(["low", "high"])
        if fate == "assessed":
            return complaint
        # same day or days later: first contact or not
        with later(0.1, 4) if rng.random() < 0.5 else later(20, 120):
            cls._decide(complaint)
        if rng.random() < 0.5:
            cls.env["iso10002.complaint.remedy"].create(
                {
                    "ticket_id": complaint.id,
                    "remedy_id": cls.env.ref("iso10002_complaints.remedy_50").id,
                    "amount": rng.choice([20, 35, 80]),
                }
            ).write({"state": "implemented"})
        if fate == "communicated":
            return complaint
        with later(1, 100):
            cls._close(complaint, "rejected" if fate == "rejected" else "accepted")
        if complaint.satisfaction_ids and rng.random() < 0.8:
            with later(1, 100):
                complaint.satisfaction_ids[:1]._submit(
                    rng.randint(1, 5),
                    "",
                    rng.choice(["yes", "partly", "no", False]),
                    rng.choice(["yes", "no", False]),
                )
        if fate == "archived":
            complaint.write(
                {"archive_reason": "Duplicate of a letter.", "active": False}
            )
        if fate == "reopened":
            with later(10, 400):
                complaint.with_user(cls.managers[complaint.company_id]).with_company(
                    complaint.company_id
                )._iso10002_reopen("The repair failed again.")
            if rng.random() < 0.5:
                with later(1, 60):
                    cls._decide(complaint)
                with later(1, 60):
                    cls._close(complaint, "accepted")
        return complaint

    @classmethod
    def _assess_class(cls, complaint, outcome, **extra):
        vals = {
            "severity": "medium",
            "complexity": "simple",
            "impact": "minor",
            "assessment_outcome": outcome,
        }
        vals.update(extra)
        complaint.write(vals)
        complaint.action_iso10002_assess()

    @classmethod
    def _decide(cls, complaint):
        complaint.investigator_id = complaint.user_id
        complaint.action_iso10002_start_investigation()
        complaint.write(
            {
                "findings": "Thermostat failed.",
                "root_cause": "Supplier part.",
                "decision": "Replace the kettle.",
                "decision_items_addressed": True,
                "decision_confirmed": True,
            }
        )
        complaint.action_iso10002_record_decision()
        complaint.communication_channel = "phone"
        complaint.action_iso10002_communicate_decision()

    @classmethod
    def _close(cls, complaint, response):
        values = {}
        if response == "rejected":
            values = {
                "rejection_reason": "Not enough",
                "review_type": "external_recourse",
                "recourse_provider_id": cls.env["iso10002.dispute.provider"]
                .create({"name": "Ombudsman", "company_id": complaint.company_id.id})
                .id,
            }
        cls.env["iso10002.complainant.response.wizard"].create(
            dict(ticket_id=complaint.id, response=response, **values)
        ).action_confirm()
        if response == "rejected":
            complaint.write(
                {
                    "review_result": "exhausted",
                    # every outcome of the register's providers, in turn
                    "recourse_result": RECOURSE_OUTCOMES[
                        complaint.id % len(RECOURSE_OUTCOMES)
                    ],
                    "recourse_outcome": "Decided",
                }
            )
            complaint.remedy_ids.filtered(
                lambda r: r.state == "proposed"
            ).action_cancel()
        complaint.action_iso10002_close()

    @classmethod
    def _generate_actions_and_training(cls):
        rng = cls.rng
        Action = cls.env["iso10002.action"]
        for company in (cls.company, cls.company_b):
            own = cls.complaints.filtered(lambda c, co=company: c.company_id == co)
            for closed_on in (
                date(2026, 1, 31),
                FEB_FROM,
                date(2026, 2, 14),
                FEB_TO,
                date(2026, 3, 1),
            ):
                linked = own.filtered(lambda _c: rng.random() < 0.15)
                Action.create(
                    {
                        "name": "Improve",
                        "company_id": company.id,
                        "action_type": rng.choice(["improvement", "corrective"]),
                        "ticket_ids": [(6, 0, linked.ids)],
                    }
                ).write({"state": "closed", "closed_on": closed_on})
        Training = cls.env["iso10002.training"]
        for user in cls.agent | cls.agent2 | cls.agent_ab | cls.agent_b:
            done = rng.choice([date(2025, 6, 1), FEB_TO, date(2026, 3, 1)])
            expiry = rng.choice(
                [False]
                + [
                    day
                    for day in (date(2026, 2, 27), FEB_TO, date(2026, 3, 1))
                    if day >= done
                ]
            )
            Training.create(
                {
                    "user_id": user.id,
                    "course": "Complaints",
                    "date": done,
                    "expiry_date": expiry,
                }
            )

    # ------------------------------------------------------------------
    # The naive computation: Python over raw rows
    # ------------------------------------------------------------------
    def _rows(self):
        env = self.env(context={"active_test": False}, su=True)
        tickets = env["helpdesk.ticket"].search([("is_complaint", "=", True)])
        lines = env["iso10002.sla.line"].search([("ticket_id", "in", tickets.ids)])
        reopenings = env["iso10002.reopening"].search([])
        return {
            "tickets": tickets,
            "lines": lines,
            "reopenings": reopenings,
            "remedies": env["iso10002.complaint.remedy"].search([]),
            "surveys": env["iso10002.satisfaction"].search(
                [("submitted_on", "!=", False)]
            ),
            "actions": env["iso10002.action"].search([]),
            "trainings": env["iso10002.training"].search([]),
            "agents": env.ref(AGENT).all_user_ids,
        }

    def _in_scope(self, ticket, scope):
        return (
            ticket.company_id in scope["companies"]
            and (not scope["teams"] or ticket.team_id in scope["teams"])
            and (
                not scope["categories"]
                or ticket.complaint_category_id in scope["categories"]
            )
            and (not scope["channels"] or ticket.channel_id in scope["channels"])
        )

    def _closure_at(self, ticket, end, rows):
        """(withdrawn, in time) of the closure the complaint was in at
        ``end``, or None when it was not closed then."""
        for reopening in rows["reopenings"]:
            if (
                reopening.ticket_id == ticket
                and reopening.previous_closed_on
                and reopening.previous_closed_on < end <= reopening.reopened_on
            ):
                return reopening.previous_withdrawn, reopening.previous_in_time
        if (
            ticket.iso10002_step == "closed"
            and ticket.closed_date
            and ticket.closed_date < end
        ):
            in_time = any(
                line.ticket_id == ticket
                and line.phase == "resolve"
                and line.state == "met"
                for line in rows["lines"]
            )
            return bool(ticket.withdrawn_on), in_time
        return None

    def _naive(self, rows, date_from, date_to, zone, scope):
        def local_day(moment):
            return _local(moment, zone).date()

        end = (
            datetime.combine(date_to + timedelta(days=1), datetime.min.time())
            .replace(tzinfo=ZoneInfo(zone))
            .astimezone(ZoneInfo("UTC"))
            .replace(tzinfo=None)
        )
        population = [
            ticket
            for ticket in rows["tickets"]
            if not ticket.is_feedback
            and date_from <= local_day(ticket.received_at) <= date_to
            and self._in_scope(ticket, scope)
        ]
        received = len(population)
        closures = [self._closure_at(ticket, end, rows) for ticket in population]
        resolved = [c for c in closures if c is not None and not c[0]]
        withdrawn = [c for c in closures if c is not None and c[0]]
        external = [
            ticket
            for ticket, closure in zip(population, closures, strict=True)
            if closure is not None
            and not closure[0]
            and ticket.review_type == "external_recourse"
        ]
        sampled = [
            review
            for review in self.env["iso10002.objectivity.review"].search(
                [("verdict", "!=", False)]
            )
            if review.sample_id.state == "reviewed" and review.ticket_id in population
        ]
        first_contact = [
            ticket
            for ticket in population
            if ticket.communicated_on
            and local_day(ticket.communicated_on) == local_day(ticket.received_at)
            and ticket.complainant_response != "rejected"
        ]
        assessed = [ticket for ticket in population if ticket.assessed_by_id]
        lines = [line for line in rows["lines"] if line.ticket_id in population]

        def phase(name):
            return [line for line in lines if line.phase == name]

        def done_hours(name):
            return [
                line.consumed_hours
                for line in phase(name)
                if line.state in ("met", "met_late")
            ]

        ack = phase("acknowledge")
        ack_due = [
            line
            for line in ack
            if line.state in ("met", "met_late")
            or (line.state == "running" and line.deadline <= COMPUTED_AT)
        ]
        surveys = [
            survey
            for survey in rows["surveys"]
            if date_from <= local_day(survey.submitted_on) <= date_to
            and survey.ticket_id.active
            and not survey.ticket_id.is_feedback
            and self._in_scope(survey.ticket_id, scope)
        ]
        scores = [survey.score for survey in surveys if survey.score]
        answered = [survey for survey in surveys if survey.fair]
        filtered = scope["teams"] or scope["categories"] or scope["channels"]
        improvements = [
            action
            for action in rows["actions"]
            if action.state == "closed"
            and action.action_type == "improvement"
            and date_from <= action.closed_on <= date_to
            and action.company_id in scope["companies"]
            and (
                not filtered or any(self._in_scope(t, scope) for t in action.ticket_ids)
            )
        ]
        agents = [
            user
            for user in rows["agents"]
            if user.active
            and not user.share
            and user.company_ids & scope["companies"]
            and (not scope["teams"] or any(user in t.user_ids for t in scope["teams"]))
        ]
        trained = [
            user
            for user in agents
            if any(
                training.user_id == user
                and training.date <= date_to
                and (not training.expiry_date or training.expiry_date >= date_to)
                for training in rows["trainings"]
            )
        ]
        return {
            "received": received,
            "resolved_share": _share(len(resolved), received),
            "withdrawn_share": _share(len(withdrawn), received),
            "first_contact_share": _share(len(first_contact), received),
            "misprioritised_share": _share(
                len([t for t in assessed if t.severity_changed_after_assessment]),
                len(assessed),
            ),
            "acknowledged_in_time_share": _share(
                len([line for line in ack_due if line.state == "met"]), len(ack_due)
            ),
            "resolved_in_time_share": _share(
                len([c for c in resolved if c[1]]), len(resolved)
            ),
            "external_recourse_share": _share(len(external), len(resolved)),
            "objectivity_sample_share": _share(
                len([r for r in sampled if r.verdict == "objective"]), len(sampled)
            ),
            "external_upheld_share": _share(
                len(
                    [
                        t
                        for t in external
                        if t.recourse_result in ("upheld", "partly_upheld")
                    ]
                ),
                len(
                    [
                        t
                        for t in external
                        if t.recourse_result
                        in ("upheld", "partly_upheld", "not_upheld")
                    ]
                ),
            ),
            "recurring_share": _share(
                len([t for t in population if t.recurrence_detected]), received
            ),
            "recurring_problems": len(
                {t.problem_id.id for t in population if t.problem_id}
            ),
            "improvements": len(improvements),
            "satisfaction": sum(scores) / len(scores) if scores else None,
            "fair_share": _share(
                len([s for s in answered if s.fair == "yes"]), len(answered)
            ),
            "ack_hours_median": _naive_percentile(done_hours("acknowledge"), 0.5),
            "ack_hours_p90": _naive_percentile(done_hours("acknowledge"), 0.9),
            "respond_hours_median": _naive_percentile(done_hours("respond"), 0.5),
            "respond_hours_p90": _naive_percentile(done_hours("respond"), 0.9),
            "resolve_hours_median": _naive_percentile(done_hours("resolve"), 0.5),
            "resolve_hours_p90": _naive_percentile(done_hours("resolve"), 0.9),
            "remedy_cost": sum(
                remedy.amount_company
                for remedy in rows["remedies"]
                if remedy.ticket_id in population and remedy.state == "implemented"
            ),
            "staff_trained_share": _share(len(trained), len(agents)),
        }

    # ------------------------------------------------------------------
    def _scopes(self):
        Team = self.env["helpdesk.ticket.team"]
        Category = self.env["iso10002.complaint.category"]
        Channel = self.env["helpdesk.ticket.channel"]
        both = self.company | self.company_b

        def scope(companies, teams=Team, categories=Category, channels=Channel):
            return {
                "companies": companies,
                "teams": teams,
                "categories": categories,
                "channels": channels,
            }

        return [
            scope(self.company),
            scope(self.company_b),
            scope(both),
            scope(self.company, teams=self.team),
            scope(self.company, teams=self.team_a2),
            scope(self.company_b, teams=self.team_b),
            scope(both, categories=self.category),
            scope(both, channels=self.channel_email),
            scope(self.company, teams=self.team, channels=self.channel_phone),
        ]

    def _compare_all(self, rows):
        Kpi = self.env["iso10002.kpi"]
        mismatches = []
        for zone in ZONES:
            for scope in self._scopes():
                # the periods at once (trends) give what each gives alone
                together = Kpi._figures_for_periods(
                    PERIODS,
                    companies=scope["companies"],
                    teams=scope["teams"] or None,
                    categories=scope["categories"] or None,
                    channels=scope["channels"] or None,
                    tz_name=zone,
                )
                for (date_from, date_to), figures in zip(
                    PERIODS, together, strict=True
                ):
                    alone = Kpi._figures(
                        date_from,
                        date_to,
                        companies=scope["companies"],
                        teams=scope["teams"] or None,
                        categories=scope["categories"] or None,
                        channels=scope["channels"] or None,
                        tz_name=zone,
                    )
                    if kpi_data.kpi_values(figures) != kpi_data.kpi_values(alone):
                        mismatches.append(
                            f"together {zone} {date_from}..{date_to}: "
                            f"{kpi_data.kpi_values(figures)} != "
                            f"{kpi_data.kpi_values(alone)}"
                        )
            for date_from, date_to in PERIODS:
                for scope in self._scopes():
                    actual = Kpi._compute(
                        date_from,
                        date_to,
                        companies=scope["companies"],
                        teams=scope["teams"] or None,
                        categories=scope["categories"] or None,
                        channels=scope["channels"] or None,
                        tz_name=zone,
                    )
                    expected = self._naive(rows, date_from, date_to, zone, scope)
                    for code in kpi_data.KPIS:
                        got, want = actual[code], expected[code]
                        same = (
                            got is None
                            if want is None
                            else got is not None and abs(got - want) < 1e-6
                        )
                        if not same:
                            mismatches.append(
                                f"{code} {zone} {date_from}..{date_to} "
                                f"{scope['companies'].mapped('name')} "
                                f"{scope['teams'].mapped('name')} "
                                f"{scope['categories'].mapped('name')} "
                                f"{scope['channels'].mapped('name')}: "
                                f"{got} != {want}"
                            )
                    for code in kpi_data.KPIS:
                        if kpi_data.KPIS[code].unit == "percent" and actual[code]:
                            self.assertLessEqual(actual[code], 100.0 + 1e-9, code)
        return mismatches

    @staticmethod
    def _summary(mismatches):
        """Per KPI: how many scopes differ, and the first of them."""
        by_code = {}
        for line in mismatches:
            by_code.setdefault(line.split(" ", 1)[0], []).append(line)
        return "\n".join(
            f"{code}: {len(lines)} scopes differ, e.g. {lines[0]}"
            for code, lines in sorted(by_code.items())
        )

    def test_r_8_4_every_kpi_matches_a_naive_recomputation(self):
        """R-8.4, G.3.3: generated complaints, two companies, two time zones,
        receipts on the period bounds: every KPI of every scope equals the
        naive computation, and shares stay within 100 %."""
        fates = {
            "withdrawn": self.complaints.filtered("withdrawn_on"),
            "reopened": self.complaints.filtered("reopen_count"),
            "archived": self.complaints.filtered(lambda c: not c.active),
            "feedback": self.complaints.filtered("is_feedback"),
            "company B": self.complaints.filtered(
                lambda c: c.company_id == self.company_b
            ),
        }
        for name, complaints in fates.items():
            self.assertTrue(complaints, f"the generator made no {name} complaint")
        with freeze_time(COMPUTED_AT):
            mismatches = self._compare_all(self._rows())
        self.assertEqual(len(mismatches), 0, self._summary(mismatches))

    def test_r_8_6_a_past_period_does_not_change(self):
        """R-8.6, R-8.4: the figures of February, stated as at the end of the
        period, stay what they were when its complaints are reopened in
        March; the naive computation still agrees."""
        Kpi = self.env["iso10002.kpi"]
        scope = {"companies": self.company | self.company_b}
        with freeze_time(COMPUTED_AT):
            before = Kpi._compute(FEB_FROM, FEB_TO, **scope, tz_name=ZONES[0])
        closed = self.complaints.filtered(
            lambda c: (
                c.iso10002_step == "closed" and not c.is_feedback and not c.withdrawn_on
            )
        )
        self.assertTrue(closed)
        with freeze_time(COMPUTED_AT + timedelta(days=1)):
            for complaint in closed:
                complaint.with_user(self.managers[complaint.company_id]).with_company(
                    complaint.company_id
                )._iso10002_reopen("Again.")
        with freeze_time(COMPUTED_AT + timedelta(days=2)):
            after = Kpi._compute(FEB_FROM, FEB_TO, **scope, tz_name=ZONES[0])
            mismatches = self._compare_all(self._rows())
        for code, kpi in kpi_data.KPIS.items():
            if kpi.as_of in (kpi_data.AS_OF_END, kpi_data.AS_OF_PERIOD):
                self.assertEqual(after[code], before[code], code)
        self.assertEqual(len(mismatches), 0, self._summary(mismatches))
