"""`{% can %}`: templates ask the object rules of `apps/<app>/permissions.py`, never roles.

    {% load access %}
    {% can "verification.revoke" v as may_revoke %}{% if may_revoke %}…{% endif %}
    {% can "bases.manage" as may_manage %}      {# no object: may this user do this at all #}

The answer is the rule's `Verdict`: true when allowed, with `.reason` when refused.
"""

from __future__ import annotations

from typing import Any

from django import template

from apps.accounts.scope import NOBODY, Verdict, rule_get

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: template.Context, name: str, obj: Any = None) -> Verdict:
    user = context.get("user")
    if user is None and "request" in context:
        user = context["request"].user
    scope = getattr(user, "scope", NOBODY)
    check = rule_get(name)
    return check(scope) if obj is None else check(scope, obj)
