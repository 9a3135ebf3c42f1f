from odoo import api, models


class ResourceCalendarLeaves(models.Model):
    """Public holidays move the deadlines of the complaints they fall into."""

    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._iso10002_recompute_deadlines()
        return leaves

    def write(self, vals):
        calendars = self._iso10002_calendars()
        result = super().write(vals)
        self.env["iso10002.sla.line"]._recompute_for_calendars(
            calendars | self._iso10002_calendars()
        )
        return result

    def unlink(self):
        calendars = self._iso10002_calendars()
        result = super().unlink()
        self.env["iso10002.sla.line"]._recompute_for_calendars(calendars)
        return result

    def _iso10002_calendars(self):
        """Calendars whose working time these leaves change: a leave of no
        calendar (a public holiday for everyone) changes them all."""
        company_wide = self.filtered(lambda leave: not leave.resource_id)
        if not company_wide:
            return self.env["resource.calendar"]
        if any(not leave.calendar_id for leave in company_wide):
            return self.env["resource.calendar"].search([])
        return company_wide.calendar_id

    def _iso10002_recompute_deadlines(self):
        self.env["iso10002.sla.line"]._recompute_for_calendars(
            self._iso10002_calendars()
        )
