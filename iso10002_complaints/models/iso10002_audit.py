from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

AUDIT_STATES = [
    ("planned", "Planned"),
    ("in_progress", "In progress"),
    ("reported", "Reported"),
    ("closed", "Closed"),
]


class Iso10002Audit(models.Model):
    """An audit of the complaints-handling process (ISO 10002 8.5, Annex H)."""

    _name = "iso10002.audit"
    _description = "Complaints-Handling Audit"
    _inherit = ["mail.thread", "mail.activity.mixin", "iso10002.controlled.mixin"]
    _order = "planned_date desc, id desc"
    _iso10002_controlled_fields = frozenset({"state"})

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    scope = fields.Text(required=True, help="What is audited: teams, processes, sites.")
    team_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.team",
        string="Teams in Scope",
        domain=[("is_iso10002", "=", True)],
        help="Empty: all complaints teams of the company.",
    )
    date_from = fields.Date(string="Period From", required=True)
    date_to = fields.Date(string="Period To", required=True)
    planned_date = fields.Date(required=True, tracking=True)
    lead_auditor_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        domain=[("share", "=", False)],
        tracking=True,
    )
    auditor_ids = fields.Many2many(
        comodel_name="res.users",
        relation="iso10002_audit_auditor_rel",
        column1="audit_id",
        column2="user_id",
        string="Audit Team",
        domain=[("share", "=", False)],
    )
    state = fields.Selection(
        selection=AUDIT_STATES,
        default="planned",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    finding_ids = fields.One2many(
        comodel_name="iso10002.audit.finding",
        inverse_name="audit_id",
        string="Findings",
    )
    strengths = fields.Html()
    weaknesses = fields.Html()
    conclusion = fields.Html()
    action_ids = fields.One2many(
        comodel_name="iso10002.action",
        inverse_name="audit_id",
        string="Corrective Actions",
    )
    nonconformity_count = fields.Integer(compute="_compute_counts")
    finding_count = fields.Integer(compute="_compute_counts")

    @api.depends("finding_ids.result")
    def _compute_counts(self):
        for audit in self:
            audit.finding_count = len(audit.finding_ids)
            audit.nonconformity_count = len(
                audit.finding_ids.filtered(lambda f: f.result in ("minor", "major"))
            )

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for audit in self:
            if audit.date_to < audit.date_from:
                raise ValidationError(
                    self.env._(
                        "Audit %(name)s: the period ends before it starts.",
                        name=audit.name,
                    )
                )

    @api.constrains(
        "lead_auditor_id", "auditor_ids", "team_ids", "date_from", "date_to"
    )
    def _check_independence(self):
        """Annex H / 8.5: auditors do not audit complaints they handled."""
        for audit in self:
            handled = audit._complaints_handled_by_auditors()
            if handled:
                raise ValidationError(audit._independence_message(handled))

    def _auditors(self):
        self.ensure_one()
        return self.lead_auditor_id | self.auditor_ids

    def _scope_domain(self):
        self.ensure_one()
        Kpi = self.env["iso10002.kpi"]
        start, end = Kpi._period_bounds(self.date_from, self.date_to)
        domain = [
            ("is_complaint", "=", True),
            ("company_id", "=", self.company_id.id),
            ("received_at", ">=", start),
            ("received_at", "<", end),
        ]
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        return domain

    def _complaints_handled_by_auditors(self):
        self.ensure_one()
        auditors = self._auditors()
        if not auditors or not (self.date_from and self.date_to):
            return self.env["helpdesk.ticket"]
        return (
            self.env["helpdesk.ticket"]
            .sudo()
            .with_context(active_test=False)
            .search(
                self._scope_domain()
                + [
                    "|",
                    "|",
                    ("user_id", "in", auditors.ids),
                    ("investigator_id", "in", auditors.ids),
                    ("decided_by_id", "in", auditors.ids),
                ]
            )
        )

    def _independence_message(self, handled):
        auditors = self._auditors()
        users = (
            handled.user_id | handled.investigator_id | handled.decided_by_id
        ) & auditors
        return self.env._(
            "Audit %(name)s is not independent: %(users)s handled complaints in its "
            "scope (%(refs)s). Choose other auditors or another scope (ISO 10002 8.5).",
            name=self.name,
            users=", ".join(users.mapped("name")),
            refs=", ".join(handled[:5].mapped("complaint_reference")),
        )

    @api.model_create_multi
    def create(self, vals_list):
        audits = super().create(vals_list)
        audits.filtered(lambda a: not a.finding_ids)._load_criteria()
        return audits

    @api.model
    def _g32_criteria(self):
        _ = self.env._
        return [
            _("Complaints-handling policy established and effective"),
            _("Commitment of top management"),
            _("Responsibilities assigned"),
            _("Front-line staff empowered to resolve complaints on the spot"),
            _("Discretion of front-line staff in their responses"),
            _("People assigned to handle complaints"),
            _("Share of customer-facing staff trained"),
            _("Effectiveness of the training"),
            _("Staff suggestions to improve the process"),
            _("Staff attitude to complaints"),
            _("Efficiency of reviews and management evaluations"),
            _("Time taken to act on review recommendations"),
            _("Time taken to respond to complainants"),
            _("Complainant satisfaction"),
            _("Timely and effective corrective and preventive actions"),
        ]

    def _load_criteria(self):
        """Pre-fill the criteria: the G.3.2 checklist and the clause register."""
        clauses = self.env["iso10002.clause"].search([])
        for audit in self:
            lines = [
                {"sequence": index, "criterion": text}
                for index, text in enumerate(self._g32_criteria())
            ]
            lines += [
                {
                    "sequence": 100 + index,
                    "clause_id": clause.id,
                    "criterion": clause.display_name,
                }
                for index, clause in enumerate(clauses)
            ]
            audit.finding_ids = [(0, 0, vals) for vals in lines]
        return True

    # state changes
    def action_start(self):
        self._check_is_audit_team()
        for audit in self:
            if audit.state != "planned":
                raise UserError(self.env._("Only a planned audit can start."))
        self._iso10002_write_controlled({"state": "in_progress"})
        self._prefill_objectivity_evidence()
        return True

    def _prefill_objectivity_evidence(self):
        """C.5's criterion starts with the objectivity samples reviewed in the
        audit's period (the auditor still judges them)."""
        clause = self.env.ref(
            "iso10002_complaints.clause_annex_c5", raise_if_not_found=False
        )
        if not clause:
            return
        for audit in self:
            finding = audit.finding_ids.filtered(
                lambda f, clause=clause: f.clause_id == clause and not f.evidence
            )[:1]
            if not finding:
                continue
            samples = self.env["iso10002.objectivity.sample"].search(
                [
                    ("company_id", "=", audit.company_id.id),
                    ("state", "=", "reviewed"),
                    ("date_to", ">=", audit.date_from),
                    ("date_from", "<=", audit.date_to),
                ],
                order="date_from",
            )
            if samples:
                lines = [
                    self.env._(
                        "%(name)s: %(reviewed)s of %(population)s resolved complaints "
                        "reviewed, %(objective)s handled objectively, %(concerns)s "
                        "with concerns; reviewed by %(reviewer)s.",
                        name=sample.name,
                        reviewed=len(sample.review_ids),
                        population=sample.population_count,
                        objective=sample.objective_count,
                        concerns=sample.concern_count,
                        reviewer=sample.reviewer_id.name,
                    )
                    for sample in samples
                ]
            else:
                lines = [
                    self.env._(
                        "No objectivity sample was reviewed in the audit period."
                    )
                ]
            finding.evidence = "\n".join(lines)

    def action_report(self):
        self._check_is_audit_team()
        for audit in self:
            if audit.state != "in_progress":
                raise UserError(
                    self.env._("Only an audit in progress can be reported.")
                )
            no_evidence = audit.finding_ids.filtered(
                lambda f: f.result and not ((f.evidence or "").strip() or f.ticket_ids)
            )
            if no_evidence:
                raise UserError(
                    self.env._(
                        "Every result of %(name)s rests on evidence: describe it or "
                        "link the complaints seen (%(count)s results without, "
                        "for example: %(criterion)s).",
                        name=audit.name,
                        count=len(no_evidence),
                        criterion=no_evidence[0].criterion,
                    )
                )
            open_findings = audit.finding_ids.filtered(lambda f: not f.result)
            if open_findings:
                raise UserError(
                    self.env._(
                        "Give a result for every criterion of %(name)s before "
                        "reporting it (%(count)s left).",
                        name=audit.name,
                        count=len(open_findings),
                    )
                )
        self._iso10002_write_controlled({"state": "reported"})
        for audit in self:
            audit._iso10002_sign(
                self.env._("Reported the audit and its findings"),
                self.env._("Lead auditor")
                if self.env.user == audit.lead_auditor_id
                else self.env._("Auditor"),
            )
        return True

    def action_close(self):
        if not self.env.user.has_group("iso10002_complaints.group_iso10002_manager"):
            raise UserError(
                self.env._(
                    "The complaints manager closes an audit once its actions exist."
                )
            )
        for audit in self:
            if audit.state != "reported":
                raise UserError(self.env._("Only a reported audit can be closed."))
            missing = audit.finding_ids.filtered(
                lambda f: f.result in ("minor", "major") and not f.action_id
            )
            if missing:
                raise UserError(
                    self.env._(
                        "Each nonconformity of %(name)s needs a corrective action "
                        "before the audit closes (%(count)s without).",
                        name=audit.name,
                        count=len(missing),
                    )
                )
        self._iso10002_write_controlled({"state": "closed"})
        self._iso10002_sign(
            self.env._("Closed the audit, each nonconformity with its action"),
            self.env._("Complaints manager"),
        )
        return True

    def _check_is_audit_team(self):
        is_auditor = self.env.user.has_group(
            "iso10002_complaints.group_iso10002_auditor"
        )
        for audit in self:
            if not (is_auditor or self.env.user in audit._auditors()):
                raise UserError(
                    self.env._(
                        "Only the audit team of %(name)s starts and reports it.",
                        name=audit.name,
                    )
                )

    def _iso10002_is_frozen(self):
        return self.state in ("reported", "closed")

    def _iso10002_frozen_message(self):
        return self.env._(
            "Audit %(name)s is reported: its findings and conclusions are kept "
            "as reported.",
            name=self.name,
        )

    def _kpis(self):
        self.ensure_one()
        return self.env["iso10002.kpi"]._compute(
            self.date_from,
            self.date_to,
            companies=self.company_id,
            teams=self.team_ids or None,
        )
