"""Competence (ISO 10002 5.3.4, 6.4, G.3.2): the training each complaints
role needs, how long it stays valid, and who meets it today."""

from odoo import api, fields, models, tools
from odoo.tools import SQL

REQUIREMENT_ROLES = [
    ("agent", "Complaint agents"),
    ("manager", "Complaints managers"),
]
ROLE_GROUPS = {
    "agent": "group_iso10002_agent",
    "manager": "group_iso10002_manager",
}
COMPETENCE_STATES = [
    ("valid", "Trained"),
    ("expired", "Expired"),
    ("missing", "Not trained"),
]


class Iso10002TrainingRequirement(models.Model):
    _name = "iso10002.training.requirement"
    _description = "Complaints-Handling Training Requirement"
    _order = "company_id, role, name"

    name = fields.Char(string="Course", required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    role = fields.Selection(
        selection=REQUIREMENT_ROLES,
        required=True,
        default="agent",
        help="Everyone with this role in the company needs the training "
        "(complaints managers are agents too).",
    )
    validity_months = fields.Integer(
        string="Valid For (Months)",
        default=24,
        help="0: the training does not expire.",
    )
    description = fields.Text(help="What the training covers.")
    competence_ids = fields.One2many(
        comodel_name="iso10002.competence", inverse_name="requirement_id"
    )
    missing_count = fields.Integer(
        string="Not Competent", compute="_compute_missing_count"
    )

    def _compute_missing_count(self):
        counts = dict(
            self.env["iso10002.competence"]._read_group(
                [("requirement_id", "in", self.ids), ("state", "!=", "valid")],
                ["requirement_id"],
                ["__count"],
            )
        )
        for requirement in self:
            requirement.missing_count = counts.get(requirement, 0)


class Iso10002Competence(models.Model):
    """Who needs which training and whether they have it today (a view of
    the requirements, the role holders and their training records)."""

    _name = "iso10002.competence"
    _description = "Complaints-Handling Competence"
    _auto = False
    _order = "state desc, user_id"

    requirement_id = fields.Many2one(
        comodel_name="iso10002.training.requirement", readonly=True
    )
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users", string="Staff Member", readonly=True
    )
    role = fields.Selection(selection=REQUIREMENT_ROLES, readonly=True)
    training_id = fields.Many2one(
        comodel_name="iso10002.training", string="Training Record", readonly=True
    )
    completed_on = fields.Date(readonly=True)
    expiry_date = fields.Date(string="Valid Until", readonly=True)
    state = fields.Selection(
        selection=COMPETENCE_STATES, string="Status", readonly=True
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        roles = SQL(" ").join(
            SQL("WHEN %s THEN %s", role, group) for role, group in ROLE_GROUPS.items()
        )
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %s AS (
                SELECT r.id::bigint * 1000000 + u.id AS id,
                       r.id AS requirement_id,
                       r.company_id,
                       r.role,
                       u.id AS user_id,
                       t.id AS training_id,
                       t.date AS completed_on,
                       t.expiry_date,
                       CASE
                           WHEN t.id IS NULL AND e.id IS NULL THEN 'missing'
                           WHEN t.id IS NULL THEN 'expired'
                           ELSE 'valid'
                       END AS state
                  FROM iso10002_training_requirement r
                  JOIN ir_model_data d
                    ON d.module = 'iso10002_complaints'
                   AND d.model = 'res.groups'
                   AND d.name = CASE r.role %s END
                  JOIN (
                      -- who has the role's group: its members and the members
                      -- of the groups implying it (Odoo 19 keeps explicit
                      -- memberships only in res_groups_users_rel)
                      WITH RECURSIVE implying(gid, hid) AS (
                          SELECT id, id FROM res_groups
                           UNION
                          SELECT r.gid, i.hid
                            FROM res_groups_implied_rel r
                            JOIN implying i ON i.gid = r.hid
                      )
                      SELECT DISTINCT m.uid, implying.hid AS gid
                        FROM res_groups_users_rel m
                        JOIN implying ON implying.gid = m.gid
                  ) g ON g.gid = d.res_id
                  JOIN res_users u ON u.id = g.uid AND u.active AND NOT u.share
                  JOIN res_company_users_rel cu
                    ON cu.user_id = u.id AND cu.cid = r.company_id
                  LEFT JOIN LATERAL (
                      SELECT v.id, v.date, v.expiry_date
                        FROM iso10002_training v
                       WHERE v.user_id = u.id
                         AND v.requirement_id = r.id
                         AND v.date <= CURRENT_DATE
                         AND (v.expiry_date IS NULL OR v.expiry_date >= CURRENT_DATE)
                       ORDER BY v.expiry_date DESC NULLS FIRST, v.date DESC
                       LIMIT 1
                  ) t ON TRUE
                  LEFT JOIN LATERAL (
                      SELECT v.id
                        FROM iso10002_training v
                       WHERE v.user_id = u.id AND v.requirement_id = r.id
                       LIMIT 1
                  ) e ON TRUE
                 WHERE r.active AND u.id != 1
            )
            """,
                SQL.identifier(self._table),
                roles,
            )
        )

    @api.model
    def _gaps_of(self, users, company):
        """{user: competence rows not met} for ``users`` in ``company``."""
        for model in (
            "iso10002.training",
            "iso10002.training.requirement",
            "res.users",
            "res.groups",
        ):
            self.env[model].flush_model()
        rows = self.sudo().search(
            [
                ("user_id", "in", users.ids),
                ("company_id", "=", company.id),
                ("state", "!=", "valid"),
            ]
        )
        return rows.grouped("user_id")
