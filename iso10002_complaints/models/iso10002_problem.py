from odoo import api, fields, models


class Iso10002Problem(models.Model):
    """A recurring problem: complaints about the same product or category
    (ISO 10002 8.2), handled with one corrective action."""

    _name = "iso10002.problem"
    _description = "Recurring Problem"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    product_id = fields.Many2one(comodel_name="product.product")
    complaint_category_id = fields.Many2one(comodel_name="iso10002.complaint.category")
    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer")
    ticket_ids = fields.One2many(
        comodel_name="helpdesk.ticket", inverse_name="problem_id", string="Complaints"
    )
    ticket_count = fields.Integer(compute="_compute_counts")
    action_ids = fields.One2many(
        comodel_name="iso10002.action", inverse_name="problem_id", string="Actions"
    )
    action_count = fields.Integer(compute="_compute_counts")
    description = fields.Text()
    active = fields.Boolean(default=True)

    @api.depends("ticket_ids", "action_ids")
    def _compute_counts(self):
        for problem in self:
            problem.ticket_count = len(problem.ticket_ids)
            problem.action_count = len(problem.action_ids)

    def action_create_corrective_action(self):
        self.ensure_one()
        action = self.env["iso10002.action"].create(
            {
                "name": self.env._("Stop recurrence: %(problem)s", problem=self.name),
                "origin": "recurring_problem",
                "action_type": "corrective",
                "problem_id": self.id,
                "company_id": self.company_id.id,
                "ticket_ids": [(6, 0, self.ticket_ids.ids)],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "iso10002.action",
            "res_id": action.id,
            "view_mode": "form",
        }
