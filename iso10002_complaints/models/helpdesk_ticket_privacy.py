"""Confidentiality and personal data of a complaint: need-to-know,
masking, named staff, erasure and retention (R-4.7, C.1 c, C.4, R-8.1)."""

from datetime import timedelta

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.models import READ_GROUP_AGGREGATE, parse_read_group_spec
from odoo.osv import expression
from odoo.tools import SQL, ormcache, plaintext2html

from . import iso10002_data as iso

# The complainant's personal data: masked in exports and reports
# without their consent to sharing
PERSONAL_FIELDS = frozenset(
    {
        "partner_id",
        "partner_name",
        "partner_email",
        "commercial_partner_id",
        "representative_id",
        "contact_person_id",
    }
)


# Shown only to need-to-know (complaint roles): the complainant's personal data
# and the identity of staff named in a complaint (R-4.7, C.4)
PROTECTED_FIELDS = PERSONAL_FIELDS | {"concerned_user_ids", "concerned_department"}

# What Odoo's mail controllers read on the model, before they know the record,
# as the access needed to post or upload on a thread: a valid operation that
# _get_thread_with_access turns into the record's own _mail_post_access.
POST_ACCESS_NOT_KNOWN_YET = "create"

# Erasure: free texts of a complaint that may hold the complainant's
# words or details, replaced by the erased marker where set; the organisation's
# own notes (department concerned, dispute provider, decider's authority) stay
ERASED_TEXT_FIELDS = (
    "description",
    "notes",
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
    "review_notes",
    "withdrawal_reason",
    "archive_reason",
)
# Erasure: the complainant's details and identifiers, cleared (the links to
# the complainant and representative stay: their contacts are pseudonymised)
ERASED_CLEARED_FIELDS = (
    "partner_name",
    "partner_email",
    "contact_person_id",
    "iso10002_web_partner_id",
    "iso10002_web_mailbox",
    "iso10002_web_client",
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


def _holds_on_empty(operator, value):
    """Whether Odoo's condition ``(field, operator, value)`` holds on a
    record whose field is empty (so also on the records of a path through
    it)."""
    if operator in ("any", "=like", "=ilike", "like", "ilike", "child_of"):
        return False
    if operator in ("not any", "not like", "not ilike", "not =like", "not =ilike"):
        return True
    if operator in ("=", "=?"):
        return not value
    if operator in ("!=", "<>"):
        return bool(value)
    if operator in ("in", "not in") and isinstance(value, (list, tuple)):
        has_empty = any(not item for item in value)
        return has_empty if operator == "in" else not has_empty
    return False


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "iso10002.complaint.link"]

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    concerned_user_ids = fields.Many2many(
        comodel_name="res.users",
        relation="helpdesk_ticket_iso10002_concerned_user_rel",
        column1="ticket_id",
        column2="user_id",
        string="People Concerned",
        domain=[("share", "=", False)],
        help="Staff members the complaint is about. None of them may investigate it "
        "(ISO 10002 4.5, C.1 b).",
    )
    concerned_department = fields.Char(string="Department Concerned")
    is_confidential = fields.Boolean(
        string="Confidential",
        compute="_compute_is_confidential",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        help="Only the assigned agent and investigator, the complaints managers, "
        "top management and auditors can see a confidential complaint. Always on "
        "for complaints about a named staff member (ISO 10002 C.4).",
    )
    staff_statement_ids = fields.One2many(
        comodel_name="iso10002.staff.statement",
        inverse_name="ticket_id",
        string="Accounts of Staff Named",
    )
    pseudonymised_on = fields.Datetime(
        string="Personal Data Erased On", readonly=True, copy=False, tracking=True
    )

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------
    @api.depends(
        "team_id.iso10002_confidential",
        "complaint_category_id.is_confidential",
        "concerned_user_ids",
    )
    def _compute_is_confidential(self):
        for ticket in self:
            ticket.is_confidential = bool(
                ticket.is_confidential
                or ticket.team_id.iso10002_confidential
                or ticket.complaint_category_id.is_confidential
                or ticket.concerned_user_ids
            )

    @api.constrains("is_confidential", "concerned_user_ids")
    def _check_named_staff_confidential(self):
        for ticket in self:
            if ticket.concerned_user_ids and not ticket.is_confidential:
                raise ValidationError(
                    self.env._(
                        "Complaint %(ref)s names staff members: it stays "
                        "confidential (ISO 10002 C.4).",
                        ref=ticket.complaint_reference or ticket.number,
                    )
                )

    @api.depends("is_complaint", "is_confidential")
    @api.depends_context("uid")
    def _compute_display_name(self):
        """R-4.7: the name of a confidential complaint (reference and title)
        shown through another record (a many2one read with sudo, as Odoo does
        for every many2one) only to users who may read the complaint."""
        result = super()._compute_display_name()
        hidden = self._iso10002_hidden_from_user()
        for ticket in hidden:
            ticket.display_name = self.env._("Confidential complaint")
        return result

    def _iso10002_hidden_from_user(self):
        """Confidential complaints of ``self`` read with sudo on behalf of an
        internal or portal user who has no need to know them."""
        if (
            not self.env.su
            or self.env.uid == SUPERUSER_ID
            or self.env.user._is_public()
        ):
            return self.browse()
        candidates = self.filtered(
            lambda t: isinstance(t.id, int) and t.is_complaint and t.is_confidential
        )
        if not candidates:
            return candidates
        return candidates - candidates.sudo(False)._filtered_access("read")

    def _iso10002_check_linkable(self):
        """Records that point to tickets (iso10002.complaint.link) may point
        only to tickets their user may read (R-4.7)."""
        if self and not self.env.su:
            self.check_access("read")

    # ------------------------------------------------------------------
    # Chatter: who may post, follow and plan on a complaint
    # ------------------------------------------------------------------
    @property
    def _mail_post_access(self):
        """Odoo's switch for the access needed to post on a thread (and to
        plan activities), per record: helpdesk_mgmt lets readers post on
        plain tickets; on complaints one must be able to change the complaint
        (R-4.7): followers, recipients and the auditor only read."""
        if not self._ids:
            return POST_ACCESS_NOT_KNOWN_YET
        tickets = (
            self.sudo()
            .with_context(active_test=False)
            .browse([id_ for id_ in self._ids if isinstance(id_, int)])
            .exists()
        )
        if not tickets or any(tickets.mapped("is_complaint")):
            return "write"
        return "read"

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        if mode == POST_ACCESS_NOT_KNOWN_YET:
            # the mail controllers asked the model: use the record's switch
            mode = self.browse(thread_id)._mail_post_access
        return super()._get_thread_with_access(thread_id, mode, **kwargs)

    @api.model
    def _get_mail_message_access(self, res_ids, operation, model_name=None):
        if not model_name and operation == "create":
            return self.browse(res_ids)._mail_post_access
        return super()._get_mail_message_access(
            res_ids, operation, model_name=model_name
        )

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        """Following a complaint, oneself included, takes write access: the
        auditor and readers without need-to-know do not follow (R-4.7)."""
        if partner_ids and not self.env.su:
            complaints = self.sudo().filtered("is_complaint").with_env(self.env)
            if complaints:
                complaints.check_access("write")
        return super().message_subscribe(
            partner_ids=partner_ids, subtype_ids=subtype_ids
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _iso10002_need_to_know_partners(self):
        """Internal partners who may read this confidential complaint."""
        self.ensure_one()
        users = (
            self.user_id
            | self.investigator_id
            | self.env.ref("iso10002_complaints.group_iso10002_manager").sudo().users
            | self.env.ref("iso10002_complaints.group_iso10002_auditor").sudo().users
        )
        return users.filtered(lambda u: self.company_id in u.company_ids).partner_id

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        """Following a confidential complaint grants nothing: internal
        followers outside need-to-know are not notified of its messages."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        if len(self) != 1 or not (self.is_complaint and self.is_confidential):
            return recipients
        allowed = set(self._iso10002_need_to_know_partners().ids)
        own = set((self.partner_id | self.representative_id).ids)
        return [data for data in recipients if data["id"] in allowed | own]

    def _check_can_update_message_content(self, messages):
        # editing or deleting a message from the chatter
        if any(self.mapped("is_complaint")):
            messages.with_env(self.env)._iso10002_check_complaint_record()
        return super()._check_can_update_message_content(messages)

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
        return expression.OR(
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
        for prop in self.read(["properties"])[0]["properties"] or []:
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
            vals["properties"] = {**dict(self.properties), **properties}
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
        record's current name, their author, date and type stay."""
        for message in messages:
            record = (
                self.env[message.model].browse(message.res_id).with_user(SUPERUSER_ID)
            )
            vals = {
                "subject": False,
                "email_from": False,
                "reply_to": False,
                "record_name": record.display_name,
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
            domain = expression.OR(
                [
                    [(field.name, "in", targets[field.comodel_name])]
                    for field in model._fields.values()
                    if field.type == "many2one"
                    and field.store
                    and targets.get(field.comodel_name)
                ]
            )
            if domain != expression.FALSE_DOMAIN:
                self.env[name].sudo().search(domain).unlink()

    def _iso10002_erase_mails(self, people, emails):
        """Outgoing mails of the complaints and their records, or to their
        people (queued or sent): recipients, contents and headers erased, the
        queued ones cancelled so that nothing erased is sent."""
        records = {}
        for complaint in self:
            for model, ids in complaint._iso10002_erasure_records().items():
                records.setdefault(model, []).extend(ids)
        domain = expression.OR(
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
                    **{name: False for name in ERASED_PARTNER_FIELDS},
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
                    expression.OR(
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

    def _iso10002_shares_personal_data(self):
        """The complainant agreed that their details go beyond handling."""
        self.ensure_one()
        return self.consent_scope == "sharing"

    def _iso10002_staff_summary(self):
        """What a named staff member is told (C.2): the complaint's subject,
        without the complainant's personal data unless they consented."""
        self.ensure_one()
        lines = [
            self.env._(
                "Complaint %(ref)s: %(title)s",
                ref=self.complaint_reference,
                title=self.name,
            ),
            self.env._(
                "Received on %(date)s, category: %(category)s.",
                date=fields.Date.to_string(self.received_at.date())
                if self.received_at
                else "-",
                category=self.complaint_category_id.display_name or "-",
            ),
        ]
        if self._iso10002_shares_personal_data():
            lines.append(self.env._("Complainant: %(name)s", name=self.partner_id.name))
        else:
            lines.append(
                self.env._(
                    "The complainant's identity is withheld: they did not agree to "
                    "sharing it."
                )
            )
        return "\n".join(lines)

    @api.model
    def _iso10002_sees_personal_data(self):
        """Complaint roles (agents and up, auditors) need to know who
        complained and who is named; other internal users do not."""
        user = self.env.user
        return (
            self.env.su
            or user.share
            or user.has_group("iso10002_complaints.group_iso10002_agent")
            or user.has_group("iso10002_complaints.group_iso10002_auditor")
        )

    # ------------------------------------------------------------------
    # Masking beyond read: search, order, grouping, aggregates (R-4.7, C.4)
    # ------------------------------------------------------------------
    @api.model
    def _iso10002_masks_personal_data(self):
        """The current user reads complaints without their personal data:
        every complaint is masked for them, whatever path they take."""
        return not self.env.su and not self._iso10002_sees_personal_data()

    @api.model
    @ormcache()
    def _iso10002_protected_fnames(self):
        """The protected fields and the fields related through them."""
        return frozenset(
            {
                name
                for name, field in self._fields.items()
                if name in PROTECTED_FIELDS
                or (
                    field.related and field.related.split(".", 1)[0] in PROTECTED_FIELDS
                )
            }
        )

    @api.model
    def _iso10002_mask_domain(self, domain):
        """Each condition on a protected field (or on a path through one)
        is evaluated on complaints as if the field were empty, as sorting and
        grouping do: the same answer for every complaint, so no condition
        tells one complaint from another; plain tickets are unchanged."""
        protected = self._iso10002_protected_fnames()
        masked = []
        for leaf in domain:
            if not (
                isinstance(leaf, (list, tuple))
                and len(leaf) == 3
                and isinstance(leaf[0], str)
                and leaf[0].split(".", 1)[0] in protected
            ):
                masked.append(leaf)
            elif _holds_on_empty(leaf[1], leaf[2]):
                masked += ["|", ("is_complaint", "=", True), leaf]
            else:
                masked += ["&", ("is_complaint", "=", False), leaf]
        return masked

    def _iso10002_masked_sql(self, alias, sql, query):
        """``sql`` (a value of the ticket at ``alias``), NULL on complaints."""
        return SQL(
            "(CASE WHEN %s THEN NULL ELSE %s END)",
            self._field_to_sql(alias, "is_complaint", query),
            sql,
        )

    @api.model
    def _where_calc(self, domain, active_test=True):
        # every search goes through here (search, search_count, read_group,
        # name_search, paths from other models); record rules do not
        if domain and self._iso10002_masks_personal_data():
            domain = self._iso10002_mask_domain(domain)
        return super()._where_calc(domain, active_test=active_test)

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        fname = field_name.split(".", 1)[0]
        if (
            fname not in self._iso10002_protected_fnames()
            or not self._iso10002_masks_personal_data()
        ):
            return super()._order_field_to_sql(
                alias, field_name, direction, nulls, query
            )
        # complaints sort as if the field were empty
        field = self._fields[fname]
        sql_field = self._iso10002_masked_sql(
            alias, self._field_to_sql(alias, fname, query), query
        )
        comodel = field.comodel_name and self.env[field.comodel_name]
        if (
            field.type != "many2one"
            or field_name.endswith(".id")
            or comodel._order == "id"
        ):
            if query.groupby:
                query.groupby = SQL("%s, %s", query.groupby, sql_field)
            return SQL("%s %s %s", sql_field, direction, nulls)
        # a many2one sorts by its comodel's order: join the comodel on the
        # masked value, so complaints join nothing
        terms = []
        if nulls.code == "NULLS FIRST":
            terms.append(SQL("%s IS NOT NULL", sql_field))
        elif nulls.code == "NULLS LAST":
            terms.append(SQL("%s IS NULL", sql_field))
        coalias = query.make_alias(alias, f"{fname}__iso10002")
        query.add_join(
            "LEFT JOIN",
            coalias,
            comodel._table,
            SQL("%s = %s", sql_field, SQL.identifier(coalias, "id")),
        )
        term = comodel._order_to_sql(
            comodel._order, query, alias=coalias, reverse=direction.code == "DESC"
        )
        if term:
            terms.append(term)
        return SQL(", ").join(terms)

    def _read_group_groupby(self, groupby_spec, query):
        fname = parse_read_group_spec(groupby_spec)[0]
        if (
            fname not in self._iso10002_protected_fnames()
            or not self._iso10002_masks_personal_data()
        ):
            return super()._read_group_groupby(groupby_spec, query)
        field = self._fields[fname]
        if field.type == "many2many" and field.store:
            # one row per complaint, in the empty group: the rows of the
            # relation are joined to plain tickets only (Odoo joins them to
            # every record, which would count the people named)
            comodel = self.env[field.comodel_name]
            coquery = comodel._where_calc([], active_test=False)
            comodel._apply_ir_rules(coquery)
            rel_alias = query.make_alias(self._table, f"{fname}__iso10002")
            condition = SQL(
                "%s = %s AND %s IS NOT TRUE",
                SQL.identifier(self._table, "id"),
                SQL.identifier(rel_alias, field.column1),
                self._field_to_sql(self._table, "is_complaint", query),
            )
            if coquery.where_clause:
                condition = SQL(
                    "%s AND %s IN %s",
                    condition,
                    SQL.identifier(rel_alias, field.column2),
                    coquery.subselect(),
                )
            query.add_join("LEFT JOIN", rel_alias, field.relation, condition)
            return SQL.identifier(rel_alias, field.column2)
        return self._iso10002_masked_sql(
            self._table, super()._read_group_groupby(groupby_spec, query), query
        )

    def _read_group_select(self, aggregate_spec, query):
        sql = super()._read_group_select(aggregate_spec, query)
        if aggregate_spec == "__count" or not self._iso10002_masks_personal_data():
            return sql
        fname, __, func = parse_read_group_spec(aggregate_spec)
        if fname not in self._iso10002_protected_fnames():
            return sql
        sql_field = self._iso10002_masked_sql(
            self._table, self._field_to_sql(self._table, fname, query), query
        )
        return READ_GROUP_AGGREGATE[func](self._table, sql_field)

    # ------------------------------------------------------------------
    # Complainants' contacts (R-4.7)
    # ------------------------------------------------------------------
    @api.model
    def _iso10002_create_from_web(self, company, values, files, user_partner=None):
        complaint = super()._iso10002_create_from_web(
            company, values, files, user_partner=user_partner
        )
        complaint._iso10002_bind_complainant_contacts()
        return complaint

    def _iso10002_bind_complainant_contacts(self):
        """The contacts the web form made for a complaint (all of its
        contacts without a user account: the form reuses none) belong to the
        complaint's company and are complainant contacts, read only by need
        to know (record rule res_partner_rule_iso10002_complainant)."""
        for complaint in self.sudo():
            contacts = (
                complaint.partner_id
                | complaint.representative_id
                | complaint.contact_person_id
            ).filtered(lambda p: not p.user_ids and not p.iso10002_complainant_contact)
            contacts.write(
                {
                    "company_id": complaint.company_id.id,
                    "iso10002_complainant_contact": True,
                }
            )

    def _read_format(self, fnames, load="_classic_read"):
        """R-4.7, C.4: users outside need-to-know who may see a complaint read
        its non-personal content only."""
        result = super()._read_format(fnames, load=load)
        protected = self._iso10002_protected_fnames()
        hidden = [name for name in fnames if name in protected]
        if not hidden or self._iso10002_sees_personal_data():
            return result
        complaints = set(self.sudo().filtered("is_complaint").ids)
        for values in result:
            if values.get("id") in complaints:
                for name in hidden:
                    values[name] = (
                        [] if self._fields[name].type.endswith("2many") else False
                    )
        return result

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        """R-4.7: exports mask the complainant's personal data unless they
        agreed to sharing it, also when a complaint is exported through
        another record (``duplicate_id/partner_email``). The masked columns
        are not read at all: the user may not read the complainant's contact."""
        protected = self._iso10002_protected_fnames()
        personal = {
            index for index, path in enumerate(fields) if path and path[0] in protected
        }
        outsider = not self._iso10002_sees_personal_data()
        masked = self.filtered(
            lambda t: (
                t.is_complaint and (outsider or not t._iso10002_shares_personal_data())
            )
        )
        if not personal or not masked:
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        hidden = self.env._("(withheld)")
        # the masked columns export the record's id, overwritten below
        kept = [
            [".id"] if index in personal else path for index, path in enumerate(fields)
        ]
        rows = []
        for ticket in self:
            if ticket not in masked:
                rows.extend(
                    super(HelpdeskTicket, ticket)._export_rows(
                        fields, _is_toplevel_call=_is_toplevel_call
                    )
                )
                continue
            ticket_rows = super(HelpdeskTicket, ticket)._export_rows(
                kept, _is_toplevel_call=_is_toplevel_call
            )
            for index in personal:
                ticket_rows[0][index] = hidden
            rows.extend(ticket_rows)
        return rows

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
