"""Controlled fields and issued records (R-8.1: records an auditor can trust).

A controlled field (a state, an approval, a verification, a reference, who
decided and when, a flag the system sets) changes only through the action
method that owns it: the action checks the user's role, then writes the value
with ``_iso10002_write_controlled`` under ``sudo()``. A direct ``write``,
``create`` or import (``load``) that sets one is refused for every user but the
superuser, whatever context it passes: RPC callers choose their context freely,
so a context key is never the guard.

An issued record (an approved policy, a reported audit, a verified action...)
is frozen: only its controlled fields still move, through their actions.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Fields any write may carry on a frozen record: Odoo's own bookkeeping
ALWAYS_WRITABLE = frozenset(
    {
        "message_main_attachment_id",
        "message_follower_ids",
        "activity_ids",
        "write_date",
        "write_uid",
    }
)


def check_controlled(records, vals_list, creating=False):
    """Refuse ``vals_list`` when it sets a controlled field of ``records``'
    model outside its action (the superuser excepted). On create a controlled
    field may only carry its default or stay empty."""
    if records.env.su:
        return
    controlled = records._iso10002_controlled_fields
    names = set()
    for vals in vals_list:
        names.update(controlled.intersection(vals))
    if creating and names:
        defaults = records.default_get(list(names))
        names = {
            name
            for name in names
            for vals in vals_list
            if name in vals
            and vals[name] not in (False, None, "", [])
            and vals[name] != defaults.get(name)
        }
    if names:
        fields_ = records._fields
        labels = ", ".join(
            sorted(fields_[name]._description_string(records.env) for name in names)
        )
        raise AccessError(
            records.env._(
                "%(fields)s of %(model)s are set by the record's own actions "
                "(buttons), which check who may do so, and cannot be written "
                "directly (ISO 10002 8.1).",
                fields=labels,
                model=records._description,
            )
        )


class Iso10002ControlledMixin(models.AbstractModel):
    _name = "iso10002.controlled.mixin"
    _description = "ISO 10002 Controlled Fields"

    # names of the fields that only the model's actions set
    _iso10002_controlled_fields = frozenset()

    iso10002_signature_ids = fields.Many2many(
        comodel_name="iso10002.signature",
        string="Signatures",
        compute="_compute_iso10002_signature_ids",
    )

    def _compute_iso10002_signature_ids(self):
        signatures = (
            self.env["iso10002.signature"]
            .sudo()
            .search([("res_model", "=", self._name), ("res_id", "in", self.ids)])
        )
        by_record = signatures.grouped("res_id")
        Signature = self.env["iso10002.signature"]
        for record in self:
            record.iso10002_signature_ids = by_record.get(
                record.id, Signature
            ).with_env(Signature.env)

    @api.model_create_multi
    def create(self, vals_list):
        check_controlled(self, vals_list, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        check_controlled(self, [vals])
        self._iso10002_check_frozen(vals)
        return super().write(vals)

    def update_field_translations(self, field_name, translations, source_lang=None):
        # translations are content too: the same rules as a write
        check_controlled(self, [{field_name: True}])
        self._iso10002_check_frozen({field_name: True})
        return super().update_field_translations(
            field_name, translations, source_lang=source_lang
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _iso10002_write_controlled(self, vals):
        """Write controlled values from an action that has checked the role:
        the user must still be allowed to write the records."""
        self.check_access("write")
        return self.sudo().write(vals)

    def _iso10002_sign(self, meaning, role):
        """Sign ``self`` as the current user: ``meaning`` says what the
        signature means, ``role`` the role the user signs in (both as shown)."""
        now = fields.Datetime.now()
        self.env["iso10002.signature"].sudo().create(
            [
                {
                    "res_model": self._name,
                    "res_id": record.id,
                    "company_id": (
                        record["company_id"].id
                        if "company_id" in record._fields and record["company_id"]
                        else self.env.company.id
                    ),
                    "user_id": self.env.user.id,
                    "role": role,
                    "meaning": meaning,
                    "signed_on": now,
                }
                for record in self
            ]
        )
        self.invalidate_recordset(["iso10002_signature_ids"])

    def _iso10002_is_frozen(self):
        """Issued records (approved, reported, verified): their content is
        kept as it was issued. Models say when."""
        return False

    def _iso10002_frozen_message(self):
        return self.env._(
            "%(record)s is issued and kept as it was; amend it through its "
            "actions (for example a new version) instead.",
            record=self.display_name,
        )

    def _iso10002_check_frozen(self, vals):
        changed = set(vals) - self._iso10002_controlled_fields - ALWAYS_WRITABLE
        if not changed:
            return
        for record in self:
            if record._iso10002_is_frozen():
                raise UserError(record._iso10002_frozen_message())
