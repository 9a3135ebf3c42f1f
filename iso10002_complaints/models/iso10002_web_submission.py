from odoo import api, fields, models
from odoo.tools import SQL


class Iso10002WebSubmission(models.Model):
    """The claim a web form submission makes on its token before it creates
    its complaint (R-4.3): one row per token, unique in the database.

    Two requests carrying the same token (a double click, or a client that
    retries after a worker died) may run at the same time on two workers,
    neither seeing the other's complaint before it commits. The web form
    first waits for the receipts in progress (``_wait_for_receipts``): the
    second then sees the first's claim and returns its complaint. Whoever
    claims without waiting meets the unique index instead: it waits for the
    first, and when that one commits it stops on a serialization failure
    and Odoo replays its request, which then finds the complaint. When the
    first is rolled back (its worker killed), the second creates it."""

    _name = "iso10002.web.submission"
    _description = "Web Submission"
    _log_access = False

    token = fields.Char(string="Web Submission", required=True, readonly=True)

    _token_uniq = models.UniqueIndex("(token)")

    @api.model
    def _wait_for_receipts(self):
        """End the request's transaction and start one that first waits for
        the web submissions being received to commit.

        A complaint takes its gap-free reference by locking the company's
        counter until it commits. Under repeatable read, a transaction whose
        snapshot predates the commit of another receipt fails when it reaches
        the counter (serialization failure) and Odoo replays the request, at
        most five times: under many submissions at once some were refused
        with an error. LOCK TABLE takes no snapshot, so the new transaction's
        snapshot is taken once the receipts before it have committed, and
        sees their references and claims: web receipts queue up instead of
        failing. Nothing may have been written before this call."""
        self.env.cr.rollback()
        self.env.cr.execute(
            SQL(
                "LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE", SQL.identifier(self._table)
            )
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
