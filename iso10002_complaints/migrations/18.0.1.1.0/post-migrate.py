# Copyright 2026 The iso10002_complaints authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.1.0 adds the simplified stage set of small organisations (Annex A).

The new stage flag ``iso10002_in_simplified`` is created True on every
existing stage; the shipped stages are ``noupdate`` data, so an upgrade does
not apply their new values: the two stages the simplified set leaves out
(investigation and waiting for the complainant) are set here, once. Stages an
administrator added keep the default.
"""

LEFT_OUT = (
    "helpdesk_ticket_stage_iso_investigating",
    "helpdesk_ticket_stage_iso_waiting",
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE helpdesk_ticket_stage stage
           SET iso10002_in_simplified = FALSE
          FROM ir_model_data xmlid
         WHERE xmlid.module = 'iso10002_complaints'
           AND xmlid.model = 'helpdesk.ticket.stage'
           AND xmlid.name IN %s
           AND xmlid.res_id = stage.id
        """,
        [LEFT_OUT],
    )
