"""A small YouTube Data API v3 server for tests (https://developers.google.com/youtube/v3/docs).

GET /youtube/v3/search?part=snippet&type=video&q=&key= (search.list) and
GET /youtube/v3/videos?part=contentDetails&id=a,b&key= (videos.list, for durations).

    with FakeYoutube() as youtube:
        youtube.add_video("abc123def45", "The Matrix - Trailer", "Warner Bros.", match="the matrix")
        settings.YOUTUBE_API_URL, settings.YOUTUBE_API_KEY = youtube.api_url, youtube.api_key

A video is found when its `match` words (default: its title, lowercased) are in the query.
"""

from .base import FakeServer


def _error(code: int, reason: str, message: str) -> dict:
    return {"error": {"code": code, "message": message,
                      "errors": [{"message": message, "domain": "youtube.parameter", "reason": reason}]}}


class FakeYoutube(FakeServer):
    def __init__(self, api_key="fake-youtube-key"):
        super().__init__()
        self.api_key = api_key
        self.videos = []

    @property
    def api_url(self) -> str:
        return f"{self.url}/youtube/v3"

    def add_video(self, video_id: str, title: str, channel: str = "Trailers Channel",
                  duration: str = "PT2M30S", match: str | None = None, language: str = "en"):
        self.videos.append({"id": video_id, "title": title, "channel": channel, "duration": duration,
                            "match": (match or title).lower(), "language": language})

    def searches(self) -> list:
        return [r for r in self.requests if r[2] == "/youtube/v3/search"]

    def _snippet(self, video):
        thumbs = {size: {"url": f"https://i.ytimg.com/vi/{video['id']}/{name}.jpg", "width": w, "height": h}
                  for size, name, w, h in (("default", "default", 120, 90), ("medium", "mqdefault", 320, 180),
                                           ("high", "hqdefault", 480, 360))}
        return {"publishedAt": "2020-01-01T00:00:00Z", "channelId": "UC" + video["id"],
                "title": video["title"],
                "description": "", "thumbnails": thumbs, "channelTitle": video["channel"],
                "liveBroadcastContent": "none", "publishTime": "2020-01-01T00:00:00Z"}

    def answer(self, method, path, query, body, headers):
        if query.get("key") != self.api_key:
            return 400, _error(400, "badRequest", "API key not valid. Please pass a valid API key.")
        if method == "GET" and path == "/youtube/v3/search":
            if query.get("part") != "snippet" or "q" not in query:
                return 400, _error(400, "invalidParameter", "part=snippet and q are required.")
            words = query["q"].lower()
            found = [v for v in self.videos if v["match"] in words]
            if query.get("relevanceLanguage"):  # relevant ones first, as YouTube ranks them
                found.sort(key=lambda v: v["language"] != query["relevanceLanguage"])
            limit = int(query.get("maxResults") or 5)
            items = [{"kind": "youtube#searchResult", "etag": f"etag-{v['id']}",
                      "id": {"kind": "youtube#video", "videoId": v["id"]}, "snippet": self._snippet(v)}
                     for v in found[:limit]]
            return 200, {"kind": "youtube#searchListResponse", "etag": "etag", "regionCode": "US",
                         "pageInfo": {"totalResults": len(found), "resultsPerPage": limit}, "items": items}
        if method == "GET" and path == "/youtube/v3/videos":
            wanted = set((query.get("id") or "").split(","))
            items = [{"kind": "youtube#video", "etag": f"etag-{v['id']}", "id": v["id"],
                      "contentDetails": {"duration": v["duration"], "dimension": "2d", "definition": "hd"}}
                     for v in self.videos if v["id"] in wanted]
            return 200, {"kind": "youtube#videoListResponse", "etag": "etag", "items": items,
                         "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)}}
        return 404, _error(404, "notFound", "Not Found")
