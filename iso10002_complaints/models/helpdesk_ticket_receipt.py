"""Receipt and acknowledgement of a complaint (R-7.2, R-7.4, Annex B, Annex D §1)."""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize, parse_contact_from_email

from . import iso10002_data as iso

# acknowledgements given outside the e-mail the addon sends
LOGGED_ACK_METHODS = ("phone", "visit", "letter", "other")


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    received_at = fields.Datetime(
        string="Received On", copy=False, tracking=True, index=True
    )
    received_by_id = fields.Many2one(
        comodel_name="res.users",
        copy=False,
        domain=[("share", "=", False)],
        tracking=True,
    )
    channel_kind = fields.Selection(
        related="channel_id.iso10002_kind",
    )
    subject = fields.Selection(
        selection=iso.SUBJECTS,
        string="Complaint About",
        default="product",
        help="A complaint may be about a product or service, or about the "
        "complaints-handling process itself (ISO 10002 3.2).",
    )
    partner_phone = fields.Char(
        related="partner_id.phone",
        string="Phone",
        help="For a caller who is not yet a contact, type their name and phone "
        "or e-mail: the contact is made when the complaint is saved.",
    )
    # the complainant's and representative's complaints (portal pages, the
    # need-to-know rule of portal users): index scans, not a scan of every
    # ticket
    partner_id = fields.Many2one(index="btree_not_null")
    representative_id = fields.Many2one(
        comodel_name="res.partner",
        index="btree_not_null",
        help="Person or organisation making the complaint on the complainant's "
        "behalf (ISO 10002 3.1, Annex B).",
    )
    contact_person_id = fields.Many2one(
        comodel_name="res.partner",
        help="Person to contact about this complaint, if not the complainant.",
    )
    product_id = fields.Many2one(
        comodel_name="product.product", string="Product Concerned"
    )
    product_reference = fields.Char(
        help="Reference or serial number of the product, if known (Annex B)."
    )
    problem_date = fields.Date(string="Problem Occurred On")
    is_recurring = fields.Boolean(
        string="Reported as Recurring",
        help="The complainant reports that the problem happened before.",
    )
    complaint_category_id = fields.Many2one(
        comodel_name="iso10002.complaint.category",
        tracking=True,
        help="Annex D problem category, used to analyse complaints (R-8.2).",
    )
    remedy_requested = fields.Boolean(tracking=True)
    remedy_requested_text = fields.Text(string="Remedy Requested Details")
    expected_response_date = fields.Date(
        tracking=True,
        help="Date by which the complainant was promised a response.",
    )
    immediate_action = fields.Text(string="Immediate Action Taken")
    acknowledged_at = fields.Datetime(
        string="Acknowledged On", copy=False, tracking=True
    )
    acknowledged_by_id = fields.Many2one(
        comodel_name="res.users", copy=False, tracking=True
    )
    acknowledgement_method = fields.Selection(
        selection=iso.ACK_METHODS, copy=False, tracking=True
    )
    acknowledgement_hours = fields.Float(
        string="Hours to Acknowledge",
        compute="_compute_acknowledgement_hours",
        store=True,
        aggregator="avg",
        help="Time from receipt to acknowledgement, in hours.",
    )

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------
    @api.depends("received_at", "acknowledged_at")
    def _compute_acknowledgement_hours(self):
        for ticket in self:
            if ticket.received_at and ticket.acknowledged_at:
                delta = ticket.acknowledged_at - ticket.received_at
                ticket.acknowledgement_hours = max(delta.total_seconds(), 0) / 3600
            else:
                ticket.acknowledgement_hours = 0.0

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_iso10002_open_log_acknowledgement(self):
        """Ask how the acknowledgement was given (phone, in person, letter)
        before logging it: the channel only suggests the method."""
        self.ensure_one()
        self._check_can_acknowledge()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Acknowledgement"),
            "res_model": "iso10002.acknowledgement.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_iso10002_log_acknowledgement(self, method=None):
        """Log the acknowledgement given by phone, in person or by letter
        (R-7.4); without a method, the one of the complaint's channel."""
        self._check_can_acknowledge()
        if method and method not in LOGGED_ACK_METHODS:
            raise UserError(
                self.env._(
                    "Log an acknowledgement given by phone, in person, by letter "
                    "or otherwise; an e-mailed one is sent with Send "
                    "Acknowledgement."
                )
            )
        labels = dict(
            self._fields["acknowledgement_method"]._description_selection(self.env)
        )
        for complaint in self:
            used = method or complaint._iso10002_suggested_ack_method()
            complaint._iso10002_do_acknowledge(used)
            complaint.message_post(
                body=self.env._(
                    "Acknowledgement given to the complainant (%(method)s).",
                    method=labels[used],
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_iso10002_send_acknowledgement(self):
        """E-mail the acknowledgement, once (R-7.4)."""
        self._check_can_acknowledge(by_email=True)
        self._iso10002_send_acknowledgement()
        return True

    def _check_can_acknowledge(self, by_email=False):
        self._check_is_complaint()
        for complaint in self:
            if complaint.acknowledged_at:
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s was already acknowledged on %(date)s.",
                        ref=complaint.complaint_reference,
                        date=fields.Datetime.to_string(complaint.acknowledged_at),
                    )
                )
            if by_email and not (complaint.partner_id.email or complaint.partner_email):
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s has no complainant e-mail address: add one, "
                        "or log the acknowledgement given by phone, visit or letter.",
                        ref=complaint.complaint_reference,
                    )
                )

    def _iso10002_suggested_ack_method(self):
        """The method the complaint's channel suggests."""
        self.ensure_one()
        kind = self.channel_kind
        return kind if kind in LOGGED_ACK_METHODS else "other"

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _iso10002_prepare_receipt_vals(self, vals, company_id, reference=None):
        """Fill the receipt data of a new complaint in ``vals`` (R-7.2)."""
        company = self.env["res.company"].browse(company_id or self.env.company.id)
        now = fields.Datetime.now()
        if not vals.get("received_at"):
            vals["received_at"] = now
        if not vals.get("received_by_id"):
            vals["received_by_id"] = self.env.user.id
        if not vals.get("complaint_reference"):
            vals["complaint_reference"] = (
                reference or company._iso10002_next_complaint_reference()
            )
        # the complaint reference is the ticket number shown everywhere
        vals["number"] = vals["complaint_reference"]
        if not vals.get("expected_response_date"):
            received = fields.Datetime.to_datetime(vals["received_at"])
            vals["expected_response_date"] = (
                received + timedelta(days=company.iso10002_response_days)
            ).date()
        return vals

    @api.model
    def _iso10002_prepare_complainant_vals(self, vals):
        """A complainant is a partner (ISO 10002 3.1): find or create it from the
        name, e-mail and phone given at receipt.

        Complaints that arrive by e-mail (the mail gateway gives the sender's
        "Name <address>"; the sender controls that mailbox) and complaints an
        agent records for a caller or visitor who is not yet a contact
        (R-4.3: phone and visit intake). An existing contact is reused only
        when its normalised address is exactly the one given, it belongs to
        the complaint's company or to none, it was not typed by an anonymous
        web submission (an address nobody proved) and the user may read it
        (an agent does not reach another complainant's contact by typing
        their address). A contact made here is a complainant contact of the
        complaint's company (R-4.7); only complaint agents (and the system)
        make one: the path creates no contact for anyone else."""
        phone = (vals.pop("partner_phone", None) or "").strip()
        if vals.get("partner_id"):
            return vals
        parsed_name, email = parse_contact_from_email(vals.get("partner_email") or "")
        email = email_normalize(email) if email else False
        name = (vals.get("partner_name") or parsed_name or "").strip()
        if vals.get("partner_email") and not email:
            if self.env.su:
                return vals
            raise UserError(
                self.env._(
                    "%(email)s is not an e-mail address: correct it, or leave it "
                    "empty and give the complainant's phone.",
                    email=vals["partner_email"],
                )
            )
        if not (email or name) or not self._iso10002_may_make_complainant_contact():
            return vals
        company_id = (
            vals.get("company_id")
            or self.env["helpdesk.ticket.team"]
            .browse(vals.get("team_id"))
            .company_id.id
            or self.env.company.id
        )
        Partner = self.env["res.partner"].sudo()
        partner = Partner
        if email:
            candidates = Partner.search(
                [
                    ("email_normalized", "=", email),
                    ("company_id", "in", [company_id, False]),
                    ("create_uid", "!=", self.env.ref("base.public_user").id),
                ],
                order="id",
            )
            if not self.env.su:
                candidates = candidates.sudo(False)._filtered_access("read").sudo()
            partner = candidates.filtered("user_ids")[:1] or candidates[:1]
        if not partner:
            partner = Partner.create(
                {
                    "name": name or email,
                    "email": email,
                    "phone": phone or False,
                    "company_id": company_id,
                    "iso10002_complainant_contact": True,
                }
            )
        vals["partner_id"] = partner.id
        return vals

    @api.model
    def _iso10002_may_make_complainant_contact(self):
        """The mail gateway and complaint agents record complainants who are
        not yet contacts; other users pick an existing contact."""
        return self.env.su or self.env.user.has_group(
            "iso10002_complaints.group_iso10002_agent"
        )

    def _iso10002_do_acknowledge(self, method):
        values = {
            "acknowledged_at": fields.Datetime.now(),
            "acknowledged_by_id": self.env.user.id,
            "acknowledgement_method": method,
        }
        self._iso10002_write_controlled(values)
        at_receipt = self.filtered(
            lambda c: (
                iso.step_index(c.iso10002_step) < iso.step_index(iso.STEP_ACKNOWLEDGED)
            )
        )
        at_receipt._iso10002_set_step(iso.STEP_ACKNOWLEDGED)

    def _iso10002_send_acknowledgement(self):
        """E-mail the acknowledgement (R-7.4) and record it."""
        with_address = self.filtered(lambda c: c.partner_id.email or c.partner_email)
        if not with_address:
            return
        template = self.env.ref("iso10002_complaints.mail_template_complaint_ack")
        with_address._iso10002_post_from_template(template)
        with_address.filtered(lambda c: not c.acknowledged_at)._iso10002_do_acknowledge(
            "email"
        )

    def _iso10002_post_from_template(self, template):
        """Post ``template`` on each complaint of ``self`` as an e-mailed
        comment: the message, author, recipients, language, chatter entry and
        e-mail of Odoo's composer, one record at a time, but prepared for the
        batch: one template render per language, the messages created in one
        insert (``_iso10002_message_post_batch``). A single complaint's e-mail
        is sent right away (the composer's single-record rule); a batch's
        e-mails wait in the outgoing queue, as Odoo's batch composer leaves
        them."""
        # one QWeb compile of the body for the batch (models/ir_qweb.py)
        rendered = template.with_context(iso10002_qweb_compiled={})._generate_template(
            self.ids,
            (
                "body_html",
                "email_from",
                "lang",
                "partner_to",
                "scheduled_date",
                "subject",
            ),
        )
        companies = self._mail_get_companies(default=self.env.company)
        alias_domains = self._mail_get_alias_domains(default_company=self.env.company)
        if self.env["res.users"]._get_signup_invitation_scope() == "b2c":
            # the customers' signup type in one write, not one per e-mail
            # (the portal button of each e-mail asks for it; res_partner.py)
            self.partner_id.sudo().filtered(
                lambda partner: not partner.user_ids
            ).signup_prepare()
        Thread = self.env["mail.thread"].with_context(active_test=False)
        authors = {}
        # reply-to addresses in one pass per sender (message_post would look
        # up the team's alias for each complaint)
        by_sender = defaultdict(list)
        for complaint in self:
            sender = rendered[complaint.id].get("email_from") or (
                self.env.user.email_formatted
            )
            by_sender[sender].append(complaint.id)
        reply_to = {}
        for sender, ids in by_sender.items():
            reply_to.update(self.browse(ids)._notify_get_reply_to(default=sender))
        posts = []
        for complaint in self:
            values = rendered[complaint.id]
            email_from = values.get("email_from") or self.env.user.email_formatted
            if email_from not in authors:
                # the composer's author: the partner of the sender's address,
                # else the user who sends
                author_id, _email = Thread._message_compute_author(None, email_from)
                authors[email_from] = author_id or self.env.user.partner_id.id
            posts.append(
                {
                    "body": values.get("body_html") or "",
                    "subject": values.get("subject") or "",
                    "email_from": email_from,
                    "author_id": authors[email_from],
                    "partner_ids": list(values.get("partner_ids") or []),
                    "mail_server_id": template.mail_server_id.id,
                    "email_add_signature": False,
                    "record_alias_domain_id": alias_domains[complaint.id].id,
                    "record_company_id": companies[complaint.id].id,
                    "reply_to": reply_to[complaint.id],
                    "scheduled_date": values.get("scheduled_date") or False,
                    "force_email_lang": values.get("lang") or False,
                    "email_layout_xmlid": template.email_layout_xmlid,
                    "force_send": len(self) == 1,
                    "mail_auto_delete": template.auto_delete,
                }
            )
        return self._iso10002_message_post_batch(posts)
