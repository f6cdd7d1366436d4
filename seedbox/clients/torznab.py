"""Release search through a Torznab indexer (Prowlarr, Jackett): `?t=search|tvsearch|movie&q=`."""

import xml.etree.ElementTree as ET

import requests

from mediasuite import config
from mediasuite.clients.connections import not_configured
from mediasuite.clients.http import ServiceError, request

TORZNAB_NS = "{http://torznab.com/schemas/2015/feed}"
CATEGORIES = {"movie": "2000", "series": "5000"}


def _query(**params) -> ET.Element:
    """The indexer's XML answer to `?t=...`; its <error> (a wrong API key ...) raised as a ServiceError."""
    url = config.get("TORZNAB_URL")
    if not url:
        raise ServiceError(not_configured("indexer"))
    params["apikey"] = config.get("TORZNAB_API_KEY")
    response = request(requests.Session(), "GET", url, params=params, what="The indexer",
                       key_setting="TORZNAB_API_KEY")
    try:
        root = ET.fromstring(response.content)
    except ET.ParseError as exc:
        raise ServiceError(f"The indexer answered something that is not Torznab XML: {exc}") from exc
    if root.tag == "error":
        raise ServiceError(f"The indexer refused the request: {root.get('description', 'error')}")
    return root


def check() -> str:
    """The indexer's capabilities (`t=caps`): it answers and takes the API key."""
    caps = _query(t="caps")
    server = caps.find("server")
    title = server.get("title") if server is not None else ""
    return f"The indexer answers ({title})" if title else "The indexer answers"


def search(query: str, media_type: str = "") -> list[dict]:
    params = {"t": "search", "q": query}
    if media_type in CATEGORIES:
        params["cat"] = CATEGORIES[media_type]
    root = _query(**params)
    releases = []
    for item in root.iter("item"):
        attrs = {a.get("name"): a.get("value") for a in item.iter(f"{TORZNAB_NS}attr")}
        enclosure = item.find("enclosure")
        link = item.findtext("link") or (enclosure.get("url") if enclosure is not None else "")
        magnet = attrs.get("magneturl") or (link if link.startswith("magnet:") else "")
        releases.append({
            "title": item.findtext("title", ""),
            "guid": item.findtext("guid", ""),
            "link": "" if link.startswith("magnet:") else link,
            "magnet": magnet,
            "size": int(item.findtext("size") or attrs.get("size") or 0),
            "seeders": int(attrs.get("seeders") or 0),
            "infohash": (attrs.get("infohash") or "").lower(),
        })
    return releases


def download(link: str) -> tuple[bytes, str]:
    """A release's .torrent from the indexer's link: (bytes, ""), or (b"", magnet) on a magnet redirect."""
    session = requests.Session()
    response = request(session, "GET", link, what="The indexer", allow_redirects=False)
    location = response.headers.get("Location", "")
    if response.is_redirect and location.startswith("magnet:"):
        return b"", location
    if response.is_redirect:
        response = request(session, "GET", location, what="The indexer")
    return response.content, ""
