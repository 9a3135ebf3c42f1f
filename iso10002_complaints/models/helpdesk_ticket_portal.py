"""Web intake, consent, the complainant's portal and satisfaction
(R-4.2, R-4.3, R-4.7, R-7.3, R-7.9, R-8.3)."""

import uuid
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from . import iso10002_data as iso


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
    consent_date = fields.Datetime(copy=False)
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

    @api.model
    def _iso10002_web_rate_limited(self, company, email):
        since = fields.Datetime.now() - timedelta(hours=1)
        count = self.search_count(
            [
                ("is_complaint", "=", True),
                ("company_id", "=", company.id),
                ("partner_id.email_normalized", "=", (email or "").lower()),
                ("create_date", ">=", since),
            ]
        )
        return count >= company.iso10002_web_rate_limit

    @api.model
    def _iso10002_create_from_web(self, company, values, files):
        """A complaint from the public form (sudo: no login needed)."""
        teams = self._iso10002_complaint_teams(company)
        if not teams:
            raise UserError(
                self.env._(
                    "Complaints cannot be sent online at the moment. Please e-mail "
                    "or call us."
                )
            )
        Partner = self.env["res.partner"]
        partner = Partner.search(
            [("email_normalized", "=", values["email"].lower())], limit=1
        )
        if not partner:
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
                "consent_scope": "sharing"
                if values.get("consent_share")
                else "handling",
                "consent_date": fields.Datetime.now(),
                "consent_channel": "web",
            }
        )
        if files:
            self.env["ir.attachment"].create(
                [
                    {
                        "name": filename,
                        "raw": data,
                        "res_model": self._name,
                        "res_id": complaint.id,
                    }
                    for filename, data, _mimetype in files
                ]
            )
        return complaint

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
