from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from confide.bench.load import Target, run_load


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the bench's connections expect

    def do_GET(self) -> None:
        status = 200 if self.path == "/" else 500
        body = b"ok"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        if self.path == "/close":
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        seen = self.rfile.read(length)
        self.send_response(302 if seen == b"a=1" else 400)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return


@pytest.fixture
def port() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_the_load_generator_counts_answers_and_times_them(port: int) -> None:
    lines: list[str] = []
    summary = run_load(
        host="127.0.0.1",
        port=port,
        target=Target("ok", "/"),
        connections=2,
        seconds=0.3,
        warmup=0.05,
        progress=lines.append,
    )
    assert summary.requests > 0
    assert summary.errors == 0
    assert 0 < summary.p50_ms <= summary.p95_ms <= summary.max_ms
    assert summary.per_second == pytest.approx(summary.requests / 0.3)
    assert lines and lines[0].startswith("  ok: ")


def test_an_unexpected_status_is_an_error_not_a_measurement(port: int) -> None:
    lines: list[str] = []
    summary = run_load(
        host="127.0.0.1",
        port=port,
        target=Target("bad", "/bad"),
        connections=1,
        seconds=0.2,
        warmup=0.0,
        progress=lines.append,
    )
    assert summary.requests == 0
    assert summary.errors > 0
    assert "unexpected statuses {500:" in lines[0]


def test_a_closed_connection_is_reopened_and_a_post_carries_its_body(port: int) -> None:
    closing = run_load(
        host="127.0.0.1",
        port=port,
        target=Target("close", "/close", expect=(500,)),
        connections=1,
        seconds=0.2,
        warmup=0.0,
    )
    assert closing.requests > 1
    assert closing.errors == 0
    posting = run_load(
        host="127.0.0.1",
        port=port,
        target=Target("post", "/", method="POST", body=b"a=1", expect=(302,)),
        connections=1,
        seconds=0.2,
        warmup=0.0,
    )
    assert posting.requests > 0
    assert posting.errors == 0
