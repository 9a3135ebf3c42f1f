from odoo import api, fields, models
from odoo.tools import SQL, create_unique_index


class Iso10002WebSubmission(models.Model):
    """The claim a web form submission makes on its token before it creates
    its complaint (R-4.3): one row per token, unique in the database.

    Two requests carrying the same token (a double click, or a client that
    retries after a worker died) may run at the same time on two workers:
    neither sees the other's complaint before it commits. The claim row makes
    the second one wait for the first: when the first commits, the second
    stops on a serialization failure and Odoo replays its request, which then
    finds the complaint; when the first is rolled back (its worker killed),
    the second goes on and creates the complaint."""

    _name = "iso10002.web.submission"
    _description = "Web Submission"
    _log_access = False

    token = fields.Char(string="Web Submission", required=True, readonly=True)

    def init(self):
        create_unique_index(
            self.env.cr, "iso10002_web_submission_token_uniq", self._table, ["token"]
        )

    @api.model
    def _claim(self, token):
        """True when this transaction now holds ``token``; False when a
        committed submission holds it already."""
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (token) VALUES (%s) "
                "ON CONFLICT (token) DO NOTHING RETURNING id",
                SQL.identifier(self._table),
                token,
            ),
            # a claim committed by another worker after our snapshot fails
            # with a serialization error that Odoo handles by replaying the
            # request: not a database error to log
            log_exceptions=False,
        )
        return bool(self.env.cr.fetchone())
