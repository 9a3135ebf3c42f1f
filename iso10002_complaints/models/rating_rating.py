from odoo import api, fields, models
from odoo.fields import Domain

from . import iso10002_data as iso

TICKET = "helpdesk.ticket"


class RatingRating(models.Model):
    """Ratings of a complaint (the complainant's score and feedback) follow
    the complaint (R-4.7, R-8.3): read by who may read it, changed by who may
    change it; the auditor reads them only. Ratings of plain tickets and of
    other documents keep Odoo's access. A rating says who rated and what they
    felt: the complainant's personal data, not read by users who read
    complaints without it (masking). The record rules
    ``rating_rating_rule_iso10002_*`` use the two fields below."""

    _inherit = "rating.rating"

    iso10002_complaint_readable = fields.Boolean(
        string="Complaint Readable",
        compute="_compute_iso10002_complaint_access",
        search="_search_iso10002_complaint_readable",
    )
    iso10002_complaint_writable = fields.Boolean(
        string="Complaint Writable",
        compute="_compute_iso10002_complaint_access",
        search="_search_iso10002_complaint_writable",
    )

    # ------------------------------------------------------------------
    # Computes and searches
    # ------------------------------------------------------------------
    def _iso10002_user_tickets(self):
        """helpdesk.ticket as the real user, even when ``self`` is sudoed
        (record rules are evaluated as superuser)."""
        return (
            self.env[TICKET]
            .with_env(self.env(su=False))
            .with_context(active_test=False)
        )

    @api.depends_context("uid")
    def _compute_iso10002_complaint_access(self):
        on_tickets = self.filtered(lambda r: r.res_model == TICKET and r.res_id)
        complaints = (
            self.env[TICKET]
            .sudo()
            .browse(set(on_tickets.mapped("res_id")))
            .exists()
            .filtered("is_complaint")
        )
        as_user = complaints.with_env(self.env(su=False))
        if as_user._iso10002_masks_personal_data():
            as_user = as_user.browse()
        readable = set(as_user._filtered_access("read").ids)
        writable = set(as_user._filtered_access("write").ids)
        for rating in self:
            if rating.res_model != TICKET or rating.res_id not in complaints.ids:
                rating.iso10002_complaint_readable = True
                rating.iso10002_complaint_writable = True
            else:
                rating.iso10002_complaint_readable = rating.res_id in readable
                rating.iso10002_complaint_writable = rating.res_id in writable

    def _iso10002_search_complaint_access(self, operation, operator, value):
        positive = iso.boolean_search(operator, value)
        if positive is None:
            raise NotImplementedError(operator)
        Ticket = self._iso10002_user_tickets()
        complaints = Ticket.sudo()._search([("is_complaint", "=", True)])
        if (
            not Ticket.browse().has_access(operation)
            or Ticket._iso10002_masks_personal_data()
        ):
            allowed = []
        else:
            rules = self.env(su=False)["ir.rule"]._compute_domain(TICKET, operation)
            allowed = Ticket.sudo()._search(
                Domain.AND([rules or [], [("is_complaint", "=", True)]])
            )
        domain = [
            "|",
            "|",
            ("res_model", "!=", TICKET),
            ("res_id", "not in", complaints),
            ("res_id", "in", allowed),
        ]
        if not positive:
            domain = ["!", *domain]
        return domain

    def _search_iso10002_complaint_readable(self, operator, value):
        return self._iso10002_search_complaint_access("read", operator, value)

    def _search_iso10002_complaint_writable(self, operator, value):
        return self._iso10002_search_complaint_access("write", operator, value)
