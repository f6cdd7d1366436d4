"""Permission policies: one per model, asked by every surface (docs/ARCHITECTURE.md, Roles).

    policy_for(Model).queryset(user, action)   -> what the user may act on
    policy_for(Model).allows(user, action, obj) -> answered through queryset()
"""

from .base import ALL, NOTHING, Policy, policy_for, register

__all__ = ["ALL", "NOTHING", "Policy", "policy_for", "register"]
