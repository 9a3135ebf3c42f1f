"""The fields specification the web client sends for a view (Odoo 18's
``web_search_read`` / ``web_read``), built from the view as ``get_views``
gives it: the query-count tests and the bench (bench/bench_reads.py) read
lists, kanbans and forms as the browser does. Plain Python, no test
framework: the bench imports it by path."""

from lxml import etree

SUBVIEW_LIMIT = 40  # rows of a one2many's list the client asks for


def view_spec(model, view_ref, view_type):
    """``(spec, view id)`` of the view ``view_ref`` (an XML id, or False for
    the model's default view of that type)."""
    view_id = model.env.ref(view_ref).id if view_ref else False
    views = model.get_views([(view_id, view_type)])
    arch = etree.fromstring(views["views"][view_type]["arch"])
    fields = views["models"][model._name]["fields"]
    return _node_spec(arch, fields, views["models"]), views["views"][view_type]["id"]


def _node_spec(node, fields, models):
    spec = {}
    for child in node.iterchildren(tag=etree.Element):
        if child.tag == "field":
            name = child.get("name")
            field = fields.get(name)
            if field is None:
                continue
            spec[name] = _field_spec(child, field, models)
        else:
            spec.update(_node_spec(child, fields, models))
    return spec


def _field_spec(node, field, models):
    if field["type"] in ("many2one", "reference"):
        return {"fields": {"display_name": {}}}
    if field["type"] not in ("one2many", "many2many"):
        return {}
    subviews = [child for child in node if child.tag in ("list", "kanban", "form")]
    comodel = field.get("relation")
    if subviews and comodel in models:
        sub = _node_spec(subviews[0], models[comodel]["fields"], models)
        return {"fields": sub, "limit": SUBVIEW_LIMIT}
    if node.get("widget") in ("many2many_tags", "many2many_avatar_user"):
        return {"fields": {"display_name": {}}}
    return {}
