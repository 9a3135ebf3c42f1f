"""Twelve months of demo history, so that every KPI, trend and chart of the
monitoring shows something to read (R-8.4, R-8.6).

The complaints are the demo scenarios again, received on days spread over the
past year with varied channels, categories and durations, driven through the
real actions by the loader of ``iso10002.demo``; surveys are answered, some
complaints withdrawn, improvement actions closed, and the company enters its
monthly volume of orders. A seeded generator keeps every demo database alike.
"""

import json
import random
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import file_open

from . import iso10002_data as iso
from .iso10002_demo import SCENARIOS_FILE

SEED = 10002
# scenario index in the JSON file -> weight: closed and accepted (with
# remedies), closed unfounded, closed without an answer, feedback
TEMPLATES = {1: 5, 8: 2, 10: 2, 9: 1}
WITHDRAWN_TEMPLATE = 5
EXTERNAL_TEMPLATE = 4  # rejected, taken to the ombudsman
PARTNERS = (
    "base.res_partner_2",
    "base.res_partner_3",
    "base.res_partner_4",
    "base.res_partner_10",
    "base.res_partner_12",
    "iso10002_complaints.partner_demo_lena",
    "iso10002_complaints.partner_demo_oliver",
    "iso10002_complaints.partner_demo_sofia",
    "iso10002_complaints.partner_demo_tran",
    "iso10002_complaints.partner_demo_wang",
)
PRODUCTS = (
    "",
    "product.product_product_3",
    "product.product_product_7",
    "product.product_product_8",
    "product.product_product_9",
    "product.product_product_10",
    "product.product_product_27",
)
CHANNELS = (
    "helpdesk_mgmt.helpdesk_ticket_channel_email",
    "helpdesk_mgmt.helpdesk_ticket_channel_web",
    "helpdesk_mgmt.helpdesk_ticket_channel_phone",
    "iso10002_complaints.helpdesk_ticket_channel_letter",
    "iso10002_complaints.helpdesk_ticket_channel_visit",
)
CATEGORIES = (3, 5, 5, 6, 9, 10, 14, 18, 33)
# complaints a month, oldest first; six months ago a spike in a month of low
# volume, which the u-chart signals
PER_MONTH = (2, 3, 3, 2, 4, 3, 9, 3, 4, 3, 4, 3)
SPIKE_MONTHS_BACK = 6


class Iso10002Demo(models.AbstractModel):
    _inherit = "iso10002.demo"

    def _load_monitoring(self, users, now):
        # the history first: the demo review assembles its inputs from it
        self._load_history()
        return super()._load_monitoring(users, now)

    def _do_step(self, complaint, step, spec, users):
        done = super()._do_step(complaint, step, spec, users)
        if step == iso.STEP_ASSESSED and spec.get("reprioritised"):
            # the first priority was wrong: the severity changes afterwards
            complaint.severity = "high" if spec["severity"] != "high" else "low"
        return done

    @api.model
    def _event_hours(self, rng):
        """Hours after receipt of each step: quick (same day) or slow."""
        quick = rng.random() < 0.3
        steps = [
            (iso.STEP_RECEIVED, 0.0),
            (iso.STEP_ACKNOWLEDGED, rng.choice([0.5, 1, 2, 4, 12, 30])),
            (iso.STEP_ASSESSED, rng.uniform(0.5, 2) if quick else rng.uniform(4, 40)),
            (
                iso.STEP_INVESTIGATING,
                rng.uniform(0.2, 1) if quick else rng.uniform(2, 24),
            ),
            (
                iso.STEP_RESPONDED,
                rng.uniform(0.2, 1) if quick else rng.uniform(20, 200),
            ),
            (
                iso.STEP_COMMUNICATED,
                rng.uniform(0.1, 0.5) if quick else rng.uniform(1, 8),
            ),
            (iso.STEP_REVIEW, rng.uniform(10, 60)),
            (iso.STEP_CLOSED, rng.uniform(5, 120)),
        ]
        hours, total = {}, 0.0
        for step, delta in steps:
            total += delta
            hours[step] = total
        return hours

    @api.model
    def _load_history(self):
        rng = random.Random(SEED)
        team = self.env.ref("iso10002_complaints.helpdesk_team_complaints")
        users = {
            "agent": self.env.ref("iso10002_complaints.user_demo_agent"),
            "manager": self.env.ref("iso10002_complaints.user_demo_manager"),
        }
        with file_open(SCENARIOS_FILE) as scenarios:
            scenarios = json.load(scenarios)
        now = fields.Datetime.now()
        today = now.date()
        closed = self.env["helpdesk.ticket"]
        for months_back, count in zip(range(12, 0, -1), PER_MONTH, strict=True):
            first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
            for _index in range(months_back - 1):
                first = (first - timedelta(days=1)).replace(day=1)
            for _index in range(count):
                day = first + timedelta(days=rng.randrange(28))
                days_ago = (today - day).days
                fate = rng.random()
                withdrawn, external = fate < 0.08, 0.08 <= fate < 0.16
                template = (
                    WITHDRAWN_TEMPLATE
                    if withdrawn
                    else EXTERNAL_TEMPLATE
                    if external
                    else rng.choices(list(TEMPLATES), weights=TEMPLATES.values())[0]
                )
                spec = dict(
                    scenarios[template],
                    days_ago=days_ago,
                    channel=rng.choice(CHANNELS),
                    category=rng.choice(CATEGORIES),
                    partner=rng.choice(PARTNERS),
                    product=rng.choice(PRODUCTS),
                    reprioritised=rng.random() < 0.15,
                )
                spec.pop("notes", None)
                spec.pop("customer", None)
                hours = self._event_hours(rng)
                complaint = self.with_context(iso10002_demo_hours=hours)._load_scenario(
                    spec, team, users, now
                )
                received = complaint.received_at
                if withdrawn:
                    self._withdraw(complaint, received + timedelta(hours=30))
                elif external:
                    self._close_after_recourse(complaint, received, hours, now)
                if complaint.iso10002_step == iso.STEP_CLOSED and not withdrawn:
                    closed |= complaint
                    self._answer_survey(
                        complaint,
                        received + timedelta(hours=hours[iso.STEP_CLOSED] + 30),
                        rng,
                    )
        self._load_history_monitoring(closed, today, rng)
        # recurrence was looked for when each complaint was created, before
        # its receipt moved back in time: look again over the real dates
        complaints = self.env["helpdesk.ticket"].search([("team_id", "=", team.id)])
        complaints.sudo()._iso10002_write_raw({"recurrence_detected": False})
        complaints._iso10002_detect_recurrence()

    @api.model
    def _withdraw(self, complaint, moment):
        complaint.withdrawal_reason = "The shop sorted it out directly."
        complaint.action_iso10002_withdraw()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET withdrawn_on = %s, closed_date = %s "
            "WHERE id = %s",
            [moment, moment, complaint.id],
        )
        self.env.cr.execute(
            "UPDATE iso10002_stage_history SET date_in = %s "
            "WHERE ticket_id = %s AND date_out IS NULL",
            [moment, complaint.id],
        )
        complaint.invalidate_recordset()

    @api.model
    def _close_after_recourse(self, complaint, received, hours, now):
        """The ombudsman's review is over: the complaint closes, its clocks
        replayed over the demo's dates."""
        complaint.write(
            {
                "review_result": "exhausted",
                "recourse_result": "upheld",
                "recourse_outcome": "Upheld",
            }
        )
        complaint.remedy_ids.filtered(
            lambda r: r.state == iso.REMEDY_PROPOSED
        ).action_cancel()
        complaint.action_iso10002_close()
        times = {
            step: min(received + timedelta(hours=after), now)
            for step, after in hours.items()
        }
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET closed_date = %s WHERE id = %s",
            [times[iso.STEP_CLOSED], complaint.id],
        )
        self.env.cr.execute(
            "UPDATE iso10002_stage_history SET date_in = %s "
            "WHERE ticket_id = %s AND date_out IS NULL",
            [times[iso.STEP_CLOSED], complaint.id],
        )
        complaint.invalidate_recordset()
        self._replay_sla(complaint, times)

    @api.model
    def _answer_survey(self, complaint, moment, rng):
        survey = complaint.satisfaction_ids[:1]
        if not survey or rng.random() < 0.25:
            return
        survey._submit(
            rng.choices([1, 2, 3, 4, 5], weights=[1, 1, 3, 5, 4])[0],
            "",
            rng.choices(["yes", "partly", "no", False], weights=[6, 2, 1, 1])[0],
            rng.choice(["yes", "yes", "partly", False]),
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE iso10002_satisfaction SET submitted_on = %s, sent_on = %s "
            "WHERE id = %s",
            [moment, moment - timedelta(days=1), survey.id],
        )
        survey.invalidate_recordset()

    @api.model
    def _load_history_monitoring(self, closed, today, rng):
        company = self.env.ref(
            "iso10002_complaints.helpdesk_team_complaints"
        ).company_id
        Volume = self.env["iso10002.volume"]
        first = today.replace(day=1)
        for index in range(13):
            Volume.create(
                {
                    "company_id": company.id,
                    "month": first,
                    "basis": "orders",
                    "volume": (600 if index == SPIKE_MONTHS_BACK else 1000)
                    + rng.randint(-150, 150),
                }
            )
            first = (first - timedelta(days=1)).replace(day=1)
        manager = self.env.ref("iso10002_complaints.user_demo_manager")
        agent = self.env.ref("iso10002_complaints.user_demo_agent")
        for months_back, title in (
            (10, "Call back every complaint the same day"),
            (7, "Packaging check before dispatch"),
            (4, "Clearer product sizes on the website"),
            (2, "Script for phone complaints"),
        ):
            closed_on = today - timedelta(days=30 * months_back)
            action = self.env["iso10002.action"].create(
                {
                    "name": title,
                    "company_id": company.id,
                    "action_type": "improvement",
                    "owner_id": agent.id,
                    "ticket_ids": [(6, 0, rng.sample(closed.ids, min(2, len(closed))))],
                }
            )
            # implemented by its owner, then verified effective and closed by
            # the complaints manager (never the owner), as action_close signs
            action.write(
                {
                    "state": "closed",
                    "implemented_on": closed_on - timedelta(days=21),
                    "closed_on": closed_on,
                    "effectiveness_result": "effective",
                    "effectiveness_notes": "No new complaint of this kind "
                    "in the three weeks after it was implemented.",
                    "effectiveness_verified_by_id": manager.id,
                    "effectiveness_verified_on": closed_on,
                }
            )
