"""The header's view of the signed-in person's roles: which they hold and which they act in
(accelerator.domain.roles; read once per request, cached on the user)."""

from django import template

from accelerator.domain.roles import current_role, roles_of

register = template.Library()


@register.simple_tag(takes_context=True)
def header_roles(context):
    """{"roles": [...], "current": Role or None, "names": {names held}} for the header."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not (user and user.is_authenticated):
        return {"roles": [], "current": None, "names": set()}
    roles = roles_of(user)
    return {
        "roles": roles,
        "current": current_role(request),
        "names": {role.name for role in roles},
    }
