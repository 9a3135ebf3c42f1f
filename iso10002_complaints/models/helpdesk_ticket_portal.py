"""Web intake, consent, the complainant's portal and satisfaction
(R-4.2, R-4.3, R-4.7, R-7.3, R-7.9, R-8.3)."""

import uuid
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import plaintext2html
from odoo.tools.misc import hash_sign, verify_hash_signed
from odoo.tools.misc import hmac as hmac_hex

from . import iso10002_data as iso

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


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    product_description = fields.Char(help="The product as the complainant put it.")
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
    consent_scope = fields.Selection(
        selection=[
            ("handling", "To handle the complaint only"),
            ("sharing", "To handle the complaint and share beyond handling"),
        ],
        string="Consent",
        copy=False,
        tracking=True,
        help="What the complainant agreed their personal data is used for "
        "(ISO 10002 4.7).",
    )
    consent_date = fields.Datetime(copy=False, tracking=True)
    consent_channel = fields.Selection(
        selection=iso.CHANNEL_KINDS, string="Consent Given By", copy=False
    )
    satisfaction_ids = fields.One2many(
        comodel_name="iso10002.satisfaction",
        inverse_name="ticket_id",
        string="Satisfaction Surveys",
    )
    satisfaction_score = fields.Integer(
        compute="_compute_satisfaction_score",
        help="The complainant's rating of the handling, 1 to 5.",
    )

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------
    @api.depends("satisfaction_ids.score")
    def _compute_satisfaction_score(self):
        for ticket in self:
            answered = ticket.satisfaction_ids.filtered("submitted_on")
            ticket.satisfaction_score = answered[:1].score

    # ------------------------------------------------------------------
    # The access token opens the complaint without login: only
    # need-to-know read it, search, sort or group by it, or share it
    # ------------------------------------------------------------------
    @api.model
    def _iso10002_may_see_tokens(self):
        return self._iso10002_sees_personal_data()

    @api.model
    def _iso10002_mentions_token(self, domain):
        return any(
            isinstance(leaf, (list, tuple))
            and len(leaf) == 3
            and isinstance(leaf[0], str)
            and leaf[0].split(".")[0] == "access_token"
            for leaf in domain or ()
        )

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if "access_token" not in fnames or self._iso10002_may_see_tokens():
            return result
        complaints = set(self.sudo().filtered("is_complaint").ids)
        for values in result:
            if values.get("id") in complaints:
                values["access_token"] = False
        return result

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        if self.env.context.get("iso10002_plain_tickets"):
            # helpdesk_mgmt's ticket pages list plain tickets only (a filter:
            # it grants nothing)
            domain = expression.AND([domain, [("is_complaint", "=", False)]])
        sorted_by_token = bool(order) and "access_token" in order
        searched_by_token = self._iso10002_mentions_token(domain)
        if (
            sorted_by_token or searched_by_token
        ) and not self._iso10002_may_see_tokens():
            if sorted_by_token:
                raise AccessError(
                    self.env._("You are not allowed to sort complaints by access key.")
                )
            domain = expression.AND([domain, [("is_complaint", "=", False)]])
        return super()._search(
            domain, offset=offset, limit=limit, order=order, **kwargs
        )

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), **kwargs):
        if (
            any(spec.startswith("access_token") for spec in (*groupby, *aggregates))
            and not self._iso10002_may_see_tokens()
        ):
            domain = expression.AND([domain, [("is_complaint", "=", False)]])
        return super()._read_group(
            domain, groupby=groupby, aggregates=aggregates, having=having, **kwargs
        )

    def _iso10002_check_can_share(self):
        if not self._iso10002_may_see_tokens() and any(
            self.sudo().mapped("is_complaint")
        ):
            raise AccessError(
                self.env._(
                    "Only the people handling a complaint can share a link to it."
                )
            )

    def get_portal_url(self, *args, **kwargs):
        self._iso10002_check_can_share()
        return super().get_portal_url(*args, **kwargs)

    def _get_share_url(self, *args, **kwargs):
        self._iso10002_check_can_share()
        return super()._get_share_url(*args, **kwargs)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _iso10002_format_hours(self, hours, hours_per_day):
        if hours_per_day and hours >= hours_per_day:
            days = hours / hours_per_day
            if float(days).is_integer():
                return self.env._("%(days)s working day(s)", days=int(days))
            return self.env._("%(days).1f working days", days=days)
        shown = f"{hours:g}"
        return self.env._("%(hours)s working hour(s)", hours=shown)

    @api.model
    def _iso10002_complaint_teams(self, company):
        return self.env["helpdesk.ticket.team"].search(
            [
                ("is_iso10002", "=", True),
                ("show_in_portal", "=", True),
                ("company_id", "in", [False, company.id]),
            ]
        )

    @api.model
    def _iso10002_public_info(self, company):
        """What the public page shows, all from the live configuration."""
        _ = self.env._
        teams = self._iso10002_complaint_teams(company)
        per_day = company.resource_calendar_id.hours_per_day or 8.0
        policies = self.env["iso10002.sla.policy"].search(
            [
                ("company_id", "in", [False, company.id]),
                ("team_id", "=", False),
                ("complaint_category_id", "=", False),
                ("channel_id", "=", False),
                ("subject", "=", False),
            ]
        )
        severities = dict(self._fields["severity"]._description_selection(self.env))
        sla_rows = [
            {
                "name": policy.name,
                "applies_to": severities.get(policy.severity)
                or self.env._("All other complaints"),
                "acknowledge": self._iso10002_format_hours(
                    policy.acknowledge_hours, per_day
                ),
                "respond": self._iso10002_format_hours(policy.respond_hours, per_day),
                "resolve": self._iso10002_format_hours(policy.resolve_hours, per_day),
            }
            for policy in policies
        ]
        emails = [team.alias_email for team in teams if team.alias_email]
        if not emails and company.email:
            emails = [company.email]
        channels = self.env["helpdesk.ticket.channel"].search(
            [("company_id", "in", [False, company.id])]
        )
        kinds = set(channels.mapped("iso10002_kind"))
        return {
            "company": company,
            "teams": teams,
            "accepts_web": bool(teams),
            "emails": emails,
            "phone": company.phone if "phone" in kinds else False,
            "address": company.partner_id._display_address(without_company=True)
            if kinds & {"visit", "letter"}
            else False,
            "sla_rows": sla_rows,
            "policy": company.iso10002_policy_id,
            "recourse": company.iso10002_external_recourse,
            "steps": [
                (_("We confirm receipt"), _("You get a reference number.")),
                (_("We assess"), _("How serious and urgent it is.")),
                (
                    _("We investigate"),
                    _("Someone who is not involved looks at the facts."),
                ),
                (
                    _("We decide and tell you"),
                    _("Our decision, with what we offer to put things right."),
                ),
                (_("You answer"), _("Accept the decision, or ask for a review.")),
            ],
        }

    def _iso10002_respond_deadline(self):
        """When the complainant was promised our decision."""
        self.ensure_one()
        line = self.sla_line_ids.filtered(lambda line: line.phase == iso.PHASE_RESPOND)
        return line.deadline or self.expected_response_date

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
        joins the complaint to the contact once opened (R-4.7)."""
        teams = self._iso10002_complaint_teams(company)
        if not teams:
            raise UserError(
                self.env._(
                    "Complaints cannot be sent online at the moment. Please e-mail "
                    "or call us."
                )
            )
        mailbox = values["mailbox"]
        Partner = self.env["res.partner"]
        owner = Partner
        if user_partner and user_partner.email_normalized == mailbox:
            partner = user_partner
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
                "subject": "product",
                "problem_date": values.get("problem_date") or False,
                "remedy_requested": values.get("remedy_requested"),
                "remedy_requested_text": values.get("remedy_text"),
                "product_reference": values.get("product_reference"),
                "product_description": values.get("product_description"),
                "representative_id": named(values.get("representative")),
                "contact_person_id": named(values.get("contact_person")),
                "iso10002_submission_token": values.get("submission_token")
                or uuid.uuid4().hex,
                "iso10002_web_mailbox": mailbox,
                "iso10002_web_partner_id": partner.id,
                "iso10002_web_client": values.get("client") or False,
                "consent_scope": "sharing"
                if values.get("consent_share")
                else "handling",
                "consent_date": fields.Datetime.now(),
                "consent_channel": "web",
            }
        )
        complaint._iso10002_attach_web_files(files)
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

    def _iso10002_portal_url(self):
        self.ensure_one()
        self._portal_ensure_token()
        return f"/my/complaints/{self.id}?access_token={self.access_token}"

    def _iso10002_portal_values(self):
        """What the complainant sees of their complaint (R-7.3)."""
        self.ensure_one()
        steps = dict(self._fields["iso10002_step"]._description_selection(self.env))
        timeline = [
            {
                "step": steps.get(line.iso10002_step, line.stage_id.name),
                "date": line.date_in,
            }
            for line in self.stage_history_ids.sorted("date_in")
            if not line.is_sla_pause
        ]
        labels = {
            iso.PHASE_RESPOND: self.env._("Our decision, by"),
            iso.PHASE_RESOLVE: self.env._("Closing, by"),
        }
        deadlines = [
            {"label": labels[line.phase], "date": line.deadline}
            for line in self.sla_line_ids
            if line.phase in labels and line.state == iso.SLA_RUNNING and line.deadline
        ]
        return {
            "timeline": timeline,
            "deadlines": deadlines,
            "show_decision": bool(self.communicated_on),
            "remedies": self.remedy_ids.filtered(
                lambda r: r.state not in (iso.REMEDY_CANCELLED,)
            ),
            "can_answer": self.iso10002_step == iso.STEP_COMMUNICATED
            and not self.complainant_response,
            "survey": self.satisfaction_ids.filtered(lambda s: not s.submitted_on)[:1],
        }

    def _iso10002_answer_from_portal(self, answer, reason, review_type, author):
        """R-7.9 from the portal: recorded like the agent's wizard would, then
        routed to the assigned agent."""
        self.ensure_one()
        if self.iso10002_step != iso.STEP_COMMUNICATED or self.complainant_response:
            raise UserError(self.env._("There is no decision waiting for your answer."))
        if answer not in (iso.RESPONSE_ACCEPTED, iso.RESPONSE_REJECTED):
            raise UserError(
                self.env._("Please choose whether you accept the decision.")
            )
        vals = {"ticket_id": self.id, "response": answer}
        if answer == iso.RESPONSE_REJECTED:
            if not reason:
                raise UserError(self.env._("Please tell us why you do not accept it."))
            if review_type not in (iso.REVIEW_INTERNAL, iso.REVIEW_EXTERNAL):
                raise UserError(
                    self.env._("Please choose: a review by us, or an external body.")
                )
            vals.update(
                rejection_reason=reason,
                review_type=review_type,
                recourse_provider=self.env._("To be named by the complainant")
                if review_type == iso.REVIEW_EXTERNAL
                else False,
            )
        self.env["iso10002.complainant.response.wizard"].sudo().create(
            vals
        ).action_confirm()
        body = (
            self.env._("I accept the decision.")
            if answer == iso.RESPONSE_ACCEPTED
            else self.env._("I do not accept the decision: %(reason)s", reason=reason)
        )
        self.sudo().message_post(
            body=body,
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.user_id.partner_id.ids,
        )
        if self.user_id:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.user_id.id,
                summary=self.env._("The complainant answered the decision"),
            )
        return True
