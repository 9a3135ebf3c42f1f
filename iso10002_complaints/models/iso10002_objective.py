from odoo import api, fields, models
from odoo.exceptions import ValidationError

from . import iso10002_kpi_data as kpi_data


class Iso10002Objective(models.Model):
    """A measurable complaints-handling objective (ISO 10002 6.2): a KPI of
    Annex G, a target and a direction; the actual value is computed from the
    records, never typed."""

    _name = "iso10002.objective"
    _description = "Complaints-Handling Objective"
    _order = "date_from desc, id"
    _inherit = ["mail.thread", "iso10002.controlled.mixin"]
    _iso10002_controlled_fields = frozenset({"approved_by_id", "approved_on"})

    name = fields.Char(required=True, translate=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    kpi_code = fields.Selection(
        selection=kpi_data.KPI_SELECTION, string="KPI", required=True, tracking=True
    )
    kpi_definition = fields.Text(compute="_compute_kpi_definition")
    date_from = fields.Date(string="From", required=True, tracking=True)
    date_to = fields.Date(string="To", required=True, tracking=True)
    target = fields.Float(required=True, tracking=True)
    direction = fields.Selection(
        selection=[("high", "At least the target"), ("low", "At most the target")],
        required=True,
        default="high",
        tracking=True,
    )
    actual = fields.Float(compute="_compute_actual", digits=(16, 2))
    actual_display = fields.Char(string="Actual Value", compute="_compute_actual")
    has_actual = fields.Boolean(compute="_compute_actual")
    attainment = fields.Float(
        string="Attainment (%)", compute="_compute_actual", digits=(16, 1)
    )
    status = fields.Selection(
        selection=[
            ("green", "Met"),
            ("amber", "Nearly met"),
            ("red", "Not met"),
            ("none", "No data"),
        ],
        compute="_compute_actual",
    )
    history_html = fields.Html(
        string="Actual per Month",
        compute="_compute_history_html",
        sanitize=False,
        help="The actual value of each month of the period against the target.",
    )
    approved_by_id = fields.Many2one(
        comodel_name="res.users", readonly=True, copy=False, tracking=True
    )
    approved_on = fields.Date(readonly=True, copy=False, tracking=True)

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for objective in self:
            if objective.date_to < objective.date_from:
                raise ValidationError(
                    self.env._(
                        "Objective %(name)s ends before it starts.", name=objective.name
                    )
                )

    @api.depends("kpi_code")
    def _compute_kpi_definition(self):
        definitions = self.env["iso10002.kpi"]._definitions()
        for objective in self:
            objective.kpi_definition = (
                definitions[objective.kpi_code][1] if objective.kpi_code else False
            )

    @api.depends(
        "kpi_code", "date_from", "date_to", "target", "direction", "company_id"
    )
    def _compute_actual(self):
        """One KPI computation per company and period, for all objectives."""
        Kpi = self.env["iso10002.kpi"]
        cache = {}
        for objective in self:
            if not (objective.kpi_code and objective.date_from and objective.date_to):
                objective.update(
                    {
                        "actual": 0.0,
                        "actual_display": Kpi._format_value(None, "count"),
                        "has_actual": False,
                        "attainment": 0.0,
                        "status": "none",
                    }
                )
                continue
            key = (objective.company_id, objective.date_from, objective.date_to)
            if key not in cache:
                cache[key] = Kpi._compute(
                    objective.date_from,
                    objective.date_to,
                    companies=objective.company_id,
                )
            actual = cache[key].get(objective.kpi_code)
            ratio, status = kpi_data.attainment(
                actual, objective.target, objective.direction
            )
            objective.update(
                {
                    "actual": actual or 0.0,
                    "actual_display": Kpi._format_value(
                        actual,
                        kpi_data.KPIS[objective.kpi_code].unit,
                        objective.company_id.currency_id,
                    ),
                    "has_actual": actual is not None,
                    "attainment": ratio or 0.0,
                    "status": status,
                }
            )

    @api.depends(
        "kpi_code", "date_from", "date_to", "target", "direction", "company_id"
    )
    def _compute_history_html(self):
        Kpi = self.env["iso10002.kpi"]
        for objective in self:
            objective.history_html = (
                Kpi._objective_history_html(objective)
                if objective.kpi_code
                and objective.date_from
                and objective.date_to
                and objective.date_from <= objective.date_to
                else False
            )

    def action_approve(self):
        if not self.env.user.has_group(
            "iso10002_complaints.group_iso10002_top_management"
        ):
            raise ValidationError(
                self.env._("Only top management approves objectives (ISO 10002 5.3.1).")
            )
        for objective in self:
            if objective.approved_on:
                raise ValidationError(
                    self.env._(
                        "Objective %(name)s is already approved.", name=objective.name
                    )
                )
        self._iso10002_write_controlled(
            {
                "approved_by_id": self.env.user.id,
                "approved_on": fields.Date.context_today(self),
            }
        )
        self._iso10002_sign(
            self.env._("Approved the objective and its target"),
            self.env._("Top management"),
        )
        return True

    def _iso10002_is_frozen(self):
        return bool(self.approved_on)

    def _iso10002_frozen_message(self):
        return self.env._(
            "Objective %(name)s was approved by top management and is kept as "
            "approved. To change its target or period, duplicate it and have "
            "the new objective approved.",
            name=self.name,
        )
