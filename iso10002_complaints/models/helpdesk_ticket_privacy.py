"""Confidentiality and personal data of a complaint: need-to-know,
masking, named staff, erasure and retention (R-4.7, C.1 c, C.4, R-8.1)."""

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import ValidationError

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
        "email_cc",
        "iso10002_typed_contact",
        "iso10002_typed_contact_text",
    }
)


# Shown only to need-to-know (complaint roles): the complainant's personal data
# and the identity of staff named in a complaint (R-4.7, C.4)
PROTECTED_FIELDS = PERSONAL_FIELDS | {"concerned_user_ids", "concerned_department"}

# What Odoo's mail controllers read on the model, before they know the record,
# as the access needed to post or upload on a thread: a valid operation that
# _get_thread_with_access turns into the record's own _mail_post_access.
POST_ACCESS_NOT_KNOWN_YET = "create"


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
        # (internal users only: the form's domain. On the field, Odoo 19 would
        # apply it in the search for the tickets of each new user, and compute
        # the new user's share before their groups are set)
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
    def _get_thread_with_access(self, thread_id, *, mode="read", **kwargs):
        if mode == POST_ACCESS_NOT_KNOWN_YET:
            # the mail controllers asked the model: use the record's switch
            mode = self.browse(thread_id)._mail_post_access
        return super()._get_thread_with_access(thread_id, mode=mode, **kwargs)

    def _message_get_suggested_recipients_batch(self, **kwargs):
        """The chatter suggests the complainant and the addresses of their
        e-mails as recipients (Odoo 19 sends them to whoever reads the
        thread): none on complaints to users without need-to-know (R-4.7)."""
        suggested = super()._message_get_suggested_recipients_batch(**kwargs)
        if self._iso10002_masks_personal_data():
            for complaint in self.sudo().filtered("is_complaint"):
                suggested[complaint.id] = []
        return suggested

    def _mail_get_operation_for_mail_message_operation(self, message_operation):
        """Posting a message checks each ticket's own switch (Odoo takes the
        whole batch's)."""
        operations = super()._mail_get_operation_for_mail_message_operation(
            message_operation
        )
        if message_operation == "create":
            for ticket in operations:
                operations[ticket] = ticket._mail_post_access
        return operations

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
        groups = self.env.ref("iso10002_complaints.group_iso10002_manager") | (
            self.env.ref("iso10002_complaints.group_iso10002_auditor")
        )
        # sudo: other users' companies (Odoo 19 lets users read only theirs)
        users = (self.user_id | self.investigator_id).sudo() | (
            groups.sudo().all_user_ids
        )
        company = self.sudo().company_id
        return users.filtered(lambda u: company in u.company_ids).partner_id

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        """Following a confidential complaint grants nothing: internal
        followers outside need-to-know are not notified of its messages."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        if len(self) != 1 or not self.is_complaint:
            return recipients
        if self.is_confidential:
            allowed = set(self._iso10002_need_to_know_partners().ids)
            own = set((self.partner_id | self.representative_id).ids)
            return [data for data in recipients if data["id"] in allowed | own]
        if not self._iso10002_is_correspondence(message, msg_vals):
            return recipients
        # the complainant's correspondence reaches internal users only when
        # they may read the complaint's personal data (complaint roles)
        xmlid_to_id = self.env["ir.model.data"]._xmlid_to_res_id
        roles = {
            xmlid_to_id("iso10002_complaints.group_iso10002_agent"),
            xmlid_to_id("iso10002_complaints.group_iso10002_auditor"),
        }
        return [data for data in recipients if data["share"] or roles & data["groups"]]

    def _iso10002_is_correspondence(self, message, msg_vals):
        """``message`` is correspondence (mail_message.py), decided from the
        values it was posted with when they are given (no read back)."""
        keys = ("author_id", "email_from", "partner_ids")
        if not msg_vals or any(key not in msg_vals for key in keys):
            return bool(message.sudo()._iso10002_correspondence())
        Partner = self.env["res.partner"].sudo()
        author = Partner.browse(msg_vals["author_id"] or [])
        return bool(
            (author.partner_share if author else msg_vals["email_from"])
            or any(
                Partner.browse(list(msg_vals["partner_ids"] or [])).mapped(
                    "partner_share"
                )
            )
        )

    def _check_can_update_message_content(self, messages):
        # editing or deleting a message from the chatter
        if any(self.mapped("is_complaint")):
            messages.with_env(self.env)._iso10002_check_complaint_record()
        return super()._check_can_update_message_content(messages)

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
            or user.has_group("iso10002_complaints.group_iso10002_agent")
            or user.has_group("iso10002_complaints.group_iso10002_auditor")
            # a portal or public user (share) reads their own complaints
            or not user.has_group("base.group_user")
        )

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
