from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from .iso10002_data import PHASES, SEVERITIES, SUBJECTS

TARGET_FIELDS = {
    "acknowledge": "acknowledge_hours",
    "assess": "assess_hours",
    "respond": "respond_hours",
    "resolve": "resolve_hours",
}


class Iso10002SlaPolicy(models.Model):
    """Time targets for the phases of a complaint (ISO 10002 4.4, 7.1, 7.3).

    The first active policy, by sequence, whose criteria all match a complaint
    applies to it; an empty criterion matches everything. Targets are working
    hours on the policy's calendar, else the team's, else the company's.
    """

    _name = "iso10002.sla.policy"
    _description = "Complaint SLA Policy"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        index=True,
        help="Leave empty to apply the policy in every company.",
    )
    # criteria
    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        domain=[("is_iso10002", "=", True)],
        check_company=True,
    )
    severity = fields.Selection(selection=SEVERITIES)
    complaint_category_id = fields.Many2one(comodel_name="iso10002.complaint.category")
    channel_id = fields.Many2one(comodel_name="helpdesk.ticket.channel")
    subject = fields.Selection(selection=SUBJECTS)
    # targets, in working hours from receipt
    acknowledge_hours = fields.Float(string="Acknowledge Within (hours)", default=8.0)
    assess_hours = fields.Float(string="Assess Within (hours)", default=16.0)
    respond_hours = fields.Float(
        string="Respond Within (hours)",
        default=64.0,
        help="Working hours from receipt until the decision is communicated.",
    )
    resolve_hours = fields.Float(
        string="Resolve Within (hours)",
        default=80.0,
        help="Working hours from receipt until the complaint is closed.",
    )
    at_risk_percent = fields.Float(
        string="At Risk After (%)",
        default=75.0,
        help="Share of a phase's target after which the phase is at risk and the "
        "assigned agent gets an activity.",
    )
    resource_calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Working Hours",
        help="Working time and public holidays the targets count in. Empty: the "
        "team's working hours, else the company's.",
    )
    is_significant = fields.Boolean(
        string="Significant Complaints",
        help="Complaints under this policy are significant: top management is "
        "notified as soon as they are assessed (ISO 10002 5.3.1 g).",
    )
    progress_lead_hours = fields.Float(
        string="Progress Update Before Deadline (hours)",
        default=24.0,
        help="The complainant gets a progress message this many hours before a "
        "promised deadline (response, resolution) expires (ISO 10002 7.3).",
    )
    progress_quiet_hours = fields.Float(
        string="Unless Updated Within (hours)",
        default=48.0,
        help="No progress message when the complainant was written to this recently.",
    )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains(
        "acknowledge_hours", "assess_hours", "respond_hours", "resolve_hours"
    )
    def _check_targets(self):
        for policy in self:
            hours = [policy[name] for name in TARGET_FIELDS.values()]
            if any(value <= 0 for value in hours):
                raise ValidationError(
                    self.env._(
                        "SLA policy %(policy)s: every target must be a positive "
                        "number of working hours.",
                        policy=policy.name,
                    )
                )
            if not (
                policy.acknowledge_hours <= policy.respond_hours <= policy.resolve_hours
                and policy.assess_hours <= policy.respond_hours
            ):
                raise ValidationError(
                    self.env._(
                        "SLA policy %(policy)s: acknowledge and assess must come "
                        "before the response, and the response before the "
                        "resolution.",
                        policy=policy.name,
                    )
                )

    @api.constrains("progress_lead_hours", "progress_quiet_hours")
    def _check_progress_hours(self):
        for policy in self:
            if policy.progress_lead_hours < 0 or policy.progress_quiet_hours < 0:
                raise ValidationError(
                    self.env._(
                        "SLA policy %(policy)s: progress update hours cannot be "
                        "negative.",
                        policy=policy.name,
                    )
                )

    @api.constrains("at_risk_percent")
    def _check_at_risk_percent(self):
        for policy in self:
            if not 0 <= policy.at_risk_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "SLA policy %(policy)s: the at-risk share must be between "
                        "0 and 100 %%.",
                        policy=policy.name,
                    )
                )

    @api.constrains("resource_calendar_id", "team_id", "company_id")
    def _check_calendar_available(self):
        for policy in self:
            if policy._calendar_for_team(policy.team_id, policy.company_id):
                continue
            companies = policy.company_id or self.env["res.company"].search([])
            if any(not company.resource_calendar_id for company in companies):
                raise ValidationError(
                    self.env._(
                        "SLA policy %(policy)s has no working hours: set its "
                        "working hours, or give the team or the company working "
                        "hours.",
                        policy=policy.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD: changed targets or calendars move the deadlines of open complaints
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        policies = super().create(vals_list)
        self.env.registry.clear_cache()  # _iso10002_policy_ids
        return policies

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()  # _iso10002_policy_ids
        moving = {"resource_calendar_id", "at_risk_percent", *TARGET_FIELDS.values()}
        if moving.intersection(vals):
            lines = self.env["iso10002.sla.line"].search(
                [("policy_id", "in", self.ids), ("state", "in", ("running", "paused"))]
            )
            lines._apply_policy_targets()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()  # _iso10002_policy_ids
        return result

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _target_hours(self, phase):
        self.ensure_one()
        return self[TARGET_FIELDS[phase]]

    def _calendar_for_team(self, team, company):
        """Policy calendar, else the team's, else the company's (or empty)."""
        return (
            self.resource_calendar_id
            or team.resource_calendar_id
            or company.resource_calendar_id
        )

    def _matches(self, complaint):
        self.ensure_one()
        return (
            (not self.company_id or self.company_id == complaint.company_id)
            and (not self.team_id or self.team_id == complaint.team_id)
            and (not self.severity or self.severity == complaint.severity)
            and (
                not self.complaint_category_id
                or self.complaint_category_id == complaint.complaint_category_id
            )
            and (not self.channel_id or self.channel_id == complaint.channel_id)
            and (not self.subject or self.subject == complaint.subject)
        )

    @api.model
    def _select_for(self, complaints):
        """{complaint id: policy} for a batch of complaints. The policies of
        the complaints' companies apply whoever records the complaint (a
        portal user or the mail gateway reads none of them)."""
        policies = self.sudo().browse(
            self._iso10002_policy_ids(tuple(sorted(complaints.company_id.ids)))
        )
        result = {}
        for complaint in complaints:
            result[complaint.id] = next(
                (policy for policy in policies if policy._matches(complaint)),
                self.sudo().browse(),
            ).with_env(self.env)
        return result

    @api.model
    @tools.ormcache("company_ids")
    def _iso10002_policy_ids(self, company_ids):
        """The ids of the active policies of these companies and of every
        company, in their order: looked up for each complaint created, kept
        per worker until a policy is created, changed or deleted."""
        return tuple(
            self.sudo()
            .with_context(active_test=True)
            .search([("company_id", "in", [False, *company_ids])])
            .ids
        )

    @api.model
    def _phases(self):
        return [phase for phase, _label in PHASES]
