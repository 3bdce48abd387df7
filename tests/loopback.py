"""A real OpenAI-compatible HTTP server on 127.0.0.1 for the responder tests."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeLLM:
    """Streams a reply that quotes what it was given, and records every request."""

    def __init__(self, mode: str = "stream"):
        self.mode = mode  # "stream", "json", "error", "garbage"
        self.requests: list[dict] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                owner.requests.append(
                    {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
                )
                if owner.mode == "error":
                    self.send_response(500)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(b'{"error": "model exploded"}')
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
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> FakeLLM:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
