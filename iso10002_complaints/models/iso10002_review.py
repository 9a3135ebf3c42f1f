from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty

REVIEW_STATES = [
    ("draft", "Draft"),
    ("inputs", "Inputs assembled"),
    ("held", "Held"),
    ("approved", "Approved"),
]


class Iso10002Review(models.Model):
    """A management review of the complaints-handling process (ISO 10002 8.6).

    The 8.6.2 inputs are assembled from the records for the period and kept
    as they were at the review; the 8.6.3 outputs are decisions with owners
    and due dates that become actions."""

    _name = "iso10002.review"
    _description = "Management Review"
    _inherit = ["mail.thread", "mail.activity.mixin", "iso10002.controlled.mixin"]
    _order = "date_to desc, id desc"
    # the inputs are assembled from the records, the approval is signed
    _iso10002_controlled_fields = frozenset(
        {
            "state",
            "previous_review_id",
            "kpi_line_ids",
            "survey_count",
            "survey_average",
            "survey_fair_share",
            "survey_fair_answered",
            "trend_html",
            "pareto_html",
            "u_chart_html",
            "audit_ids",
            "actions_open",
            "actions_overdue",
            "actions_closed",
            "approved_by_id",
            "approved_on",
        }
    )

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(string="Period From", required=True)
    date_to = fields.Date(string="Period To", required=True)
    meeting_date = fields.Date(tracking=True)
    participant_ids = fields.Many2many(
        comodel_name="res.users",
        relation="iso10002_review_participant_rel",
        column1="review_id",
        column2="user_id",
        string="Participants",
        domain=[("share", "=", False)],
    )
    previous_review_id = fields.Many2one(comodel_name="iso10002.review", readonly=True)
    state = fields.Selection(
        selection=REVIEW_STATES,
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    # 8.6.2 inputs
    internal_changes = fields.Html(
        help="Changes in policy, objectives, structure, resources, products."
    )
    external_changes = fields.Html(help="Legislation, competition, technology.")
    recommendations = fields.Html(string="Recommendations for Improvement")
    conclusion = fields.Html(
        help="Whether the complaints-handling process remains suitable, adequate "
        "and effective, and why (ISO 10002 8.6).",
    )
    kpi_line_ids = fields.One2many(
        comodel_name="iso10002.review.kpi",
        inverse_name="review_id",
        string="Performance",
        copy=False,
    )
    survey_count = fields.Integer(readonly=True, copy=False)
    survey_average = fields.Float(readonly=True, copy=False, digits=(16, 2))
    survey_fair_answered = fields.Boolean(
        readonly=True,
        copy=False,
        help="Whether any survey of the period answered the fairness question.",
    )
    survey_fair_share = fields.Float(
        string="Handled Fairly (%)", readonly=True, copy=False
    )
    # each KPI per month and the categories, as they stood at the review
    trend_html = fields.Html(
        string="Monthly Trend", readonly=True, copy=False, sanitize=False
    )
    pareto_html = fields.Html(
        string="Categories", readonly=True, copy=False, sanitize=False
    )
    u_chart_html = fields.Html(
        string="Complaint Rates", readonly=True, copy=False, sanitize=False
    )
    audit_ids = fields.Many2many(
        comodel_name="iso10002.audit",
        relation="iso10002_review_audit_rel",
        column1="review_id",
        column2="audit_id",
        string="Audits Since Last Review",
        readonly=True,
        copy=False,
    )
    actions_open = fields.Integer(readonly=True, copy=False)
    actions_overdue = fields.Integer(readonly=True, copy=False)
    actions_closed = fields.Integer(
        string="Actions Closed in the Period", readonly=True, copy=False
    )
    previous_decision_ids = fields.One2many(
        related="previous_review_id.decision_ids", string="Previous Decisions"
    )
    # 8.6.3 outputs
    decision_ids = fields.One2many(
        comodel_name="iso10002.review.decision",
        inverse_name="review_id",
        string="Decisions",
    )
    approved_by_id = fields.Many2one(
        comodel_name="res.users", readonly=True, copy=False, tracking=True
    )
    approved_on = fields.Date(readonly=True, copy=False, tracking=True)

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for review in self:
            if review.date_to < review.date_from:
                raise ValidationError(
                    self.env._(
                        "Review %(name)s: the period ends before it starts.",
                        name=review.name,
                    )
                )

    # ------------------------------------------------------------------
    def action_assemble_inputs(self):
        for review in self:
            if review.state not in ("draft", "inputs"):
                raise UserError(
                    self.env._("The inputs of a held review are kept as they were.")
                )
            review._assemble_inputs()
        return True

    def _assemble_inputs(self):
        """8.6.2: performance against objectives, surveys, audits, actions,
        follow-up of the previous review — in a fixed number of queries."""
        self.ensure_one()
        Kpi = self.env["iso10002.kpi"]
        # the period and the twelve months of its trend in one pass
        months = Kpi._trend_months(self.date_to)
        figures, *per_month = Kpi._figures_for_periods(
            [(self.date_from, self.date_to), *months], companies=self.company_id
        )
        series = Kpi._series(per_month)
        values = Kpi._compute_from_figures(figures)
        lines = [(5, 0, 0)] + [
            (
                0,
                0,
                {
                    "sequence": row["sequence"],
                    "kpi_code": row["code"],
                    "name": row["name"],
                    "unit": row["unit"],
                    "value": row["value"],
                    "has_value": row["has_value"],
                    "target": row["target"],
                    "has_target": bool(row["objective"]),
                    "status": row["objective"].status or False,
                },
            )
            for row in Kpi._rows_against_objectives(
                values, self.company_id, self.date_from, self.date_to
            )
        ]
        previous = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "approved"),
                ("date_to", "<", self.date_from),
                ("id", "!=", self.id),
            ],
            order="date_to desc",
            limit=1,
        )
        since = previous.date_to or self.date_from
        audits = self.env["iso10002.audit"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "in", ("reported", "closed")),
                ("planned_date", ">", since),
                ("planned_date", "<=", self.date_to),
            ]
        )
        Action = self.env["iso10002.action"]
        action_counts = dict(
            Action._read_group(
                [("company_id", "=", self.company_id.id)], ["state"], ["__count"]
            )
        )
        self._iso10002_write_controlled(
            {
                "kpi_line_ids": lines,
                "survey_count": figures.get("surveys") or 0,
                "survey_average": figures.get("satisfaction_avg") or 0.0,
                "survey_fair_share": values.get("fair_share") or 0.0,
                "survey_fair_answered": bool(figures.get("fair_answered")),
                "trend_html": Kpi._trend_html_from(
                    months, series, self.company_id.currency_id
                ),
                "u_chart_html": Kpi._u_chart_html(
                    months, series["received"], self.company_id
                ),
                "pareto_html": Kpi._pareto_html(
                    self.date_from, self.date_to, companies=self.company_id
                ),
                "audit_ids": [(6, 0, audits.ids)],
                "actions_open": action_counts.get("open", 0),
                "actions_overdue": Action.search_count(
                    [("company_id", "=", self.company_id.id), ("is_overdue", "=", True)]
                ),
                "actions_closed": Action.search_count(
                    [
                        ("company_id", "=", self.company_id.id),
                        ("state", "=", "closed"),
                        ("closed_on", ">=", self.date_from),
                        ("closed_on", "<=", self.date_to),
                    ]
                ),
                "previous_review_id": previous.id,
                "state": "inputs",
            }
        )

    def action_hold(self):
        for review in self:
            if review.state != "inputs":
                raise UserError(
                    self.env._("Assemble the inputs before holding the review.")
                )
            if not review.participant_ids.filtered(
                lambda u: u.has_group(
                    "iso10002_complaints.group_iso10002_top_management"
                )
            ):
                raise UserError(
                    self.env._(
                        "Top management reviews the complaints-handling process "
                        "(ISO 10002 8.6.1): record at least one member of top "
                        "management among the participants."
                    )
                )
        for review in self.filtered(lambda r: not r.meeting_date):
            review.meeting_date = fields.Date.context_today(self)
        self._iso10002_write_controlled({"state": "held"})
        return True

    def action_approve(self):
        if not self.env.user.has_group(
            "iso10002_complaints.group_iso10002_top_management"
        ):
            raise UserError(
                self.env._(
                    "Only top management approves a management review (ISO 10002 8.6)."
                )
            )
        for review in self:
            if review.state != "held":
                raise UserError(self.env._("Only a held review can be approved."))
            if self.env.user not in review.participant_ids:
                raise UserError(
                    self.env._(
                        "Only a member of top management who took part in review "
                        "%(name)s approves it.",
                        name=review.name,
                    )
                )
            if is_html_empty(review.conclusion):
                raise UserError(
                    self.env._(
                        "Write the conclusion of review %(name)s before approving "
                        "it: is complaints handling still suitable, adequate and "
                        "effective (ISO 10002 8.6.3)?",
                        name=review.name,
                    )
                )
            if not review.decision_ids:
                raise UserError(
                    self.env._(
                        "Record the decisions of review %(name)s before approving "
                        "it, or the decision that no change is needed (ISO 10002 "
                        "8.6.3).",
                        name=review.name,
                    )
                )
        self._iso10002_write_controlled(
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "approved_on": fields.Date.context_today(self),
            }
        )
        self._iso10002_sign(
            self.env._("Approved the management review, having taken part in it"),
            self.env._("Top management"),
        )
        self.decision_ids.filtered(lambda d: not d.action_id)._create_actions()
        return True

    def _iso10002_is_frozen(self):
        return self.state == "approved"

    def _iso10002_frozen_message(self):
        return self.env._(
            "Review %(name)s is approved and kept as approved: its inputs, "
            "decisions and conclusions no longer change.",
            name=self.name,
        )
