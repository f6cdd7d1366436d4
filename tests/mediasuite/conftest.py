import pytest

from mediasuite.roles import Role


@pytest.fixture
def members(people, make_user, club, other_club):
    """`people` plus "shared": sam, a player of both clubs (each club's admin sees him)."""
    return {**people, "shared": make_user("sam", Role.PLAYER, [club, other_club])}
