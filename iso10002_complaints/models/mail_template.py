"""The complaint e-mails are the complaints manager's to word (R-5.3.2).

Odoo lets only Mail Template Editors (administrators) change a template
that holds code. A complaints manager changes the wording of the templates
of the complaint models and may move, keep or drop their placeholders; a
new piece of code still needs a Mail Template Editor."""

from lxml import etree, html

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, convert, file_path
from odoo.tools.rendering_tools import parse_inline_template
from odoo.tools.translate import TranslationImporter, get_po_paths

# the models whose e-mail templates the complaints manager words
COMPLAINT_TEMPLATE_MODELS = ("helpdesk.ticket", "iso10002.staff.statement")
MODULE = "iso10002_complaints"
TEMPLATES = "iso10002_complaints/data/mail_template_data.xml"


class MailTemplate(models.Model):
    _inherit = "mail.template"

    def write(self, vals):
        if not self._iso10002_words_only():
            return super().write(vals)
        before = {template.id: template._iso10002_code() for template in self}
        # the editor check of mail.render.mixin is replaced by the one below
        result = super(MailTemplate, self.sudo()).write(vals)
        for template in self:
            added = template._iso10002_code() - before[template.id]
            if added:
                raise AccessError(
                    self.env._(
                        "Only a Mail Template Editor adds new placeholders or code "
                        "to an e-mail template (%(code)s): change the wording, or ask "
                        "an administrator.",
                        code=", ".join(sorted(added)),
                    )
                )
        return result

    def _iso10002_words_only(self):
        """A complaints manager who is no Mail Template Editor changes
        templates of the complaint models (the record rule lets them)."""
        user = self.env.user
        return (
            self
            and not self.env.su
            and not user.has_group("mail.group_mail_template_editor")
            and user.has_group("iso10002_complaints.group_iso10002_manager")
            and all(t.sudo().model in COMPLAINT_TEMPLATE_MODELS for t in self)
            and self._filtered_access("write") == self
        )

    def _iso10002_code(self):
        """The expressions of the template's rendered fields, as written."""
        self.ensure_one()
        template = self.sudo()
        code = set()
        for fname, field in template._fields.items():
            if field.type not in ("char", "text", "html"):
                continue
            engine = getattr(field, "render_engine", "inline_template")
            value = template[fname]
            if not value:
                continue
            if engine in ("qweb", "qweb_view"):
                root = html.fragment_fromstring(str(value), create_parent="div")
                code |= {
                    f"{name}={expr}"
                    for node in root.iter()
                    if isinstance(node.tag, str)
                    for name, expr in node.attrib.items()
                    if name.startswith("t-")
                }
            else:
                code |= {
                    expr
                    for _text, expr, _default in parse_inline_template(str(value))
                    if expr
                }
        return code

    @api.model
    def _iso10002_refresh_untouched(self):
        """Bring the e-mail templates nobody edited to this release's
        wording (the upgrades call it). The templates are noupdate data
        (administrators word them their own way), so ``-u`` alone leaves a
        database with the wording it was installed with. Those never edited
        since they were installed (written as created) are loaded again from
        the data file, with their translations, and still count as never
        edited for the next release; edited ones stay as written."""
        env = self.env
        root = etree.parse(file_path(TEMPLATES)).getroot()
        untouched = {}
        for node in list(root):
            xmlid = node.get("id") if node.tag == "record" else None
            template = env.ref(f"{MODULE}.{xmlid}", False) if xmlid else None
            if template and template.write_date == template.create_date:
                untouched[xmlid] = template
            else:
                root.remove(node)
        if not untouched:
            return
        convert.xml_import(env, MODULE, {}, mode="init", noupdate=True).parse(root)
        langs = [code for code, _name in env["res.lang"].get_installed()]
        translations = TranslationImporter(env.cr, verbose=False)
        xmlids = {f"{MODULE}.{xmlid}" for xmlid in untouched}
        for lang in langs:
            if lang == "en_US":
                continue
            for po_path in get_po_paths(MODULE, lang):
                translations.load_file(po_path, lang, xmlids=xmlids)
        translations.save(overwrite=True, force_overwrite=True)
        templates = self.browse(t.id for t in untouched.values())
        env.flush_all()
        env.cr.execute(
            SQL(
                "UPDATE mail_template SET write_date = create_date WHERE id IN %s",
                tuple(templates.ids),
            )
        )
        templates.invalidate_recordset(["write_date"])
