"""Talk to external triple stores: SPARQL 1.1 Protocol queries and the Graph Store HTTP Protocol.

HTTP goes through one httpx client (connections kept alive). Credentials come from the environment
(``ANTTKG_ENDPOINT_USER`` / ``ANTTKG_ENDPOINT_PASSWORD``) and answer a Digest or Basic challenge with
httpx's own schemes; they are never written into a message, a URL or a log line. Transient failures
(5xx, 429, refused or reset connections, timeouts) are retried with exponential backoff, or after the
pause a Retry-After header asks for, bounded both in attempts and in total time; a 4xx is reported at once
with a clear reason, and so is a query the store failed (HTTP 500 to a SPARQL query: asking again gives the
same error).
"""
from __future__ import annotations

import json
import os
import base64
import ssl
import threading
import time
import urllib.parse
from dataclasses import dataclass
from typing import Callable

USER_ENV = "ANTTKG_ENDPOINT_USER"
PASSWORD_ENV = "ANTTKG_ENDPOINT_PASSWORD"

SPARQL_RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"

_ALLOWED_SCHEMES = ("http", "https")
_BODY_SNIPPET = 300  # characters of a server's error body quoted in messages
_PARTIAL_RESULT_HEADER = "X-SQL-State"
_RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
# A query answered with 500 failed in the store (Virtuoso reports syntax and semantic errors so): only the
# statuses of an overloaded or unreachable server are worth another try.
_QUERY_RETRYABLE_STATUS = frozenset({429, 502, 503, 504})


class RemoteError(RuntimeError):
    """Any failure talking to a remote store; the message names the URL, never credentials."""


class EndpointURLError(RemoteError, ValueError):
    """The endpoint URL is unusable (not http/https, no host, credentials inside it)."""


class RemoteAuthError(RemoteError):
    """401 or 403: the store refused the credentials or the operation."""


class RemoteRequestError(RemoteError):
    """Any other 4xx: the request itself was refused; retrying would not help."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class RemoteUnavailableError(RemoteError):
    """Retries exhausted on 5xx, connection errors or timeouts."""


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: at most ``attempts`` requests and ``total_seconds`` of waiting overall."""

    attempts: int = 5
    initial_delay: float = 0.5
    max_delay: float = 8.0
    total_seconds: float = 120.0

    def delay(self, failures: int) -> float:
        """Backoff before the next attempt after ``failures`` failed ones (1, 2, ...)."""
        return min(self.max_delay, self.initial_delay * (2 ** (failures - 1)))


DEFAULT_RETRY = RetryPolicy()


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str

    def __repr__(self) -> str:  # keep the secret out of tracebacks and debug prints
        return f"Credentials(user={self.user!r}, password='***')"


def credentials_from_env(environ: dict[str, str] | None = None) -> Credentials | None:
    """Credentials from ANTTKG_ENDPOINT_USER / ANTTKG_ENDPOINT_PASSWORD, or None when unset."""
    env = os.environ if environ is None else environ
    user = env.get(USER_ENV)
    if not user:
        return None
    return Credentials(user, env.get(PASSWORD_ENV, ""))


def check_url(url: str) -> str:
    """Return ``url`` when it is a usable http(s) URL, else raise EndpointURLError.

    Credentials embedded in the URL are refused (they would end up in logs and messages): they
    belong in the environment variables.
    """
    if not isinstance(url, str) or not url.strip():
        raise EndpointURLError("endpoint URL is empty")
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme.lower() not in _ALLOWED_SCHEMES:
        shown = f"{parts.scheme}:" if parts.scheme else "no scheme"
        raise EndpointURLError(
            f"endpoint URL must use http or https, got {shown} ({public_url(url)})")
    try:
        parts.port
    except ValueError:
        # Not echoed: a password containing '/' makes user:password look like host:port.
        raise EndpointURLError(f"endpoint URL has an invalid host or port ({parts.scheme}://…)") from None
    if not parts.hostname:
        raise EndpointURLError(f"endpoint URL has no host: {public_url(url)}")
    if parts.username is not None or parts.password is not None:
        raise EndpointURLError(
            f"credentials inside the endpoint URL are not accepted ({public_url(url)}); "
            f"set {USER_ENV} and {PASSWORD_ENV} instead")
    return url.strip()


def public_url(url: str) -> str:
    """``url`` without any user:password part, safe to show."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<unparseable URL>"
    netloc = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


class _Redactor:
    """Removes every spelling of the secret (plain, Basic-encoded, URL-quoted) from text."""

    def __init__(self, credentials: Credentials | None):
        self._secrets: list[str] = []
        if credentials and credentials.password:
            pair = f"{credentials.user}:{credentials.password}".encode("utf-8")
            self._secrets = sorted({
                credentials.password,
                urllib.parse.quote(credentials.password, safe=""),
                base64.b64encode(pair).decode("ascii"),
            }, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


class _ChallengeAuth:
    """Answers the server's challenge with httpx's own schemes: Digest (preferred) or Basic.

    The scheme learnt from the first 401 is kept, so later requests of a long load send their
    credentials at once (httpx's DigestAuth reuses the challenge with a growing nonce count)."""

    def __init__(self, credentials: Credentials):
        import httpx

        self.digest = httpx.DigestAuth(credentials.user, credentials.password)
        self.basic = httpx.BasicAuth(credentials.user, credentials.password)
        self.scheme: str | None = None
        self.lock = threading.Lock()

    def learn(self, challenges: list[str]) -> bool:
        """After a 401 to the Digest flow: True when the server offers Basic instead (send again)."""
        schemes = {c.strip().partition(" ")[0].lower() for c in challenges}
        with self.lock:
            if self.scheme is None and "basic" in schemes and "digest" not in schemes:
                self.scheme = "basic"
                return True
        return False

    def auth(self):
        # Digest until the server shows it wants Basic: httpx's DigestAuth answers a Digest challenge in
        # the same exchange and passes any other 401 back.
        with self.lock:
            return self.basic if self.scheme == "basic" else self.digest


_AUTHS: dict[tuple[str, str, str], _ChallengeAuth] = {}
_CLIENT = None
_CLIENT_LOCK = threading.Lock()


def _auth_for(url: str, credentials: Credentials) -> _ChallengeAuth:
    """One per (scheme://host:port, user, password), shared by threads, so challenges are reused."""
    parts = urllib.parse.urlsplit(url)
    key = (f"{parts.scheme}://{parts.netloc}".lower(), credentials.user, credentials.password)
    with _CLIENT_LOCK:
        found = _AUTHS.get(key)
        if found is None:
            found = _AUTHS[key] = _ChallengeAuth(credentials)
        return found


def client():
    """The one httpx client every request goes through: its connection pool keeps connections alive
    between requests (and threads). Redirects are not followed: that would resend credentials elsewhere."""
    global _CLIENT
    import httpx

    with _CLIENT_LOCK:
        if _CLIENT is None:
            _CLIENT = httpx.Client(follow_redirects=False,
                                   limits=httpx.Limits(max_connections=32, max_keepalive_connections=16))
        return _CLIENT


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes
    sql_state: str = ""  # Virtuoso's X-SQL-State: S1TAT marks an answer cut short by its time limit

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def _retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        from email.utils import parsedate_to_datetime

        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    import datetime as _dt

    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.timezone.utc)
    return max(0.0, (when - _dt.datetime.now(_dt.timezone.utc)).total_seconds())


def request(method: str, url: str, *, body: bytes | None = None, headers: dict[str, str] | None = None,
            timeout: float = 60.0, retry: RetryPolicy | None = None,
            credentials: Credentials | None = None, ok_statuses: tuple[int, ...] = (),
            sleep: Callable[[float], None] = time.sleep,
            retry_statuses: frozenset[int] = _RETRYABLE_STATUS) -> Response:
    """One HTTP exchange with retries. Returns 2xx answers (and any status in ``ok_statuses``).

    ``credentials`` defaults to the environment. Statuses in ``retry_statuses`` (5xx and 429 by default),
    refused or reset connections and timeouts are retried; a Retry-After header (429, 503) sets the pause.
    Raises RemoteAuthError (401/403), RemoteRequestError (other 4xx, redirects, TLS) or
    RemoteUnavailableError (transient failures past the retry budget).
    """
    import httpx

    url = check_url(url)
    retry = retry or DEFAULT_RETRY
    if credentials is None:
        credentials = credentials_from_env()
    redact = _Redactor(credentials)
    shown = public_url(url)
    started = time.monotonic()
    failures = 0
    last_problem = ""
    challenge = _auth_for(url, credentials) if credentials is not None else None
    http = client()
    while True:
        asked_pause: float | None = None
        try:
            answer = http.request(method, url, content=body, headers=headers or {},
                                  timeout=httpx.Timeout(timeout),
                                  auth=challenge.auth() if challenge else None)
            if answer.status_code == 401 and challenge is not None:
                if challenge.learn(answer.headers.get_list("www-authenticate")):
                    answer = http.request(method, url, content=body, headers=headers or {},
                                          timeout=httpx.Timeout(timeout), auth=challenge.auth())
        except httpx.TimeoutException:
            last_problem = f"no answer within {timeout:g} s"
        except httpx.TransportError as err:
            cause = err.__cause__ or err.__context__
            text = f"{err} {cause or ''}"
            if isinstance(cause, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in text:
                raise RemoteRequestError(f"{method} {shown}: TLS certificate not accepted: {err}") from None
            last_problem = redact(f"{type(err).__name__}: {err}".strip())
        else:
            status = answer.status_code
            if 200 <= status < 300 or status in ok_statuses:
                return Response(status, answer.headers.get("Content-Type", ""), answer.content,
                                answer.headers.get(_PARTIAL_RESULT_HEADER, ""))
            detail = redact(_squeeze(answer.text))
            if 300 <= status < 400:
                target = answer.headers.get("Location", "")
                raise RemoteRequestError(
                    f"{method} {shown}: HTTP {status}, redirected to {public_url(target) or 'elsewhere'}; "
                    "use that URL directly (redirects are not followed, so credentials go nowhere "
                    "they were not meant for)", status)
            if status in (401, 403):
                what = ("authentication failed" if status == 401 else "permission denied")
                hint = (f"; set {USER_ENV} and {PASSWORD_ENV}" if credentials is None and status == 401
                        else "")
                raise RemoteAuthError(f"{method} {shown}: HTTP {status}, {what}{hint}")
            if status not in retry_statuses:
                raise RemoteRequestError(
                    f"{method} {shown}: HTTP {status} {answer.reason_phrase}" + (f": {detail}" if detail else ""),
                    status)
            last_problem = f"HTTP {status}" + (f": {detail}" if detail else "")
            if status in (429, 503):
                asked_pause = _retry_after(answer.headers.get("Retry-After"))
        failures += 1
        elapsed = time.monotonic() - started
        pause = retry.delay(failures) if asked_pause is None else asked_pause
        if failures >= retry.attempts or elapsed + pause > retry.total_seconds:
            waited = (f"; the server asked to wait {asked_pause:g} s more" if asked_pause is not None
                      and elapsed + pause > retry.total_seconds else "")
            raise RemoteUnavailableError(
                f"{method} {shown}: gave up after {failures} attempt(s) in {elapsed:.1f} s; "
                f"last problem: {last_problem}{waited}")
        sleep(pause)


def _squeeze(text: str) -> str:
    """A short one-line version of a server's error page."""
    text = " ".join(text.split())
    return text if len(text) <= _BODY_SNIPPET else text[:_BODY_SNIPPET] + "…"


# --- SPARQL 1.1 Protocol ------------------------------------------------------------------------

def _query_result_class():
    # Imported late: query.py imports this module to run canned queries remotely.
    from .query import QueryResult
    return QueryResult


def sparql_request(endpoint: str, query: str, *, timeout: float = 60.0,
                   retry: RetryPolicy | None = None, encoding: str = "form",
                   accept: str = SPARQL_RESULTS_JSON) -> Response:
    """POST a query. ``encoding`` "form" sends ``query=`` URL-encoded (every store accepts it;
    Virtuoso 7.2 never answers the other form); "direct" sends the body as application/sparql-query."""
    if encoding == "direct":
        body = query.encode("utf-8")
        content_type = "application/sparql-query; charset=utf-8"
    elif encoding == "form":
        body = urllib.parse.urlencode({"query": query}).encode("ascii")
        content_type = "application/x-www-form-urlencoded"
    else:
        raise ValueError(f"unknown SPARQL request encoding {encoding!r} (form or direct)")
    answer = request("POST", endpoint, body=body, timeout=timeout, retry=retry,
                     headers={"Content-Type": content_type, "Accept": accept},
                     retry_statuses=_QUERY_RETRYABLE_STATUS)
    if answer.sql_state.upper().startswith("S1TAT"):
        raise RemoteError(f"{public_url(endpoint)}: the store cut the answer short at its query time "
                          "limit (Virtuoso: raise MaxQueryExecutionTime in [SPARQL])")
    return answer


def parse_select_json(payload: bytes | str) -> tuple[list[str], list[list[str | None]]]:
    """Columns and rows (lexical values, None where unbound) of a SPARQL JSON results document."""
    try:
        document = json.loads(payload)
        columns = [str(name) for name in document["head"]["vars"]]
        bindings = document["results"]["bindings"]
    except (ValueError, KeyError, TypeError) as err:
        raise RemoteError(f"not a SPARQL SELECT JSON result: {err}") from None
    rows: list[list[str | None]] = []
    for binding in bindings:
        row: list[str | None] = []
        for name in columns:
            term = binding.get(name)
            row.append(None if term is None else str(term.get("value", "")))
        rows.append(row)
    return columns, rows


def select(endpoint: str, query: str, *, timeout: float = 60.0, retry: RetryPolicy | None = None,
           encoding: str = "form"):
    """Run a SELECT at ``endpoint``; a QueryResult with lexical values (None for unbound)."""
    answer = sparql_request(endpoint, query, timeout=timeout, retry=retry, encoding=encoding)
    try:
        columns, rows = parse_select_json(answer.body)
    except RemoteError as err:
        raise RemoteError(f"{public_url(endpoint)}: {err}") from None
    return _query_result_class()(columns=columns, rows=rows)


def ask(endpoint: str, query: str, *, timeout: float = 60.0, retry: RetryPolicy | None = None,
        encoding: str = "form") -> bool:
    """Run an ASK at ``endpoint``."""
    answer = sparql_request(endpoint, query, timeout=timeout, retry=retry, encoding=encoding)
    try:
        value = json.loads(answer.body)["boolean"]
    except (ValueError, KeyError, TypeError) as err:
        raise RemoteError(f"{public_url(endpoint)}: not a SPARQL ASK JSON result: {err}") from None
    if not isinstance(value, bool):
        raise RemoteError(f"{public_url(endpoint)}: ASK result is not a boolean")
    return value


# --- Graph Store HTTP Protocol ------------------------------------------------------------------

class GraphStoreClient:
    """PUT / GET / DELETE one named graph at a Graph Store Protocol service (``?graph=IRI``)."""

    def __init__(self, url: str, *, timeout: float = 120.0, retry: RetryPolicy | None = None):
        self.url = check_url(url)
        self.timeout = timeout
        self.retry = retry

    def graph_url(self, graph_iri: str) -> str:
        separator = "&" if urllib.parse.urlsplit(self.url).query else "?"
        return self.url + separator + urllib.parse.urlencode({"graph": graph_iri})

    def put(self, graph_iri: str, ntriples: bytes | str) -> int:
        """Replace the graph with the given N-Triples; returns the HTTP status (200/201/204)."""
        body = ntriples.encode("utf-8") if isinstance(ntriples, str) else ntriples
        answer = request("PUT", self.graph_url(graph_iri), body=body, timeout=self.timeout,
                         retry=self.retry, headers={"Content-Type": N_TRIPLES + "; charset=utf-8"})
        return answer.status

    def get(self, graph_iri: str) -> str | None:
        """The graph as N-Triples, or None when the store does not have it."""
        answer = request("GET", self.graph_url(graph_iri), timeout=self.timeout, retry=self.retry,
                         headers={"Accept": N_TRIPLES}, ok_statuses=(404,))
        return None if answer.status == 404 else answer.text()

    def delete(self, graph_iri: str) -> bool:
        """Drop the graph; False when it was not there."""
        answer = request("DELETE", self.graph_url(graph_iri), timeout=self.timeout,
                         retry=self.retry, ok_statuses=(404,))
        return answer.status != 404


def guess_graph_store(endpoint: str) -> str:
    """The Graph Store Protocol URL that usually sits beside a known store's SPARQL endpoint.

    Oxigraph ``/query`` -> ``/store``; Virtuoso ``/sparql`` -> ``/sparql-graph-crud-auth`` (with
    credentials) or ``/sparql-graph-crud``; Fuseki ``/{dataset}/query|sparql`` -> ``/{dataset}/data``;
    GraphDB / RDF4J ``/repositories/{id}`` -> ``/repositories/{id}/rdf-graphs/service``.
    Anything else must be given explicitly.
    """
    check_url(endpoint)
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")
    segments = path.split("/")[1:] if path else []
    new_path: str | None = None
    if path == "/query":
        new_path = "/store"
    elif path == "/sparql":
        new_path = "/sparql-graph-crud-auth" if credentials_from_env() else "/sparql-graph-crud"
    elif len(segments) == 2 and segments[0] == "repositories":
        new_path = path + "/rdf-graphs/service"
    elif len(segments) >= 2 and segments[-1] in ("query", "sparql"):
        new_path = "/".join(path.split("/")[:-1]) + "/data"
    if new_path is None:
        raise EndpointURLError(
            f"cannot tell the Graph Store Protocol URL for {public_url(endpoint)}; give it explicitly")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, new_path, "", ""))
