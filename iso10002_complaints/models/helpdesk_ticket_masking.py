"""Masking of a complaint's personal data for users without need-to-know
(R-4.7, C.4): read, export, search, order, grouping and aggregates answer
as if the protected fields were empty on complaints."""

from odoo import api, models
from odoo.fields import Domain
from odoo.models import parse_read_group_spec
from odoo.orm.models import READ_GROUP_AGGREGATE
from odoo.tools import SQL, ormcache

# The complainant's personal data: masked in exports and reports
# without their consent to sharing
from .helpdesk_ticket_privacy import PROTECTED_FIELDS

# who follows a complaint: its internal followers only, to users who mask
FOLLOWER_FIELDS = ("message_follower_ids", "message_partner_ids")


def _holds_on_empty(operator, value):
    """Whether Odoo's condition ``(field, operator, value)`` holds on a
    record whose field is empty (so also on the records of a path through
    it)."""
    if operator in ("any", "=like", "=ilike", "like", "ilike", "child_of"):
        return False
    if operator in ("not any", "not like", "not ilike", "not =like", "not =ilike"):
        return True
    if operator in ("=", "=?"):
        return not value
    if operator in ("!=", "<>"):
        return bool(value)
    if operator in ("in", "not in") and isinstance(value, (list, tuple)):
        has_empty = any(not item for item in value)
        return has_empty if operator == "in" else not has_empty
    return False


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # ------------------------------------------------------------------
    # ORM overrides
    # ------------------------------------------------------------------
    @api.model
    def _iso10002_masks_personal_data(self):
        """The current user reads complaints without their personal data:
        every complaint is masked for them, whatever path they take."""
        return not self.env.su and not self._iso10002_sees_personal_data()

    @api.model
    @ormcache()
    def _iso10002_protected_fnames(self):
        """The protected fields and the fields related through them."""
        return frozenset(
            {
                name
                for name, field in self._fields.items()
                if name in PROTECTED_FIELDS
                or (
                    field.related and field.related.split(".", 1)[0] in PROTECTED_FIELDS
                )
            }
        )

    @api.model
    def _iso10002_mask_domain(self, domain):
        """Each condition on a protected field (or on a path through one)
        is evaluated on complaints as if the field were empty, as sorting and
        grouping do: the same answer for every complaint, so no condition
        tells one complaint from another; plain tickets are unchanged."""
        protected = self._iso10002_protected_fnames()

        def mask(condition):
            path, operator, value = (
                condition.field_expr,
                condition.operator,
                condition.value,
            )
            head, dot, rest = path.partition(".")
            if head == "message_partner_ids":
                # Odoo searches followers with sudo: through the followers
                # the user may see instead (mail_followers.py)
                return Domain(
                    f"message_follower_ids.partner_id{dot}{rest}", operator, value
                )
            if head not in protected:
                return condition
            if _holds_on_empty(operator, value):
                return Domain("is_complaint", "=", True) | condition
            return Domain("is_complaint", "=", False) & condition

        return Domain(domain).map_conditions(mask)

    def _iso10002_masked_sql(self, alias, sql, query):
        """``sql`` (a value of the ticket at ``alias``), NULL on complaints."""
        return SQL(
            "(CASE WHEN %s THEN NULL ELSE %s END)",
            self._field_to_sql(alias, "is_complaint", query),
            sql,
        )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        # every search goes through here (search, search_count, _read_group,
        # name_search, paths from other models); record rules are added
        # after the domain, unmasked
        if self._iso10002_masks_personal_data():
            domain = self._iso10002_mask_domain(domain)
        return super()._search(
            domain, offset=offset, limit=limit, order=order, **kwargs
        )

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        fname = field_name.split(".", 1)[0]
        if (
            fname not in self._iso10002_protected_fnames()
            or not self._iso10002_masks_personal_data()
        ):
            return super()._order_field_to_sql(
                alias, field_name, direction, nulls, query
            )
        # complaints sort as if the field were empty
        field = self._fields[fname]
        sql_field = self._iso10002_masked_sql(
            alias, self._field_to_sql(alias, fname, query), query
        )
        comodel = field.comodel_name and self.env[field.comodel_name]
        if (
            field.type != "many2one"
            or field_name.endswith(".id")
            or comodel._order == "id"
        ):
            if query.groupby:
                query.groupby = SQL("%s, %s", query.groupby, sql_field)
            return SQL("%s %s %s", sql_field, direction, nulls)
        # a many2one sorts by its comodel's order: join the comodel on the
        # masked value, so complaints join nothing
        terms = []
        if nulls.code == "NULLS FIRST":
            terms.append(SQL("%s IS NOT NULL", sql_field))
        elif nulls.code == "NULLS LAST":
            terms.append(SQL("%s IS NULL", sql_field))
        coalias = query.make_alias(alias, f"{fname}__iso10002")
        query.add_join(
            "LEFT JOIN",
            coalias,
            comodel._table,
            SQL("%s = %s", sql_field, SQL.identifier(coalias, "id")),
        )
        term = comodel._order_to_sql(
            comodel._order, query, alias=coalias, reverse=direction.code == "DESC"
        )
        if term:
            terms.append(term)
        return SQL(", ").join(terms)

    def _read_group_groupby(self, alias, groupby_spec, query):
        fname = parse_read_group_spec(groupby_spec)[0]
        if (
            fname not in self._iso10002_protected_fnames()
            or not self._iso10002_masks_personal_data()
        ):
            return super()._read_group_groupby(alias, groupby_spec, query)
        field = self._fields[fname]
        if field.type == "many2many" and field.store:
            # one row per complaint, in the empty group: the rows of the
            # relation are joined to plain tickets only (Odoo joins them to
            # every record, which would count the people named)
            comodel = self.env[field.comodel_name]
            rules = self.env["ir.rule"]._compute_domain(comodel._name, "read")
            rel_alias = query.make_alias(alias, f"{fname}__iso10002")
            condition = SQL(
                "%s = %s AND %s IS NOT TRUE",
                SQL.identifier(alias, "id"),
                SQL.identifier(rel_alias, field.column1),
                self._field_to_sql(alias, "is_complaint", query),
            )
            if not rules.is_true():
                coquery = comodel.sudo()._search(rules, active_test=False)
                condition = SQL(
                    "%s AND %s IN %s",
                    condition,
                    SQL.identifier(rel_alias, field.column2),
                    coquery.subselect(),
                )
            query.add_join("LEFT JOIN", rel_alias, field.relation, condition)
            return SQL.identifier(rel_alias, field.column2)
        return self._iso10002_masked_sql(
            alias, super()._read_group_groupby(alias, groupby_spec, query), query
        )

    def _read_group_select(self, aggregate_spec, query):
        sql = super()._read_group_select(aggregate_spec, query)
        if aggregate_spec == "__count" or not self._iso10002_masks_personal_data():
            return sql
        fname, __, func = parse_read_group_spec(aggregate_spec)
        if fname not in self._iso10002_protected_fnames():
            return sql
        sql_field = self._iso10002_masked_sql(
            self._table, self._field_to_sql(self._table, fname, query), query
        )
        return READ_GROUP_AGGREGATE[func](self._table, sql_field)

    def _read_format(self, fnames, load="_classic_read"):
        """R-4.7, C.4: users outside need-to-know who may see a complaint read
        its non-personal content only."""
        result = super()._read_format(fnames, load=load)
        protected = self._iso10002_protected_fnames()
        hidden = [name for name in fnames if name in protected]
        followers = [name for name in fnames if name in FOLLOWER_FIELDS]
        if not (hidden or followers) or self._iso10002_sees_personal_data():
            return result
        complaints = set(self.sudo().filtered("is_complaint").ids)
        if followers and complaints:
            # only the internal followers (mail_followers.py)
            shown = self.env["mail.followers"].search(
                [("res_model", "=", self._name), ("res_id", "in", list(complaints))]
            )
            shown = {
                "message_follower_ids": set(shown.ids),
                "message_partner_ids": set(shown.partner_id.ids),
            }
        for values in result:
            if values.get("id") in complaints:
                for name in hidden:
                    values[name] = (
                        [] if self._fields[name].type.endswith("2many") else False
                    )
                for name in followers:
                    values[name] = [id_ for id_ in values[name] if id_ in shown[name]]
        return result

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        """R-4.7: exports mask the complainant's personal data unless they
        agreed to sharing it, also when a complaint is exported through
        another record (``duplicate_id/partner_email``). The masked columns
        are not read at all: the user may not read the complainant's contact."""
        protected = self._iso10002_protected_fnames()
        personal = {
            index for index, path in enumerate(fields) if path and path[0] in protected
        }
        outsider = not self._iso10002_sees_personal_data()
        masked = self.filtered(
            lambda t: (
                t.is_complaint and (outsider or not t._iso10002_shares_personal_data())
            )
        )
        if not personal or not masked:
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        hidden = self.env._("(withheld)")
        # the masked columns export the record's id, overwritten below
        kept = [
            [".id"] if index in personal else path for index, path in enumerate(fields)
        ]
        rows = []
        for ticket in self:
            if ticket not in masked:
                rows.extend(
                    super(HelpdeskTicket, ticket)._export_rows(
                        fields, _is_toplevel_call=_is_toplevel_call
                    )
                )
                continue
            ticket_rows = super(HelpdeskTicket, ticket)._export_rows(
                kept, _is_toplevel_call=_is_toplevel_call
            )
            for index in personal:
                ticket_rows[0][index] = hidden
            rows.extend(ticket_rows)
        return rows
