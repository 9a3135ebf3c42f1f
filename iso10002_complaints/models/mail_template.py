"""The complaint e-mails are the complaints manager's to word (R-5.3.2).

Odoo lets only Mail Template Editors (administrators) change a template
that holds code. A complaints manager changes the wording of the templates
of the complaint models and may move, keep or drop their placeholders; a
new piece of code still needs a Mail Template Editor."""

from lxml import html

from odoo import models
from odoo.exceptions import AccessError
from odoo.tools.rendering_tools import parse_inline_template

# the models whose e-mail templates the complaints manager words
COMPLAINT_TEMPLATE_MODELS = ("helpdesk.ticket", "iso10002.staff.statement")


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
