# Copyright 2026 The iso10002_complaints authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.3.0 keeps external dispute-resolution providers in a register
(ISO 10002 7.9, ISO 10003).

The provider of an external recourse was free text on the complaint
(``recourse_provider``). Each distinct name of a company becomes a provider of
its register, and the complaints point to it; the date of the referral is
taken as the day the complainant rejected the decision. The old column is
left in place, untouched, for whoever wants to compare.

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
    _mark_complainant_contacts(env)
    _register_dispute_providers(env)
    # the clause register is noupdate: R-4.2's evidence is the public page
    clause = env.ref("iso10002_complaints.clause_r_4_2", raise_if_not_found=False)
    if clause and not clause.evidence_url:
        clause.evidence_url = "/complaints"


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


def _register_dispute_providers(env):
    cr = env.cr
    cr.execute(
        """
        SELECT 1 FROM information_schema.columns
         WHERE table_name = 'helpdesk_ticket' AND column_name = 'recourse_provider'
        """
    )
    if not cr.fetchone():
        return
    cr.execute(
        """
        SELECT DISTINCT company_id, btrim(recourse_provider)
          FROM helpdesk_ticket
         WHERE btrim(coalesce(recourse_provider, '')) != ''
           AND recourse_provider_id IS NULL
        """
    )
    Provider = env["iso10002.dispute.provider"].with_context(active_test=False)
    for company_id, name in cr.fetchall():
        provider = Provider.search(
            [("company_id", "=", company_id), ("name", "=", name)], limit=1
        ) or Provider.create({"company_id": company_id, "name": name, "kind": "other"})
        cr.execute(
            """
            UPDATE helpdesk_ticket
               SET recourse_provider_id = %s,
                   recourse_referred_on = coalesce(
                       recourse_referred_on, complainant_response_on::date
                   )
             WHERE company_id = %s AND btrim(recourse_provider) = %s
               AND recourse_provider_id IS NULL
            """,
            (provider.id, company_id, name),
        )
    env["helpdesk.ticket"].invalidate_model(
        ["recourse_provider_id", "recourse_referred_on"]
    )
