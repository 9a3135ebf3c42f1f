"""The addon's chatter messages posted in batch: what ``message_post`` does
for one record, done once for many (the acknowledgements of complaints
created together)."""

from collections import defaultdict

from markupsafe import escape

from odoo import models
from odoo.tools import SQL


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def _iso10002_message_post_batch(self, posts):
        """``message_post`` of a comment on each record of ``self`` (``posts``:
        one dict of ``message_post``'s keyword arguments per record, in
        order), with the messages created in one insert and their thread
        parents found in one query. What ``message_post`` does around the
        creation is done for the batch (language, author's and customers'
        following) and its hooks are called for each message:
        ``_message_post_after_hook`` and ``_notify_thread`` (recipients,
        e-mails, inbox). Overrides of ``message_post`` itself are not called:
        this is for the messages the addon writes, as Odoo's
        ``_message_log_batch`` is for its notes."""
        if not self:
            return self.env["mail.message"]
        records = self._fallback_lang()
        context = records.env.context
        comment = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        parents = records._iso10002_thread_parents()
        message_fields = self.env["mail.message"]._fields
        values_list, notify_list = [], []
        for record, post in zip(records, posts, strict=True):
            # as message_post: the message's fields, and what is left for
            # the notification
            msg_values = {
                key: value for key, value in post.items() if key in message_fields
            }
            notify_list.append(
                {key: value for key, value in post.items() if key not in message_fields}
            )
            msg_values.update(
                {
                    "author_guest_id": False,
                    "model": records._name,
                    "res_id": record.id,
                    "body": escape(post.get("body") or ""),
                    "message_type": "comment",
                    "parent_id": parents.get(record.id, False),
                    "subject": post.get("subject") or False,
                    "subtype_id": comment,
                    "partner_ids": list(post.get("partner_ids") or []),
                    "incoming_email_to": False,
                    "incoming_email_cc": False,
                    "outgoing_email_to": False,
                    # a new comment tracks nothing: the e-mail's layout need
                    # not search its tracking values
                    "tracking_value_ids": [],
                }
            )
            msg_values.update(record._process_attachments_for_post([], [], msg_values))
            values_list.append(msg_values)
            partner_ids = msg_values["partner_ids"]
            if context.get("mail_post_autofollow") and partner_ids:
                record.message_subscribe(partner_ids=partner_ids)
            elif (
                partner_ids
                and context.get("mail_post_autofollow") is not False
                and record._mail_thread_customer
            ):
                customer = record._mail_get_customer()
                if customer.id in partner_ids:
                    record.message_subscribe(partner_ids=customer.ids)
        messages = records._message_create(values_list)
        if not context.get("mail_post_autofollow_author_skip"):
            # the author follows, to receive the answers (message_post)
            by_author = defaultdict(list)
            for record, msg_values in zip(records, values_list, strict=True):
                by_author[msg_values["author_id"]].append(record.id)
            for author_id, ids in by_author.items():
                real_author = records._message_compute_real_author(author_id)
                if real_author and not real_author.partner_share:
                    records.browse(ids)._message_subscribe(partner_ids=real_author.ids)
        for record, message, msg_values, notify in zip(
            records, messages, values_list, notify_list, strict=True
        ):
            record._message_post_after_hook(message, msg_values)
            record._notify_thread(message, msg_values, **notify)
        return messages

    def _iso10002_thread_parents(self):
        """{record id: the message a new post answers}, as
        ``_message_compute_parent_id`` finds it for each record (flat threads:
        the latest comment or e-mail, else the latest message), in one
        query."""
        if not self._mail_flat_thread:
            return {}
        self.env["mail.message"].flush_model(
            ["model", "res_id", "message_type", "date"]
        )
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT ON (res_id) res_id, id FROM mail_message
                    WHERE model = %s AND res_id = ANY(%s)
                      AND message_type != 'user_notification'
                    ORDER BY res_id,
                             message_type IN ('comment', 'email') DESC,
                             COALESCE(date, create_date) DESC, id DESC""",
                self._name,
                self.ids,
            )
        )
        return dict(self.env.cr.fetchall())
