"""Live status: the event table followed by each web process and pushed over WebSockets.

    mediasuite.events.record(...)            write an event inside the domain transaction
    ws://…/ws/events/?after=&kind=&…        the feed (consumers.py documents the protocol)
    follower.safe_cursor()                   the id a page renders as data-live-after
    static/mediasuite/live.js                the one client: badge, reconnect, "mediasuite:event"
    /events/, /api/v1/events, admin          the same log as history (views, api, admin)
"""
