from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from . import iso10002_kpi_data as kpi_data

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
    _iso10002_controlled_fields = frozenset({"state", "policy_id"})

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    scope = fields.Text(required=True, help="What is audited: teams, processes, sites.")
    objectives = fields.Text(
        help="What the audit is to establish, e.g. that complaints are handled as "
        "the policy and ISO 10002 require."
    )
    policy_id = fields.Many2one(
        comodel_name="iso10002.policy",
        string="Policy Audited Against",
        readonly=True,
        copy=False,
        help="The policy version in force when the audit started.",
    )
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
    sample_ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        string="Sample Examined",
        compute="_compute_sample_ticket_ids",
        help="The complaints the auditors examined, from the findings' evidence.",
    )

    @api.depends("finding_ids.result")
    def _compute_counts(self):
        for audit in self:
            audit.finding_count = len(audit.finding_ids)
            audit.nonconformity_count = len(
                audit.finding_ids.filtered(lambda f: f.result in ("minor", "major"))
            )

    @api.depends("finding_ids.ticket_ids")
    def _compute_sample_ticket_ids(self):
        for audit in self:
            audit.sample_ticket_ids = audit.finding_ids.ticket_ids.sorted(
                "complaint_reference"
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
        """ISO 10002 G.3.2's audit items, each under the clause of the
        register it belongs to: (clause code, item). (A dict of the items by
        clause: Odoo 19's term extractor takes a literal that follows a
        translated one in a list of pairs for a term of its own.)"""
        _ = self.env._
        criteria = {
            "R-5.2": [_("Complaints-handling policy established and effective")],
            "R-5.3": [
                _("Commitment of top management"),
                _("Responsibilities assigned"),
                _("Front-line staff empowered to resolve complaints on the spot"),
                _("Discretion of front-line staff in their responses"),
            ],
            "R-6.4": [
                _("People assigned to handle complaints"),
                _("Share of customer-facing staff trained"),
                _("Effectiveness of the training"),
            ],
            "R-8.7": [
                _("Staff suggestions to improve the process"),
                _("Timely and effective corrective and preventive actions"),
            ],
            "R-4.8": [_("Staff attitude to complaints")],
            "R-8.6": [
                _("Efficiency of reviews and management evaluations"),
                _("Time taken to act on review recommendations"),
            ],
            "R-7.8": [_("Time taken to respond to complainants")],
            "R-8.3": [_("Complainant satisfaction")],
        }
        return [(code, item) for code, items in criteria.items() for item in items]

    def _load_criteria(self):
        """Pre-fill the criteria: one per clause of the register, with the
        G.3.2 items of that clause as its questions (a G.3.2 item whose clause
        is no longer in the register keeps a line of its own)."""
        clauses = self.env["iso10002.clause"].search([])
        by_code = {clause.code: clause for clause in clauses}
        questions = {}
        orphans = []
        for code, item in self._g32_criteria():
            if code in by_code:
                questions.setdefault(code, []).append(item)
            else:
                orphans.append(item)
        lines = [
            {
                "sequence": index,
                "clause_id": clause.id,
                "criterion": clause.display_name,
                "questions": "\n".join(questions.get(clause.code, [])) or False,
            }
            for index, clause in enumerate(clauses)
        ]
        lines += [
            {"sequence": 1000 + index, "criterion": item}
            for index, item in enumerate(orphans)
        ]
        for audit in self:
            audit.finding_ids = [(0, 0, vals) for vals in lines]
        return True

    # state changes
    def action_start(self):
        self._check_is_audit_team()
        for audit in self:
            if audit.state != "planned":
                raise UserError(self.env._("Only a planned audit can start."))
        for audit in self:
            audit._iso10002_write_controlled(
                {
                    "state": "in_progress",
                    "policy_id": audit.company_id.iso10002_policy_id.id,
                }
            )
        self._prefill_records_summary()
        return True

    def _prefill_records_summary(self):
        """What the records show for each criterion in the audited period:
        its KPI against the objective, its evidence records, and for C.5 the
        objectivity samples reviewed. The auditor still judges."""
        for audit in self:
            summaries = audit._records_summaries()
            for finding in audit.finding_ids:
                lines = summaries.get(finding.clause_id.id)
                if lines:
                    finding._iso10002_write_controlled(
                        {"records_summary": "\n".join(lines)}
                    )

    def _records_summaries(self):
        """{clause id: [line]} for the criteria of the audit."""
        self.ensure_one()
        _ = self.env._
        Kpi = self.env["iso10002.kpi"]
        definitions = Kpi._definitions()
        values = self._kpis()
        objectives = {
            objective.kpi_code: objective
            for objective in self.env["iso10002.objective"].search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("approved_on", "!=", False),
                    ("date_from", "<=", self.date_to),
                    ("date_to", ">=", self.date_from),
                ],
                order="date_from",
            )
        }
        currency = self.company_id.currency_id
        summaries = {}
        for clause in self.finding_ids.clause_id:
            lines = summaries.setdefault(clause.id, [])
            kpi = definitions.get(clause.kpi_code)
            if kpi:
                value = values.get(clause.kpi_code)
                objective = objectives.get(clause.kpi_code)
                shown = Kpi._format_value(value, kpi.unit, currency)
                if objective and value is not None:
                    met = kpi_data.attainment(
                        value, objective.target, objective.direction
                    )[1]
                    lines.append(
                        _(
                            "%(kpi)s: %(value)s; objective %(target)s: %(verdict)s.",
                            kpi=kpi.name,
                            value=shown,
                            target=Kpi._format_value(
                                objective.target, kpi.unit, currency
                            ),
                            verdict=_("met") if met == "green" else _("not met"),
                        )
                    )
                else:
                    lines.append(_("%(kpi)s: %(value)s.", kpi=kpi.name, value=shown))
            count = self._clause_record_count(clause)
            if count is not None and clause.evidence_model == "helpdesk.ticket":
                lines.append(
                    _(
                        "Evidence complaints in the audit's scope and period: "
                        "%(count)s.",
                        count=count,
                    )
                )
            elif count is not None:
                lines.append(
                    _(
                        "%(records)s: %(count)s on record.",
                        records=self.env["ir.model"]._get(clause.evidence_model).name,
                        count=count,
                    )
                )
        clause = self.env.ref(
            "iso10002_complaints.clause_annex_c5", raise_if_not_found=False
        )
        if clause and clause.id in summaries:
            summaries[clause.id] += self._objectivity_lines()
        return summaries

    def _clause_record_count(self, clause):
        """How many evidence records the clause names, complaints within the
        audit's scope and period, other records of the company."""
        model = clause.evidence_model
        if not model or model not in self.env:
            return None
        Model = self.env[model]
        domain = clause._evidence_domain()
        if model == "helpdesk.ticket":
            domain = domain + self._scope_domain()
        elif "company_id" in Model._fields:
            domain = domain + [("company_id", "in", [False, self.company_id.id])]
        return Model.search_count(domain)

    def _objectivity_lines(self):
        samples = self.env["iso10002.objectivity.sample"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "reviewed"),
                ("date_to", ">=", self.date_from),
                ("date_from", "<=", self.date_to),
            ],
            order="date_from",
        )
        if not samples:
            return [
                self.env._("No objectivity sample was reviewed in the audit period.")
            ]
        return [
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

    def action_report(self):
        self._check_is_audit_team()
        for audit in self:
            if audit.state != "in_progress":
                raise UserError(
                    self.env._("Only an audit in progress can be reported.")
                )
            no_evidence = audit.finding_ids.filtered(
                lambda f: f.result and not f._has_evidence()
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
                        "reporting it, Not assessed for those outside the audit "
                        "(%(count)s left).",
                        name=audit.name,
                        count=len(open_findings),
                    )
                )
            if not audit.finding_ids.filtered(lambda f: f.result != "not_assessed"):
                raise UserError(
                    self.env._(
                        "Audit %(name)s assessed no criterion: assess at least one "
                        "with its evidence before reporting it.",
                        name=audit.name,
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
