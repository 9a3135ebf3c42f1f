"""Followers of a complaint: the complainant and the people they brought
in are personal data (R-4.7, C.4)."""

from odoo import api, models
from odoo.fields import Domain
from odoo.tools import SQL

from .helpdesk_ticket_mail_batch import EmailBatch

TICKET = "helpdesk.ticket"


class MailFollowers(models.Model):
    """Users who may read a complaint without its personal data (internal
    users outside the complaint roles) see its internal followers only: the
    follower list, counts, searches and reads by id all leave out the
    followers who are not internal users."""

    _inherit = "mail.followers"

    @api.model
    def _iso10002_masked_for_user(self):
        return self.env[TICKET]._iso10002_masks_personal_data()

    @api.model
    def _iso10002_visible_domain(self):
        """The followers the current user may see when they mask: anything
        but a complaint's follower who is not an internal user."""
        complaints = (
            self.env[TICKET]
            .sudo()
            .with_context(active_test=False)
            ._search([("is_complaint", "=", True)])
        )
        internal = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            ._search([("partner_share", "=", False)])
        )
        return [
            "|",
            "|",
            ("res_model", "!=", TICKET),
            ("res_id", "not in", complaints),
            ("partner_id", "in", internal),
        ]

    def _get_recipient_data(self, records, message_type, subtype_id, pids=None):
        # the recipients of a message of a batch the addon posts, fetched
        # for the batch (helpdesk_ticket_mail_batch.py)
        batch = EmailBatch.of(self.env)
        if batch and len(records) == 1:
            key = batch.recipients_key(records, message_type, subtype_id, pids or ())
            data = batch.recipients.pop(key, None)
            if data is not None:
                return {records.id: data}
        return super()._get_recipient_data(records, message_type, subtype_id, pids=pids)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        if self._iso10002_masked_for_user():
            domain = Domain.AND([domain, self._iso10002_visible_domain()])
        return super()._search(
            domain, offset=offset, limit=limit, order=order, **kwargs
        )

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or not self._ids or not self._iso10002_masked_for_user():
            return result
        visible = self.sudo().search(
            [("id", "in", self.ids), *self._iso10002_visible_domain()]
        )
        forbidden = self - visible.sudo(False)
        if not forbidden:
            return None
        return forbidden, lambda: self.env["ir.rule"]._make_access_error(
            operation, forbidden
        )

    @api.model
    def _iso10002_follow(self, model, pairs):
        """Make partners follow records as ``message_subscribe`` does for
        internal partners (the default subtypes), in two statements for all
        ``(res_id, partner_id)`` pairs; existing followers are kept as they
        are."""
        if not pairs:
            return
        pairs = sorted(pairs)
        cr = self.env.cr
        cr.execute(
            SQL(
                """INSERT INTO mail_followers (res_model, res_id, partner_id)
                   SELECT %s, pair.res_id, pair.partner_id
                     FROM unnest(%s::int[], %s::int[]) AS pair(res_id, partner_id)
                       ON CONFLICT (res_model, res_id, partner_id) DO NOTHING
                RETURNING id""",
                model,
                [res_id for res_id, _partner in pairs],
                [partner for _res_id, partner in pairs],
            )
        )
        followers = [row[0] for row in cr.fetchall()]
        subtypes = self.env["mail.message.subtype"].default_subtypes(model)[0]
        if followers and subtypes:
            cr.execute(
                SQL(
                    """INSERT INTO mail_followers_mail_message_subtype_rel
                           (mail_followers_id, mail_message_subtype_id)
                       SELECT follower, subtype
                         FROM unnest(%s::int[]) AS follower
                        CROSS JOIN unnest(%s::int[]) AS subtype""",
                    followers,
                    subtypes.ids,
                )
            )
        self.invalidate_model()
