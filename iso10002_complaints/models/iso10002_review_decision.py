from odoo import fields, models

DECISION_KINDS = [
    ("process", "Improvement of the process"),
    ("product", "Product or service improvement"),
    ("resources", "Resources (e.g. training)"),
]


class Iso10002ReviewDecision(models.Model):
    """An output of a management review (8.6.3), followed up as an action."""

    _name = "iso10002.review.decision"
    _description = "Management Review Decision"
    _order = "review_id, id"

    review_id = fields.Many2one(
        comodel_name="iso10002.review", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True)
    kind = fields.Selection(selection=DECISION_KINDS, required=True, default="process")
    description = fields.Text(required=True)
    owner_id = fields.Many2one(
        comodel_name="res.users", required=True, domain=[("share", "=", False)]
    )
    due_date = fields.Date(required=True)
    action_id = fields.Many2one(comodel_name="iso10002.action", readonly=True)
    action_state = fields.Selection(related="action_id.state", string="Follow-up")

    def _create_actions(self):
        types = {
            "process": "improvement",
            "product": "preventive",
            "resources": "improvement",
        }
        for decision in self:
            decision.action_id = self.env["iso10002.action"].create(
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
