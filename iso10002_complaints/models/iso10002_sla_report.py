from odoo import fields, models, tools

from .iso10002_data import PHASES, SEVERITIES, SLA_STATUSES


class Iso10002SlaReport(models.Model):
    """SLA analysis: one row per phase of each complaint, with its status at
    the time of reading (the view compares deadlines with now(), nothing that
    depends on the time is stored)."""

    _name = "iso10002.sla.report"
    _description = "Complaint SLA Analysis"
    _auto = False
    _order = "received_at desc"

    ticket_id = fields.Many2one("helpdesk.ticket", string="Complaint", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned To", readonly=True)
    policy_id = fields.Many2one(
        "iso10002.sla.policy", string="SLA Policy", readonly=True
    )
    complaint_category_id = fields.Many2one(
        "iso10002.complaint.category", readonly=True
    )
    channel_id = fields.Many2one("helpdesk.ticket.channel", readonly=True)
    severity = fields.Selection(selection=SEVERITIES, readonly=True)
    phase = fields.Selection(selection=PHASES, readonly=True)
    status = fields.Selection(selection=SLA_STATUSES, readonly=True)
    received_at = fields.Datetime(string="Received On", readonly=True)
    deadline = fields.Datetime(readonly=True)
    reached_at = fields.Datetime(readonly=True)
    target_hours = fields.Float(
        string="Target (working hours)", readonly=True, aggregator="avg"
    )
    consumed_hours = fields.Float(
        string="Used (working hours)", readonly=True, aggregator="avg"
    )

    @property
    def _table_query(self):
        return """
            SELECT line.id,
                   line.ticket_id,
                   line.company_id,
                   ticket.team_id,
                   ticket.user_id,
                   line.policy_id,
                   ticket.complaint_category_id,
                   ticket.channel_id,
                   ticket.severity,
                   line.phase,
                   CASE
                       WHEN line.state = 'running'
                        AND line.deadline <= (now() AT TIME ZONE 'UTC')
                           THEN 'breached'
                       WHEN line.state = 'running'
                        AND line.at_risk_at <= (now() AT TIME ZONE 'UTC')
                           THEN 'at_risk'
                       WHEN line.state = 'running' THEN 'on_track'
                       ELSE line.state
                   END AS status,
                   ticket.received_at,
                   line.deadline,
                   line.reached_at,
                   line.target_hours,
                   line.consumed_hours
              FROM iso10002_sla_line line
              JOIN helpdesk_ticket ticket ON ticket.id = line.ticket_id
             WHERE ticket.is_feedback IS NOT TRUE
               AND ticket.active
        """

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
