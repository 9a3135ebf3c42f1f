"""One sampled complaint and the reviewer's judgement of how objectively it
was handled (ISO 10002 Annex C.1, C.5)."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

VERDICTS = [
    ("objective", "Handled objectively"),
    ("concerns", "Concerns"),
    ("not_objective", "Not objective"),
]
# the C.1 principles the reviewer checks
CRITERIA = ("impartial", "issue_focused", "confidential", "equitable")


class Iso10002ObjectivityReview(models.Model):
    _name = "iso10002.objectivity.review"
    _description = "Objectivity Review of a Complaint"
    _inherit = ["iso10002.complaint.link", "iso10002.controlled.mixin"]
    _order = "sample_id, id"
    _rec_name = "ticket_id"
    _iso10002_controlled_fields = frozenset({"sample_id", "ticket_id", "action_id"})

    sample_id = fields.Many2one(
        comodel_name="iso10002.objectivity.sample",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(related="sample_id.company_id", store=True)
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        index=True,
        readonly=True,
        ondelete="restrict",
    )
    team_id = fields.Many2one(related="ticket_id.team_id", string="Team")
    handled_by_id = fields.Many2one(related="ticket_id.user_id", string="Handled By")
    impartial = fields.Boolean(
        help="Nobody linked to what or who was complained about investigated or "
        "decided (C.1 b)."
    )
    issue_focused = fields.Boolean(
        string="Focused on the Issue",
        help="The handling looked at the issue, not at blaming a person (C.1 b).",
    )
    confidential = fields.Boolean(
        help="The complainant's identity and the staff named were shared only "
        "with those handling it (C.1 c, C.4).",
    )
    equitable = fields.Boolean(
        help="The outcome and remedy match those of similar complaints (C.1 f, g).",
    )
    verdict = fields.Selection(selection=VERDICTS)
    finding = fields.Text(help="What the reviewer saw; required for a concern.")
    action_id = fields.Many2one(
        comodel_name="iso10002.action", string="Corrective Action", readonly=True
    )

    _ticket_once_per_sample = models.Constraint(
        "unique(sample_id, ticket_id)",
        "A complaint is drawn once per sample.",
    )

    @api.constrains("verdict", *CRITERIA)
    def _check_verdict(self):
        for review in self:
            if review.verdict == "objective" and not all(review[c] for c in CRITERIA):
                raise ValidationError(
                    self.env._(
                        "%(ref)s: a complaint is handled objectively only when every "
                        "principle checked holds; record a concern otherwise.",
                        ref=review.ticket_id.sudo().complaint_reference,
                    )
                )

    def write(self, vals):
        if not self.env.su:
            for review in self:
                review.sample_id._check_is_reviewer()
                if review.sample_id.state != "drawn":
                    raise UserError(review.sample_id._iso10002_frozen_message())
        return super().write(vals)

    def _iso10002_is_frozen(self):
        return self.sample_id._iso10002_is_frozen()

    def _iso10002_frozen_message(self):
        return self.sample_id._iso10002_frozen_message()

    def action_create_action(self):
        """A corrective action from a concern (ISO 10002 C.5, 8.7)."""
        self.ensure_one()
        if self.action_id:
            raise UserError(self.env._("This review already has an action."))
        if self.verdict in (False, "objective"):
            raise UserError(
                self.env._("Only a concern about objectivity leads to an action.")
            )
        return self.env["iso10002.action"]._iso10002_raise_from(
            self,
            {
                "name": self.env._(
                    "Objectivity: %(ref)s",
                    ref=self.ticket_id.sudo().complaint_reference,
                ),
                "origin": "objectivity_sample",
                "action_type": "corrective",
                "company_id": self.sample_id.company_id.id,
                "ticket_ids": [(6, 0, self.ticket_id.ids)],
                "description": self.finding,
            },
        )
