"""Only trained staff handle complaints, when the company asks for it
(ISO 10002 6.4, G.3.2)."""

from odoo import api, models
from odoo.exceptions import ValidationError


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    @api.constrains("user_id", "investigator_id", "company_id")
    def _check_iso10002_trained_handlers(self):
        Competence = self.env["iso10002.competence"]
        states = dict(Competence._fields["state"]._description_selection(self.env))
        for complaint in self.filtered(
            lambda t: t.is_complaint and t.company_id.iso10002_require_training
        ):
            handlers = complaint.user_id | complaint.investigator_id
            gaps = Competence._gaps_of(handlers, complaint.company_id)
            if gaps:
                user, rows = next(iter(gaps.items()))
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot handle complaint %(ref)s yet: %(missing)s "
                        "(training required by %(company)s, ISO 10002 6.4). Record "
                        "the training, or choose someone trained.",
                        user=user.name,
                        ref=complaint.complaint_reference or complaint.name,
                        missing=", ".join(
                            f"{row.requirement_id.name} ({states[row.state]})"
                            for row in rows
                        ),
                        company=complaint.company_id.name,
                    )
                )
