from odoo import api, models

# what changes a calendar's working time, hence the complaints' deadlines
WORKING_TIME = {
    "attendance_ids",
    "tz",
    "leave_ids",
    "hours_per_day",
    "two_weeks_calendar",
    "flexible_hours",
}


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def write(self, vals):
        result = super().write(vals)
        if WORKING_TIME.intersection(vals):
            self.env["iso10002.sla.line"]._recompute_for_calendars(self)
        return result


class ResourceCalendarAttendance(models.Model):
    """Working hours changed line by line (an import, another addon) are
    read afresh by the next deadline computed: the cached working spans of
    the calendars are dropped."""

    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        self.env.registry.clear_cache()
        return attendances

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
