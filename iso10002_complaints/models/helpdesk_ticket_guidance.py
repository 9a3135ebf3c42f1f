"""What the next step of a complaint needs, shown on the form while the
complaint stands at its step (R-7.5 to R-7.9): the same rules as the step
guards (``iso10002_data.missing_for_step``), read ahead."""

from odoo import api, fields, models

from . import iso10002_data as iso
from .helpdesk_ticket_lifecycle import STEP_DATA_FIELDS


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    iso10002_next_step_needs = fields.Char(
        string="What the Next Step Needs",
        compute="_compute_iso10002_next_step_needs",
    )

    @api.depends(
        *sorted(STEP_DATA_FIELDS),
        "iso10002_has_investigation_stage",
        "remedy_ids.state",
        "remedy_ids.needs_approval",
        "remedy_ids.approved_on",
    )
    def _compute_iso10002_next_step_needs(self):
        now = fields.Datetime.now()
        labels = dict(self._fields["iso10002_step"]._description_selection(self.env))
        for complaint in self:
            step = complaint._iso10002_next_step() if complaint.is_complaint else None
            if not step or not complaint._origin.id:
                complaint.iso10002_next_step_needs = False
                continue
            values = complaint._iso10002_step_values()
            missing, blockers = iso.missing_for_step(
                step,
                values,
                now=now,
                wait_days=complaint.company_id.iso10002_response_wait_days,
            )
            # what the step's own action records is not asked of the user
            missing = [
                name
                for name in missing
                if name not in self._iso10002_controlled_fields
                and name != "communication_channel"
            ]
            lines = [complaint.env._("Next step: %(step)s.", step=labels[step])]
            if missing:
                lines.append(
                    complaint.env._(
                        "Still to fill in: %(fields)s.",
                        fields=", ".join(
                            self._fields[name]._description_string(self.env)
                            for name in missing
                        ),
                    )
                )
            lines.extend(complaint._iso10002_blocker_messages(blockers, values))
            complaint.iso10002_next_step_needs = " ".join(lines)

    def _iso10002_next_step(self):
        """The step the complaint's next action takes it to, or None."""
        self.ensure_one()
        step = self.iso10002_step
        outcome = self.assessment_outcome
        if step == iso.STEP_RECEIVED:
            return iso.STEP_ACKNOWLEDGED
        if step == iso.STEP_ACKNOWLEDGED:
            return iso.STEP_ASSESSED
        if step == iso.STEP_ASSESSED:
            if outcome == iso.OUTCOME_NOT_COMPLAINT:
                return iso.STEP_CLOSED
            if outcome == iso.OUTCOME_VALID and self.iso10002_has_investigation_stage:
                return iso.STEP_INVESTIGATING
            return iso.STEP_RESPONDED
        if step == iso.STEP_INVESTIGATING:
            return iso.STEP_RESPONDED
        if step == iso.STEP_RESPONDED:
            return iso.STEP_COMMUNICATED
        if step in (iso.STEP_COMMUNICATED, iso.STEP_REVIEW):
            return iso.STEP_CLOSED
        return None
