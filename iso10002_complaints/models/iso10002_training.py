from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from . import iso10002_data as iso

TRAINING_EFFECTIVENESS = [
    ("effective", "Effective"),
    ("partly", "Partly effective"),
    ("not_effective", "Not effective"),
]


class Iso10002Training(models.Model):
    """Complaints-handling training of a staff member (ISO 10002 6.4, 8.1)."""

    _name = "iso10002.training"
    _description = "Complaints-Handling Training"
    _order = "date desc, id desc"

    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Staff Member",
        required=True,
        index=True,
        domain=[("share", "=", False)],
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    requirement_id = fields.Many2one(
        comodel_name="iso10002.training.requirement",
        string="Requirement Met",
        index="btree_not_null",
        domain="[('company_id', '=', company_id)]",
        help="The training requirement this course meets (ISO 10002 6.4).",
    )
    course = fields.Char(required=True)
    date = fields.Date(string="Completed On", required=True)
    expiry_date = fields.Date(
        string="Valid Until",
        compute="_compute_expiry_date",
        store=True,
        readonly=False,
        help="From the requirement's validity; change it if the certificate "
        "says otherwise.",
    )
    notes = fields.Text()
    certificate = fields.Binary(attachment=True, copy=False)
    certificate_name = fields.Char(copy=False)
    effectiveness = fields.Selection(
        selection=TRAINING_EFFECTIVENESS,
        help="Evaluated some weeks after the training: does the staff member "
        "now handle complaints as trained (ISO 10002 G.3.2)?",
    )
    effectiveness_notes = fields.Text(string="How It Was Evaluated")
    evaluated_by_id = fields.Many2one(
        comodel_name="res.users", readonly=True, copy=False
    )
    evaluated_on = fields.Date(readonly=True, copy=False)
    is_valid = fields.Boolean(
        string="Valid Today", compute="_compute_is_valid", search="_search_is_valid"
    )

    @api.onchange("requirement_id")
    def _onchange_requirement_id(self):
        if self.requirement_id and not self.course:
            self.course = self.requirement_id.name

    @api.depends("requirement_id", "date")
    def _compute_expiry_date(self):
        for training in self:
            months = training.requirement_id.validity_months
            if training.date and months:
                training.expiry_date = training.date + relativedelta(months=months)
            elif not training.expiry_date:
                training.expiry_date = False

    def write(self, vals):
        if "effectiveness" in vals:
            # who evaluated and when: set by the evaluation, never typed
            vals = dict(
                vals,
                evaluated_by_id=self.env.user.id if vals["effectiveness"] else False,
                evaluated_on=fields.Date.context_today(self)
                if vals["effectiveness"]
                else False,
            )
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        requirements = self.env["iso10002.training.requirement"].browse(
            {vals["requirement_id"] for vals in vals_list if vals.get("requirement_id")}
        )
        names = {requirement.id: requirement.name for requirement in requirements}
        vals_list = [
            dict(
                vals,
                course=vals.get("course") or names.get(vals.get("requirement_id")),
                evaluated_by_id=self.env.user.id
                if vals.get("effectiveness")
                else False,
                evaluated_on=fields.Date.context_today(self)
                if vals.get("effectiveness")
                else False,
            )
            for vals in vals_list
        ]
        return super().create(vals_list)

    @api.constrains("date", "expiry_date")
    def _check_dates(self):
        for training in self:
            if training.expiry_date and training.expiry_date < training.date:
                raise ValidationError(
                    self.env._(
                        "Training %(course)s cannot expire before it was completed.",
                        course=training.course,
                    )
                )

    def _compute_is_valid(self):
        today = fields.Date.context_today(self)
        for training in self:
            training.is_valid = training.date <= today and (
                not training.expiry_date or training.expiry_date >= today
            )

    def _search_is_valid(self, operator, value):
        today = fields.Date.context_today(self)
        domain = [
            ("date", "<=", today),
            "|",
            ("expiry_date", "=", False),
            ("expiry_date", ">=", today),
        ]
        positive = iso.boolean_search(operator, value)
        if positive is None:
            raise UserError(self.env._("Unsupported search on valid trainings."))
        if positive:
            return domain
        return ["|", ("date", ">", today), ("expiry_date", "<", today)]
