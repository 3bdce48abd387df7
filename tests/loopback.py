"""A real OpenAI-compatible HTTP(S) server on 127.0.0.1 for the responder tests."""

from __future__ import annotations

import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


def without_proxies(monkeypatch) -> None:
    """Loopback requests go straight to the server, whatever this machine's proxy settings."""
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
        monkeypatch.delenv(var.lower(), raising=False)


class FakeLLM:
    """Streams a reply that quotes what it was given, and records every request."""

    def __init__(self, mode: str = "stream", *, tls: ssl.SSLContext | None = None):
        # "stream", "json", "error" (HTTP 500), "garbage" (a malformed event), "slow" (headers,
        # then nothing until the server stops), "cut" (one event, then the connection drops)
        self.mode = mode
        self.requests: list[dict] = []
        self.stopping = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_CONNECT(self):  # an HTTPS proxy's tunnel request: recorded, refused
                owner.requests.append({"method": "CONNECT", "path": self.path, "body": None})
                self.send_response(403)
                self.end_headers()

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                owner.requests.append(
                    {
                        "method": "POST",
                        "path": self.path,
                        "body": body,
                        "auth": self.headers.get("Authorization"),
                    }
                )
                if owner.mode == "error":
                    self.send_response(500)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(b'{"error":\n  "model exploded"}\n')
                    return
                if owner.mode == "slow":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    self.wfile.flush()
                    owner.stopping.wait(10)
                    return
                if owner.mode == "cut":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.send_header("Content-Length", "10000")  # promises more than it sends
                    self.end_headers()
                    event = {"choices": [{"delta": {"content": "I remem"}}]}
                    self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
                    return
                if owner.mode == "garbage":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    self.wfile.write(b"data: {not json\n\n")
                    return
                answer = owner.answer(body)
                if owner.mode == "json":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    msg = {"choices": [{"message": {"role": "assistant", "content": answer}}]}
                    self.wfile.write(json.dumps(msg).encode())
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for word in answer.split(" "):
                    event = {"choices": [{"delta": {"content": word + " "}}]}
                    self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.scheme = "https" if tls else "http"
        if tls:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @staticmethod
    def answer(body: dict) -> str:
        memory_msgs = [
            m["content"]
            for m in body["messages"]
            if m["role"] == "system" and m["content"].startswith("Memories")
        ]
        data = json.loads(memory_msgs[-1].split("\n", 1)[1]) if memory_msgs else []
        if data:
            return "I remember: " + data[0]["text"]
        return "I do not know that yet."

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address
        return f"{self.scheme}://{host}:{port}/v1"

    def __enter__(self) -> FakeLLM:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
