from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

DECISION_KINDS = [
    ("process", "Improvement of the process"),
    ("product", "Product or service improvement"),
    ("resources", "Resources (e.g. training)"),
    ("no_change", "No change needed"),
]


class Iso10002ReviewDecision(models.Model):
    """An output of a management review (8.6.3), followed up as an action."""

    _name = "iso10002.review.decision"
    _description = "Management Review Decision"
    _order = "review_id, id"
    _inherit = ["iso10002.controlled.mixin"]
    _iso10002_controlled_fields = frozenset({"action_id"})

    review_id = fields.Many2one(
        comodel_name="iso10002.review", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True)
    kind = fields.Selection(selection=DECISION_KINDS, required=True, default="process")
    description = fields.Text(required=True)
    owner_id = fields.Many2one(comodel_name="res.users", domain=[("share", "=", False)])
    due_date = fields.Date()
    action_id = fields.Many2one(comodel_name="iso10002.action", readonly=True)
    action_state = fields.Selection(related="action_id.state", string="Follow-up")

    @api.constrains("kind", "owner_id", "due_date")
    def _check_owner_and_due_date(self):
        for decision in self:
            if decision.kind != "no_change" and not (
                decision.owner_id and decision.due_date
            ):
                raise ValidationError(
                    self.env._(
                        "Decision %(decision)s needs an owner and a due date: it is "
                        "followed up as an action.",
                        decision=decision.description,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        reviews = self.env["iso10002.review"].browse(
            {vals.get("review_id") for vals in vals_list}
        )
        for review in reviews:
            if review._iso10002_is_frozen():
                raise UserError(review._iso10002_frozen_message())
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        for review in self.review_id:
            if review._iso10002_is_frozen():
                raise UserError(review._iso10002_frozen_message())

    def _iso10002_is_frozen(self):
        return self.review_id._iso10002_is_frozen()

    def _iso10002_frozen_message(self):
        return self.review_id._iso10002_frozen_message()

    def _create_actions(self):
        types = {
            "process": "improvement",
            "product": "preventive",
            "resources": "improvement",
        }
        for decision in self.filtered(lambda d: d.kind != "no_change"):
            decision.sudo().action_id = self.env["iso10002.action"].create(
                {
                    "name": decision.description.splitlines()[0][:200],
                    "description": decision.description,
                    "origin": "management_review",
                    "action_type": types[decision.kind],
                    "owner_id": decision.owner_id.id,
                    "due_date": decision.due_date,
                    "company_id": decision.review_id.company_id.id,
                    "review_id": decision.review_id.id,
                }
            )
        return True
