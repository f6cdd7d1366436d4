"""Search: media by title (TMDB for movies, TVDB for series) and releases through the Torznab indexer."""

from mediasuite.clients import tmdb, tvdb

from .clients import torznab


def media(query: str, media_type: str) -> list[dict]:
    return tmdb.search_movies(query) if media_type == "movie" else tvdb.search_series(query)


def releases(query: str, media_type: str = "") -> list[dict]:
    return torznab.search(query, media_type)
