from odoo import fields, models


class HelpdeskTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    is_iso10002 = fields.Boolean(
        string="ISO 10002 Complaints Handling",
        help="Tickets of this team are complaints handled under ISO 10002: "
        "reference, acknowledgement, assessment, investigation, decision and "
        "closing steps with their required data.",
    )

    iso10002_confidential = fields.Boolean(
        string="Complaints Confidential by Default",
        help="New complaints of this team are confidential: only need-to-know "
        "people see them (ISO 10002 4.7).",
    )
    iso10002_simplified = fields.Boolean(
        string="Simplified Stages",
        help="Show only the stages of the simplified stage set (ISO 10002 Annex A, "
        "small organisations): the same steps and required data, fewer columns. "
        "Set by the small-organisation mode in the settings.",
    )
    resource_calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Working Hours",
        check_company=True,
        help="Working time and public holidays the complaint deadlines of this "
        "team count in, when its SLA policy has none. Empty: the company's.",
    )

    def write(self, vals):
        result = super().write(vals)
        if "resource_calendar_id" in vals:
            self.env["iso10002.sla.line"]._recompute_for_teams(self)
        return result

    def _get_applicable_stages(self):
        stages = super()._get_applicable_stages()
        if self and all(self.mapped("is_iso10002")):
            stages = stages.filtered("is_iso10002_stage")
            if all(self.mapped("iso10002_simplified")):
                stages = stages.filtered("iso10002_in_simplified")
            return stages
        return stages.filtered(lambda stage: not stage.is_iso10002_stage)

    def _iso10002_stage_for_step(self, step):
        """The first stage of this team mapped to the ISO step ``step``."""
        self.ensure_one()
        return self._get_applicable_stages().filtered(
            lambda stage: stage.iso10002_step == step
        )[:1]
