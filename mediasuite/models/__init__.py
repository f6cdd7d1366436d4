from .accounts import Club, Membership, User
from .events import Event
from .services import ServiceState, TrackPlay
from .supervision import Desired, Lease, SupervisorNode, Unit, UnitState
from .system import Installation, NotifierCursor, UpdateJob

__all__ = [
    "Club",
    "Desired",
    "Event",
    "Installation",
    "Lease",
    "Membership",
    "NotifierCursor",
    "ServiceState",
    "SupervisorNode",
    "TrackPlay",
    "Unit",
    "UnitState",
    "UpdateJob",
    "User",
]
