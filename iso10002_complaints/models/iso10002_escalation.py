from odoo import api, fields, models
from odoo.tools import SQL

from .iso10002_data import ESCALATION_KINDS, PHASES

# the breaches recorded by the escalation pass and not yet reported to their
# team (res.company.iso10002_breaches_to_report_ids)
TO_REPORT = "iso10002_escalation_to_report_rel"


class Iso10002Escalation(models.Model):
    """An escalation of a complaint: automatic when a phase is at risk or
    breached, at once for significant complaints (ISO 10002 5.3.1 g), or by any
    employee with a reason (5.3.5). A clock escalates once per level and a
    complaint is reported significant once: unique indexes make sure of it even
    when two workers run at the same time."""

    _name = "iso10002.escalation"
    _inherit = ["iso10002.complaint.record"]
    _description = "Complaint Escalation"
    _order = "date desc, id desc"

    sla_line_id = fields.Many2one(
        comodel_name="iso10002.sla.line",
        string="SLA Phase",
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    phase = fields.Selection(selection=PHASES, readonly=True)
    kind = fields.Selection(selection=ESCALATION_KINDS, required=True, readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Escalated By",
        default=lambda self: self.env.user,
        readonly=True,
    )
    reason = fields.Text(readonly=True)
    partner_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Notified",
        readonly=True,
    )
    # a breach recorded by the escalation pass, not yet in its team's message
    # (one message per team and pass, after all the pass's batches): queued
    # in its company's list, so that reporting it deletes a queue row instead
    # of rewriting the escalation through all its indexes
    notification_pending = fields.Boolean(
        string="Team Notification Pending",
        compute="_compute_notification_pending",
    )

    _line_kind_uniq = models.Constraint(
        "unique(sla_line_id, kind)",
        "An SLA phase is escalated once per level.",
    )

    def init(self):
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS iso10002_escalation_significant_uniq
                ON iso10002_escalation (ticket_id) WHERE kind = 'significant';
            """
        )

    def _compute_notification_pending(self):
        self.env.cr.execute(
            SQL(
                "SELECT escalation_id FROM %s WHERE escalation_id IN %s",
                SQL.identifier(TO_REPORT),
                tuple(self.ids) or (None,),
            )
        )
        pending = {row[0] for row in self.env.cr.fetchall()}
        for escalation in self:
            escalation.notification_pending = escalation.id in pending

    @api.model
    def _record(self, lines, kind):
        return self.create(
            [
                {
                    "ticket_id": line.ticket_id.id,
                    "sla_line_id": line.id,
                    "phase": line.phase,
                    "kind": kind,
                }
                for line in lines
            ]
        )
