"""The HTTP server under the small fakes of hosted APIs: a thread on 127.0.0.1, requests logged.

`ServerThread` is the server and its life (`with fake:`), shared by every fake. On it,
`FakeServer` answers through one method: subclasses implement
`answer(method, path, query, body, headers) -> (status, body[, headers])` where body is a
dict/list (sent as JSON), bytes or str. `fail_with(status, times, headers=)` answers the next
calls with an error first (429 with Retry-After, 503 ...). Every request is kept in `requests`
as (monotonic time, method, path, query); a query parameter given several times is a list.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class ServerThread:
    """An HTTP server on 127.0.0.1 in a thread, served inside `with`: what every fake shares.

    Subclasses give `_handler()` (the BaseHTTPRequestHandler class); `lock` guards their state.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        raise NotImplementedError


class FakeServer(ServerThread):
    content_type = "application/json"

    def __init__(self):
        self.requests = []
        self.failures = []
        super().__init__()

    def fail_with(self, status: int, times: int = 1, headers: dict | None = None, body=None):
        with self.lock:
            self.failures += [(status, body or {"status_message": "error"}, headers or {})] * times

    def answer(self, method, path, query, body, headers):
        raise NotImplementedError

    def _respond(self, method, handler):
        url = urlparse(handler.path)
        parsed = parse_qs(url.query, keep_blank_values=True)
        query = {k: v[-1] if len(v) == 1 else v for k, v in parsed.items()}
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        with self.lock:
            self.requests.append((time.monotonic(), method, url.path, query))
            failure = self.failures.pop(0) if self.failures else None
        if failure:
            result = failure
        else:
            try:
                body = json.loads(raw) if raw else {}
            except ValueError:
                body = None
            result = self.answer(method, url.path, query, body, handler.headers)
        status, answer, headers = (*result, {}) if len(result) == 2 else result
        if isinstance(answer, (dict, list)):
            data, kind = json.dumps(answer).encode(), "application/json"
        else:
            data = answer.encode() if isinstance(answer, str) else answer
            kind = headers.pop("Content-Type", self.content_type)
        handler.send_response(status)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            handler.send_header(name, str(value))
        handler.end_headers()
        handler.wfile.write(data)

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake._respond("GET", self)

            def do_POST(self):
                fake._respond("POST", self)

            def do_PUT(self):
                fake._respond("PUT", self)

            def do_DELETE(self):
                fake._respond("DELETE", self)

            def log_message(self, *args):
                pass

        return Handler
