"""The role matrix of the core models, shared by the policy, API and admin tests.

Each row: (model, actor, action, target, allowed). Actors are the keys of the
`people` fixture; targets are named objects built by `targets()`:
"own" lies in the actor's club (Padel Nord), "other" in Tennis Sud;
"shared" is sam, a player of both clubs (the `members` fixture), who is also
an actor.
"""

from mediasuite.models import Club, Membership, User

SA, CA, PL, SH = "super", "admin", "player", "shared"

CLUB = [
    # actor, action, target, allowed
    (SA, "view", "own", True), (SA, "view", "other", True),
    (SA, "change", "own", True), (SA, "change", "other", True),
    (SA, "delete", "own", True), (SA, "delete", "other", True),
    (CA, "view", "own", True), (CA, "view", "other", False),
    (CA, "change", "own", True), (CA, "change", "other", False),
    (CA, "delete", "own", False), (CA, "delete", "other", False),
    (PL, "view", "own", True), (PL, "view", "other", False),
    (PL, "change", "own", False), (PL, "change", "other", False),
    (PL, "delete", "own", False), (PL, "delete", "other", False),
    # A member of two clubs sees both and changes neither.
    (SH, "view", "own", True), (SH, "view", "other", True),
    (SH, "change", "own", False), (SH, "change", "other", False),
    (SH, "delete", "own", False), (SH, "delete", "other", False),
]

# Memberships: "own" = the player's membership of Padel Nord, "other" = olga's of Tennis Sud,
# "peer" = alice's (a club admin) membership of Padel Nord,
# "shared_own"/"shared_other" = sam's memberships of Padel Nord / Tennis Sud.
MEMBERSHIP = [
    (SA, "view", "own", True), (SA, "view", "other", True),
    (SA, "change", "own", True), (SA, "delete", "other", True),
    (CA, "view", "own", True), (CA, "view", "other", False),
    (CA, "change", "own", True), (CA, "change", "other", False),
    (CA, "delete", "own", True), (CA, "delete", "other", False),
    (PL, "view", "own", True), (PL, "view", "peer", False), (PL, "view", "other", False),
    (PL, "change", "own", False), (PL, "delete", "own", False),
    # A club admin removes a two-club member from their club, never from the other.
    (SA, "delete", "shared_other", True),
    (CA, "view", "shared_own", True), (CA, "change", "shared_own", True), (CA, "delete", "shared_own", True),
    (CA, "view", "shared_other", False), (CA, "change", "shared_other", False),
    (CA, "delete", "shared_other", False),
    (PL, "view", "shared_own", False),
    (SH, "view", "shared_own", True), (SH, "view", "shared_other", True), (SH, "view", "own", False),
    (SH, "change", "shared_own", False), (SH, "delete", "shared_other", False),
]

# Users: "own" = paul (player, Padel Nord), "other" = olga (player, Tennis Sud),
# "peer" = alice (club admin, Padel Nord), "self" = the actor.
USER = [
    (SA, "view", "other", True), (SA, "change", "other", True), (SA, "delete", "other", True),
    (CA, "view", "own", True), (CA, "view", "other", False), (CA, "view", "self", True),
    (CA, "change", "own", True), (CA, "change", "other", False), (CA, "change", "self", True),
    (CA, "delete", "own", True), (CA, "delete", "other", False),
    (PL, "view", "self", True), (PL, "view", "peer", False), (PL, "view", "other", False),
    (PL, "change", "self", True), (PL, "change", "peer", False),
    (PL, "delete", "self", False), (PL, "delete", "peer", False),
    # The account of a two-club member is managed only by who administers all its clubs.
    (SA, "change", "shared", True), (SA, "delete", "shared", True),
    (CA, "view", "shared", True), (CA, "change", "shared", False), (CA, "delete", "shared", False),
    (PL, "view", "shared", False), (PL, "change", "shared", False),
    (SH, "view", "self", True), (SH, "change", "self", True), (SH, "delete", "self", False),
    (SH, "view", "own", False), (SH, "view", "peer", False),
]

# Who may create at all (the model-level question the admin's "Add" button asks).
ADD = [
    (Club, SA, True), (Club, CA, False), (Club, PL, False),
    (Membership, SA, True), (Membership, CA, True), (Membership, PL, False),
    (User, SA, True), (User, CA, True), (User, PL, False),
    (Club, SH, False), (Membership, SH, False), (User, SH, False),
]


def targets(model, people, club, other_club):
    """The named objects of a model for the matrix rows."""
    if model is Club:
        return {"own": club, "other": other_club}
    if model is Membership:
        return {
            "own": Membership.objects.get(user=people["player"], club=club),
            "other": Membership.objects.get(user=people["other_player"], club=other_club),
            "peer": Membership.objects.get(user=people["admin"], club=club),
            "shared_own": Membership.objects.get(user=people["shared"], club=club),
            "shared_other": Membership.objects.get(user=people["shared"], club=other_club),
        }
    return {"own": people["player"], "other": people["other_player"], "peer": people["admin"],
            "shared": people["shared"]}


def rows():
    for model, table in ((Club, CLUB), (Membership, MEMBERSHIP), (User, USER)):
        for actor, action, target, allowed in table:
            yield model, actor, action, target, allowed


def row_id(row):
    model, actor, action, target, allowed = row
    return f"{model.__name__}-{actor}-{action}-{target}-{'yes' if allowed else 'no'}"


def resolve(model, target, actor, people, club, other_club):
    if target == "self":
        return people[actor]
    return targets(model, people, club, other_club)[target]
