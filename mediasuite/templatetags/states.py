"""`{% load states %}`: state badges and reasons, drawn the same way on every page (mediasuite.states)."""

from django import template
from django.utils.html import format_html

from .. import states

register = template.Library()


@register.filter
def state_class(state) -> str:
    """`class="badge {{ unit.state|state_class }}"` -> "state state-<name>"."""
    return states.css_class(state)


@register.filter
def state_level(state) -> str:
    """`btn-outline-{{ status|state_level }}`: the state's Bootstrap colour name."""
    return states.tone(state).level


@register.simple_tag
def state_badge(state, label=None, role="state"):
    """<span class="badge state state-<name>" data-state=.. data-role=..>label</span>."""
    name = states.key(state)
    return format_html('<span class="badge {}" data-state="{}" data-role="{}">{}</span>',
                       states.css_class(name), name, role, name if label is None else label)


@register.inclusion_tag("mediasuite/_reason.html")
def reason_block(sentence, log="", role="reason", css="", state=""):
    """The sentence, and the log lines behind a collapsed "Show log" toggle.

    `css`: classes of the block; with `state`, an alert block is red for a failure, amber otherwise.
    """
    if state:
        css = f"{css} alert-{states.alert_level(state)}"
    return {"sentence": sentence, "log": log, "role": role, "css": css}
