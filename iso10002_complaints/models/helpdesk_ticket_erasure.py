"""Erasure of a complainant's personal data on request and after the
retention period (R-4.7, R-8.1): nothing personal stays in any store, the
statistics stay."""

from datetime import timedelta

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.fields import Domain
from odoo.tools import plaintext2html

from . import iso10002_data as iso

# The complainant's personal data: masked in exports and reports
# without their consent to sharing


# Erasure: free texts of a complaint that may hold the complainant's
# words or details, replaced by the erased marker where set; the organisation's
# own notes (department concerned, dispute provider, decider's authority) stay
# (helpdesk_mgmt 19.0 has no internal notes field on tickets any more)
ERASED_TEXT_FIELDS = (
    "description",
    "remedy_requested_text",
    "immediate_action",
    "impact_notes",
    "unfounded_explanation",
    "reclassification_reason",
    "findings",
    "root_cause",
    "interim_response",
    "decision",
    "rejection_reason",
    "recourse_outcome",
    "consent_evidence",
    "review_notes",
    "withdrawal_reason",
    "archive_reason",
)

# Erasure: the complainant's details and identifiers, cleared (the links to
# the complainant and representative stay: their contacts are pseudonymised)
ERASED_CLEARED_FIELDS = (
    "partner_name",
    "partner_email",
    "email_cc",
    "contact_person_id",
    "iso10002_web_partner_id",
    "iso10002_web_mailbox",
    "iso10002_web_client",
    "iso10002_typed_contact",
    "product_description",
    "product_reference",
    "recourse_reference",
    "access_token",
)

# Erasure: what a pseudonymised contact no longer holds
ERASED_PARTNER_FIELDS = (
    "email",
    "phone",
    "mobile",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "country_id",
    "vat",
    "comment",
    "website",
    "function",
    "ref",
    "company_name",
    "image_1920",
)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _iso10002_pseudonymise(self, reason):
        """Erase the complainant's personal data from these complaints and
        from every record that copied it (R-8.1, R-4.7); what the statistics
        count stays: the complaint with its reference, category, channel,
        team, dates, steps, SLA lines, remedies and amounts, survey scores and
        the message history (who did what and when). See README,
        "Confidentiality and personal data"."""
        erased = self.env._("[erased on request]")
        complaints = self.sudo().with_context(active_test=False, mail_notrack=True)
        people = complaints._iso10002_erasure_partners()
        for complaint in complaints:
            complaint._iso10002_erase_own_fields(erased)
            complaint._iso10002_erase_records(erased)
            complaint._iso10002_erase_chatter(erased, people)
        # the people no complaint needs any more: their contacts, wizards and
        # mails go too (mails last: Odoo mails a portal user whose login
        # changes)
        gone = complaints._iso10002_partners_to_erase(people)
        emails = [email for email in gone.mapped("email") if email]
        complaints._iso10002_erase_partners(gone, erased)
        complaints._iso10002_erase_wizards(gone)
        complaints._iso10002_erase_mails(gone, emails)
        self._iso10002_collect_files_after_commit()
        for complaint in complaints.with_context(mail_notrack=False):
            complaint.message_post(
                body=self.env._(
                    "Personal data of the complainant erased by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    @api.model
    def _iso10002_collect_files_after_commit(self):
        """Deleting an attachment leaves its file to Odoo's file-store
        garbage collector (a daily job); once the erasure is committed, run
        it so that the erased files go now. It waits for no one: when
        attachments are busy, the daily job collects them."""
        registry = self.env.registry

        def collect():
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["ir.attachment"]._gc_file_store()

        self.env.cr.postcommit.add(collect)

    def _iso10002_erasure_partners(self):
        """The people whose data these complaints hold: the complainant, the
        representative, the contact person and the contact as typed on the
        web form."""
        return (
            self.partner_id
            | self.representative_id
            | self.contact_person_id
            | self.iso10002_web_partner_id
        )

    def _iso10002_erasure_records(self):
        """The complaint and its records that have a chatter, mails or
        attachments of their own: model -> ids."""
        self.ensure_one()
        return {
            self._name: self.ids,
            "iso10002.satisfaction": self.satisfaction_ids.ids,
            "iso10002.staff.statement": self.staff_statement_ids.ids,
            "iso10002.complaint.remedy": self.remedy_ids.ids,
        }

    @api.model
    def _iso10002_on_records(self, records, model_field, id_field):
        """A domain for rows that point to one of ``records`` (model -> ids)
        through a model name and an id field."""
        return Domain.OR(
            [
                [(model_field, "=", model), (id_field, "in", ids)]
                for model, ids in records.items()
                if ids
            ]
        )

    def _iso10002_erase_own_fields(self, erased):
        """The complaint's own fields (sudo, no tracking): a neutral title,
        the erased marker in the free texts that may hold the person's words,
        their details and identifiers cleared."""
        self.ensure_one()
        vals = {
            "name": self.env._(
                "Complaint %(ref)s", ref=self.complaint_reference or self.number
            ),
            "pseudonymised_on": fields.Datetime.now(),
        }
        for name in ERASED_TEXT_FIELDS:
            if self[name]:
                html = self._fields[name].type == "html"
                vals[name] = plaintext2html(erased) if html else erased
        for name in ERASED_CLEARED_FIELDS:
            vals[name] = False
        # the team's own fields (properties): texts and contacts as above
        properties = {}
        current = {}
        for prop in self.read(["properties"])[0]["properties"] or []:
            # the current values as written: ids for records (read gives
            # (id, name) pairs)
            value = prop.get("value")
            if prop["type"] == "many2one" and isinstance(value, (list, tuple)):
                value = value[0]
            elif prop["type"] == "many2many" and value:
                value = [v[0] if isinstance(v, (list, tuple)) else v for v in value]
            current[prop["name"]] = value
            if not prop.get("value"):
                continue
            if prop["type"] in ("char", "text"):
                properties[prop["name"]] = erased
            elif prop["type"] == "html":
                properties[prop["name"]] = plaintext2html(erased)
            elif prop.get("comodel") == "res.partner":
                properties[prop["name"]] = False
        if properties:
            # (a write replaces all the values: the others are written back)
            vals["properties"] = {**current, **properties}
        self._iso10002_write_raw(vals)

    def _iso10002_erase_records(self, erased):
        """The complaint's own records: the complainant's survey comments,
        the named staff's accounts (they quote them), reopening and escalation
        reasons, remedy descriptions, ratings and planned activities. Scores,
        states, dates and amounts stay."""
        self.ensure_one()
        for records, names in (
            (self.satisfaction_ids, ["comment"]),
            (self.staff_statement_ids, ["summary", "statement"]),
            (self.reopening_ids, ["reason", "previous_decision"]),
            (self.escalation_ids, ["reason"]),
            (self.remedy_ids, ["description", "waive_reason"]),
        ):
            for record in records:
                vals = {name: erased for name in names if record[name]}
                if vals:
                    # past the rules that keep issued records as they were
                    # (closed complaint, implemented remedy): erasure is the
                    # one change the system makes to them
                    models.BaseModel.write(record, vals)
        on_complaint = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        # its new name, as anyone who may read it reads it
        name = self.with_user(SUPERUSER_ID).display_name
        self.env["rating.rating"].sudo().search(on_complaint).write(
            {
                "feedback": False,
                "partner_id": False,
                "rated_partner_id": False,
                "res_name": name,
            }
        )
        activities = (
            self.env["mail.activity"]
            .sudo()
            .with_context(active_test=False)
            .search(on_complaint)
        )
        for activity in activities:
            activity.write(
                {
                    "summary": False,
                    "note": plaintext2html(erased) if activity.note else False,
                    "res_name": name,
                }
            )
        self.env["mail.scheduled.message"].sudo().search(
            [("model", "=", self._name), ("res_id", "=", self.id)]
        ).unlink()

    def _iso10002_erase_chatter(self, erased, people):
        """Every message of the complaint and of its records keeps its
        author, date, type and the tracking of non-personal fields; what was
        written (body, subject, sender and reply addresses, the record's old
        name, tracked texts and names of people) is erased; attachments, the
        people's followings and the live notifications carrying the messages
        go."""
        self.ensure_one()
        records = self._iso10002_erasure_records()
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(self._iso10002_on_records(records, "model", "res_id"))
        )
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(self._iso10002_on_records(records, "res_model", "res_id"))
        )
        (attachments | messages.attachment_ids).unlink()
        self._iso10002_erase_messages(messages, erased)
        self.message_unsubscribe(partner_ids=people.ids)
        # the bus relays new messages to open browsers (kept until Odoo's
        # daily clean-up): those about this complaint go
        self.env["bus.bus"].sudo().search(
            [("message", "like", f'{{"id":{self.id},"model":"{self._name}"')]
        ).unlink()

    @api.model
    def _iso10002_erase_messages(self, messages, erased):
        """What messages say and whom they came from by address; their
        record's current name (not stored on a message since 19.0), their
        author, date and type stay."""
        for message in messages:
            vals = {
                "subject": False,
                "email_from": False,
                "reply_to": False,
            }
            if message.body:
                vals["body"] = plaintext2html(erased)
            message.write(vals)
        messages.notification_ids.write({"failure_reason": False})
        self._iso10002_erase_tracking(messages.tracking_value_ids, erased)

    @api.model
    def _iso10002_erase_tracking(self, trackings, erased):
        """Tracked values that can show the person: texts and names of
        contacts or complaints (their title); selections, stages, dates and
        staff stay."""
        for tracking in trackings:
            field = tracking.field_id
            if field.ttype in ("char", "text", "html") or field.relation in (
                "res.partner",
                self._name,
            ):
                tracking.write(
                    {
                        name: erased
                        for name in (
                            "old_value_char",
                            "new_value_char",
                            "old_value_text",
                            "new_value_text",
                        )
                        if tracking[name]
                    }
                )

    def _iso10002_erase_wizards(self, people):
        """Wizards (transient records, vacuumed after a while) still open on
        these complaints or their people hold what was typed in them (a
        reason to escalate or reopen, a composed mail): they go now; this
        erasure's own wizard stays until it closes."""
        targets = {self._name: self.ids, "res.partner": people.ids}
        for name, model in self.env.registry.items():
            if not model._transient or name == "iso10002.erasure.wizard":
                continue
            domain = Domain.OR(
                [
                    [(field.name, "in", targets[field.comodel_name])]
                    for field in model._fields.values()
                    if field.type == "many2one"
                    and field.store
                    and targets.get(field.comodel_name)
                ]
            )
            if not domain.is_false():
                self.env[name].sudo().search(domain).unlink()

    def _iso10002_erase_mails(self, people, emails):
        """Outgoing mails of the complaints and their records, or to their
        people (queued or sent): recipients, contents and headers erased, the
        queued ones cancelled so that nothing erased is sent."""
        records = {}
        for complaint in self:
            for model, ids in complaint._iso10002_erasure_records().items():
                records.setdefault(model, []).extend(ids)
        domain = Domain.OR(
            [
                self._iso10002_on_records(records, "model", "res_id"),
                [("recipient_ids", "in", people.ids)],
                *(
                    ["|", ("email_to", "ilike", email), ("email_cc", "ilike", email)]
                    for email in emails
                ),
            ]
        )
        mails = (
            self.env["mail.mail"].sudo().with_context(active_test=False).search(domain)
        )
        mails.filtered(lambda m: m.state in ("outgoing", "exception")).write(
            {"state": "cancel"}
        )
        mails.write(
            {
                "body_html": False,
                "email_to": False,
                "email_cc": False,
                "recipient_ids": [Command.clear()],
                "headers": False,
                "references": False,
                "failure_reason": False,
            }
        )
        messages = mails.mail_message_id
        messages.write({"subject": False, "email_from": False, "reply_to": False})
        # mails about other documents (a portal invitation): their text too
        others = messages.filtered(lambda m: m.res_id not in records.get(m.model, []))
        others.attachment_ids.unlink()
        others.write({"body": False})

    @api.model
    def _iso10002_partners_to_erase(self, people):
        """Of ``people``, those whose contact is pseudonymised: none of their
        complaints keeps their data. Contacts of employees (internal users),
        organisations (not persons) and the database's companies are left as
        they are."""
        Ticket = self.env["helpdesk.ticket"].sudo().with_context(active_test=False)
        companies = self.env["res.company"].sudo().search([]).partner_id
        gone = self.env["res.partner"]
        for partner in people.with_context(active_test=False):
            remaining = Ticket.search_count(
                [
                    ("is_complaint", "=", True),
                    ("pseudonymised_on", "=", False),
                    "|",
                    "|",
                    ("partner_id", "=", partner.id),
                    ("representative_id", "=", partner.id),
                    ("contact_person_id", "=", partner.id),
                ]
            )
            if (
                remaining
                or partner.is_company
                or partner in companies
                or partner.user_ids.filtered(lambda u: not u.share)
            ):
                continue
            gone |= partner
        return gone

    @api.model
    def _iso10002_erase_partners(self, partners, erased):
        """Pseudonymise contacts, with their portal accounts and the messages
        on them."""
        Message = self.env["mail.message"].sudo()
        for partner in partners.with_context(active_test=False):
            users = partner.user_ids
            for user in users:
                vals = {"active": False, "signature": False}
                if user.login != f"erased-{user.id}":
                    # (a changed login makes Odoo mail the account's owner)
                    vals["login"] = f"erased-{user.id}"
                user.write(vals)
            # (Odoo refuses to archive a contact with active users: it looks
            # for them with active_test)
            partner.with_context(active_test=True).write(
                {
                    "name": self.env._("Erased complainant %(id)s", id=partner.id),
                    # the fields this Odoo has (19.0 has no mobile)
                    **{
                        name: False
                        for name in ERASED_PARTNER_FIELDS
                        if name in partner._fields
                    },
                    "active": False,
                }
            )
            # their addresses as senders anywhere, the notes on their contact
            # and account (portal access granted to their address...)
            Message.search([("author_id", "=", partner.id)]).write(
                {"email_from": False, "reply_to": False}
            )
            self._iso10002_erase_messages(
                Message.search(
                    Domain.OR(
                        [
                            [
                                ("model", "=", "res.partner"),
                                ("res_id", "=", partner.id),
                            ],
                            [("model", "=", "res.users"), ("res_id", "in", users.ids)],
                        ]
                    )
                ),
                erased,
            )

    @api.model
    def _cron_iso10002_retention(self):
        """Pseudonymise complaints closed longer ago than the company's
        retention period (R-8.1)."""
        now = fields.Datetime.now()
        for company in self.env["res.company"].search(
            [("iso10002_retention_days", ">", 0)]
        ):
            cutoff = now - timedelta(days=company.iso10002_retention_days)
            expired = (
                self.sudo()
                .with_context(active_test=False)
                .search(
                    [
                        ("company_id", "=", company.id),
                        ("is_complaint", "=", True),
                        ("iso10002_step", "=", iso.STEP_CLOSED),
                        ("closed_date", "<", cutoff),
                        ("pseudonymised_on", "=", False),
                    ],
                    limit=500,
                )
            )
            expired._iso10002_pseudonymise(
                self.env._(
                    "retention period of %(days)s days over",
                    days=company.iso10002_retention_days,
                )
            )
        return True
