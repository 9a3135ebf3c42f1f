"""Monitoring objectivity (ISO 10002 Annex C.5): a random sample of the
resolved complaints of a period, reviewed by someone who did not handle
them. The draw is reproducible (its seed and population are kept) so an
auditor can check that nobody chose the complaints."""

import math
import random
import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .iso10002_sampling_plan import SAMPLE_MODES

SAMPLE_STATES = [
    ("draft", "To draw"),
    ("drawn", "To review"),
    ("reviewed", "Reviewed"),
]
# what the draw depends on: fixed once drawn
DRAW_FIELDS = frozenset(
    {
        "company_id",
        "team_ids",
        "date_from",
        "date_to",
        "sample_mode",
        "sample_share",
        "sample_count",
        "reviewer_id",
        "plan_id",
    }
)
REVIEWER_GROUPS = (
    "iso10002_complaints.group_iso10002_manager",
    "iso10002_complaints.group_iso10002_auditor",
)


class Iso10002ObjectivitySample(models.Model):
    _name = "iso10002.objectivity.sample"
    _description = "Objectivity Sample"
    _inherit = ["mail.thread", "mail.activity.mixin", "iso10002.controlled.mixin"]
    _order = "date_from desc, id desc"
    _iso10002_controlled_fields = frozenset(
        {
            "state",
            "seed",
            "population_count",
            "excluded_count",
            "drawn_on",
            "reviewed_on",
        }
    )

    name = fields.Char(compute="_compute_name", store=True)
    plan_id = fields.Many2one(
        comodel_name="iso10002.sampling.plan", index="btree_not_null", readonly=True
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    team_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.team",
        string="Teams",
        domain=[("is_iso10002", "=", True)],
        help="Empty: every complaints team of the company.",
    )
    date_from = fields.Date(string="Resolved From", required=True)
    date_to = fields.Date(string="Resolved To", required=True)
    sample_mode = fields.Selection(
        selection=SAMPLE_MODES, string="Sample Size By", required=True, default="share"
    )
    sample_share = fields.Float(string="Share (%)", default=10.0)
    sample_count = fields.Integer(string="Complaints to Draw", default=5)
    reviewer_id = fields.Many2one(
        comodel_name="res.users", required=True, tracking=True
    )
    state = fields.Selection(
        selection=SAMPLE_STATES,
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    seed = fields.Char(
        readonly=True,
        copy=False,
        help="The random draw's seed: with the same population it draws the "
        "same complaints, so the draw can be checked.",
    )
    population_count = fields.Integer(
        string="Resolved Complaints",
        readonly=True,
        copy=False,
        help="Resolved complaints of the period the sample was drawn from.",
    )
    excluded_count = fields.Integer(
        string="Left Out (Handled by the Reviewer)", readonly=True, copy=False
    )
    drawn_on = fields.Datetime(readonly=True, copy=False)
    reviewed_on = fields.Datetime(readonly=True, copy=False, tracking=True)
    review_ids = fields.One2many(
        comodel_name="iso10002.objectivity.review",
        inverse_name="sample_id",
        string="Complaints Reviewed",
    )
    objective_count = fields.Integer(
        string="Handled Objectively", compute="_compute_results", store=True
    )
    concern_count = fields.Integer(
        string="With Concerns", compute="_compute_results", store=True
    )
    objective_share = fields.Float(
        string="Objective (%)",
        compute="_compute_results",
        store=True,
        aggregator="avg",
    )
    conclusion = fields.Text()

    @api.depends("date_from", "date_to", "plan_id.name")
    def _compute_name(self):
        for sample in self:
            sample.name = self.env._(
                "Objectivity sample %(start)s – %(end)s",
                start=sample.date_from or "",
                end=sample.date_to or "",
            )

    @api.depends("review_ids.verdict")
    def _compute_results(self):
        for sample in self:
            judged = sample.review_ids.filtered("verdict")
            objective = judged.filtered(lambda r: r.verdict == "objective")
            sample.objective_count = len(objective)
            sample.concern_count = len(judged) - len(objective)
            sample.objective_share = (
                100.0 * len(objective) / len(judged) if judged else 0.0
            )

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for sample in self:
            if sample.date_to < sample.date_from:
                raise ValidationError(
                    self.env._(
                        "%(name)s: the period ends before it starts.", name=sample.name
                    )
                )

    @api.constrains("reviewer_id")
    def _check_reviewer(self):
        for sample in self:
            sample._check_reviewer_role(sample.reviewer_id, sample.name)

    @api.model
    def _check_reviewer_role(self, user, name):
        if not any(user.has_group(group) for group in REVIEWER_GROUPS):
            raise ValidationError(
                self.env._(
                    "%(name)s: the reviewer is a complaints manager or an auditor "
                    "(%(user)s is neither).",
                    name=name,
                    user=user.name,
                )
            )

    # ------------------------------------------------------------------
    # The draw
    # ------------------------------------------------------------------
    def _population_domain(self):
        """Complaints resolved in the period: closed, not withdrawn, archived
        ones included (R-8.1)."""
        self.ensure_one()
        start, end = self.env["iso10002.kpi"]._period_bounds(
            self.date_from, self.date_to
        )
        domain = [
            ("is_complaint", "=", True),
            ("is_feedback", "=", False),
            ("company_id", "=", self.company_id.id),
            ("withdrawn_on", "=", False),
            ("closed_date", ">=", start),
            ("closed_date", "<", end),
            ("stage_id.closed", "=", True),
        ]
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        return domain

    def _handled_by(self, tickets, user):
        return tickets.filtered(
            lambda t: user in (t.user_id | t.investigator_id | t.decided_by_id)
        )

    def _size(self, population):
        self.ensure_one()
        if not population:
            return 0
        if self.sample_mode == "count":
            return min(self.sample_count, population)
        return min(population, max(1, math.ceil(population * self.sample_share / 100)))

    def action_draw(self):
        for sample in self:
            sample._check_can_manage()
        self._do_draw()
        return True

    def _do_draw(self):
        Ticket = self.env["helpdesk.ticket"].sudo().with_context(active_test=False)
        for sample in self:
            if sample.state != "draft":
                raise UserError(
                    self.env._("%(name)s is already drawn.", name=sample.name)
                )
            resolved = Ticket.search(sample._population_domain(), order="id")
            excluded = sample._handled_by(resolved, sample.reviewer_id)
            population = resolved - excluded
            seed = secrets.token_hex(8)
            drawn = random.Random(seed).sample(
                population.ids, sample._size(len(population))
            )
            sample.sudo().write(
                {
                    "seed": seed,
                    "population_count": len(population),
                    "excluded_count": len(excluded),
                    "drawn_on": fields.Datetime.now(),
                    "state": "drawn",
                }
            )
            self.env["iso10002.objectivity.review"].sudo().create(
                [{"sample_id": sample.id, "ticket_id": id_} for id_ in sorted(drawn)]
            )
            if sample.reviewer_id:
                sample.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=sample.reviewer_id.id,
                    summary=self.env._("Review the objectivity sample"),
                    note=self.env._(
                        "%(count)s resolved complaints drawn at random: check that "
                        "each was handled objectively (ISO 10002 C.5).",
                        count=len(drawn),
                    ),
                )

    def _redraw_ids(self):
        """The complaints the kept seed draws from today's population: the
        same as the sample's while no complaint of the period changed."""
        self.ensure_one()
        Ticket = self.env["helpdesk.ticket"].sudo().with_context(active_test=False)
        resolved = Ticket.search(self._population_domain(), order="id")
        population = resolved - self._handled_by(resolved, self.reviewer_id)
        return sorted(
            random.Random(self.seed).sample(population.ids, self._size(len(population)))
        )

    def _notify_reviewer(self):
        """Posted when the cron draws: the reviewer follows the sample."""
        for sample in self:
            sample.message_subscribe(sample.reviewer_id.partner_id.ids)

    # ------------------------------------------------------------------
    # The review
    # ------------------------------------------------------------------
    def action_mark_reviewed(self):
        for sample in self:
            sample._check_is_reviewer()
            if sample.state != "drawn":
                raise UserError(
                    self.env._(
                        "%(name)s is not waiting for a review.", name=sample.name
                    )
                )
            open_lines = sample.review_ids.filtered(lambda r: not r.verdict)
            if open_lines:
                raise UserError(
                    self.env._(
                        "Give a verdict for every complaint of %(name)s (%(count)s "
                        "left, for example %(ref)s).",
                        name=sample.name,
                        count=len(open_lines),
                        ref=open_lines[0].ticket_id.sudo().complaint_reference,
                    )
                )
            unexplained = sample.review_ids.filtered(
                lambda r: r.verdict != "objective" and not (r.finding or "").strip()
            )
            if unexplained:
                raise UserError(
                    self.env._(
                        "Say what was not objective in %(ref)s: a concern needs a "
                        "finding.",
                        ref=unexplained[0].ticket_id.sudo().complaint_reference,
                    )
                )
        self._iso10002_write_controlled(
            {"state": "reviewed", "reviewed_on": fields.Datetime.now()}
        )
        self._iso10002_sign(
            self.env._("Reviewed the objectivity of the sampled complaints"),
            self.env._("Objectivity reviewer"),
        )
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def _check_can_manage(self):
        if not self.env.user.has_group("iso10002_complaints.group_iso10002_manager"):
            raise UserError(
                self.env._("The complaints manager draws objectivity samples.")
            )

    def _check_is_reviewer(self):
        self.ensure_one()
        if self.env.user != self.reviewer_id:
            raise UserError(
                self.env._(
                    "Only %(user)s, the reviewer of %(name)s, records its review.",
                    user=self.reviewer_id.name,
                    name=self.name,
                )
            )

    def _iso10002_is_frozen(self):
        return self.state == "reviewed"

    def _iso10002_frozen_message(self):
        return self.env._(
            "%(name)s is reviewed and signed: it is kept as it was reviewed.",
            name=self.name,
        )

    def write(self, vals):
        if DRAW_FIELDS.intersection(vals) and any(s.state != "draft" for s in self):
            raise UserError(
                self.env._(
                    "The period, teams, size and reviewer of a drawn sample are "
                    "those it was drawn with: draw a new sample instead."
                )
            )
        return super().write(vals)

    def _open(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "iso10002_complaints.action_iso10002_objectivity_sample"
        )
        if len(self) == 1:
            action.update(
                {"res_id": self.id, "view_mode": "form", "views": [(False, "form")]}
            )
        else:
            action["domain"] = [("id", "in", self.ids)]
        return action

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(sample.state != "draft" for sample in self):
            raise UserError(
                self.env._(
                    "A drawn sample is a monitoring record (ISO 10002 C.5, 8.1): it "
                    "is kept."
                )
            )
