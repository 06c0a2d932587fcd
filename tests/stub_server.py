"""A deliberately misbehaving OpenAI-compatible server on 127.0.0.1, for fault tests.

It answers ``/v1/models`` and streams ``/v1/completions`` and ``/v1/chat/completions``; a
test chooses its faults: fail the first N requests with 503, or stall after the first token.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Behaviour:
    models: list[dict] = field(default_factory=lambda: [{"id": "stub-model"}])
    reply: str = "Pegfilgrastim: 6 mg subcutaneously once per chemotherapy cycle [1]."
    fail_first: int = 0  # answer this many completion requests with 503
    stall_after_first_token_s: float = 0.0
    requests: int = 0


@contextmanager
def stub_server(behaviour: Behaviour) -> Iterator[str]:
    """Serve ``behaviour`` on a free loopback port; yields the base URL (ending in /v1)."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self._json(200, {"object": "list", "data": behaviour.models})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            self.rfile.read(length)
            behaviour.requests += 1
            if behaviour.requests <= behaviour.fail_first:
                self._json(503, {"error": "busy"})
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            chat = self.path.endswith("/chat/completions")
            for number, word in enumerate(behaviour.reply.split(" ")):
                text = word + " "
                choice = {"delta": {"content": text}} if chat else {"text": text}
                self.wfile.write(f"data: {json.dumps({'choices': [choice]})}\n\n".encode())
                self.wfile.flush()
                if number == 0 and behaviour.stall_after_first_token_s:
                    time.sleep(behaviour.stall_after_first_token_s)
                    return
            self.wfile.write(b"data: [DONE]\n\n")

        def _json(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
