"""Closing events of a complaint other than the answer (R-7.9, R-8.1): the
complainant's withdrawal, archiving by a complaints manager, and reopening a
closed complaint with a reason, kept as a reopening record."""

from odoo import fields, models
from odoo.exceptions import UserError

from . import iso10002_data as iso


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    withdrawn_on = fields.Datetime(
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
        help="The complainant withdrew the complaint: it is closed, counted as "
        "received and as withdrawn, and not as resolved.",
    )
    withdrawal_reason = fields.Text(
        string="Reason for Withdrawal",
        copy=False,
        tracking=True,
        help="What the complainant said when withdrawing the complaint.",
    )
    archive_reason = fields.Text(
        string="Reason for Archiving",
        copy=False,
        tracking=True,
        help="Why a complaints manager archived the complaint. Archived "
        "complaints leave the working lists but stay in the register and the "
        "statistics.",
    )
    reopening_ids = fields.One2many(
        comodel_name="iso10002.reopening",
        inverse_name="ticket_id",
        string="Reopenings",
    )
    reopen_count = fields.Integer(
        string="Times Reopened", readonly=True, copy=False, default=0, tracking=True
    )
    reopened_on = fields.Datetime(
        string="Last Reopened On",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_iso10002_withdraw(self):
        """The complainant withdraws the complaint (R-7.9): it closes as
        withdrawn, with what they said, and stays counted as received."""
        self._check_is_complaint()
        for complaint in self:
            if complaint.iso10002_step == iso.STEP_CLOSED:
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s is already closed.",
                        ref=complaint.complaint_reference,
                    )
                )
            if not (complaint.withdrawal_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Write what the complainant said in Reason for Withdrawal "
                        "(Closure tab) before recording the withdrawal of "
                        "%(ref)s.",
                        ref=complaint.complaint_reference,
                    )
                )
        self._iso10002_write_controlled({"withdrawn_on": fields.Datetime.now()})
        self._iso10002_set_step(iso.STEP_CLOSED)
        for complaint in self:
            complaint.message_post(
                body=self.env._(
                    "The complainant withdrew the complaint: %(reason)s",
                    reason=complaint.withdrawal_reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_iso10002_reopen(self):
        self._check_is_complaint()
        self._check_can_reopen()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reopen Complaint"),
            "res_model": "iso10002.reopen.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def _check_can_reopen(self):
        if not self.env.user.has_group("iso10002_complaints.group_iso10002_manager"):
            raise UserError(
                self.env._("Only a complaints manager reopens a closed complaint.")
            )
        for complaint in self:
            if complaint.iso10002_step != iso.STEP_CLOSED:
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s is not closed: there is nothing to reopen.",
                        ref=complaint.complaint_reference,
                    )
                )

    def _iso10002_reopen(self, reason):
        """Open closed complaints again (R-7.9): the closure they had is kept
        in a reopening record, the decision and the answer are taken again,
        and the deadlines still to meet run again."""
        self._check_is_complaint()
        self._check_can_reopen()
        self.check_access("write")
        now = fields.Datetime.now()
        step_labels = dict(
            self._fields["iso10002_step"]._description_selection(self.env)
        )
        response_labels = dict(
            self._fields["complainant_response"]._description_selection(self.env)
        )
        self.env["iso10002.reopening"].sudo().create(
            [
                {
                    "ticket_id": complaint.id,
                    "reason": reason,
                    "reopened_by_id": self.env.user.id,
                    "reopened_on": now,
                    "step_before": step_labels.get(complaint.iso10002_step),
                    "previous_closed_on": complaint.closed_date,
                    "previous_decision": complaint.decision,
                    "previous_decided_by_id": complaint.decided_by_id.id,
                    "previous_response": response_labels.get(
                        complaint.complainant_response
                    ),
                    "previous_withdrawn": bool(complaint.withdrawn_on),
                    "previous_in_time": any(
                        line.phase == iso.PHASE_RESOLVE and line.state == iso.SLA_MET
                        for line in complaint.sudo().sla_line_ids
                    ),
                }
                for complaint in self
            ]
        )
        for complaint in self:
            team = complaint.team_id
            target = iso.STEP_INVESTIGATING
            if complaint.is_feedback or not team._iso10002_stage_for_step(target):
                target = iso.STEP_ASSESSED
            stage = team._iso10002_stage_for_step(target)
            complaint.sudo().write(
                {
                    "stage_id": stage.id,
                    "closed_date": False,
                    "decided_by_id": False,
                    "decided_on": False,
                    "communicated_on": False,
                    "communicated_by_id": False,
                    "complainant_response": False,
                    "complainant_response_on": False,
                    "closed_without_response": False,
                    "withdrawn_on": False,
                    "reopened_on": now,
                    "reopen_count": complaint.reopen_count + 1,
                }
            )
            complaint.message_post(
                body=self.env._(
                    "Complaint reopened by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        self._iso10002_sla_reopen(now)
        return True
