"""The addon's chatter messages posted in batch: what ``message_post`` does
for one record, done once for many (the acknowledgements of complaints
created together)."""

from collections import defaultdict

from markupsafe import escape

from odoo import models
from odoo.tools import SQL, clean_context, split_every

# the rendering parameters of Odoo's _notify_thread_by_email, with its defaults
RENDERING = {
    "model_description": False,
    "force_email_company": False,
    "force_email_lang": False,
    "force_record_name": False,
    "subtitles": None,
}


class EmailBatch:
    """The notification of a batch of messages: their recipients, fetched
    together before each message goes through ``_notify_thread``, and their
    e-mails, gathered meanwhile and created together after."""

    def __init__(self, messages):
        self.message_ids = set(messages.ids)
        self.items = []
        # (model, record id, message type, subtype id, partner ids) ->
        # {partner id: recipient data}, as _get_recipient_data gives it for
        # that record alone; each taken once
        self.recipients = {}

    @classmethod
    def of(cls, env):
        """The batch being notified in ``env``, if any (never a value a
        caller put in the context of a request)."""
        batch = env.context.get("iso10002_email_batch")
        return batch if isinstance(batch, cls) else None

    @staticmethod
    def recipients_key(records, message_type, subtype_id, pids):
        return (records._name, records.id, message_type, subtype_id, frozenset(pids))


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
        e-mails, inbox); the e-mails of a batch are made as Odoo makes each,
        then created together (``_iso10002_notify_by_email_batch``).
        Overrides of ``message_post`` itself are not called: this is for the
        messages the addon writes, as Odoo's ``_message_log_batch`` is for
        its notes."""
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
        # the e-mails of the messages are gathered and created together
        batch = EmailBatch(messages) if len(records) > 1 else None
        if batch:
            records._iso10002_fetch_recipients(
                batch,
                comment,
                [msg_values["partner_ids"] for msg_values in values_list],
            )
        notifying = (
            records.with_context(iso10002_email_batch=batch) if batch else records
        )
        for record, message, msg_values, notify in zip(
            notifying, messages, values_list, notify_list, strict=True
        ):
            record._message_post_after_hook(message, msg_values)
            record._notify_thread(message, msg_values, **notify)
        if batch:
            records._iso10002_notify_by_email_batch(batch.items)
        return messages

    def _iso10002_fetch_recipients(self, batch, subtype_id, partner_ids):
        """The recipient data ``_notify_get_recipients`` asks for the comment
        of ``subtype_id`` posted on each record of ``self`` to its partners
        (``partner_ids``, one list per record), in two queries where Odoo
        runs one per message: the followers of each record who follow the
        subtype, and all the messages' partners (followers of each record or
        not). A message's recipients are its record's subtype followers and
        its own partners, as a query for that record alone finds them; the
        followers of the records do not change between this and the
        notifications."""
        Followers = self.env["mail.followers"]
        followers = Followers._get_recipient_data(self, "comment", subtype_id)
        pids = sorted({pid for own in partner_ids for pid in own})
        partners = (
            Followers._get_recipient_data(self, "comment", subtype_id, pids)
            if pids
            else followers
        )
        for record, own in zip(self, partner_ids, strict=True):
            data = {pid: dict(info) for pid, info in followers[record.id].items()}
            data.update(
                (pid, dict(partners[record.id][pid]))
                for pid in own
                if pid in partners[record.id]
            )
            key = batch.recipients_key(record, "comment", subtype_id, own)
            batch.recipients[key] = data

    def _notify_thread_by_email(self, message, recipients_data, **kwargs):
        batch = EmailBatch.of(self.env)
        if batch and message.id in batch.message_ids:
            batch.items.append((self, message, recipients_data, kwargs))
            return True
        return super()._notify_thread_by_email(message, recipients_data, **kwargs)

    def _iso10002_notify_by_email_batch(self, items):
        """Odoo's ``_notify_thread_by_email`` for each (record, message,
        recipients, parameters) of ``items``, with the e-mails of all the
        messages created in one ``mail.mail`` create and their notifications
        in one ``mail.notification`` create, where Odoo creates them message
        by message. Each e-mail is what Odoo makes of its message, by Odoo's
        own steps: base values, recipients classified by language and group,
        the layout, the final values."""
        # as Odoo: the e-mails created without the residual default_* keys
        env = self.env(context=clean_context(self.env.context))
        Mail = env["mail.mail"].sudo()
        Notification = env["mail.notification"].sudo()
        mails, sends = [], []
        for record, message, recipients_data, parameters in items:
            emails, send = record._iso10002_email_values(
                message, recipients_data, **parameters
            )
            sends.append((len(mails), len(mails) + len(emails), send))
            mails += emails
        created = Mail.create([mail_values for mail_values, _notified in mails])
        Notification.create(
            [
                dict(notification, mail_mail_id=mail.id)
                for mail, (_mail_values, notified) in zip(created, mails, strict=True)
                for notification in notified
            ]
        )
        limit = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("mail.mail.force.send.limit", 100)
        )
        for start, stop, (force_send, send_after_commit) in sends:
            emails = created[start:stop]
            if force_send and len(emails) < limit:
                if send_after_commit:
                    emails.send_after_commit()
                else:
                    emails.send()

    def _iso10002_email_values(
        self,
        message,
        recipients_data,
        *,
        msg_vals=False,
        mail_auto_delete=True,
        force_send=True,
        send_after_commit=True,
        **kwargs,
    ):
        """The e-mails Odoo's ``_notify_thread_by_email`` creates for
        ``message`` (same parameters): a list of (``mail.mail`` values, the
        values of its notifications without the e-mail), and whether and how
        they are sent ((force_send, send_after_commit))."""
        send = (
            self.env.context.get("mail_notify_force_send", force_send),
            send_after_commit,
        )
        partners_data = [r for r in recipients_data if r["notif"] == "email"]
        if not partners_data:
            return [], send
        additional_values = {"auto_delete": mail_auto_delete}
        if kwargs.get("mail_headers"):
            additional_values["headers"] = kwargs["mail_headers"]
        base_mail_values = self._notify_by_email_get_base_mail_values(
            message, partners_data, additional_values=additional_values
        )
        base_notification_values = self._notify_by_email_get_base_notification_values(
            message
        )
        batch_size = (
            int(self.env["ir.config_parameter"].sudo().get_param("mail.batch_size"))
            or 50
        )
        emails = []
        for (
            _lang,
            render_values,
            group,
        ) in self._notify_get_classified_recipients_iterator(
            message,
            partners_data,
            msg_vals=msg_vals,
            **{key: kwargs.get(key, default) for key, default in RENDERING.items()},
        ):
            body = self._notify_by_email_render_layout(
                message, group, msg_vals=msg_vals, render_values=render_values
            )
            for chunk in split_every(batch_size, group["recipients_ids"]):
                mail_values = self._notify_by_email_get_final_mail_values(
                    chunk, base_mail_values, additional_values={"body_html": body}
                )
                emails.append(
                    (
                        mail_values,
                        [
                            dict(base_notification_values, res_partner_id=partner_id)
                            for partner_id in chunk
                        ],
                    )
                )
            if group["recipients_emails"]:
                mail_values = self._notify_by_email_get_final_mail_values(
                    [], base_mail_values, additional_values={"body_html": body}
                )
                mail_values["email_to"] = ",".join(group["recipients_emails"])
                emails.append(
                    (
                        mail_values,
                        [
                            dict(base_notification_values, mail_email_address=email)
                            for email in group["recipients_emails"]
                        ],
                    )
                )
        return emails, send

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
