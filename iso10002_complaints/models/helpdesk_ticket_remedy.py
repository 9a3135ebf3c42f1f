"""Remedies, E.2 considerations, recurrence and corrective actions of a
complaint (R-7.7, R-8.2, Annex E)."""

from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError

from . import iso10002_data as iso

# Fields recurrence detection compares
RECURRENCE_FIELDS = frozenset(
    {"product_id", "complaint_category_id", "partner_id", "received_at"}
)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    remedy_ids = fields.One2many(
        comodel_name="iso10002.complaint.remedy",
        inverse_name="ticket_id",
        string="Remedies",
        copy=False,
    )
    others_affected = fields.Boolean(
        copy=False,
        help="Annex E.2: others who did not complain are affected the same way; "
        "offer them the same remedy through a systemic remedy.",
    )
    systemic_remedy_ids = fields.Many2many(
        comodel_name="iso10002.systemic.remedy",
        relation="iso10002_systemic_remedy_ticket_rel",
        column1="ticket_id",
        column2="systemic_remedy_id",
        string="Systemic Remedies",
        copy=False,
    )
    problem_id = fields.Many2one(
        comodel_name="iso10002.problem",
        string="Recurring Problem",
        index="btree_not_null",
        copy=False,
        tracking=True,
    )
    recurrence_detected = fields.Boolean(
        copy=False,
        readonly=True,
        help="Other complaints about the same product or category arrived within "
        "the company's recurrence window (ISO 10002 8.2).",
        tracking=True,
    )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    action_ids = fields.Many2many(
        comodel_name="iso10002.action",
        relation="iso10002_action_ticket_rel",
        column1="ticket_id",
        column2="action_id",
        string="Corrective Actions",
        copy=False,
    )

    def action_iso10002_group_problem(self):
        """Group this complaint and those it recurs with into one problem."""
        self.ensure_one()
        self._check_is_complaint()
        domain = self._iso10002_recurrence_domain()
        candidates = self.search(domain) if domain else self.browse()
        related = self | self._iso10002_recurring_with(candidates)
        problem = related.problem_id[:1]
        if not problem:
            subject = self.product_id.display_name or self.complaint_category_id.name
            problem = self.env["iso10002.problem"].create(
                {
                    "name": self.env._("Recurring: %(subject)s", subject=subject),
                    "company_id": self.company_id.id,
                    "product_id": self.product_id.id,
                    "complaint_category_id": self.complaint_category_id.id,
                    "partner_id": self.partner_id.commercial_partner_id.id
                    if self.company_id.iso10002_recurrence_by_partner
                    else False,
                }
            )
        related.filtered(lambda c: not c.problem_id).write({"problem_id": problem.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "iso10002.problem",
            "res_id": problem.id,
            "view_mode": "form",
        }

    def action_iso10002_offer_to_others(self):
        """E.2: offer the complaint's remedy to others affected who did not
        complain, through a systemic remedy."""
        self.ensure_one()
        self._check_is_complaint()
        remedy = self.remedy_ids.filtered(
            lambda r: r.state not in (iso.REMEDY_CANCELLED, iso.REMEDY_DECLINED)
        )[:1]
        if not remedy:
            raise UserError(
                self.env._(
                    "Propose a remedy on %(ref)s first: the systemic remedy offers "
                    "the same remedy to the others affected.",
                    ref=self.complaint_reference,
                )
            )
        systemic = self.env["iso10002.systemic.remedy"].create(
            {
                "name": self.env._(
                    "%(remedy)s for everyone affected by %(ref)s",
                    remedy=remedy.remedy_id.name,
                    ref=self.complaint_reference,
                ),
                "company_id": self.company_id.id,
                "remedy_id": remedy.remedy_id.id,
                "description": remedy.description,
                "ticket_ids": [(6, 0, (self | self.problem_id.ticket_ids).ids)],
            }
        )
        systemic.action_add_complainants()
        remedy.sudo().systemic_remedy_id = systemic
        self.others_affected = True
        return {
            "type": "ir.actions.act_window",
            "res_model": "iso10002.systemic.remedy",
            "res_id": systemic.id,
            "view_mode": "form",
        }

    def action_iso10002_new_action(self):
        """Open a new corrective action linked to this complaint."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "iso10002.action",
            "view_mode": "form",
            "context": {
                "default_ticket_ids": [(6, 0, self.ids)],
                "default_origin": "complaint",
                "default_name": self.env._(
                    "Prevent recurrence of %(ref)s", ref=self.complaint_reference
                ),
                "default_root_cause": self.root_cause,
                "default_company_id": self.company_id.id,
            },
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _iso10002_recurrence_domain(self):
        """Candidates for recurrence with the complaints of ``self``: one
        search for the whole batch."""
        windows = self.company_id.mapped("iso10002_recurrence_window_days") or [0]
        window = timedelta(days=max(windows))
        dates = [c.received_at for c in self if c.received_at]
        if not dates:
            return None
        return [
            ("is_complaint", "=", True),
            ("is_feedback", "=", False),
            ("company_id", "in", self.company_id.ids),
            ("received_at", ">=", min(dates) - window),
            ("received_at", "<=", max(dates) + window),
            "|",
            ("product_id", "in", self.product_id.ids),
            ("complaint_category_id", "in", self.complaint_category_id.ids),
        ]

    def _iso10002_recurring_with(self, candidates):
        """The candidates that recur with this complaint (R-8.2): same product,
        or same category when no product is known on either, (and the same
        customer when the company asks) within the recurrence window."""
        self.ensure_one()
        company = self.company_id
        found = self.browse()
        for other in candidates:
            if other == self or other.company_id != company or not other.received_at:
                continue
            if self.product_id and other.product_id:
                same = self.product_id == other.product_id
            else:
                same = bool(
                    self.complaint_category_id
                    and self.complaint_category_id == other.complaint_category_id
                )
            if not same:
                continue
            if (
                company.iso10002_recurrence_by_partner
                and self.partner_id.commercial_partner_id
                != other.partner_id.commercial_partner_id
            ):
                continue
            if iso.in_window(
                self.received_at,
                other.received_at,
                company.iso10002_recurrence_window_days,
            ):
                found |= other
        return found

    def _iso10002_detect_recurrence(self):
        complaints = self.filtered(lambda c: c.is_complaint and not c.is_feedback)
        domain = complaints._iso10002_recurrence_domain()
        if not complaints or domain is None:
            return self.browse()
        candidates = self.sudo().search(domain)
        flagged = self.browse()
        for complaint in complaints:
            matches = complaint._iso10002_recurring_with(candidates)
            if matches:
                flagged |= complaint | matches
        flagged = flagged.filtered(lambda c: not c.recurrence_detected)
        if flagged:
            flagged.sudo()._iso10002_write_raw({"recurrence_detected": True})
        return flagged
