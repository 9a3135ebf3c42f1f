from odoo import models


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def write(self, vals):
        result = super().write(vals)
        if {"attendance_ids", "tz", "leave_ids", "hours_per_day"}.intersection(vals):
            self.env["iso10002.sla.line"]._recompute_for_calendars(self)
        return result
