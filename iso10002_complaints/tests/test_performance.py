from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestPerformance(ComplaintCase):
    """Query counts of batch creation: complaints against plain tickets.

    The marginal cost (queries per extra record in one batch) is what grows with
    the batch; it must stay within 1.5x that of a plain helpdesk ticket.
    """

    def _count_queries(self, vals_list):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        self.env["helpdesk.ticket"].create(vals_list)
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def _marginal(self, make_vals, small=5, large=15):
        q_small = self._count_queries([make_vals(i) for i in range(small)])
        q_large = self._count_queries([make_vals(i) for i in range(large)])
        return (q_large - q_small) / (large - small)

    def _plain_vals(self, i):
        return {
            "name": f"Ticket {i}",
            "description": "<p>Plain</p>",
            "team_id": self.plain_team.id,
            "partner_id": self.complainant.id,
            "channel_id": self.channel_phone.id,
        }

    def _complaint_batch_vals(self, i):
        return self._complaint_vals(name=f"Complaint {i}")

    def test_batch_creation_marginal_queries(self):
        plain = self._marginal(self._plain_vals)
        complaint = self._marginal(self._complaint_batch_vals)
        self.assertLessEqual(
            complaint,
            1.5 * plain,
            f"complaint {complaint:.1f} vs plain {plain:.1f} queries per record",
        )
