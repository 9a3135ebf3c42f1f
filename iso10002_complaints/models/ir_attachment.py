"""Files of complaints (R-4.7, C.4).

Odoo 18 checks an attachment against its document in searches and in
``check()`` (uploads, deletions), but not when an internal user reads one by
id (RPC ``read``, ``/web/content/<id>``): any employee could read any file
of any complaint. Files of complaints and of the records made from them
follow their document's access, whatever the door; the complainant's
correspondence (files of the messages they wrote or received) is hidden from
users who read complaints without their personal data, as the messages are
(mail_message.py)."""

from collections import defaultdict

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

TICKET = "helpdesk.ticket"
# operation on the file -> operation needed on its document (as check())
DOC_OPERATION = {"read": "read", "write": "write", "create": "write", "unlink": "write"}


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model
    def _iso10002_guarded_model(self, res_model):
        return res_model == TICKET or (res_model or "").startswith("iso10002.")

    def _iso10002_forbidden(self, operation):
        """The files of ``self`` whose document the current user may not
        ``operation`` (complaint data only), and, for users who mask, the
        files of the complainant's correspondence."""
        if self.env.su or not self._ids:
            return self.browse()
        ids = tuple(id_ for id_ in self._ids if isinstance(id_, int))
        if not ids:
            return self.browse()
        self.flush_model(["res_model", "res_id", "public"])
        rows = self.env.execute_query(
            SQL(
                "SELECT id, res_model, res_id, public FROM ir_attachment "
                "WHERE id IN %s",
                ids,
            )
        )
        targets = defaultdict(lambda: defaultdict(list))
        for id_, res_model, res_id, public in rows:
            if public and operation == "read":
                continue
            if res_id and self._iso10002_guarded_model(res_model):
                targets[res_model][res_id].append(id_)
        forbidden = []
        for res_model, by_record in targets.items():
            if res_model not in self.env:
                continue
            records = self.env[res_model].browse(by_record).exists()
            missing = set(by_record) - set(records.ids)
            allowed = records._filtered_access(DOC_OPERATION[operation])
            for res_id in (set(records.ids) - set(allowed.ids)) | missing:
                forbidden += by_record[res_id]
        result = self.browse(forbidden)
        if operation == "read" and targets.get(TICKET):
            result |= (self - result)._iso10002_correspondence_files()
        return result

    def _iso10002_correspondence_files(self):
        """Files of the complainant's correspondence on complaints, for a
        user who reads complaints without their personal data."""
        if not self or not self.env[TICKET]._iso10002_masks_personal_data():
            return self.browse()
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", TICKET), ("attachment_ids", "in", self.ids)])
        )
        complaints = set(
            self.env[TICKET]
            .sudo()
            .with_context(active_test=False)
            .browse(set(messages.mapped("res_id")))
            .filtered("is_complaint")
            .ids
        )
        hidden = messages.filtered(lambda m: m.res_id in complaints)
        hidden = hidden._iso10002_correspondence()
        return self.browse(set(self.ids) & set(hidden.attachment_ids.ids))

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result:
            return result
        forbidden = self._iso10002_forbidden(operation)
        if not forbidden:
            return None

        def make_error():
            return AccessError(
                self.env._(
                    "You may not open this file: it belongs to a complaint you "
                    "are not allowed to see (ISO 10002 4.7)."
                )
            )

        return forbidden, make_error

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        query = super()._search(
            domain, offset=offset, limit=limit, order=order, **kwargs
        )
        if self.env.su or not self.env[TICKET]._iso10002_masks_personal_data():
            return query
        found = self.browse(query.get_result_ids())
        hidden = found._iso10002_correspondence_files()
        if not hidden:
            return query
        return (found - hidden)._as_query(order)
