"""A small Torznab indexer for tests (the API Prowlarr and Jackett serve: https://torznab.github.io/spec-1.3-draft/).

    with FakeTorznab() as indexer:
        indexer.add_release("Show.S01E01.1080p", magnet="magnet:?xt=urn:btih:...")
        indexer.add_release("Show.S01E02.1080p", torrent=b"d8:announce...")   # served at its link
        settings.TORZNAB_URL, settings.TORZNAB_API_KEY = indexer.api_url, indexer.api_key

`?t=caps` answers the capabilities; `?t=search&q=` answers the RSS feed of matching releases; a release with a
.torrent is downloadable at its <link>; a link of a missing release is 404.
"""

from xml.sax.saxutils import escape, quoteattr

from .base import FakeServer


class FakeTorznab(FakeServer):
    content_type = "application/rss+xml"

    def __init__(self, api_key="fake-indexer-key"):
        super().__init__()
        self.api_key = api_key
        self.releases = []

    @property
    def api_url(self) -> str:
        return f"{self.url}/api"

    def add_release(self, title: str, magnet: str = "", torrent: bytes = b"", size: int = 1_000_000,
                    seeders: int = 10, category: str = "5000") -> dict:
        number = len(self.releases) + 1
        release = {"title": title, "magnet": magnet, "torrent": torrent, "size": size, "seeders": seeders,
                   "category": category, "guid": f"{self.url}/details/{number}",
                   "link": f"{self.url}/download/{number}.torrent"}
        self.releases.append(release)
        return release

    def _item(self, r) -> str:
        attrs = [("seeders", r["seeders"]), ("size", r["size"]), ("category", r["category"])]
        if r["magnet"]:
            attrs.append(("magneturl", r["magnet"]))
        attr_xml = "".join(f"<torznab:attr name={quoteattr(k)} value={quoteattr(str(v))}/>" for k, v in attrs)
        return (f"<item><title>{escape(r['title'])}</title><guid>{escape(r['guid'])}</guid>"
                f"<link>{escape(r['link'])}</link><size>{r['size']}</size>"
                f"<enclosure url={quoteattr(r['link'])} length=\"{r['size']}\" "
                'type="application/x-bittorrent"/>'
                f"{attr_xml}</item>")

    def answer(self, method, path, query, body, headers):
        if path.startswith("/download/"):
            number = int(path.rsplit("/", 1)[-1].split(".")[0])
            release = self.releases[number - 1] if 0 < number <= len(self.releases) else None
            if release is None or not (release["torrent"] or release["magnet"]):
                return 404, "Not found", {"Content-Type": "text/plain"}
            if not release["torrent"]:
                return 302, b"", {"Location": release["magnet"]}
            return 200, release["torrent"], {"Content-Type": "application/x-bittorrent"}
        if path != "/api":
            return 404, "Not found", {"Content-Type": "text/plain"}
        if query.get("apikey") != self.api_key:
            return 200, ('<?xml version="1.0" encoding="UTF-8"?>'
                         '<error code="100" description="Invalid API Key"/>')
        if query.get("t") == "caps":
            return 200, ('<?xml version="1.0" encoding="UTF-8"?><caps>'
                         '<server version="1.0" title="Fake Torznab"/><limits max="100" default="50"/>'
                         '<searching><search available="yes" supportedParams="q"/>'
                         '<tv-search available="yes" supportedParams="q,season,ep"/>'
                         '<movie-search available="yes" supportedParams="q"/></searching>'
                         '<categories><category id="2000" name="Movies"/><category id="5000" name="TV"/>'
                         '</categories></caps>')
        words = query.get("q", "").lower().split()
        found = [r for r in self.releases if all(w in r["title"].lower() for w in words)]
        if query.get("cat"):
            found = [r for r in found if r["category"][0] == query["cat"][0]]
        return 200, ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
                     'xmlns:torznab="http://torznab.com/schemas/2015/feed"><channel><title>fake</title>'
                     + "".join(self._item(r) for r in found) + "</channel></rss>")
