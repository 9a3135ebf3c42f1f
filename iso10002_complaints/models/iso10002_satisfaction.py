import uuid
from datetime import timedelta

from odoo import api, fields, models

FAIRNESS = [("yes", "Yes"), ("partly", "Partly"), ("no", "No")]


# days an unanswered survey link stays valid after it was sent
SURVEY_VALID_DAYS = 90


class Iso10002Satisfaction(models.Model):
    """The complainant's view of how their complaint was handled (ISO 10002
    8.3), with the C.5 objectivity questions. The score also goes to Odoo's
    ratings of the complaint."""

    _name = "iso10002.satisfaction"
    _inherit = ["iso10002.complaint.record"]
    _description = "Complaint Handling Satisfaction"
    _order = "id desc"

    team_id = fields.Many2one(related="ticket_id.team_id", store=True)
    partner_id = fields.Many2one(related="ticket_id.partner_id", string="Complainant")
    access_token = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: uuid.uuid4().hex,
        groups="base.group_system",
    )
    sent_on = fields.Datetime(readonly=True)
    submitted_on = fields.Datetime(readonly=True)
    score = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="1 (very dissatisfied) to 5 (very satisfied).",
    )
    comment = fields.Text(readonly=True)
    fair = fields.Selection(
        selection=FAIRNESS,
        string="Handled Fairly",
        readonly=True,
        help="C.5: was the complaint handled fairly?",
    )
    objective = fields.Selection(
        selection=FAIRNESS,
        string="Treated Objectively",
        readonly=True,
        help="C.5: was the complainant treated objectively, on the merits?",
    )
    rating_id = fields.Many2one(comodel_name="rating.rating", readonly=True)

    _token_uniq = models.Constraint(
        "unique(access_token)",
        "Survey links must be unique.",
    )

    def _is_expired(self):
        """An unanswered survey link works for SURVEY_VALID_DAYS after it was
        sent (R-4.7): an old link found in a mailbox opens nothing."""
        self.ensure_one()
        sent = self.sent_on or self.create_date
        return bool(
            not self.submitted_on
            and sent
            and sent + timedelta(days=SURVEY_VALID_DAYS) < fields.Datetime.now()
        )

    def _url(self):
        # empty for no record (an e-mail template previewed on no record)
        if not self:
            return ""
        self.ensure_one()
        base = self.ticket_id.get_base_url()
        return f"{base}/complaints/survey/{self.sudo().access_token}"

    def _submit(self, score, comment, fair, objective):
        self.ensure_one()
        rating = (
            self.env["rating.rating"]
            .sudo()
            .create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("helpdesk.ticket"),
                    "res_id": self.ticket_id.id,
                    "partner_id": self.ticket_id.partner_id.id,
                    "rated_partner_id": self.ticket_id.user_id.partner_id.id,
                    "rating": float(score),
                    "feedback": comment,
                    "consumed": True,
                }
            )
        )
        self.write(
            {
                "score": score,
                "comment": comment,
                "fair": fair,
                "objective": objective,
                "submitted_on": fields.Datetime.now(),
                "rating_id": rating.id,
            }
        )
        self.ticket_id.sudo().message_post(
            body=self.env._(
                "Satisfaction with the handling: %(score)s/5. %(comment)s",
                score=score,
                comment=comment or "",
            ),
            author_id=self.ticket_id.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return True

    @api.model
    def _invite(self, complaints):
        """After closure: one survey per complaint, by e-mail (R-8.3)."""
        template = self.env.ref("iso10002_complaints.mail_template_complaint_survey")
        # one survey per closure: a reopened complaint is asked again
        to_invite = complaints.filtered(
            lambda c: (
                c.partner_id.email
                and not c.is_feedback
                and not c.withdrawn_on
                and len(c.satisfaction_ids) <= c.reopen_count
            )
        )
        surveys = self.sudo().create(
            [
                {"ticket_id": complaint.id, "sent_on": fields.Datetime.now()}
                for complaint in to_invite
            ]
        )
        if to_invite:
            to_invite.message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        return surveys
