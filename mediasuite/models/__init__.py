from .accounts import Club, Membership, User
from .events import Event
from .services import ServiceState, TrackPlay
from .supervision import Desired, Lease, SupervisorNode, Unit, UnitState

__all__ = [
    "Club",
    "Desired",
    "Event",
    "Lease",
    "Membership",
    "ServiceState",
    "SupervisorNode",
    "TrackPlay",
    "Unit",
    "UnitState",
    "User",
]
