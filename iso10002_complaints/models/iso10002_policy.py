import re

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from .iso10002_data import POLICY_STATES

# a time promise in a policy's text: "24 hours", "2 working days", "24 小时",
# "2 个工作日", "24 giờ", "2 ngày làm việc"
TIME_PROMISE = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(?:working\s+)?"
    r"(hours?|hrs?|h\b|days?|小时|小時|个工作日|個工作日|工作日|天|giờ|ngày)",
    re.IGNORECASE,
)
HOUR_UNITS = {"hour", "hours", "hr", "hrs", "h", "小时", "小時", "giờ"}


class Iso10002Policy(models.Model):
    """The complaints-handling policy of a company, versioned (ISO 10002 5.2).

    A version is drafted by the complaints manager and approved by top
    management; approving it supersedes the version in force. Approved and
    superseded versions are kept unchanged as records.
    """

    _name = "iso10002.policy"
    _description = "Complaints-Handling Policy"
    _inherit = ["mail.thread", "iso10002.controlled.mixin"]
    _order = "company_id, version desc, id desc"
    _iso10002_controlled_fields = frozenset(
        {"state", "version", "approved_by_id", "approved_on", "superseded_on"}
    )

    name = fields.Char(
        string="Title",
        required=True,
        translate=True,
        default=lambda self: self.env._("Complaints-handling policy"),
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    version = fields.Integer(readonly=True, copy=False, default=0, tracking=True)
    content = fields.Html(required=True, translate=True, sanitize_style=True)
    state = fields.Selection(
        selection=POLICY_STATES,
        default="draft",
        required=True,
        tracking=True,
        readonly=True,
        copy=False,
    )
    approved_by_id = fields.Many2one(
        comodel_name="res.users",
        readonly=True,
        copy=False,
        tracking=True,
    )
    approved_on = fields.Date(readonly=True, copy=False, tracking=True)
    superseded_on = fields.Date(readonly=True, copy=False, tracking=True)
    change_summary = fields.Text(
        string="What Changed", help="Summary of the changes from the previous version."
    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        policies = super().create(vals_list)
        for policy in policies:
            last = self.search(
                [("company_id", "=", policy.company_id.id), ("id", "!=", policy.id)],
                order="version desc",
                limit=1,
            )
            policy._iso10002_write_controlled({"version": last.version + 1})
        return policies

    def _iso10002_is_frozen(self):
        return self.state != "draft"

    def _iso10002_frozen_message(self):
        return self.env._(
            "An approved or superseded policy version is a record and "
            "cannot be changed. Create a new version instead."
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if any(policy.state != "draft" for policy in self):
            raise UserError(
                self.env._(
                    "Only draft policy versions can be deleted; approved and "
                    "superseded versions are kept as records."
                )
            )

    @api.depends("name", "version")
    def _compute_display_name(self):
        for policy in self:
            policy.display_name = self.env._(
                "%(name)s (v%(version)s)", name=policy.name, version=policy.version
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_approve(self):
        self._check_can_approve()
        self._do_approve()
        return True

    def action_new_version(self):
        self.ensure_one()
        new = self.copy({"change_summary": False})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _check_can_approve(self):
        if not self.env.user.has_group(
            "iso10002_complaints.group_iso10002_top_management"
        ):
            raise UserError(
                self.env._(
                    "Only top management approves the complaints-handling policy "
                    "(ISO 10002 5.3.1)."
                )
            )
        for policy in self:
            if policy.state != "draft":
                raise UserError(
                    self.env._(
                        "Policy %(policy)s is not a draft.", policy=policy.display_name
                    )
                )
            if policy.version > 1 and not (policy.change_summary or "").strip():
                raise UserError(
                    self.env._(
                        "Say in What Changed how version %(version)s differs from "
                        "the version in force: the amendment is approved with its "
                        "reason.",
                        version=policy.version,
                    )
                )
        if len(self.company_id) != len(self):
            raise UserError(
                self.env._("Approve one policy version per company at a time.")
            )
        for policy in self:
            promise = policy._iso10002_unpublished_promise()
            if promise:
                raise UserError(
                    self.env._(
                        "Policy %(policy)s promises %(promise)s, which none of the "
                        "SLA time limits of %(company)s says. Let the text refer to "
                        "the time limits table printed with the policy, or change "
                        "the SLA policies first (ISO 10002 5.2, 7.1).",
                        policy=policy.display_name,
                        promise=promise,
                        company=policy.company_id.name,
                    )
                )

    def _iso10002_time_limits(self):
        """The time limits the company's SLA policies publish: (hours,
        working days) each as a set of numbers."""
        self.ensure_one()
        company = self.company_id
        per_day = company.resource_calendar_id.hours_per_day or 8.0
        policies = self.env["iso10002.sla.policy"].search(
            [("company_id", "in", [False, company.id])]
        )
        hours = {
            round(policy[name], 2)
            for policy in policies
            for name in (
                "acknowledge_hours",
                "assess_hours",
                "respond_hours",
                "resolve_hours",
            )
        }
        return hours, {round(value / per_day, 2) for value in hours}

    def _iso10002_unpublished_promise(self):
        """The first time promise of the text (in English and in the current
        language) that no SLA time limit says, as written; False if none."""
        self.ensure_one()
        hours, days = self._iso10002_time_limits()
        texts = {
            self.with_context(lang="en_US").content or "",
            self.content or "",
        }
        for text in texts:
            for match in TIME_PROMISE.finditer(html2plaintext(text)):
                number = round(float(match.group(1).replace(",", ".")), 2)
                allowed = hours if match.group(2).lower() in HOUR_UNITS else days
                if number not in allowed:
                    return match.group(0)
        return False

    def _do_approve(self):
        today = fields.Date.context_today(self)
        current = self.search(
            [("company_id", "in", self.company_id.ids), ("state", "=", "approved")]
        )
        current._iso10002_write_controlled(
            {"state": "superseded", "superseded_on": today}
        )
        self._iso10002_write_controlled(
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "approved_on": today,
            }
        )
        self._iso10002_sign(
            self.env._("Approved the complaints-handling policy"),
            self.env._("Top management"),
        )
