"""The role matrix of the core models, shared by the policy, API and admin tests.

Each row: (model, actor, action, target, allowed). Actors are the keys of the
`people` fixture; targets are named objects built by `targets()`:
"own" lies in the actor's club (Padel Nord), "other" in Tennis Sud.
"""

from mediasuite.models import Club, Membership, User

SA, CA, PL = "super", "admin", "player"

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
]

# Memberships: "own" = the player's membership of Padel Nord, "other" = olga's of Tennis Sud,
# "peer" = alice's (a club admin) membership of Padel Nord.
MEMBERSHIP = [
    (SA, "view", "own", True), (SA, "view", "other", True),
    (SA, "change", "own", True), (SA, "delete", "other", True),
    (CA, "view", "own", True), (CA, "view", "other", False),
    (CA, "change", "own", True), (CA, "change", "other", False),
    (CA, "delete", "own", True), (CA, "delete", "other", False),
    (PL, "view", "own", True), (PL, "view", "peer", False), (PL, "view", "other", False),
    (PL, "change", "own", False), (PL, "delete", "own", False),
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
]

# Who may create at all (the model-level question the admin's "Add" button asks).
ADD = [
    (Club, SA, True), (Club, CA, False), (Club, PL, False),
    (Membership, SA, True), (Membership, CA, True), (Membership, PL, False),
    (User, SA, True), (User, CA, True), (User, PL, False),
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
        }
    return {"own": people["player"], "other": people["other_player"], "peer": people["admin"]}


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
