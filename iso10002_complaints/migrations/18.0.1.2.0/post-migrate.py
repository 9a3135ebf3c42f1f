# Copyright 2026 The iso10002_complaints authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.2.0 makes complaint references gap-free (R-7.2, R-8.1).

The complaint sequences were PostgreSQL sequences ("standard"): a create that
failed still consumed its number, leaving gaps in the register. They become
"no_gap" sequences, which take their number inside the transaction. Odoo's
switch drops the PostgreSQL sequences, so the next number of each sequence and
of its yearly ranges is read first and written back after.

It also marks the contacts the intake made for complainants (R-4.7): the web
form and the e-mail gateway now create them as complainant contacts, bound to
the complaint's company and read only by need-to-know. The contacts made
before are found as the ones created in the same transaction as a complaint
received by web or e-mail that points to them (as complainant,
representative or contact person), without a user account: a contact the
form reused (an older version did) or that staff recorded is left as it is.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _make_sequences_gap_free(env)
    _mark_complainant_contacts(env)


def _mark_complainant_contacts(env):
    env.cr.execute(
        """
        UPDATE res_partner partner
           SET iso10002_complainant_contact = TRUE,
               company_id = COALESCE(partner.company_id, ticket.company_id)
          FROM helpdesk_ticket ticket
          JOIN helpdesk_ticket_channel channel ON channel.id = ticket.channel_id
         WHERE ticket.is_complaint
           AND channel.iso10002_kind IN ('web', 'email')
           AND partner.id IN (
                ticket.partner_id, ticket.representative_id, ticket.contact_person_id
           )
           AND partner.create_date = ticket.create_date
           AND partner.iso10002_complainant_contact IS NOT TRUE
           AND NOT EXISTS (
                SELECT 1 FROM res_users WHERE res_users.partner_id = partner.id
           )
        """
    )
    env["res.partner"].invalidate_model(["iso10002_complainant_contact", "company_id"])


def _make_sequences_gap_free(env):
    sequences = env["ir.sequence"].search(
        [("code", "=", "iso10002.complaint"), ("implementation", "!=", "no_gap")]
    )
    for sequence in sequences:
        next_numbers = {
            date_range: date_range.number_next_actual
            for date_range in sequence.date_range_ids
        }
        number_next = sequence.number_next_actual
        sequence.write({"implementation": "no_gap", "number_next": number_next})
        for date_range, number in next_numbers.items():
            date_range.number_next = number
