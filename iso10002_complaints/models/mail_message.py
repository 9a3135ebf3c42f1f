"""Messages of a complaint: who may read and post them (need-to-know,
R-4.7, C.4), and that they stay as they were written (R-8.1)."""

from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError

TICKET = "helpdesk.ticket"

# what a message says, who said it and when: kept as written on complaints;
# corrections are new notes, only the system (erasure on request, under sudo)
# rewrites a message
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
    """Messages of a complaint follow the complaint (R-4.7, C.4). Odoo also
    lets a message's recipients read it, its followers post on the thread and
    the people notified of a message answer it, whatever their access to the
    document; on complaints only the author keeps their own message, everyone
    else needs need-to-know: read access to read, write access to post. The
    correspondence with the complainant is their personal data: users who
    read complaints without it (masking) do not read those messages."""

    _inherit = "mail.message"

    # operation on the message -> operation needed on the complaint
    _ISO10002_DOC_OPERATION = {"read": "read", "create": "write", "write": "write"}

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
        ticket_ids = {message.res_id for message in self if message.model == TICKET}
        if not ticket_ids:
            return
        tickets = self.env[TICKET].sudo().browse(ticket_ids)
        if any(ticket.is_complaint for ticket in tickets):
            raise UserError(
                self.env._(
                    "Notes and messages of a complaint are kept as they were "
                    "written (ISO 10002 8.1): add a new note to correct one."
                )
            )

    def _get_forbidden_access(self, operation):
        forbidden = super()._get_forbidden_access(operation)
        if operation in self._ISO10002_DOC_OPERATION:
            forbidden |= (self - forbidden)._iso10002_forbidden_on_complaints(operation)
        return forbidden

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        query = super()._search(
            domain, offset=offset, limit=limit, order=order, **kwargs
        )
        if self.env.is_superuser():
            return query
        messages = self.browse(query.get_result_ids())
        forbidden = messages._iso10002_forbidden_on_complaints("read")
        if not forbidden:
            return query
        return (messages - forbidden)._as_query(order)

    def _iso10002_forbidden_on_complaints(self, operation):
        """The messages of ``self`` posted on complaints that the current user
        may not ``operation`` for lack of need-to-know."""
        if self.env.su or not self:
            return self.browse()
        partner = self.env.user.partner_id
        by_ticket = defaultdict(list)
        for message in self.sudo():
            if (
                message.model != TICKET
                or not message.res_id
                or message.message_type == "user_notification"
            ):
                continue
            own = message.author_id == partner
            if operation == "read":
                own = own or message.create_uid.id == self.env.uid
            if own and operation != "create":
                continue
            by_ticket[message.res_id].append(message.id)
        if not by_ticket:
            return self.browse()
        complaints = (
            self.env[TICKET]
            .sudo()
            .with_context(active_test=False)
            .browse(list(by_ticket))
            .exists()
            .filtered("is_complaint")
        )
        doc_operation = self._ISO10002_DOC_OPERATION[operation]
        allowed = complaints.sudo(False)._filtered_access(doc_operation)
        forbidden = self.browse(
            message_id
            for ticket_id in (complaints - allowed).ids
            for message_id in by_ticket[ticket_id]
        )
        if operation == "read" and self.env[TICKET]._iso10002_masks_personal_data():
            readable = self.browse(
                message_id
                for ticket_id in allowed.ids
                for message_id in by_ticket[ticket_id]
            )
            forbidden |= readable._iso10002_correspondence()
        return forbidden

    def _iso10002_correspondence(self):
        """The messages of ``self`` exchanged with someone outside the
        company's users: written by the complainant (or an address that is
        nobody's) or sent to them. On a complaint they are the complainant's
        personal data: what they wrote, who they are, where they were
        answered (R-4.7). Users who may read the complaint without its
        personal data read its internal notes and tracking only."""
        return self.browse(
            message.id
            for message in self.sudo()
            if (
                message.author_id.partner_share
                if message.author_id
                else message.email_from
            )
            or any(message.partner_ids.mapped("partner_share"))
        )
