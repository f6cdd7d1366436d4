"""A small Discord webhook server for tests: "Execute Webhook" as Discord documents it.

    with FakeDiscord() as fake:
        settings.DISCORD_WEBHOOK_URL = fake.webhook_url
        ...
        fake.messages            # the JSON bodies accepted, in order
        fake.rate_limit(times=1, retry_after=0.3)   # the next request(s) answer 429

POST /api/webhooks/{webhook.id}/{webhook.token}[?wait=true]
(https://discord.com/developers/docs/resources/webhook#execute-webhook):
- 204 No Content, or 200 with the message object when `wait=true`;
- 400 {"code": 50006, "message": "Cannot send an empty message"} without content or embeds,
  400 {"code": 50035, ...} when `content` is longer than 2000 characters;
- 404 {"code": 10015, "message": "Unknown Webhook"} for another id or token;
- rate limits (https://discord.com/developers/docs/topics/rate-limits): every answer carries
  X-RateLimit-Limit/Remaining/Reset/Reset-After/Bucket; past `limit` requests per `window`
  seconds, or when told by rate_limit(), 429 with a Retry-After header and the body
  {"message": "You are being rate limited.", "retry_after": <seconds>, "global": false}.

GET /api/webhooks/{webhook.id}/{webhook.token} ("Get Webhook with Token"): 200 with the webhook
object (its `name`), 404 Unknown Webhook for another id or token.

A real HTTP server on 127.0.0.1 (a thread), so child processes can use it too.
Every request is kept in `requests` as (monotonic time, status, body).
"""

import json
import math
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlparse

from .base import ServerThread

UNKNOWN_WEBHOOK = {"message": "Unknown Webhook", "code": 10015}
EMPTY = {"message": "Cannot send an empty message", "code": 50006}
TOO_LONG = {"message": "Invalid Form Body", "code": 50035,
            "errors": {"content": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH",
                                                "message": "Must be 2000 or fewer in length."}]}}}


class FakeDiscord(ServerThread):
    def __init__(self, webhook_id="1234567890", token="fake-token", limit=5, window=2.0):
        self.webhook_id = webhook_id
        self.token = token
        self.limit = limit
        self.window = window
        self.messages = []
        self.requests = []
        self.forced = []
        self.sent_at = []
        super().__init__()

    @property
    def webhook_url(self) -> str:
        return f"{self.url}/api/webhooks/{self.webhook_id}/{self.token}"

    def rate_limit(self, times: int = 1, retry_after: float = 0.5):
        """Answer the next `times` valid requests with 429 and this retry_after."""
        with self.lock:
            self.forced += [retry_after] * times

    def contents(self) -> list[str]:
        with self.lock:
            return [m.get("content", "") for m in self.messages]

    def _limits(self, now: float) -> dict:
        recent = [t for t in self.sent_at if now - t < self.window]
        # Whole milliseconds, rounded up: a client waiting exactly this long finds the slot free.
        reset_after = math.ceil((self.window - (now - recent[0]) if recent else self.window) * 1000) / 1000
        return {"X-RateLimit-Limit": str(self.limit),
                "X-RateLimit-Remaining": str(max(0, self.limit - len(recent))),
                "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
                "X-RateLimit-Reset-After": f"{reset_after:.3f}",
                "X-RateLimit-Bucket": "fake-webhook-bucket"}

    def answer(self, path: str, query: dict, raw: bytes) -> tuple[int, dict | None, dict]:
        now = time.monotonic()
        with self.lock:
            if path.rstrip("/") != f"/api/webhooks/{self.webhook_id}/{self.token}":
                return 404, UNKNOWN_WEBHOOK, {}
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                return 400, {"message": "400: Bad Request", "code": 0}, {}
            self.requests.append((now, body))
            self.sent_at = [t for t in self.sent_at if now - t < self.window]
            retry = self.forced.pop(0) if self.forced else None
            if retry is None and len(self.sent_at) >= self.limit:
                retry = math.ceil((self.window - (now - self.sent_at[0])) * 1000) / 1000
            if retry is not None:
                headers = {**self._limits(now), "X-RateLimit-Remaining": "0",
                           "Retry-After": str(max(1, round(retry))), "X-RateLimit-Scope": "user"}
                return 429, {"message": "You are being rate limited.", "retry_after": round(retry, 3),
                             "global": False}, headers
            if not isinstance(body, dict) or not (body.get("content") or body.get("embeds")):
                return 400, EMPTY, {}
            if len(body.get("content") or "") > 2000:
                return 400, TOO_LONG, {}
            self.sent_at.append(now)
            self.messages.append(body)
            headers = self._limits(now)
            if query.get("wait") == "true":
                return 200, {"id": str(len(self.messages)), "type": 0, "content": body.get("content", ""),
                             "webhook_id": self.webhook_id, "channel_id": "1"}, headers
            return 204, None, headers

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                path = urlparse(self.path).path.rstrip("/")
                known = path == f"/api/webhooks/{fake.webhook_id}/{fake.token}"
                body = {"type": 1, "id": fake.webhook_id, "name": "MediaSuite alerts", "channel_id": "1",
                        "guild_id": "1", "token": fake.token} if known else UNKNOWN_WEBHOOK
                data = json.dumps(body).encode()
                self.send_response(200 if known else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                url = urlparse(self.path)
                query = {k: v[-1] for k, v in parse_qs(url.query).items()}
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, body, headers = fake.answer(url.path, query, raw)
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if body is not None:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler
