# Copyright 2026 The iso10002_complaints authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.5.0: the escalation pass queues each breach for its team's message
in its company's list (``iso10002_escalation_to_report_rel``) instead of a
flag on the escalation, so that reporting a breach deletes a queue row
instead of rewriting the escalation. Breaches recorded but not yet reported
when the database was upgraded (a pass interrupted before its messages) move
to the queue, and the next pass reports them; the flag's column goes.

The e-mail templates nobody edited get this release's wording
(``mail.template._iso10002_refresh_untouched``).
"""

from odoo import SUPERUSER_ID, api
from odoo.tools.sql import column_exists


def migrate(cr, version):
    if not version:
        return
    if column_exists(cr, "iso10002_escalation", "notification_pending"):
        cr.execute(
            """INSERT INTO iso10002_escalation_to_report_rel
                   (company_id, escalation_id)
               SELECT company_id, id FROM iso10002_escalation
                WHERE notification_pending AND company_id IS NOT NULL
                   ON CONFLICT DO NOTHING"""
        )
        cr.execute("DROP INDEX IF EXISTS iso10002_escalation_notification_pending_idx")
        cr.execute("ALTER TABLE iso10002_escalation DROP COLUMN notification_pending")
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["mail.template"]._iso10002_refresh_untouched()
