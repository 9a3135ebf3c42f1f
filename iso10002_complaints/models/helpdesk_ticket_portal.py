"""Consent, the complainant's portal and satisfaction surveys (R-4.7,
R-7.3, R-7.9, R-8.3); web intake is in helpdesk_ticket_web."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools.misc import (
    babel_locale_parse,
    format_date,
    format_datetime,
    get_lang,
    posix_to_ldml,
)

from . import iso10002_data as iso


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    product_description = fields.Char(help="The product as the complainant put it.")
    consent_scope = fields.Selection(
        selection=[
            ("handling", "To handle the complaint only"),
            ("sharing", "To handle the complaint and share beyond handling"),
        ],
        string="Consent",
        copy=False,
        tracking=True,
        help="What the complainant agreed their personal data is used for "
        "(ISO 10002 4.7). Recorded with Record Consent (or by the web form).",
    )
    consent_date = fields.Datetime(copy=False, tracking=True)
    consent_channel = fields.Selection(
        selection=iso.CHANNEL_KINDS, string="Consent Given By", copy=False
    )
    consent_recorded_by_id = fields.Many2one(
        comodel_name="res.users",
        copy=False,
        help="Empty for consent given on the web form.",
    )
    consent_evidence = fields.Text(
        string="How Consent Was Given",
        copy=False,
        help="What the complainant said or signed, and where the proof is.",
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
            domain = Domain.AND([domain, [("is_complaint", "=", False)]])
        sorted_by_token = bool(order) and "access_token" in order
        searched_by_token = self._iso10002_mentions_token(domain)
        if (
            sorted_by_token or searched_by_token
        ) and not self._iso10002_may_see_tokens():
            if sorted_by_token:
                raise AccessError(
                    self.env._("You are not allowed to sort complaints by access key.")
                )
            domain = Domain.AND([domain, [("is_complaint", "=", False)]])
        return super()._search(
            domain, offset=offset, limit=limit, order=order, **kwargs
        )

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), **kwargs):
        if (
            any(spec.startswith("access_token") for spec in (*groupby, *aggregates))
            and not self._iso10002_may_see_tokens()
        ):
            domain = Domain.AND([domain, [("is_complaint", "=", False)]])
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
            if days == 1:
                return self.env._("1 working day")
            if float(days).is_integer():
                return self.env._("%(days)s working days", days=int(days))
            return self.env._("%(days).1f working days", days=days)
        if hours == 1:
            return self.env._("1 working hour")
        shown = f"{hours:g}"
        return self.env._("%(hours)s working hours", hours=shown)

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
    def _iso10002_sla_rows(self, company):
        """The time limits the company publishes, from its SLA policies that
        apply to every complaint of a severity (the public page, the printed
        policy): [{name, applies_to, acknowledge, respond, resolve}]."""
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
        return [
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

    @api.model
    def _iso10002_public_info(self, company):
        """What the public page shows, all from the live configuration."""
        _ = self.env._
        teams = self._iso10002_complaint_teams(company)
        sla_rows = self._iso10002_sla_rows(company)
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
            "heading": _("How to complain to %(company)s", company=company.name),
            "accepts_web": bool(teams),
            "emails": emails,
            "phone": company.phone if "phone" in kinds else False,
            "address": company.partner_id._display_address(without_company=True)
            if kinds & {"visit", "letter"}
            else False,
            "sla_rows": sla_rows,
            "policy": company.iso10002_policy_id,
            "recourse": company.iso10002_external_recourse,
            "providers": self._iso10002_dispute_providers(company),
            "steps": [
                self._iso10002_labelled(step, what)
                for step, what in (
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
                )
            ],
        }

    @api.model
    def _iso10002_labelled(self, label, text, bold=True):
        """ "Label: text" for the complainant's pages, the label in bold: the
        separator is the language's own (a full-width colon in Chinese,
        without a space)."""
        if bold:
            label = Markup("<strong>%s</strong>") % label
        return Markup(self.env._("%(label)s: %(text)s")) % {
            "label": label,
            "text": text,
        }

    @api.model
    def _iso10002_portal_moment(self, moment):
        """A date and time shown to the complainant: their language's date,
        hours and minutes (no seconds, whatever the language's time format),
        in their time zone."""
        lang = get_lang(self.env)
        locale = babel_locale_parse(lang.code)
        pattern = posix_to_ldml(lang.date_format, locale=locale) + " HH:mm"
        return format_datetime(self.env, moment, dt_format=pattern)

    def _iso10002_respond_deadline(self):
        """When the complainant was promised our decision: the one date they
        are told, in the acknowledgement, on the thanks page and in the
        portal (the SLA deadlines are the team's internal targets)."""
        self.ensure_one()
        return self.expected_response_date

    def _iso10002_portal_url(self):
        """The complaint's page for its complainant, by its access token.
        Empty for no complaint (an e-mail template previewed on no record)."""
        if not self:
            return ""
        self.ensure_one()
        self._portal_ensure_token()
        return f"/my/complaints/{self.id}?access_token={self.access_token}"

    def _iso10002_portal_values(self):
        """What the complainant sees of their complaint (R-7.3)."""
        self.ensure_one()
        steps = dict(self._fields["iso10002_step"]._description_selection(self.env))
        timeline = [
            self._iso10002_labelled(
                self._iso10002_portal_moment(line.date_in),
                steps.get(line.iso10002_step, line.stage_id.name),
                bold=False,
            )
            for line in self.stage_history_ids.sorted("date_in")
            if not line.is_sla_pause
        ]
        promised = self._iso10002_respond_deadline()
        deadlines = (
            [
                self.env._(
                    "Our decision, by %(date)s", date=format_date(self.env, promised)
                )
            ]
            if promised and not self.communicated_on
            else []
        )
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
            "providers": self._iso10002_dispute_providers(self.company_id),
        }

    @api.model
    def _iso10002_dispute_providers(self, company):
        """The company's register of external dispute-resolution providers,
        as shown to complainants (ISO 10003)."""
        return (
            self.env["iso10002.dispute.provider"]
            .sudo()
            .search([("company_id", "=", company.id)])
        )

    def action_iso10002_record_consent(self):
        """How the complainant consented, on any channel (R-4.7)."""
        self.ensure_one()
        self._check_is_complaint()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Consent"),
            "res_model": "iso10002.consent.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def _iso10002_answer_from_portal(
        self, answer, reason, review_type, author, provider_id=None
    ):
        """R-7.9 from the portal: recorded like the agent's wizard would, then
        routed to the assigned agent. External recourse names a provider of
        the company's register (ISO 10003)."""
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
            provider = self.env["iso10002.dispute.provider"]
            if review_type == iso.REVIEW_EXTERNAL:
                providers = self._iso10002_dispute_providers(self.company_id)
                provider = providers.filtered(
                    lambda p: str(p.id) == str(provider_id or "")
                )
                if not provider:
                    raise UserError(
                        self.env._("Please choose the body you turn to.")
                        if providers
                        else self.env._(
                            "We have no external body to offer yet: please ask "
                            "for a review by us."
                        )
                    )
            vals.update(
                rejection_reason=reason,
                review_type=review_type,
                recourse_provider_id=provider.id,
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
