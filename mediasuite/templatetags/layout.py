"""Template tags through which the shared layout draws what apps registered (mediasuite/layout.py, media.py).

    {% load layout %}
    {% layout_links "nav" as links %}   links of a slot the user may use (label, href, active, ...)
    {% layout_fragments "dialogs" %}    the templates of a slot the user may use, drawn in place
    {% media_decorations row %}         what apps draw beside a media row (e.g. the trailer button)
"""

from django import template
from django.utils.safestring import mark_safe

from .. import layout, media

register = template.Library()


@register.simple_tag(takes_context=True)
def layout_links(context, slot):
    request = context.get("request")
    return layout.links(slot, request) if request else []


def _render(context, name: str, extra: dict) -> str:
    with context.push(**extra):
        return context.template.engine.get_template(name).render(context)


@register.simple_tag(takes_context=True)
def layout_fragments(context, slot):
    request = context.get("request")
    if request is None:
        return ""
    return mark_safe("".join(_render(context, fragment.template, fragment.context(request))
                             for fragment in layout.entries(slot, request.user)))


@register.simple_tag(takes_context=True)
def media_decorations(context, row):
    return mark_safe(" ".join(_render(context, name, {"media": row}) for name in media.templates(row)))
