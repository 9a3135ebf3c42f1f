"""One compile of a QWeb e-mail body per render pass.

Odoo renders a template's QWeb body over a batch record by record, and
compiles the body again for each record (an etree is never cached). A render
pass that sets ``iso10002_qweb_compiled`` (a dict) in the context compiles
each distinct body once per language and reuses it for the other records;
the rendering itself, its values and its access checks are Odoo's."""

from lxml import etree

from odoo import models


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _compile(self, template):
        compiled = self.env.context.get("iso10002_qweb_compiled")
        if compiled is None or not isinstance(template, etree._Element):
            return super()._compile(template)
        context = self.env.context
        key = (
            etree.tostring(template),
            context.get("raise_on_forbidden_code_for_model"),
            *(context.get(name) for name in self._get_template_cache_keys()),
        )
        if key not in compiled:
            compiled[key] = super()._compile(template)
        return compiled[key]
