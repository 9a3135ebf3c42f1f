from odoo import Command, api, fields, models
from odoo.tools import SQL

from .helpdesk_ticket_triage import DEFAULT_SAFETY_KEYWORDS


class ResCompany(models.Model):
    _inherit = "res.company"

    iso10002_management_representative_id = fields.Many2one(
        comodel_name="res.users",
        string="Complaints Management Representative",
        domain=[("share", "=", False)],
        help="The one person accountable for the complaints-handling process of "
        "this company (ISO 10002 5.3.1 f, 5.3.2).",
    )
    iso10002_response_days = fields.Integer(
        string="Promised Response Time (days)",
        default=10,
        help="Calendar days after receipt by which complainants are promised a "
        "response; shown in the acknowledgement.",
    )
    iso10002_response_wait_days = fields.Integer(
        string="Waiting Period for the Complainant's Answer (days)",
        default=14,
        help="Days after the decision is communicated before a complaint may be "
        "closed without the complainant's answer (ISO 10002 7.9). Such closings "
        "are flagged.",
    )
    iso10002_remedy_approval_limit = fields.Monetary(
        string="Remedy Approval Limit",
        currency_field="currency_id",
        default=500.0,
        help="Remedies flagged for approval whose amount is above this limit need "
        "a complaints manager's approval before they are offered.",
    )
    iso10002_recurrence_window_days = fields.Integer(
        string="Recurrence Window (days)",
        default=90,
        help="Complaints about the same product or category within this many days "
        "of each other are flagged as recurring (ISO 10002 8.2).",
    )
    iso10002_safety_keywords = fields.Char(
        string="Health and Safety Words",
        default=lambda self: DEFAULT_SAFETY_KEYWORDS,
        help="Comma-separated words that, in a complaint's title or description "
        "at receipt, make it a health and safety case at once (ISO 10002 4.4). "
        "Add the words your complainants use in their languages.",
    )
    iso10002_publish_statistics = fields.Boolean(
        string="Publish Complaint Statistics",
        help="Show anonymised counts of the last twelve months on the public "
        "complaints page (ISO 10002 8.1 e).",
    )
    iso10002_statistics_threshold = fields.Integer(
        string="Smallest Figure Published",
        default=5,
        help="Figures below this number are withheld, so that no single "
        "complaint can be recognised.",
    )
    iso10002_require_training = fields.Boolean(
        string="Only Trained Staff Handle Complaints",
        help="A complaint is assigned to, or investigated by, only staff who "
        "meet every training requirement of their role (ISO 10002 6.4).",
    )
    iso10002_recurrence_by_partner = fields.Boolean(
        string="Recurrence per Customer",
        help="Only complaints of the same customer count as recurring.",
    )
    iso10002_external_recourse = fields.Html(
        string="External Recourse Options",
        translate=True,
        sanitize=True,
        help="Published on the public complaints page: the dispute-resolution "
        "bodies a complainant may turn to (ISO 10002 4.2, ISO 10003).",
    )
    iso10002_attachment_max_mb = fields.Integer(
        string="Web Form Attachment Limit (MB)", default=10
    )
    iso10002_web_rate_limit = fields.Integer(
        string="Web Complaints per Address and Hour",
        default=5,
        help="More web complaints from one e-mail address within an hour are "
        "refused with a message, against flooding.",
    )
    iso10002_retention_days = fields.Integer(
        string="Retention After Closure (days)",
        default=0,
        help="Complaints closed longer ago are pseudonymised by a scheduled job; "
        "0 keeps personal data until erased on request (ISO 10002 8.1).",
    )
    iso10002_small_organisation = fields.Boolean(
        string="Small-Organisation Mode",
        help="ISO 10002 Annex A: one complaints team with every complaints agent "
        "as member, the simplified stage set, the shipped SLA targets and e-mail "
        "templates, and a draft policy to approve. The same steps, required data "
        "and records as in the full mode; switching it off restores all stages.",
    )
    # the escalation pass's queue of breaches for its teams' messages
    iso10002_breaches_to_report_ids = fields.Many2many(
        comodel_name="iso10002.escalation",
        relation="iso10002_escalation_to_report_rel",
        column1="company_id",
        column2="escalation_id",
        string="Breaches Not Yet Reported",
        groups="base.group_system",
        readonly=True,
        copy=False,
    )
    iso10002_policy_id = fields.Many2one(
        comodel_name="iso10002.policy",
        string="Complaints-Handling Policy",
        compute="_compute_iso10002_policy_id",
        help="The approved policy in force (ISO 10002 5.2).",
    )

    _iso10002_response_days_positive = models.Constraint(
        "CHECK(iso10002_response_days > 0)",
        "The promised response time must be at least one day.",
    )
    _iso10002_remedy_approval_limit_positive = models.Constraint(
        "CHECK(iso10002_remedy_approval_limit >= 0)",
        "The remedy approval limit cannot be negative.",
    )
    _iso10002_recurrence_window_positive = models.Constraint(
        "CHECK(iso10002_recurrence_window_days >= 0)",
        "The recurrence window cannot be negative.",
    )
    _iso10002_web_limits_positive = models.Constraint(
        "CHECK(iso10002_attachment_max_mb > 0 AND iso10002_web_rate_limit > 0)",
        "Web form limits must be positive.",
    )
    _iso10002_response_wait_days_positive = models.Constraint(
        "CHECK(iso10002_response_wait_days >= 0)",
        "The waiting period for the complainant's answer cannot be negative.",
    )

    def _compute_iso10002_policy_id(self):
        policies = self.env["iso10002.policy"].search(
            [("company_id", "in", self.ids), ("state", "=", "approved")]
        )
        by_company = {policy.company_id: policy for policy in policies}
        for company in self:
            company.iso10002_policy_id = by_company.get(company, False)

    def _iso10002_complaint_sequence(self):
        """This company's complaint sequence, created on first use."""
        self.ensure_one()
        Sequence = self.env["ir.sequence"].sudo()
        sequence = Sequence.search(
            [("code", "=", "iso10002.complaint"), ("company_id", "=", self.id)],
            limit=1,
        )
        if not sequence:
            sequence = Sequence.create(
                {
                    "name": self.env._("Complaints (%(company)s)", company=self.name),
                    "code": "iso10002.complaint",
                    "company_id": self.id,
                    "prefix": "CMP/%(year)s/",
                    "padding": 5,
                    "use_date_range": True,
                    "implementation": "no_gap",
                }
            )
        return sequence

    def _iso10002_next_complaint_reference(self):
        return self._iso10002_take_complaint_references(1)[0]

    def _iso10002_take_complaint_references(self, count):
        """The next ``count`` references, gap-free (R-7.2): the numbers are
        taken inside the transaction, so a create that fails gives them back.

        The counter (this year's range of the company's sequence) is locked
        and moved once for the whole batch. Odoo's own gap-free draw locks with
        NOWAIT, so two receipts at once would fail at once and log an error;
        here the lock waits for a concurrent receipt to finish, and if that
        receipt took the next numbers meanwhile PostgreSQL refuses this
        transaction (serialization failure) and Odoo replays the request."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        drawn = self._iso10002_draw_from_this_year(count, today)
        if drawn:
            return drawn
        sequence = self._iso10002_complaint_sequence()
        counter = sequence
        if sequence.use_date_range:
            counter = self.env["ir.sequence.date_range"].sudo().search(
                [
                    ("sequence_id", "=", sequence.id),
                    ("date_from", "<=", today),
                    ("date_to", ">=", today),
                ],
                limit=1,
            ) or sequence.sudo()._create_date_range_seq(today)
            sequence = sequence.with_context(
                ir_sequence_date=today, ir_sequence_date_range=counter.date_from
            )
        counter.flush_recordset(["number_next"])
        table = SQL.identifier(counter._table)
        self.env.cr.execute(
            SQL(
                "SELECT number_next FROM %s WHERE id = %s FOR UPDATE", table, counter.id
            ),
            log_exceptions=False,
        )
        first = self.env.cr.fetchone()[0]
        step = sequence.number_increment
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET number_next = number_next + %s WHERE id = %s",
                table,
                step * count,
                counter.id,
            )
        )
        counter.invalidate_recordset(["number_next"])
        return [sequence.get_next_char(first + step * index) for index in range(count)]

    def _iso10002_draw_from_this_year(self, count, today):
        """The usual draw in one statement: this year's counter of the
        company's complaint sequence moved by ``count`` (its row locked by the
        update, as by the draw below). Nothing when the sequence or this
        year's counter does not exist yet: the draw below makes them."""
        self.env["ir.sequence.date_range"].flush_model(["number_next"])
        self.env.cr.execute(
            SQL(
                """UPDATE ir_sequence_date_range AS r
                      SET number_next = r.number_next + s.number_increment * %(count)s
                     FROM ir_sequence AS s
                    WHERE s.id = (SELECT id FROM ir_sequence
                                   WHERE code = 'iso10002.complaint'
                                     AND company_id = %(company)s AND active
                                   ORDER BY name, id LIMIT 1)
                      AND s.use_date_range AND r.sequence_id = s.id
                      AND r.date_from <= %(today)s AND r.date_to >= %(today)s
                RETURNING s.id, r.id, r.date_from,
                          r.number_next - s.number_increment * %(count)s""",
                count=count,
                company=self.id,
                today=today,
            ),
            log_exceptions=False,
        )
        row = self.env.cr.fetchone()
        if not row:
            return []
        sequence_id, range_id, date_from, first = row
        self.env["ir.sequence.date_range"].browse(range_id).invalidate_recordset(
            ["number_next"]
        )
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .browse(sequence_id)
            .with_context(ir_sequence_date=today, ir_sequence_date_range=date_from)
        )
        step = sequence.number_increment
        return [sequence.get_next_char(first + step * index) for index in range(count)]

    def _iso10002_reference_gaps(self):
        """The register check (R-7.2, R-8.1): for each reference prefix (one a
        year) of this company, the numbers missing between the first and the
        last reference given, archived complaints included."""
        self.ensure_one()
        self.env["helpdesk.ticket"].flush_model(["complaint_reference", "company_id"])
        self.env.cr.execute(
            """
            SELECT substring(complaint_reference from '^(.*?)[0-9]+$') AS prefix,
                   substring(complaint_reference from '([0-9]+)$')::int AS number,
                   length(substring(complaint_reference from '([0-9]+)$')) AS width
              FROM helpdesk_ticket
             WHERE company_id = %s AND complaint_reference ~ '[0-9]+$'
            """,
            [self.id],
        )
        numbers, widths = {}, {}
        for prefix, number, width in self.env.cr.fetchall():
            numbers.setdefault(prefix, set()).add(number)
            widths[prefix] = width
        gaps = []
        for prefix in sorted(numbers):
            found = numbers[prefix]
            gaps += [
                f"{prefix}{number:0{widths[prefix]}d}"
                for number in range(min(found), max(found) + 1)
                if number not in found
            ]
        return gaps

    def action_iso10002_check_register(self):
        """Settings button: say whether the complaint register has gaps."""
        self.ensure_one()
        gaps = self._iso10002_reference_gaps()
        if gaps:
            message = self.env._(
                "%(count)s complaint references are missing from the register of "
                "%(company)s: %(references)s",
                count=len(gaps),
                company=self.name,
                references=", ".join(gaps[:50]),
            )
        else:
            message = self.env._(
                "The complaint register of %(company)s has no gaps.",
                company=self.name,
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": "warning" if gaps else "success",
                "sticky": bool(gaps),
            },
        }

    def write(self, vals):
        switched = self.browse()
        if "iso10002_small_organisation" in vals:
            switched = self.filtered(
                lambda company: (
                    company.iso10002_small_organisation
                    != bool(vals["iso10002_small_organisation"])
                )
            )
        result = super().write(vals)
        if "resource_calendar_id" in vals:
            self.env["iso10002.sla.line"]._recompute_for_companies(self)
        switched._iso10002_apply_small_organisation()
        return result

    # ------------------------------------------------------------------
    # Small-organisation mode (ISO 10002 Annex A)
    # ------------------------------------------------------------------
    def _iso10002_sole_manager(self, user):
        """Annex A: whether ``user`` is the one complaints manager of this
        small organisation, who then also does what segregation of duties
        would give to a second manager (approving their own remedy above
        the limit, verifying their own action). Wherever a second manager
        exists, segregation holds, small organisation or not."""
        self.ensure_one()
        if not self.iso10002_small_organisation:
            return False
        manager = self.env.ref("iso10002_complaints.group_iso10002_manager")
        return (
            not self.env["res.users"]
            .sudo()
            .search_count(
                [
                    ("all_group_ids", "in", manager.ids),
                    ("company_ids", "in", self.ids),
                    ("share", "=", False),
                    ("id", "!=", user.id),
                ],
                limit=1,
            )
        )

    def _iso10002_apply_small_organisation(self):
        """Configure (or un-configure) Annex A's simple set-up, through the same
        records the full mode uses: nothing here is a separate code path."""
        for company in self:
            if company.iso10002_small_organisation:
                company._iso10002_small_organisation_on()
            else:
                self.env["helpdesk.ticket.team"].sudo().search(
                    [
                        ("company_id", "=", company.id),
                        ("iso10002_simplified", "=", True),
                    ]
                ).iso10002_simplified = False

    def _iso10002_small_organisation_on(self):
        self.ensure_one()
        env = self.sudo().env
        Team = env["helpdesk.ticket.team"].with_company(self)
        agents = env.ref(
            "iso10002_complaints.group_iso10002_agent"
        ).all_user_ids.filtered(lambda user: self in user.company_ids)
        team = Team.search(
            [("company_id", "=", self.id), ("is_iso10002", "=", True)],
            order="sequence, id",
            limit=1,
        )
        if not team:
            team = Team.create(
                {
                    "name": env._("Complaints"),
                    "company_id": self.id,
                    "is_iso10002": True,
                }
            )
        team.write(
            {
                "iso10002_simplified": True,
                "user_ids": [Command.link(user.id) for user in agents],
            }
        )
        # the shipped SLA targets and e-mail templates, if an admin archived them
        for xmlid in (
            "iso10002_complaints.sla_policy_standard",
            "iso10002_complaints.sla_policy_health_safety",
            "iso10002_complaints.mail_template_complaint_ack",
            "iso10002_complaints.mail_template_complaint_decision",
            "iso10002_complaints.mail_template_complaint_progress",
            "iso10002_complaints.mail_template_complaint_survey",
        ):
            record = env.ref(xmlid, raise_if_not_found=False)
            if record and "active" in record._fields and not record.active:
                record.active = True
        if not self.iso10002_management_representative_id:
            user = env.user if not env.user._is_superuser() else agents[:1]
            self.iso10002_management_representative_id = user
        Policy = env["iso10002.policy"]
        if not Policy.search_count([("company_id", "=", self.id)], limit=1):
            Policy.create(
                {
                    "company_id": self.id,
                    "content": env._(
                        "<p>Your satisfaction matters to us. If you are not "
                        "satisfied, tell us: making a complaint is free, we "
                        "acknowledge every complaint, answer it within the time "
                        "we publish, keep your details confidential, and learn "
                        "from it to put things right.</p>"
                    ),
                }
            )
        return team

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        for company in companies:
            company._iso10002_complaint_sequence()
        companies.filtered(
            "iso10002_small_organisation"
        )._iso10002_apply_small_organisation()
        return companies
