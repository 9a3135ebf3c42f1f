from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestNonIsoTeam(ComplaintCase):
    """Teams without ISO 10002 handling keep plain helpdesk behaviour."""

    def _plain(self, **extra):
        vals = {
            "name": "Password reset",
            "description": "<p>Cannot log in</p>",
            "team_id": self.plain_team.id,
            "partner_id": self.complainant.id,
            "channel_id": self.channel_email.id,
        }
        vals.update(extra)
        return self.env["helpdesk.ticket"].create(vals)

    def test_plain_ticket_is_untouched(self):
        ticket = self._plain()
        self.assertFalse(ticket.is_complaint)
        self.assertFalse(ticket.complaint_reference)
        self.assertFalse(ticket.received_at)
        self.assertFalse(ticket.stage_history_ids)
        self.assertNotRegex(ticket.number, r"^CMP/")
        self.assertEqual(
            ticket.stage_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        )
        # no acknowledgement e-mail for a plain ticket from the e-mail channel
        self.assertFalse(
            ticket.message_ids.filtered(
                lambda m: m.subject and "We received your complaint" in m.subject
            )
        )

    def test_plain_team_stages_exclude_iso_stages(self):
        stages = self.plain_team._get_applicable_stages()
        self.assertFalse(stages.filtered("iso10002_step"))
        self.assertIn(self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done"), stages)
        iso_stages = self.team._get_applicable_stages()
        self.assertTrue(iso_stages)
        self.assertTrue(all(iso_stages.mapped("iso10002_step")))

    def test_plain_ticket_moves_freely_and_can_be_deleted(self):
        ticket = self._plain()
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        ticket.stage_id = done
        self.assertTrue(ticket.closed)
        ticket.unlink()
        self.assertFalse(ticket.exists())

    def test_kanban_columns(self):
        Ticket = self.env["helpdesk.ticket"]
        stages = self.env["helpdesk.ticket.stage"]
        plain_columns = Ticket._read_group_stage_ids(stages, [])
        self.assertFalse(plain_columns.filtered("iso10002_step"))
        iso_columns = Ticket.with_context(
            iso10002_complaints=True
        )._read_group_stage_ids(stages, [])
        self.assertEqual(
            set(iso_columns.mapped("iso10002_step")),
            {
                "received",
                "acknowledged",
                "assessed",
                "investigating",
                "responded",
                "communicated",
                "review",
                "closed",
            },
        )
