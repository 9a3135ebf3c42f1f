"""The chatter of a complaint is part of its record (R-8.1): notes and
messages stay as they were written. Corrections are new notes; only the
system (erasure on request, under sudo) rewrites a message."""

from odoo import models
from odoo.exceptions import UserError

# what a message says, who said it and when
MESSAGE_CONTENT_FIELDS = frozenset(
    {
        "body",
        "subject",
        "attachment_ids",
        "author_id",
        "email_from",
        "date",
        "tracking_value_ids",
        "model",
        "res_id",
    }
)


class MailMessage(models.Model):
    _inherit = "mail.message"

    def write(self, vals):
        if MESSAGE_CONTENT_FIELDS.intersection(vals):
            self._iso10002_check_complaint_record()
        return super().write(vals)

    def unlink(self):
        self._iso10002_check_complaint_record()
        return super().unlink()

    def _iso10002_check_complaint_record(self):
        if self.env.su:
            return
        ticket_ids = {
            message.res_id for message in self if message.model == "helpdesk.ticket"
        }
        if not ticket_ids:
            return
        tickets = self.env["helpdesk.ticket"].sudo().browse(ticket_ids)
        if any(ticket.is_complaint for ticket in tickets):
            raise UserError(
                self.env._(
                    "Notes and messages of a complaint are kept as they were "
                    "written (ISO 10002 8.1): add a new note to correct one."
                )
            )
