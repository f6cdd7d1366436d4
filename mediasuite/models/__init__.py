from .accounts import Club, Membership, SignInFailure, User
from .connections import Connection, SettingsRevision
from .events import Event
from .services import ServiceState, TrackPlay
from .supervision import Desired, Lease, SupervisorNode, Unit, UnitState
from .system import Installation, NotifierCursor, UpdateJob

__all__ = [
    "Club",
    "Connection",
    "Desired",
    "Event",
    "Installation",
    "Lease",
    "Membership",
    "NotifierCursor",
    "ServiceState",
    "SettingsRevision",
    "SignInFailure",
    "SupervisorNode",
    "TrackPlay",
    "Unit",
    "UnitState",
    "UpdateJob",
    "User",
]
