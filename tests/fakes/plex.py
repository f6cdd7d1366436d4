"""A small Plex Media Server (and the plex.tv calls about its users) for tests, in the XML plexapi parses.

    with FakePlex() as plex:
        settings.PLEX_URL, settings.PLEX_TOKEN, settings.PLEX_TV_URL = plex.url, plex.token, plex.url
        movie = plex.add_movie("The Matrix", 1999, tmdb_id=603, genres=["Action"])
        show = plex.add_show("Breaking Bad", 2008, tvdb_id=81189, seasons={1: 7, 2: 13})
        alice = plex.add_user("Alice")           # a home user with a token of her own
        plex.watch(alice, movie)

Server (https://plexapi.dev/api-reference, shapes as python-plexapi reads them):
GET / and /identity, /library, /library/sections, /library/sections/<k>/all
(type, sort, X-Plex-Container-Start/Size, filters title, year, unwatched,
inProgress, addedAt>>= / <<=, lastViewedAt>>= / <<=, genre, collection,
actor, director, writer (tag ids; a,b: any; repeated: all), resolution,
studio, userRating>>= / <<= / =), /library/sections/<k>/<tag filter> (the
values and their ids), /library/metadata/<k>[/children|/allLeaves|/thumb], /:/scrobble,
/:/unscrobble, DELETE /library/metadata/<k>, /library/sections/<k|all>/refresh,
/status/sessions/history/all. plex.tv: /api/v2/user, /api/users/,
/api/servers/<machine>/shared_servers. Watched state is kept per user (their
token says who asks). `refreshes` lists the libraries asked to scan ("all" or
the key), `deleted` the rating keys deleted, `calls(path)` counts requests.
"""

import itertools
import time
from xml.etree.ElementTree import Element, SubElement, tostring

from .base import FakeServer

MACHINE = "fake-machine-id"
# A 2x3 slate-blue PNG: what a poster is here.
POSTER = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000030802000000368849d60000001449444154789c638ccaeb61606060"
    "626060405000195e015a4130e35f0000000049454e44ae426082"
)
TYPES = {"1": "movie", "2": "show"}
# Tag filters: Plex's filter name -> the item's list of values (tag ids are global, as in Plex).
TAGS = {
    "genre": "genres",
    "collection": "collections",
    "actor": "actors",
    "director": "directors",
    "writer": "writers",
}
SORTS = {
    "titleSort": lambda i: (i.get("titleSort") or i["title"]).lower(),
    "year": lambda i: i.get("year") or 0,
    "userRating": lambda i: i.get("userRating") or 0,
    "addedAt": lambda i: i["addedAt"],
    "lastViewedAt": lambda i: i.get("lastViewedAt") or 0,
}


class FakePlex(FakeServer):
    content_type = "application/xml"

    def __init__(self, token="fake-plex-token"):
        super().__init__()
        self.token = token
        self.owner = 1
        self.users = {1: {"id": 1, "title": "owner", "token": token, "home": True}}
        self.sections = {1: {"title": "Movies", "type": "movie"}, 2: {"title": "TV Shows", "type": "show"}}
        self.items = {}
        self.views = {}  # (user id, rating key of a movie or episode) -> viewedAt
        self.history = []
        self.refreshes = []
        self.deleted = []
        self.keys = itertools.count(100)
        self.tags = {}
        self.children = {}  # rating key -> rating keys of its seasons or episodes

    # -- what the test controls ---------------------------------------------------------------

    def add_user(self, title: str, home: bool = True) -> int:
        user_id = max(self.users) + 1
        self.users[user_id] = {
            "id": user_id,
            "title": title,
            "token": f"token-of-{title.lower()}",
            "home": home,
        }
        return user_id

    def add_section(self, title: str, kind: str) -> int:
        key = max(self.sections) + 1
        self.sections[key] = {"title": title, "type": kind}
        return key

    def _tag(self, title):
        return self.tags.setdefault(title, len(self.tags) + 1)

    def add_movie(self, title, year, tmdb_id=None, section=1, **fields) -> int:
        key = next(self.keys)
        for field in TAGS.values():
            for value in fields.get(field, []):
                self._tag(value)
        self.items[key] = {
            "ratingKey": key,
            "type": "movie",
            "section": section,
            "title": title,
            "year": year,
            "tmdb_id": tmdb_id,
            "addedAt": fields.pop("addedAt", int(time.time()) - key),
            "genres": [],
            "resolution": "1080",
            "size": 1_000_000,
            **fields,
        }
        return key

    def add_show(self, title, year, tvdb_id=None, seasons=None, section=2, **fields) -> int:
        key = next(self.keys)
        self.items[key] = {
            "ratingKey": key,
            "type": "show",
            "section": section,
            "title": title,
            "year": year,
            "tvdb_id": tvdb_id,
            "addedAt": fields.pop("addedAt", int(time.time()) - key),
            "genres": [],
            **fields,
        }
        for field in TAGS.values():
            for value in self.items[key].get(field, []):
                self._tag(value)
        for number, episodes in (seasons or {1: 2}).items():
            season = next(self.keys)
            self.items[season] = {
                "ratingKey": season,
                "type": "season",
                "section": section,
                "parent": key,
                "index": number,
                "title": f"Season {number}",
                "addedAt": 0,
            }
            self.children.setdefault(key, []).append(season)
            for n in range(1, episodes + 1):
                episode = next(self.keys)
                self.items[episode] = {
                    "ratingKey": episode,
                    "type": "episode",
                    "section": section,
                    "parent": season,
                    "index": n,
                    "title": f"Episode {n}",
                    "addedAt": 0,
                }
                self.children.setdefault(season, []).append(episode)
        return key

    def watch(self, user_id: int, rating_key: int, watched: bool = True):
        for leaf in self._leaves(rating_key):
            if watched:
                self.views[(user_id, leaf)] = int(time.time())
                self.history.append({"ratingKey": leaf, "accountID": user_id, "viewedAt": int(time.time())})
            else:
                self.views.pop((user_id, leaf), None)

    def calls(self, prefix: str) -> int:
        return sum(1 for _, _, path, _ in self.requests if path.startswith(prefix))

    # -- state --------------------------------------------------------------------------------

    def _children(self, key):
        return [self.items[k] for k in self.children.get(key, []) if k in self.items]

    def _leaves(self, key):
        item = self.items[key]
        if item["type"] in ("movie", "episode"):
            return [key]
        return [leaf for child in self._children(key) for leaf in self._leaves(child["ratingKey"])]

    def _counts(self, user, key):
        leaves = self._leaves(key)
        return sum(1 for leaf in leaves if (user, leaf) in self.views), len(leaves)

    def _last_viewed(self, user, key):
        return max((self.views.get((user, leaf), 0) for leaf in self._leaves(key)), default=0) or None

    # -- XML ----------------------------------------------------------------------------------

    def _element(self, parent, item, user):
        section = self.sections[item["section"]]
        kind = item["type"]
        tag = "Video" if kind in ("movie", "episode") else "Directory"
        watched, total = self._counts(user, item["ratingKey"])
        attrs = {
            "ratingKey": item["ratingKey"],
            "key": f"/library/metadata/{item['ratingKey']}",
            "type": kind,
            "title": item["title"],
            "addedAt": item["addedAt"],
            "librarySectionID": item["section"],
            "librarySectionTitle": section["title"],
            "librarySectionKey": f"/library/sections/{item['section']}",
        }
        for name in ("year", "titleSort", "originalTitle", "studio", "userRating", "index"):
            if item.get(name) is not None:
                attrs[name] = item[name]
        if item.get("parent"):
            attrs["parentRatingKey"] = item["parent"]
            if kind == "episode":
                attrs["parentIndex"] = self.items[item["parent"]]["index"]
        attrs["thumb"] = f"/library/metadata/{item['ratingKey']}/thumb/1"
        last = self._last_viewed(user, item["ratingKey"])
        if last:
            attrs["lastViewedAt"] = last
        if kind in ("movie", "episode"):
            if watched:
                attrs["viewCount"] = 1
            elif item.get("viewOffset"):
                attrs["viewOffset"] = item["viewOffset"]
        else:
            attrs.update(
                leafCount=total, viewedLeafCount=watched, childCount=len(self._children(item["ratingKey"]))
            )
        element = SubElement(parent, tag, {k: str(v) for k, v in attrs.items()})
        if kind == "movie":
            media = SubElement(
                element, "Media", {"id": str(item["ratingKey"]), "videoResolution": item["resolution"]}
            )
            SubElement(
                media,
                "Part",
                {
                    "id": str(item["ratingKey"]),
                    "size": str(item["size"]),
                    "file": item.get("file", f"/movies/{item['title']}/{item['title']}.mkv"),
                },
            )
        for genre in item.get("genres", []):
            SubElement(element, "Genre", {"id": str(self._tag(genre)), "tag": genre})
        for scheme in ("tmdb", "tvdb"):
            if item.get(f"{scheme}_id"):
                SubElement(element, "Guid", {"id": f"{scheme}://{item[f'{scheme}_id']}"})
        return element

    @staticmethod
    def _xml(container: Element):
        return (
            200,
            b'<?xml version="1.0" encoding="UTF-8"?>' + tostring(container),
            {"Content-Type": "text/xml"},
        )

    # -- filters ------------------------------------------------------------------------------

    def _matches(self, item, user, query):
        for name, value in query.items():
            if name in ("type", "sort", "includeGuids", "X-Plex-Token") or name.startswith("X-Plex"):
                continue
            if name in ("unwatched", "inProgress"):
                watched, total = self._counts(user, item["ratingKey"])
            values = value if isinstance(value, list) else [value]
            if name == "title":
                words = " ".join(
                    str(item.get(f) or "") for f in ("title", "originalTitle", "titleSort")
                ).lower()
                if value.lower() not in words:
                    return False
            elif name == "year":
                if str(item.get("year")) != value:
                    return False
            elif name == "unwatched":
                if (watched < total) != (value == "1"):
                    return False
            elif name == "inProgress":
                started = (0 < watched < total) or (
                    item["type"] == "movie" and not watched and bool(item.get("viewOffset"))
                )
                if started != (value == "1"):
                    return False
            elif name in TAGS:
                have = {str(self._tag(g)) for g in item.get(TAGS[name], [])}
                if not all(have & set(v.split(",")) for v in values):
                    return False
            elif name == "resolution":
                if item.get("resolution") != value:
                    return False
            elif name == "studio":
                if value.lower() not in (item.get("studio") or "").lower():
                    return False
            elif name.rstrip("<>") in ("addedAt", "lastViewedAt", "userRating"):
                field = name.rstrip("<>")
                have = (
                    self._last_viewed(user, item["ratingKey"]) if field == "lastViewedAt" else item.get(field)
                ) or 0
                wanted = float(value)
                if (
                    (name.endswith(">>") and have < wanted)
                    or (name.endswith("<<") and have > wanted)
                    or (name == field and have != wanted)
                ):
                    return False
        return True

    # -- the API ------------------------------------------------------------------------------

    def answer(self, method, path, query, body, headers):
        token = headers.get("X-Plex-Token") or query.get("X-Plex-Token")
        user = next((u["id"] for u in self.users.values() if u["token"] == token), None)
        if user is None:
            return 401, "<html><head><title>Unauthorized</title></head></html>", {"Content-Type": "text/html"}
        if path.startswith("/api/"):
            return self._plex_tv(method, path, user)
        container = Element("MediaContainer")
        if method == "GET" and path == "/identity":
            return 200, {
                "MediaContainer": {
                    "size": 0,
                    "claimed": True,
                    "machineIdentifier": MACHINE,
                    "version": "1.40.0.0",
                }
            }
        if method == "GET" and path == "/":
            container.attrib.update(
                friendlyName="Fake Plex",
                machineIdentifier=MACHINE,
                version="1.40.0.0",
                myPlex="1",
                myPlexUsername="owner",
            )
            return self._xml(container)
        if method == "GET" and path == "/library":
            container.set("title1", "Plex Library")
            SubElement(container, "Directory", {"key": "sections", "title": "Library Sections"})
            return self._xml(container)
        if method == "GET" and path == "/library/sections":
            for key, section in self.sections.items():
                SubElement(
                    container,
                    "Directory",
                    {
                        "key": str(key),
                        "type": section["type"],
                        "title": section["title"],
                        "uuid": f"section-{key}",
                        "agent": "tv.plex.agents.movie",
                    },
                )
            return self._xml(container)
        parts = path.strip("/").split("/")
        if method == "GET" and path.endswith("/refresh") and parts[:2] == ["library", "sections"]:
            self.refreshes.append(parts[2])
            return 200, b"", {"Content-Type": "text/plain"}
        if method == "GET" and parts[:2] == ["library", "sections"] and len(parts) == 4 and parts[3] == "all":
            return self._listing(int(parts[2]), user, query, headers, container)
        if method == "GET" and parts[:2] == ["library", "sections"] and len(parts) == 4 and parts[3] in TAGS:
            field = TAGS[parts[3]]
            section = int(parts[2])
            values = {t for i in self.items.values() if i["section"] == section for t in i.get(field, [])}
            for title in sorted(values):
                SubElement(
                    container, "Directory", {"key": str(self._tag(title)), "title": title, "type": parts[3]}
                )
            return self._xml(container)
        if parts[:2] == ["library", "metadata"] and len(parts) >= 3:
            key = int(parts[2]) if parts[2].isdigit() else None
            if key not in self.items:
                return 404, "<html><body>Not Found</body></html>", {"Content-Type": "text/html"}
            if method == "DELETE" and len(parts) == 3:
                for child in [k for k in self.items if k == key or self._ancestor(k, key)]:
                    del self.items[child]
                self.deleted.append(key)
                return 200, b"", {"Content-Type": "text/plain"}
            if method == "GET" and len(parts) >= 4 and parts[3] == "thumb":
                return 200, POSTER, {"Content-Type": "image/png"}
            if method == "GET" and len(parts) == 4 and parts[3] == "allLeaves":
                for leaf in self._leaves(key):
                    self._element(container, self.items[leaf], user)
                return self._xml(container)
            if method == "GET" and len(parts) == 4 and parts[3] == "children":
                for child in sorted(self._children(key), key=lambda c: c["index"]):
                    self._element(container, child, user)
                return self._xml(container)
            if method == "GET" and len(parts) == 3:
                self._element(container, self.items[key], user)
                return self._xml(container)
        if method == "GET" and path in ("/:/scrobble", "/:/unscrobble"):
            key = int(query.get("key", "0"))
            if key not in self.items:
                return 404, "<html><body>Not Found</body></html>", {"Content-Type": "text/html"}
            self.watch(user, key, watched=path == "/:/scrobble")
            return 200, b"", {"Content-Type": "text/plain"}
        if method == "GET" and path == "/status/sessions/history/all":
            for entry in sorted(self.history, key=lambda e: -e["viewedAt"]):
                if query.get("accountID") and str(entry["accountID"]) != query["accountID"]:
                    continue
                if query.get("metadataItemID") and str(entry["ratingKey"]) != query["metadataItemID"]:
                    continue
                item = self.items.get(entry["ratingKey"])
                SubElement(
                    container,
                    "Video",
                    {
                        "historyKey": f"/status/sessions/history/{len(container)}",
                        "ratingKey": str(entry["ratingKey"]),
                        "accountID": str(entry["accountID"]),
                        "viewedAt": str(entry["viewedAt"]),
                        "type": item["type"] if item else "movie",
                        "title": item["title"] if item else "",
                    },
                )
            container.set("size", str(len(container)))
            return self._xml(container)
        return 404, "<html><body>Not Found</body></html>", {"Content-Type": "text/html"}

    def _ancestor(self, key, ancestor):
        parent = self.items[key].get("parent")
        while parent:
            if parent == ancestor:
                return True
            parent = self.items[parent].get("parent")
        return False

    def _listing(self, section, user, query, headers, container):
        if section not in self.sections:
            return 404, "<html><body>Not Found</body></html>", {"Content-Type": "text/html"}
        kind = TYPES.get(query.get("type", "1" if self.sections[section]["type"] == "movie" else "2"))
        found = [
            i
            for i in self.items.values()
            if i["section"] == section and i["type"] == kind and self._matches(i, user, query)
        ]
        field, _, direction = query.get("sort", "titleSort:asc").partition(":")
        if field == "lastViewedAt":
            found.sort(
                key=lambda i: self._last_viewed(user, i["ratingKey"]) or 0, reverse=direction == "desc"
            )
        else:
            found.sort(key=SORTS.get(field, SORTS["titleSort"]), reverse=direction == "desc")
        start = int(headers.get("X-Plex-Container-Start") or query.get("X-Plex-Container-Start") or 0)
        size = int(headers.get("X-Plex-Container-Size") or query.get("X-Plex-Container-Size") or 100)
        for item in found[start : start + size]:
            self._element(container, item, user)
        container.attrib.update(
            size=str(len(container)),
            totalSize=str(len(found)),
            offset=str(start),
            librarySectionID=str(section),
            librarySectionTitle=self.sections[section]["title"],
        )
        return self._xml(container)

    def _plex_tv(self, method, path, user):
        container = Element("MediaContainer")
        if method == "GET" and path == "/api/v2/user":
            account = self.users[user]
            element = Element(
                "user",
                {
                    "id": str(user),
                    "uuid": f"uuid-{user}",
                    "username": account["title"],
                    "title": account["title"],
                    "authToken": account["token"],
                    "scrobbleTypes": "",
                    "home": "1",
                },
            )
            SubElement(element, "subscription", {"active": "1", "status": "Active", "plan": "lifetime"})
            SubElement(element, "profile", {"autoSelectAudio": "1"})
            return self._xml(element)
        if user != self.owner:
            return 401, "<html><head><title>Unauthorized</title></head></html>", {"Content-Type": "text/html"}
        if method == "GET" and path == "/api/users/":
            for account in self.users.values():
                if account["id"] == self.owner:
                    continue
                element = SubElement(
                    container,
                    "User",
                    {
                        "id": str(account["id"]),
                        "title": account["title"],
                        "username": "" if account["home"] else account["title"],
                        "home": "1" if account["home"] else "0",
                    },
                )
                SubElement(
                    element,
                    "Server",
                    {
                        "id": "1",
                        "serverId": "1",
                        "machineIdentifier": MACHINE,
                        "name": "Fake Plex",
                        "numLibraries": str(len(self.sections)),
                    },
                )
            return self._xml(container)
        if method == "GET" and path == f"/api/servers/{MACHINE}/shared_servers":
            for account in self.users.values():
                if account["id"] != self.owner:
                    SubElement(
                        container,
                        "SharedServer",
                        {
                            "id": str(account["id"]),
                            "userID": str(account["id"]),
                            "accessToken": account["token"],
                            "username": account["title"],
                        },
                    )
            return self._xml(container)
        return 404, "<html><body>Not Found</body></html>", {"Content-Type": "text/html"}
