"""`{% if user|may:"view seedbox.Torrent" %}`: a template asks the model's policy, never the role."""

from django import template
from django.apps import apps

from ..policies import policy_for

register = template.Library()


@register.filter
def may(user, question: str) -> bool:
    """Whether the policy of the model (app_label.Model) allows the action (on anything at all)."""
    action, label = question.split()
    return policy_for(apps.get_model(label)).allows(user, action)
