# Copyright 2026 The iso10002_complaints authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.0.0: Odoo 19 renamed the groups of a user (``groups_id`` ->
``group_ids`` for the explicit ones, ``all_group_ids`` with the implied ones,
searched by id only) and hung groups on privileges (``res.groups.privilege``)
instead of module categories.

The clause register is noupdate data (admins may refine it): the evidence
domain of R-5.3 (roles and responsibilities) as this addon shipped it is
replaced by its 19.0 form; any other evidence domain that still names
``groups_id`` (an admin's own) gets the field's new name, so that opening
its evidence does not fail on a field that no longer exists (a group's
``category_id`` becomes ``privilege_id.category_id`` on the way).
"""

from odoo import SUPERUSER_ID, api

OLD_R_5_3 = "[('groups_id.category_id.name', 'ilike', 'ISO 10002')]"
NEW_R_5_3 = "[('group_ids.privilege_id.category_id.name', 'ilike', 'ISO 10002')]"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    clauses = (
        env["iso10002.clause"]
        .with_context(active_test=False)
        .search([("evidence_domain", "like", "groups_id")])
    )
    for clause in clauses:
        domain = clause.evidence_domain
        if domain.replace(" ", "") == OLD_R_5_3.replace(" ", ""):
            clause.evidence_domain = NEW_R_5_3
        else:
            # a path through the groups goes through the explicit ones
            # (all_group_ids, with the implied ones, searches by id only); a
            # group's category is its privilege's now
            clause.evidence_domain = (
                domain.replace(
                    "groups_id.category_id", "group_ids.privilege_id.category_id"
                )
                .replace("groups_id.", "group_ids.")
                .replace("groups_id", "all_group_ids")
            )
