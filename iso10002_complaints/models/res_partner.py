"""Complainants' contacts and the tickets they point to (R-4.7, C.4).

Two doors to a complainant's personal data open on res.partner:

* the contact made for a complainant by the intake (web form, e-mail
  gateway) exists only because of the complaint: it is bound to the
  complaint's company and, through the record rule
  ``res_partner_rule_iso10002_complainant``, read only by the complainant and
  by who may see the personal data of one of its complaints;
* the fields of a contact that list tickets (helpdesk_mgmt's
  ``helpdesk_ticket_ids``, the inverse of the protected ``partner_id``)
  answer searches on the ticket side, with the ticket's record rules and
  masking: Odoo resolves ``helpdesk_ticket_ids in [ids]`` without them.
"""

from odoo import SUPERUSER_ID, api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL, Query

from . import iso10002_data as iso

TICKET = "helpdesk.ticket"


class ResPartner(models.Model):
    _inherit = "res.partner"

    iso10002_complainant_contact = fields.Boolean(
        string="Complainant Contact",
        readonly=True,
        copy=False,
        index=True,
    )
    iso10002_complaint_readable = fields.Boolean(
        string="Complainant Contact Readable",
        compute="_compute_iso10002_complaint_readable",
        search="_search_iso10002_complaint_readable",
    )

    # ------------------------------------------------------------------
    # Computes and searches
    # ------------------------------------------------------------------
    @api.depends_context("uid")
    def _compute_iso10002_complaint_readable(self):
        readable = set(
            self.sudo()
            .with_context(active_test=False)
            .search(
                Domain.AND(
                    [
                        [("id", "in", self.ids)],
                        self._search_iso10002_complaint_readable("=", True),
                    ]
                )
            )
            .ids
        )
        for partner in self:
            partner.iso10002_complaint_readable = partner.id in readable

    def _search_iso10002_complaint_readable(self, operator, value):
        """Contacts that are no complainant's, the user's own, and those of
        the complaints whose personal data the user sees. Record rules are
        evaluated as superuser: the user's access is taken from the real
        user."""
        positive = iso.boolean_search(operator, value)
        if positive is None:
            raise NotImplementedError(operator)
        user_env = self.env(su=False)
        user = user_env.user
        Ticket = user_env[TICKET].with_context(active_test=False)
        if user.id == SUPERUSER_ID or (
            user.has_group("iso10002_complaints.group_iso10002_manager")
            or user.has_group("iso10002_complaints.group_iso10002_auditor")
        ):
            domain = [(1, "=", 1)]
        else:
            domain = [
                "|",
                ("iso10002_complainant_contact", "=", False),
                ("id", "=", user.partner_id.id),
            ]
            if Ticket._iso10002_sees_personal_data() and Ticket.browse().has_access(
                "read"
            ):
                rules = user_env["ir.rule"]._compute_domain(TICKET, "read") or []
                for fname in ("partner_id", "representative_id", "contact_person_id"):
                    query = Ticket.sudo()._search(
                        Domain.AND(
                            [rules, [("is_complaint", "=", True), (fname, "!=", False)]]
                        )
                    )
                    domain = Domain.OR(
                        [
                            domain,
                            [
                                (
                                    "id",
                                    "in",
                                    query.subselect(SQL.identifier(query.table, fname)),
                                )
                            ],
                        ]
                    )
        if not positive:
            domain = ["!", *domain]
        return domain

    # ------------------------------------------------------------------
    # Searching contacts through their tickets
    # ------------------------------------------------------------------
    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        if not self.env.su:
            domain = Domain(domain).map_conditions(self._iso10002_ticket_condition)
        return super()._search(
            domain, offset=offset, limit=limit, order=order, **kwargs
        )

    def _iso10002_ticket_condition(self, condition):
        """A condition of a domain (odoo.fields.Domain), through
        _iso10002_ticket_leaf."""
        leaf = (condition.field_expr, condition.operator, condition.value)
        new = self._iso10002_ticket_leaf(leaf)
        return condition if new is leaf else Domain(*new)

    def _iso10002_ticket_leaf(self, leaf):
        """A condition on a field listing tickets, as a search on tickets
        (record rules and masking of helpdesk.ticket apply); other leaves
        unchanged."""
        if not (
            isinstance(leaf, (list, tuple))
            and len(leaf) == 3
            and isinstance(leaf[0], str)
        ):
            return leaf
        path, operator, value = leaf
        head, __, rest = path.partition(".")
        field = self._fields.get(head)
        if not (
            field
            and field.type in ("one2many", "many2many")
            and field.comodel_name == TICKET
        ):
            return leaf
        Ticket = self.env[TICKET]
        # whom a complaint is from is protected: users who do not see it
        # find contacts through plain tickets only
        guard = (
            [("is_complaint", "=", False)]
            if Ticket._iso10002_masks_personal_data()
            else []
        )
        negative = operator in Domain.NEGATIVE_OPERATORS
        if operator in ("any", "not any", "any!", "not any!"):
            # (any! skips the tickets' access rules: not through this door)
            return (head, operator.rstrip("!"), Domain.AND([guard, list(value)]))
        if rest:
            return (head, "any", Domain.AND([guard, [(rest, operator, value)]]))
        if value is False or value is None:
            # '= False': no ticket; '!= False': some ticket
            return (head, "any" if negative else "not any", guard)
        positive = Domain.NEGATIVE_OPERATORS[operator] if negative else operator
        if isinstance(value, str) or (
            isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
        ):
            condition = [("display_name", positive, value)]
        elif isinstance(value, (Query, SQL)):
            condition = [("id", "in", value), ("active", "in", (True, False))]
        else:
            ids = [value] if isinstance(value, int) else list(value)
            condition = [
                ("id", "in" if positive in ("=", "in") else positive, ids),
                ("active", "in", (True, False)),
            ]
        return (
            head,
            "not any" if negative else "any",
            Domain.AND([guard, condition]),
        )

    def signup_prepare(self, signup_type="signup"):
        """Write the signup type only where it changes: the portal button of
        every e-mail to a customer (an acknowledgement to each complaint of a
        batch) asks for it, and the signed token does not depend on the
        write."""
        return super(
            ResPartner,
            self.filtered(lambda partner: partner.signup_type != signup_type),
        ).signup_prepare(signup_type=signup_type)
