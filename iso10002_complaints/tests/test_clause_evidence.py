from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestClauseEvidence(TransactionCase):
    """R-4.2, R-8.5: the clause register opens the evidence of a clause whose
    evidence is a page of the website (visibility: the public page)."""

    def test_r_4_2_visibility_opens_the_public_page(self):
        clause = self.env.ref("iso10002_complaints.clause_r_4_2")
        action = clause.action_open_evidence()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["url"], "/complaints")
        # clauses with records still open them
        records = self.env.ref(
            "iso10002_complaints.clause_r_7_4"
        ).action_open_evidence()
        self.assertEqual(records["type"], "ir.actions.act_window")
