"""This installation's id: created once, kept in its database.

Two installations on one host (production and a staging copy, `make test` on
the production box, parallel test workers) share unit and node names; the id
is what tells their processes apart (mediasuite.supervisor.procs).
"""

import uuid

from .models import Installation

ROW = 1


def installation_id() -> str:
    """The id of the installation whose database this process uses; made on first call.

    get_or_create on the fixed primary key is race-safe: of two processes
    creating it at once, the loser's INSERT fails and it reads the winner's row.
    """
    row, _ = Installation.objects.get_or_create(pk=ROW, defaults={"uid": uuid.uuid4().hex})
    return row.uid
