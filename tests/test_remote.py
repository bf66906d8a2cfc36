"""anttkg.remote against a small scripted HTTP server on 127.0.0.1: protocol requests, retries,
4xx reporting, URL checks and credential handling (Basic and Digest, never shown in messages)."""
from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from anttkg import remote

FAST = remote.RetryPolicy(attempts=4, initial_delay=0.01, max_delay=0.05, total_seconds=10)
SECRET = "s3cr&t pass/wörd"
USER = "loader"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    peer: tuple = ()  # the client's (host, port): one per connection


class ScriptedServer:
    """Answers each request with the next scripted Reply (the last one repeats); records requests.

    ``auth`` = ("basic" | "digest", user, password) makes every request need those credentials first.
    """

    def __init__(self):
        self.replies: list[Reply] = [Reply()]
        self.seen: list[Seen] = []
        self.auth: tuple[str, str, str] | None = None
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real stores speak

            def log_message(self, *args):  # keep test output quiet
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with owner.lock:
                    owner.seen.append(Seen(self.command, self.path, dict(self.headers), body,
                                           tuple(self.client_address)))
                    if owner.auth and not owner._authorised(self.command, self.path, self.headers):
                        reply = owner._challenge()
                    else:
                        reply = owner.replies.pop(0) if len(owner.replies) > 1 else owner.replies[0]
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def script(self, *replies: Reply) -> None:
        self.replies = list(replies)

    # -- authentication ----------------------------------------------------------------------------
    NONCE = "a1b2c3d4e5"
    REALM = "test-realm"

    def _challenge(self) -> Reply:
        kind = self.auth[0]
        if kind == "basic":
            header = f'Basic realm="{self.REALM}"'
        else:
            header = f'Digest realm="{self.REALM}", nonce="{self.NONCE}", qop="auth", algorithm="MD5"'
        return Reply(401, b"", {"WWW-Authenticate": header})

    def _authorised(self, method: str, path: str, headers) -> bool:
        kind, user, password = self.auth
        given = headers.get("Authorization", "")
        if kind == "basic":
            expected = base64.b64encode(f"{user}:{password}".encode()).decode()
            return given == f"Basic {expected}"
        if not given.startswith("Digest "):
            return False
        fields = dict(urllib.request.parse_keqv_list(urllib.request.parse_http_list(given[7:])))
        md5 = lambda text: hashlib.md5(text.encode()).hexdigest()  # noqa: E731
        ha1 = md5(f"{user}:{self.REALM}:{password}")
        ha2 = md5(f"{method}:{fields.get('uri')}")
        expected = md5(f"{ha1}:{self.NONCE}:{fields.get('nc')}:{fields.get('cnonce')}:auth:{ha2}")
        return fields.get("username") == user and fields.get("response") == expected

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    srv = ScriptedServer()
    yield srv
    srv.close()


@pytest.fixture(autouse=True)
def no_env_credentials(monkeypatch):
    monkeypatch.delenv(remote.USER_ENV, raising=False)
    monkeypatch.delenv(remote.PASSWORD_ENV, raising=False)


def results_json(columns, rows) -> bytes:
    bindings = []
    for row in rows:
        binding = {}
        for name, term in zip(columns, row):
            if term is not None:
                binding[name] = term
        bindings.append(binding)
    return json.dumps({"head": {"vars": columns}, "results": {"bindings": bindings}}).encode()


# --- SPARQL protocol ------------------------------------------------------------------------------

def test_select_posts_the_query_and_returns_lexical_values(server):
    body = results_json(["who", "n", "note"], [
        [{"type": "uri", "value": "https://example.org/p/1"},
         {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "7"},
         {"type": "literal", "xml:lang": "vi", "value": "Đại tá"}],
        [{"type": "bnode", "value": "b0"}, None, None],
    ])
    server.script(Reply(200, body, {"Content-Type": remote.SPARQL_RESULTS_JSON}))
    query = 'SELECT ?who ?n ?note WHERE { ?who ?p "Công an & nhân dân" }'
    result = remote.select(server.url + "/sparql", query, retry=FAST)
    assert result.columns == ["who", "n", "note"]
    assert result.rows == [["https://example.org/p/1", "7", "Đại tá"], ["b0", None, None]]
    (request,) = server.seen
    assert request.method == "POST" and request.path == "/sparql"
    assert request.headers["Accept"] == remote.SPARQL_RESULTS_JSON
    assert urllib.parse.parse_qs(request.body.decode("ascii")) == {"query": [query]}


def test_direct_encoding_sends_the_query_as_the_body(server):
    server.script(Reply(200, results_json(["x"], [])))
    remote.select(server.url + "/q", "SELECT ?x WHERE { ?x ?y ?z }", retry=FAST, encoding="direct")
    (request,) = server.seen
    assert request.headers["Content-Type"].startswith("application/sparql-query")
    assert request.body.decode("utf-8") == "SELECT ?x WHERE { ?x ?y ?z }"


def test_ask_reads_the_boolean(server):
    server.script(Reply(200, b'{"head": {}, "boolean": true}'))
    assert remote.ask(server.url + "/q", "ASK {}", retry=FAST) is True


def test_an_answer_cut_short_by_a_time_limit_is_an_error(server):
    # Virtuoso's "anytime" answers: HTTP 200, partial rows, and this header.
    server.script(Reply(200, results_json(["x"], [[{"type": "literal", "value": "1"}]]),
                        {"X-SQL-State": "S1TAT", "Content-Type": remote.SPARQL_RESULTS_JSON}))
    with pytest.raises(remote.RemoteError, match="cut the answer short"):
        remote.select(server.url + "/sparql", "SELECT ?x {}", retry=FAST)


def test_a_non_json_answer_is_a_clear_error(server):
    server.script(Reply(200, b"<html>maintenance</html>", {"Content-Type": "text/html"}))
    with pytest.raises(remote.RemoteError, match="not a SPARQL SELECT JSON result"):
        remote.select(server.url + "/q", "SELECT * {}", retry=FAST)


# --- retries --------------------------------------------------------------------------------------

def test_5xx_is_retried_with_growing_delays_then_succeeds(server):
    server.script(Reply(503, b"busy"), Reply(502), Reply(200, b"done"))
    pauses: list[float] = []
    policy = remote.RetryPolicy(attempts=5, initial_delay=0.1, max_delay=10, total_seconds=60)
    answer = remote.request("GET", server.url + "/x", retry=policy, sleep=pauses.append)
    assert answer.body == b"done"
    assert len(server.seen) == 3
    assert pauses == [0.1, 0.2]


def test_backoff_is_capped():
    policy = remote.RetryPolicy(attempts=10, initial_delay=1, max_delay=5, total_seconds=100)
    assert [policy.delay(n) for n in range(1, 6)] == [1, 2, 4, 5, 5]


def test_retries_stop_after_the_attempt_budget(server):
    server.script(Reply(502, b"bad gateway trouble"))
    with pytest.raises(remote.RemoteUnavailableError) as caught:
        remote.select(server.url + "/sparql", "SELECT * {}", retry=FAST)
    assert len(server.seen) == FAST.attempts
    message = str(caught.value)
    assert "gave up after 4 attempt(s)" in message and "HTTP 502" in message
    assert server.url + "/sparql" in message


def test_a_failed_query_is_not_retried_but_a_failed_put_is(server):
    # Virtuoso answers a query it cannot compile with 500: asking again gives the same error.
    server.script(Reply(500, b"Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error"))
    with pytest.raises(remote.RemoteRequestError, match="SP030") as caught:
        remote.select(server.url + "/sparql", "SELECT * {", retry=FAST)
    assert len(server.seen) == 1 and caught.value.status == 500
    server.script(Reply(500, b"internal trouble"), Reply(201))
    assert remote.GraphStoreClient(server.url + "/store", retry=FAST).put("https://ex.org/g", "") == 201
    assert len(server.seen) == 3


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_sets_the_pause(server, status):
    server.script(Reply(status, b"slow down", {"Retry-After": "3"}), Reply(200, b"done"))
    pauses: list[float] = []
    policy = remote.RetryPolicy(attempts=5, initial_delay=0.1, max_delay=10, total_seconds=60)
    assert remote.request("GET", server.url + "/x", retry=policy, sleep=pauses.append).body == b"done"
    assert pauses == [3.0]


def test_retry_after_beyond_the_time_budget_gives_up_at_once_and_says_so(server):
    server.script(Reply(503, b"maintenance", {"Retry-After": "3600"}))
    pauses: list[float] = []
    with pytest.raises(remote.RemoteUnavailableError, match="asked to wait 3600 s"):
        remote.request("GET", server.url + "/x", retry=FAST, sleep=pauses.append)
    assert pauses == [] and len(server.seen) == 1


def test_retry_after_as_an_http_date():
    from email.utils import format_datetime
    import datetime as dt

    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=30)
    assert 25 <= remote._retry_after(format_datetime(later, usegmt=True)) <= 30
    assert remote._retry_after("soon") is None


def test_other_4xx_are_not_retried(server):
    for status in (400, 404, 405, 409, 413, 415):
        server.seen.clear()
        server.script(Reply(status, b"no"))
        with pytest.raises(remote.RemoteRequestError):
            remote.request("PUT", server.url + "/store", body=b"", retry=FAST)
        assert len(server.seen) == 1, status


def test_connections_are_kept_alive_across_requests(server):
    server.script(Reply(200, json.dumps({"head": {"vars": []}, "results": {"bindings": []}}).encode(),
                        {"Content-Type": remote.SPARQL_RESULTS_JSON}))
    for _ in range(4):
        remote.select(server.url + "/sparql", "SELECT * {}", retry=FAST)
    assert len(server.seen) == 4 and len({seen.peer for seen in server.seen}) == 1


def test_retries_stop_when_the_time_budget_is_spent(server):
    server.script(Reply(503))
    policy = remote.RetryPolicy(attempts=1000, initial_delay=0.05, max_delay=0.05, total_seconds=0.5)
    started = time.monotonic()
    with pytest.raises(remote.RemoteUnavailableError, match="HTTP 503"):
        remote.request("GET", server.url + "/x", retry=policy)
    elapsed = time.monotonic() - started
    assert 3 <= len(server.seen) < 1000
    assert 0.3 <= elapsed < 3


def test_a_stalled_server_times_out_and_is_retried(server):
    server.script(Reply(200, b"late", delay=1.0))
    started = time.monotonic()
    with pytest.raises(remote.RemoteUnavailableError, match="no answer within 0.2 s"):
        remote.request("GET", server.url + "/slow", timeout=0.2,
                       retry=remote.RetryPolicy(attempts=2, initial_delay=0.01, total_seconds=5))
    assert len(server.seen) == 2
    assert time.monotonic() - started < 5


def test_connection_refused_is_retried_then_reported():
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(remote.RemoteUnavailableError, match="gave up after 3 attempt"):
        remote.request("GET", f"http://127.0.0.1:{port}/sparql",
                       retry=remote.RetryPolicy(attempts=3, initial_delay=0.01, total_seconds=5))


# --- 4xx ------------------------------------------------------------------------------------------

def test_400_is_reported_at_once_with_the_server_reason(server):
    server.script(Reply(400, b"Parse error: unexpected '}' at line 1"))
    with pytest.raises(remote.RemoteRequestError) as caught:
        remote.select(server.url + "/sparql", "SELECT * { ?s ?p }", retry=FAST)
    assert len(server.seen) == 1
    assert caught.value.status == 400
    assert "HTTP 400" in str(caught.value) and "unexpected '}'" in str(caught.value)


@pytest.mark.parametrize("status, words", [(401, "authentication failed"), (403, "permission denied")])
def test_401_and_403_say_what_failed_without_retrying(server, status, words):
    server.script(Reply(status, b"go away"))
    with pytest.raises(remote.RemoteAuthError) as caught:
        remote.GraphStoreClient(server.url + "/store", retry=FAST).put("https://ex.org/g", "")
    assert len(server.seen) == 1
    assert words in str(caught.value) and server.url + "/store" in str(caught.value)


def test_redirects_are_not_followed(server, monkeypatch):
    monkeypatch.setenv(remote.USER_ENV, USER)
    monkeypatch.setenv(remote.PASSWORD_ENV, SECRET)
    server.script(Reply(302, b"", {"Location": "http://127.0.0.2:9/elsewhere"}))
    with pytest.raises(remote.RemoteRequestError, match="redirected to http://127.0.0.2:9/elsewhere"):
        remote.select(server.url + "/sparql", "SELECT * {}", retry=FAST)
    assert len(server.seen) == 1


# --- URLs -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["ftp://127.0.0.1/sparql", "file:///etc/passwd", "127.0.0.1:7878/query",
                                 "javascript:alert(1)", "", "   ", "http:///nohost"])
def test_only_http_and_https_urls_are_accepted(url):
    with pytest.raises(remote.EndpointURLError):
        remote.select(url, "SELECT * {}")
    with pytest.raises(remote.EndpointURLError):
        remote.GraphStoreClient(url)


def test_https_urls_are_accepted():
    assert remote.check_url("https://example.org/sparql") == "https://example.org/sparql"


def test_credentials_inside_the_url_are_refused_and_not_echoed():
    quoted = urllib.parse.quote(SECRET, safe="")
    with pytest.raises(remote.EndpointURLError) as caught:
        remote.check_url(f"http://{USER}:{quoted}@127.0.0.1:1/sparql")
    message = str(caught.value)
    assert remote.USER_ENV in message
    assert SECRET not in message and quoted not in message and USER not in message


def test_a_password_with_a_slash_in_the_url_is_not_echoed_either():
    # "user:pa/ss@host" parses as host "user" with port "pa": refused without showing it.
    with pytest.raises(remote.EndpointURLError) as caught:
        remote.check_url("http://loader:pa55word/rest@127.0.0.1:1/sparql")
    assert "pa55word" not in str(caught.value) and "loader" not in str(caught.value)


# --- credentials ----------------------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["basic", "digest"])
def test_credentials_from_the_environment_answer_the_challenge(server, monkeypatch, scheme):
    server.auth = (scheme, USER, SECRET)
    server.script(Reply(201))
    monkeypatch.setenv(remote.USER_ENV, USER)
    monkeypatch.setenv(remote.PASSWORD_ENV, SECRET)
    status = remote.GraphStoreClient(server.url + "/crud", retry=FAST).put(
        "https://ex.org/g", "<https://ex.org/s> <https://ex.org/p> \"v\" .\n")
    assert status == 201
    assert [s.method for s in server.seen] == ["PUT", "PUT"]  # challenge, then the answer
    assert server.seen[-1].body.startswith(b"<https://ex.org/s>")


@pytest.mark.parametrize("scheme", ["basic", "digest"])
def test_wrong_credentials_fail_clearly_without_showing_them(server, monkeypatch, scheme):
    server.auth = (scheme, USER, "the right one")
    monkeypatch.setenv(remote.USER_ENV, USER)
    monkeypatch.setenv(remote.PASSWORD_ENV, SECRET)
    with pytest.raises(remote.RemoteAuthError) as caught:
        remote.select(server.url + "/sparql-auth", "SELECT * {}", retry=FAST)
    text = str(caught.value) + repr(caught.value.args) + str(caught.value.__cause__)
    assert "authentication failed" in text and server.url + "/sparql-auth" in text
    assert SECRET not in text
    assert base64.b64encode(f"{USER}:{SECRET}".encode()).decode() not in text


def test_a_401_without_credentials_names_the_variables(server):
    server.script(Reply(401, b"", {"WWW-Authenticate": 'Basic realm="x"'}))
    with pytest.raises(remote.RemoteAuthError, match=remote.USER_ENV):
        remote.select(server.url + "/sparql", "SELECT * {}", retry=FAST)


def test_server_text_echoing_the_secret_is_redacted(server, monkeypatch):
    monkeypatch.setenv(remote.USER_ENV, USER)
    monkeypatch.setenv(remote.PASSWORD_ENV, SECRET)
    basic = base64.b64encode(f"{USER}:{SECRET}".encode()).decode()
    server.script(Reply(400, f"bad request from Basic {basic} ({SECRET})".encode()))
    with pytest.raises(remote.RemoteRequestError) as caught:
        remote.select(server.url + "/sparql", "SELECT * {}", retry=FAST)
    assert SECRET not in str(caught.value) and basic not in str(caught.value)
    assert "***" in str(caught.value)


def test_credentials_repr_hides_the_password():
    creds = remote.credentials_from_env({remote.USER_ENV: USER, remote.PASSWORD_ENV: SECRET})
    assert creds.user == USER and creds.password == SECRET
    assert SECRET not in repr(creds)
    assert remote.credentials_from_env({}) is None


# --- Graph Store protocol -------------------------------------------------------------------------

def test_graph_store_put_get_delete_address_the_graph(server):
    graph = "https://w3id.org/anttkg/id/article/a b?c&d"
    client = remote.GraphStoreClient(server.url + "/store", retry=FAST)
    server.script(Reply(204), Reply(200, b"<s> <p> <o> .\n"), Reply(404), Reply(204), Reply(404))
    assert client.put(graph, '<https://ex.org/s> <https://ex.org/p> "Hà Nội" .\n') == 204
    assert client.get(graph) == "<s> <p> <o> .\n"
    assert client.get(graph) is None
    assert client.delete(graph) is True
    assert client.delete(graph) is False
    methods = [s.method for s in server.seen]
    assert methods == ["PUT", "GET", "GET", "DELETE", "DELETE"]
    for seen in server.seen:
        path, _, query = seen.path.partition("?")
        assert path == "/store" and urllib.parse.parse_qs(query) == {"graph": [graph]}
    put = server.seen[0]
    assert put.headers["Content-Type"].startswith(remote.N_TRIPLES)
    assert put.body.decode("utf-8").endswith('"Hà Nội" .\n')


def test_graph_store_url_with_its_own_query_keeps_it(server):
    client = remote.GraphStoreClient(server.url + "/crud?x=1")
    assert client.graph_url("https://ex.org/g") == server.url + "/crud?x=1&graph=https%3A%2F%2Fex.org%2Fg"


@pytest.mark.parametrize("endpoint, expected", [
    ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/store"),
    ("http://localhost:8890/sparql", "http://localhost:8890/sparql-graph-crud"),
    ("http://localhost:3030/antt/sparql", "http://localhost:3030/antt/data"),
    ("http://localhost:3030/antt/query", "http://localhost:3030/antt/data"),
    ("http://localhost:7200/repositories/antt", "http://localhost:7200/repositories/antt/rdf-graphs/service"),
])
def test_graph_store_url_is_guessed_for_known_stores(endpoint, expected):
    assert remote.guess_graph_store(endpoint) == expected


def test_virtuoso_guess_uses_the_authenticated_endpoint_with_credentials(monkeypatch):
    monkeypatch.setenv(remote.USER_ENV, "dba")
    assert remote.guess_graph_store("http://localhost:8890/sparql").endswith("/sparql-graph-crud-auth")


def test_unknown_layout_needs_an_explicit_graph_store():
    with pytest.raises(remote.EndpointURLError, match="give it explicitly"):
        remote.guess_graph_store("http://localhost:9999/blazegraph/namespace/kb/sparql/x")
