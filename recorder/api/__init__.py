"""The API of the original system, same paths (/api/video/..., /api/preview/...).

Every view looks objects up through the policies (lookups.py: another club's id is 404, a
visible object with a forbidden action 403) and calls the domain modules (sessions,
recording, cleanup) that change state and write the events. One module per group of routes.
"""
