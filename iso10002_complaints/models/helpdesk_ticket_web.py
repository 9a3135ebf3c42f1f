"""Web intake of complaints (R-4.2, R-4.3, R-4.7): server-made submission
tokens bound to the client, limits per mailbox and client, creation that
stores nothing when refused, and the proof of an address before a web
complaint joins an existing contact."""

import uuid
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html
from odoo.tools.misc import hash_sign, verify_hash_signed
from odoo.tools.misc import hmac as hmac_hex

# A web submission token is issued when the form is shown, bound to the
# client that asked for it, and expires: the thanks page and the
# double-submit check accept only tokens this server made for this client.
SUBMISSION_TOKEN_SCOPE = "iso10002-web-submission"
SUBMISSION_TOKEN_HOURS = 4
CLIENT_SCOPE = "iso10002-web-client"
# The link that proves an e-mail address before a web complaint joins the
# existing contact's portal
LINK_TOKEN_SCOPE = "iso10002-link-contact"
LINK_TOKEN_HOURS = 24 * 7
# Complaints one client (IP address) may send per hour, in multiples of the
# per-address limit (several people may share one connection)
CLIENT_RATE_FACTOR = 3


# the contact details a returning complainant may type differently
TYPED_CONTACT = ("phone", "street", "zip", "city")


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    iso10002_submission_token = fields.Char(
        string="Web Submission",
        copy=False,
        readonly=True,
        index="btree_not_null",
        groups="base.group_system",
        help="Identifies a web form submission, so that a double submit does not "
        "create a second complaint.",
    )
    iso10002_web_mailbox = fields.Char(
        string="Web Mailbox",
        copy=False,
        readonly=True,
        index="btree_not_null",
        groups="base.group_system",
        help="The normalised e-mail address a web complaint was sent from, for "
        "the submission limits.",
    )
    iso10002_web_client = fields.Char(
        string="Web Client",
        copy=False,
        readonly=True,
        index="btree_not_null",
        groups="base.group_system",
        help="A keyed hash of the network address a web complaint was sent "
        "from, for the submission limits (the address itself is not kept).",
    )
    iso10002_web_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Contact as Typed",
        copy=False,
        readonly=True,
        groups="base.group_system",
    )

    iso10002_typed_contact = fields.Json(
        string="Contact Details as Typed",
        copy=False,
        readonly=True,
        help="Phone and address a returning complainant typed on the web form "
        "that differ from their contact: kept with the complaint until an agent "
        "updates the contact with them.",
    )
    iso10002_earlier_reference = fields.Char(
        string="Earlier Complaint (as Typed)",
        copy=False,
        help="The reference of the earlier complaint whose handling this "
        "complaint is about, as the complainant typed it.",
    )
    iso10002_typed_contact_text = fields.Char(
        string="Details Typed on the Form",
        compute="_compute_iso10002_typed_contact_text",
    )

    @api.depends("iso10002_typed_contact")
    def _compute_iso10002_typed_contact_text(self):
        labels = {
            "phone": self.env._("Phone"),
            "street": self.env._("Street"),
            "zip": self.env._("ZIP"),
            "city": self.env._("City"),
        }
        Country = self.env["res.country"].sudo()
        for ticket in self:
            typed = ticket.iso10002_typed_contact or {}
            parts = [
                f"{labels[key]}: {typed[key]}" for key in TYPED_CONTACT if key in typed
            ]
            if typed.get("country_id"):
                parts.append(
                    self.env._(
                        "Country: %(name)s",
                        name=Country.browse(typed["country_id"]).name,
                    )
                )
            ticket.iso10002_typed_contact_text = "; ".join(parts)

    def action_iso10002_update_contact(self):
        """Give the complainant's contact the details they typed (R-7.2)."""
        self.ensure_one()
        self._check_is_complaint()
        self.check_access("write")
        typed = dict(self.iso10002_typed_contact or {})
        if not typed:
            raise UserError(self.env._("There are no typed details to take over."))
        # agents need not manage contacts: the complaint's own complainant
        # gets only the details they typed themselves
        allowed = {*TYPED_CONTACT, "country_id"}
        self.partner_id.sudo().write(
            {key: value for key, value in typed.items() if key in allowed}
        )
        self._iso10002_write_controlled({"iso10002_typed_contact": False})
        self.message_post(
            body=self.env._("The contact now has the details typed on the web form."),
            subtype_xmlid="mail.mt_note",
        )
        return True

    @api.model
    def _iso10002_typed_contact_changes(self, partner, values):
        """What a returning complainant typed that their contact does not
        hold: {field: value}, nothing when it all matches."""
        changes = {}
        for key in TYPED_CONTACT:
            typed = (values.get(key) or "").strip()
            if typed and typed != (partner[key] or "").strip():
                changes[key] = typed
        country = values.get("country_id") or ""
        if (
            country.isdigit()
            and int(country) != partner.country_id.id
            and self.env["res.country"].browse(int(country)).exists()
        ):
            changes["country_id"] = int(country)
        return changes

    # ------------------------------------------------------------------
    # Web intake: tokens, limits, creation
    # ------------------------------------------------------------------
    @api.model
    def _iso10002_web_client(self, address):
        """A keyed hash of the client's network address."""
        return address and hmac_hex(self.env, CLIENT_SCOPE, address)[:32]

    @api.model
    def _iso10002_issue_submission_token(self, client):
        return hash_sign(
            self.env(su=True),
            SUBMISSION_TOKEN_SCOPE,
            [uuid.uuid4().hex, client or ""],
            expiration_hours=SUBMISSION_TOKEN_HOURS,
        )

    @api.model
    def _iso10002_check_submission_token(self, token, client):
        """True when ``token`` was issued by this server to this client and
        has not expired."""
        if not token or len(token) > 512:
            return False
        try:
            values = verify_hash_signed(
                self.env(su=True), SUBMISSION_TOKEN_SCOPE, token
            )
        except (ValueError, TypeError, UnicodeError):
            return False
        return bool(values) and len(values) == 2 and values[1] == (client or "")

    @api.model
    def _iso10002_web_rate_limit_error(self, company, mailbox, client):
        """The message when this mailbox or this client sent too many
        complaints in the last hour (to any company), else False."""
        since = fields.Datetime.now() - timedelta(hours=1)
        # across companies: one address is flooded through any of them
        recent = [("is_complaint", "=", True), ("create_date", ">=", since)]
        limit = company.iso10002_web_rate_limit
        Ticket = self.sudo().with_context(active_test=False)
        if (
            Ticket.search_count(recent + [("iso10002_web_mailbox", "=", mailbox)])
            >= limit
        ):
            return self.env._(
                "We have received several complaints from this e-mail address in "
                "the last hour. Please wait a little, or call us."
            )
        if (
            client
            and Ticket.search_count(recent + [("iso10002_web_client", "=", client)])
            >= limit * CLIENT_RATE_FACTOR
        ):
            return self.env._(
                "We have received several complaints from your connection in the "
                "last hour. Please wait a little, or call us."
            )
        return False

    @api.model
    def _iso10002_create_from_web(self, company, values, files, user_partner=None):
        """A complaint from the public form (sudo: no login needed).

        The complaint keeps what was typed: it is linked to an existing
        contact only when the submitter is that contact, logged in. Otherwise
        a new contact is made from the typed details, and when the address
        belongs to an existing contact, that address receives a link that
        joins the complaint to the contact once opened (R-4.7).

        A submission token makes one complaint: sent again, it returns the
        complaint it made (R-4.3)."""
        teams = self._iso10002_complaint_teams(company)
        if not teams:
            raise UserError(
                self.env._(
                    "Complaints cannot be sent online at the moment. Please e-mail "
                    "or call us."
                )
            )
        # one complaint per token, also when two requests carry it at once
        token = values.get("submission_token") or uuid.uuid4().hex
        if not self.env["iso10002.web.submission"].sudo()._claim(token):
            return self.sudo().search(
                [("iso10002_submission_token", "=", token)], limit=1
            )
        mailbox = values["mailbox"]
        Partner = self.env["res.partner"]
        owner = Partner
        typed = {}
        if user_partner and user_partner.email_normalized == mailbox:
            partner = user_partner
            typed = self._iso10002_typed_contact_changes(partner, values)
        else:
            owner = self._iso10002_existing_contact(mailbox)
            country = (
                self.env["res.country"]
                .browse(
                    int(values["country_id"])
                    if (values.get("country_id") or "").isdigit()
                    else 0
                )
                .exists()
            )
            partner = Partner.create(
                {
                    "name": values["name"],
                    "email": values["email"],
                    "phone": values.get("phone"),
                    "street": values.get("street"),
                    "zip": values.get("zip"),
                    "city": values.get("city"),
                    "country_id": country.id,
                }
            )

        def named(name):
            return Partner.create({"name": name}).id if name else False

        channel = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        complaint = self.with_company(company).create(
            {
                "name": values["title"],
                "description": plaintext2html(values["description"]),
                "team_id": teams[0].id,
                "company_id": company.id,
                "partner_id": partner.id,
                "partner_name": values["name"],
                "partner_email": values["email"],
                "channel_id": channel.id,
                "subject": "process" if values.get("about") == "process" else "product",
                "iso10002_earlier_reference": values.get("earlier_reference") or False,
                "problem_date": values.get("problem_date") or False,
                "remedy_requested": values.get("remedy_requested"),
                "remedy_requested_text": values.get("remedy_text"),
                "product_reference": values.get("product_reference"),
                "product_description": values.get("product_description"),
                "representative_id": named(values.get("representative")),
                "contact_person_id": named(values.get("contact_person")),
                "iso10002_submission_token": token,
                "iso10002_web_mailbox": mailbox,
                "iso10002_web_partner_id": partner.id,
                "iso10002_web_client": values.get("client") or False,
                "consent_scope": "sharing"
                if values.get("consent_share")
                else "handling",
                "consent_date": fields.Datetime.now(),
                "consent_channel": "web",
                "iso10002_typed_contact": typed or False,
            }
        )
        complaint._iso10002_attach_web_files(files)
        if typed:
            complaint.message_post(
                body=self.env._(
                    "The complainant typed contact details that differ from their "
                    "contact: %(details)s. Update the Contact takes them over.",
                    details=complaint.iso10002_typed_contact_text,
                ),
                subtype_xmlid="mail.mt_note",
            )
        if owner:
            complaint._iso10002_send_link_request(owner)
        return complaint

    def _iso10002_attach_web_files(self, files):
        self.ensure_one()
        if files:
            self.env["ir.attachment"].create(
                [
                    {
                        "name": filename,
                        "raw": data,
                        "res_model": self._name,
                        "res_id": self.id,
                    }
                    for filename, data, _mimetype in files
                ]
            )

    # ------------------------------------------------------------------
    # Proving the address: joining a web complaint to an existing contact
    # ------------------------------------------------------------------
    @api.model
    def _iso10002_existing_contact(self, mailbox):
        """The contact an address belongs to: one with a user account first
        (their portal is at stake), else one an employee recorded; contacts
        made by earlier anonymous submissions do not count."""
        public = self.env.ref("base.public_user")
        partners = (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("email_normalized", "=", mailbox),
                    ("create_uid", "!=", public.id),
                ],
                order="id",
            )
        )
        return partners.filtered("user_ids")[:1] or partners[:1]

    def _iso10002_link_token(self, partner):
        self.ensure_one()
        return hash_sign(
            self.env(su=True),
            LINK_TOKEN_SCOPE,
            [self.id, partner.id, partner.email_normalized],
            expiration_hours=LINK_TOKEN_HOURS,
        )

    @api.model
    def _iso10002_from_link_token(self, token):
        """(complaint, contact) the link stands for, sudoed, or None."""
        if not token or len(token) > 512:
            return None
        try:
            values = verify_hash_signed(self.env(su=True), LINK_TOKEN_SCOPE, token)
        except (ValueError, TypeError, UnicodeError):
            return None
        if not values or len(values) != 3:
            return None
        complaint = self.sudo().browse(values[0]).exists()
        partner = self.env["res.partner"].sudo().browse(values[1]).exists()
        if (
            not complaint
            or not complaint.is_complaint
            or not partner
            or partner.email_normalized != values[2]
            or complaint.iso10002_web_mailbox != values[2]
        ):
            return None
        return complaint, partner

    def _iso10002_send_link_request(self, partner):
        """E-mail the address's owner a link that joins this complaint to
        their contact (and portal) once they open it."""
        self.ensure_one()
        token = self._iso10002_link_token(partner)
        url = f"{self.get_base_url()}/complaints/link/{token}"
        lang = partner.lang or self.env.lang
        _ = self.with_context(lang=lang).env._
        body = Markup('<p>%s</p><p><a href="%s">%s</a></p><p>%s</p>') % (
            _(
                "A complaint (%(ref)s) was sent to us from our website with this "
                "e-mail address. If you sent it, open the link below to see it "
                "with your other complaints.",
                ref=self.complaint_reference,
            ),
            url,
            _("This complaint is mine"),
            _("If you did not send it, you can ignore this message."),
        )
        self.env["mail.mail"].sudo().create(
            {
                "subject": _(
                    "Did you send complaint %(ref)s?", ref=self.complaint_reference
                ),
                "body_html": body,
                "email_to": partner.email_normalized,
                "email_from": self.company_id.email_formatted
                or self.env.company.email_formatted,
                "auto_delete": True,
            }
        )

    def _iso10002_link_to_contact(self, partner):
        """The address's owner opened the link: the complaint joins their
        contact; the tracking link shown on the thanks page stops working
        (whoever submitted it no longer sees the owner's complaint)."""
        self.ensure_one()
        if self.partner_id == partner:
            return False
        typed = self.partner_id
        self._iso10002_write_raw({"partner_id": partner.id, "access_token": False})
        self.message_subscribe(partner_ids=partner.ids)
        self.message_unsubscribe(partner_ids=typed.ids)
        self.message_post(
            body=self.env._(
                "The owner of %(email)s confirmed sending this complaint: it is "
                "now linked to their contact.",
                email=partner.email_normalized,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True
