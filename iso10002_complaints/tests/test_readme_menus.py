import re
from pathlib import Path

from odoo.tests import TransactionCase, tagged

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT.parent / "README.md", *sorted((ROOT / "readme").glob("*.md"))]
# a menu path as the docs write it: *Helpdesk > Complaints > All Complaints*
MENU_PATH = re.compile(r"\*(Helpdesk(?: > [^*>]+)+)\*")


@tagged("post_install", "-at_install")
class TestReadmeMenus(TransactionCase):
    """The README and the module's documentation send people to menus that
    exist (README and product agree)."""

    def _paths(self):
        paths = set()
        for doc in DOCS:
            if not doc.exists():
                continue
            text = " ".join(doc.read_text(encoding="utf-8").split())
            paths |= {match.group(1).strip() for match in MENU_PATH.finditer(text)}
        return paths

    def _menu(self, names):
        Menu = self.env["ir.ui.menu"].with_context(lang="en_US")
        menu = Menu.search([("name", "=", names[0]), ("parent_id", "=", False)])
        for name in names[1:]:
            menu = Menu.search([("name", "=", name), ("parent_id", "in", menu.ids)])
        return menu

    def test_every_menu_path_named_in_the_docs_exists(self):
        paths = self._paths()
        self.assertGreater(len(paths), 15)
        missing = sorted(path for path in paths if not self._menu(path.split(" > ")))
        self.assertFalse(missing, "menu paths named in the docs that do not exist")
