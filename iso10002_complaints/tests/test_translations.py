import re
from collections import Counter
from pathlib import Path

import polib

from odoo.tests import HttpCase, tagged
from odoo.tools.translate import TranslationModuleReader

I18N = Path(__file__).resolve().parent.parent / "i18n"
LANGS = ("zh_CN", "zh_TW", "vi_VN")
# Odoo reads vi.po for vi_VN (the language file, then the territory file)
PO_FILE = {"zh_CN": "zh_CN", "zh_TW": "zh_TW", "vi_VN": "vi"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]|\{\{.*?\}\}")
TAG = re.compile(r"<[^>]+>")
# terms the glossary keeps as they are in every language: their msgstr stays
# empty (OCA's PO checks blank translations equal to the source)
SAME_EVERYWHERE = {"KPI"}


def _words(term):
    """Whether a term has words to translate (not only tags, placeholders,
    codes, punctuation)."""
    bare = TAG.sub("", PLACEHOLDER.sub("", term))
    return term not in SAME_EVERYWHERE and re.search(r"[A-Za-z]{3,}", bare)


@tagged("post_install", "-at_install")
class TestTranslations(HttpCase):
    """The addon speaks Simplified and Traditional Chinese and Vietnamese:
    every term it has today (read from the code and data, not from the
    committed template) is translated, with its placeholders and tags, and the
    public page and a PDF report come out in each language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.terms = {
            source
            for _module, _type, _name, _res_id, source, _value, _comments in (
                TranslationModuleReader(cls.env.cr, modules=["iso10002_complaints"])
            )
            if source.strip()
        }
        cls.catalogues = {
            lang: {
                entry.msgid: entry
                for entry in polib.pofile(str(I18N / f"{PO_FILE[lang]}.po"))
                if not entry.obsolete
            }
            for lang in LANGS
        }

    def _activate(self, lang):
        self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["iso10002_complaints"], [lang], overwrite=True
        )

    def test_template_is_up_to_date(self):
        template = {
            entry.msgid
            for entry in polib.pofile(str(I18N / "iso10002_complaints.pot"))
            if entry.msgid
        }
        self.assertFalse(
            self.terms - template,
            "i18n/iso10002_complaints.pot lacks terms: export it again",
        )

    def test_every_term_is_translated_in_every_language(self):
        self.assertGreater(len(self.terms), 1200)
        for lang, catalogue in self.catalogues.items():
            with self.subTest(lang=lang):
                missing = [
                    term
                    for term in self.terms
                    if term not in catalogue
                    or (_words(term) and not catalogue[term].msgstr.strip())
                    or "fuzzy" in catalogue[term].flags
                ]
                self.assertFalse(missing, f"{lang}: {len(missing)} untranslated")
                broken = [
                    term
                    for term in self.terms
                    if catalogue[term].msgstr
                    and (
                        Counter(PLACEHOLDER.findall(term))
                        != Counter(PLACEHOLDER.findall(catalogue[term].msgstr))
                        or Counter(TAG.findall(term))
                        != Counter(TAG.findall(catalogue[term].msgstr))
                    )
                ]
                self.assertFalse(broken, f"{lang}: placeholders or tags differ")
                untranslated = [
                    term
                    for term in self.terms
                    if catalogue[term].msgstr == term and _words(term)
                ]
                self.assertFalse(untranslated, f"{lang}: English left as is")

    def test_standard_terms_are_used(self):
        """The standard's own words (seed translations): complaint,
        complainant, top management, management review."""
        expected = {
            "zh_TW": {
                "Complainant": "投訴者",
                "Top Management": "最高管理者",
                "Management Reviews": "管理評審",
            },
            "zh_CN": {
                "Complainant": "投诉者",
                "Top Management": "最高管理者",
                "Management Reviews": "管理评审",
            },
            "vi_VN": {
                "Complainant": "người khiếu nại",
                "Top Management": "quản lý hàng đầu",
                "Management Reviews": "xem xét của lãnh đạo",
            },
        }
        for lang, words in expected.items():
            for msgid, word in words.items():
                with self.subTest(lang=lang, msgid=msgid):
                    self.assertIn(
                        word.lower(), self.catalogues[lang][msgid].msgstr.lower()
                    )

    def test_public_page_in_each_language(self):
        for lang in LANGS:
            self._activate(lang)
        for lang in LANGS:
            with self.subTest(lang=lang):
                # a fresh visitor (no language cookie), through the test's own
                # opener (a bare requests session got a 400 from Odoo 19's test
                # server when this test ran alone)
                self.opener.cookies.clear()
                reply = self.url_open(
                    "/complaints",
                    headers={"Accept-Language": lang.replace("_", "-")},
                    timeout=60,
                )
                self.assertEqual(reply.status_code, 200)
                heading = self.catalogues[lang]["How to complain to %(company)s"]
                self.assertIn(
                    heading.msgstr.replace("%(company)s", self.env.company.name),
                    reply.text,
                )
                self.assertIn(f'lang="{lang.replace("_", "-")}"', reply.text)
                self.assertNotIn("How to complain to", reply.text)
                if lang.startswith("zh"):
                    # Chinese punctuation after Chinese text, no stray space
                    text = TAG.sub("", reply.text)
                    self.assertFalse(
                        re.findall(r"[\u4e00-\u9fff][,:;.!?](?=\s|$)", text), lang
                    )
                    self.assertFalse(
                        re.findall(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]", text), lang
                    )

    def test_pdf_report_in_each_language(self):
        team = self.env["helpdesk.ticket.team"].create(
            {"name": "Translated complaints", "is_iso10002": True}
        )
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        dossier = "iso10002_complaints.action_report_iso10002_complaint_dossier"
        for lang in LANGS:
            self._activate(lang)
            with self.subTest(lang=lang):
                complaint = self.env["helpdesk.ticket"].create(
                    {
                        "name": "Lamp flickers",
                        "description": "<p>The lamp flickers.</p>",
                        "team_id": team.id,
                        "partner_id": self.env["res.partner"]
                        .create({"name": "Lan", "lang": lang})
                        .id,
                        "channel_id": self.env.ref(
                            "helpdesk_mgmt.helpdesk_ticket_channel_phone"
                        ).id,
                    }
                )
                html = Report._render_qweb_html(dossier, complaint.ids)[0].decode()
                for term in ("1. Receipt", "2. Complainant", "Received by"):
                    self.assertIn(self.catalogues[lang][term].msgstr, html)
                self.assertNotIn("Received by", html)
                pdf, kind = Report._render_qweb_pdf(dossier, complaint.ids)
                self.assertEqual(kind, "pdf")
                self.assertTrue(pdf.startswith(b"%PDF"))
