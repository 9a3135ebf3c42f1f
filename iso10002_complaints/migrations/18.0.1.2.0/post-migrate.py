# Copyright 2026 The iso10002_complaints authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.2.0 makes complaint references gap-free (R-7.2, R-8.1).

The complaint sequences were PostgreSQL sequences ("standard"): a create that
failed still consumed its number, leaving gaps in the register. They become
"no_gap" sequences, which take their number inside the transaction. Odoo's
switch drops the PostgreSQL sequences, so the next number of each sequence and
of its yearly ranges is read first and written back after.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
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
