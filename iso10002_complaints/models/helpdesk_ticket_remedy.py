"""Remedies, E.2 considerations, recurrence and corrective actions of a
complaint (R-7.7, R-8.2, Annex E)."""

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

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
        # those of them this user may see (the search applies the record rules)
        recurring = self._iso10002_recurring_with()
        related = self | self.search([("id", "in", recurring.ids)])
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
    def init(self):
        result = super().init()
        # recurrence detection (below) looks up, per new complaint, the first
        # complaint of the same product or category in its window, and the
        # not yet flagged ones: index range scans, whatever the window holds
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS helpdesk_ticket_recurrence_product_idx
                ON helpdesk_ticket (company_id, product_id, received_at)
                WHERE product_id IS NOT NULL;
            CREATE INDEX IF NOT EXISTS helpdesk_ticket_recurrence_category_idx
                ON helpdesk_ticket (company_id, complaint_category_id, received_at)
                WHERE complaint_category_id IS NOT NULL;
            CREATE INDEX IF NOT EXISTS helpdesk_ticket_recurrence_category_np_idx
                ON helpdesk_ticket (company_id, complaint_category_id, received_at)
                WHERE complaint_category_id IS NOT NULL AND product_id IS NULL;
            CREATE INDEX IF NOT EXISTS helpdesk_ticket_recurrence_product_new_idx
                ON helpdesk_ticket (company_id, product_id, received_at)
                WHERE product_id IS NOT NULL AND recurrence_detected IS NOT TRUE;
            CREATE INDEX IF NOT EXISTS helpdesk_ticket_recurrence_category_new_idx
                ON helpdesk_ticket (company_id, complaint_category_id, received_at)
                WHERE complaint_category_id IS NOT NULL
                  AND recurrence_detected IS NOT TRUE;
            """
        )
        return result

    def _iso10002_recurrence_sql(self, *modes):
        """SQL over the complaints of ``self`` (alias ``new``) and those they
        recur with (alias ``other``), R-8.2: same company; same product, or
        same category when no product is known on either; the same customer
        (commercial partner) when the company asks; received at most the
        company's recurrence window apart (days of 24 hours, both ways).
        Feedback never recurs; archived complaints are not compared (unless
        the context says active_test=False, as for a search). The complaints
        of ``self`` are complaints, not feedback (the callers keep those
        only): their flags are not read from the table, which a single new
        complaint's check need not have written yet
        (``_iso10002_recurrence_flush``).

        ``modes`` (their union): ``"recurring"`` the complaints of ``self``
        not flagged yet that recur with any other (the first match is enough),
        ``"others"`` the complaints not flagged yet that they recur with,
        ``"all"`` every complaint they recur with. Each kind of match is an
        index range scan (see ``init``). The complaints' ids are its argument
        ``$1`` (``_iso10002_recurrence_rows``): the query is planned once
        per database session, not for each complaint created."""
        parts = []
        for mode in modes:
            parts.extend(self._iso10002_recurrence_parts(mode))
        return SQL(
            """WITH new AS MATERIALIZED (
                   SELECT t.id, t.company_id, t.received_at, t.product_id,
                          t.complaint_category_id AS category_id,
                          t.recurrence_detected IS TRUE AS flagged,
                          c.iso10002_recurrence_by_partner IS TRUE AS by_partner,
                          make_interval(
                              days => coalesce(c.iso10002_recurrence_window_days, 0)
                          ) AS span,
                          p.commercial_partner_id AS customer
                     FROM helpdesk_ticket t
                     JOIN res_company c ON c.id = t.company_id
                LEFT JOIN res_partner p ON p.id = t.partner_id
                    WHERE t.id = ANY($1::int[])
                      AND t.received_at IS NOT NULL
               )
               %s""",
            SQL(" UNION ").join(parts),
        )

    def _iso10002_recurrence_rows(self, *modes):
        """Run ``_iso10002_recurrence_sql(*modes)`` over ``self`` (prepared
        once per database session); the rows are left on the cursor."""
        iso.execute_prepared(
            self.env.cr, self._iso10002_recurrence_sql(*modes), list(self.ids)
        )

    def _iso10002_recurrence_parts(self, mode):
        """One SELECT per kind of match, for ``_iso10002_recurrence_sql``."""
        condition = SQL(
            """other.company_id = new.company_id
               AND other.id != new.id
               AND other.received_at >= new.received_at - new.span
               AND other.received_at <= new.received_at + new.span
               AND other.is_complaint
               AND other.is_feedback IS NOT TRUE
               %(active)s %(not_flagged)s
               AND (NOT new.by_partner OR new.customer IS NOT DISTINCT FROM (
                   SELECT commercial_partner_id FROM res_partner
                    WHERE id = other.partner_id))""",
            active=SQL("AND other.active")
            if self.env.context.get("active_test", True)
            else SQL(),
            not_flagged=SQL("AND other.recurrence_detected IS NOT TRUE")
            if mode == "others"
            else SQL(),
        )
        matches = [
            # the same product on both
            SQL("new.product_id IS NOT NULL AND other.product_id = new.product_id"),
            # the same category, no product on this one
            SQL(
                "new.product_id IS NULL AND new.category_id IS NOT NULL"
                " AND other.complaint_category_id = new.category_id"
            ),
            # the same category, no product on the other
            SQL(
                "new.product_id IS NOT NULL AND new.category_id IS NOT NULL"
                " AND other.complaint_category_id = new.category_id"
                " AND other.product_id IS NULL"
            ),
        ]
        # LATERAL (with LIMIT 1, or OFFSET 0 as a fence): one index range
        # scan per complaint of the batch, never a scan of the whole table
        if mode == "recurring":
            return [
                SQL(
                    """SELECT new.id FROM new CROSS JOIN LATERAL (
                           SELECT FROM helpdesk_ticket other
                            WHERE %s AND %s LIMIT 1) hit
                        WHERE NOT new.flagged""",
                    match,
                    condition,
                )
                for match in matches
            ]
        return [
            SQL(
                """SELECT hit.id FROM new CROSS JOIN LATERAL (
                       SELECT other.id FROM helpdesk_ticket other
                        WHERE %s AND %s OFFSET 0) hit""",
                match,
                condition,
            )
            for match in matches
        ]

    def _iso10002_recurrence_flush(self):
        """Write what the recurrence check reads. A complaint just created
        alone (the web form, the mail gateway) has in its inserted row all
        that the check reads of it; when nothing else waits to be written,
        its computed flags are left for the write at the end of its creation
        instead of an update of their own before the check."""
        fnames = [
            "company_id",
            "received_at",
            "product_id",
            "complaint_category_id",
            "partner_id",
            "is_complaint",
            "is_feedback",
            "active",
            "recurrence_detected",
        ]
        if not self._iso10002_recurrence_rows_written(fnames):
            self.flush_model(fnames)
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["res.company"].flush_model(
            ["iso10002_recurrence_window_days", "iso10002_recurrence_by_partner"]
        )

    def _iso10002_recurrence_rows_written(self, fnames):
        """Whether the table already holds the values of ``fnames`` the check
        of the single complaint ``self`` reads: none is waiting to be written
        or computed for another complaint, nor for this one except its flags
        (the check does not read them for the complaint it checks)."""
        if len(self) != 1:
            return False
        transaction = self.env.transaction
        own = {"is_complaint", "is_feedback"}
        for name in fnames:
            field = self._fields[name]
            pending = set(transaction.field_dirty.get(field, ())) | set(
                transaction.tocompute.get(field, ())
            )
            if pending - (set(self.ids) if name in own else set()):
                return False
        return True

    def _iso10002_recurring_with(self):
        """The complaints this complaint recurs with (R-8.2), whoever can
        see them: one query."""
        self.ensure_one()
        if not self.is_complaint or self.is_feedback:
            return self.browse()
        self._iso10002_recurrence_flush()
        self._iso10002_recurrence_rows("all")
        return self.browse(row[0] for row in self.env.cr.fetchall())

    def _iso10002_detect_recurrence(self):
        """Flag the complaints of ``self`` that recur with another, and the
        others they recur with (R-8.2). One query for the whole batch, its
        cost per complaint independent of how many complaints the window
        holds: whether a complaint recurs is the first match found in an
        index, and the others flagged are those not flagged yet."""
        complaints = self.filtered(lambda c: c.is_complaint and not c.is_feedback)
        if not complaints:
            return self.browse()
        complaints._iso10002_recurrence_flush()
        complaints._iso10002_recurrence_rows("recurring", "others")
        flagged = self.browse(row[0] for row in self.env.cr.fetchall())
        if flagged:
            flagged.sudo()._iso10002_write_raw({"recurrence_detected": True})
        return flagged
