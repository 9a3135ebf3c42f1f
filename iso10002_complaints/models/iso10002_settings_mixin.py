from odoo import fields, models


class Iso10002SettingsMixin(models.AbstractModel):
    """The complaints-handling settings of a company (``company_id`` of the
    model using it): the addon's block of the Helpdesk settings, and the
    complaints managers' own settings form (``iso10002.settings``)."""

    _name = "iso10002.settings.mixin"
    _description = "Complaints Handling Settings (fields)"

    company_id = fields.Many2one(comodel_name="res.company")

    iso10002_management_representative_id = fields.Many2one(
        related="company_id.iso10002_management_representative_id", readonly=False
    )
    iso10002_small_organisation = fields.Boolean(
        related="company_id.iso10002_small_organisation", readonly=False
    )
    iso10002_response_days = fields.Integer(
        related="company_id.iso10002_response_days", readonly=False
    )
    iso10002_response_wait_days = fields.Integer(
        related="company_id.iso10002_response_wait_days", readonly=False
    )
    iso10002_policy_id = fields.Many2one(related="company_id.iso10002_policy_id")
    iso10002_remedy_approval_limit = fields.Monetary(
        related="company_id.iso10002_remedy_approval_limit",
        currency_field="iso10002_currency_id",
        readonly=False,
    )
    iso10002_currency_id = fields.Many2one(related="company_id.currency_id")
    iso10002_recurrence_window_days = fields.Integer(
        related="company_id.iso10002_recurrence_window_days", readonly=False
    )
    iso10002_recurrence_by_partner = fields.Boolean(
        related="company_id.iso10002_recurrence_by_partner", readonly=False
    )
    iso10002_safety_keywords = fields.Char(
        related="company_id.iso10002_safety_keywords", readonly=False
    )
    iso10002_publish_statistics = fields.Boolean(
        related="company_id.iso10002_publish_statistics", readonly=False
    )
    iso10002_statistics_threshold = fields.Integer(
        related="company_id.iso10002_statistics_threshold", readonly=False
    )
    iso10002_require_training = fields.Boolean(
        related="company_id.iso10002_require_training", readonly=False
    )
    iso10002_external_recourse = fields.Html(
        related="company_id.iso10002_external_recourse", readonly=False
    )
    iso10002_attachment_max_mb = fields.Integer(
        related="company_id.iso10002_attachment_max_mb", readonly=False
    )
    iso10002_web_rate_limit = fields.Integer(
        related="company_id.iso10002_web_rate_limit", readonly=False
    )
    iso10002_retention_days = fields.Integer(
        related="company_id.iso10002_retention_days", readonly=False
    )

    iso10002_audit_interval_months = fields.Integer(
        related="company_id.iso10002_audit_interval_months", readonly=False
    )
    iso10002_audit_lead_id = fields.Many2one(
        related="company_id.iso10002_audit_lead_id", readonly=False
    )
    iso10002_review_interval_months = fields.Integer(
        related="company_id.iso10002_review_interval_months", readonly=False
    )
    iso10002_next_audit_date = fields.Date(
        related="company_id.iso10002_next_audit_date"
    )
    iso10002_next_review_date = fields.Date(
        related="company_id.iso10002_next_review_date"
    )

    def _iso10002_company_values(self, vals):
        """Take the company's settings out of ``vals``: {field: value}."""
        names = [
            name
            for name, field in self._fields.items()
            if field.related
            and field.related.startswith("company_id.")
            and not field.readonly
        ]
        return {name: vals.pop(name) for name in names if name in vals}

    def action_iso10002_check_register(self):
        return self.company_id.action_iso10002_check_register()
