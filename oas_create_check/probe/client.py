"""The probe's only way to the server: one guarded session.

Every request goes through ``Session.send``, which refuses anything but ``POST``, ``PUT``,
``GET`` and ``DELETE`` (the last only for URLs the probe created), any URL outside the
``--base-url`` origin, and any request past the count or time budget. Redirects are never
followed (a ``303`` is an answer to observe) and the environment is not read (no proxies, no
``.netrc``). Each exchange is kept, redacted, for the transcript of the check that sent it.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from oas_create_check.model import ToolError

if TYPE_CHECKING:
    import httpx

#: Methods the probe may send. DELETE only for what it created (``--cleanup``).
ALLOWED = frozenset({"POST", "PUT", "GET", "DELETE"})
#: Headers always redacted, whatever their value (besides every ``--header`` value).
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"}
)
SECRET_WORDS = ("token", "secret", "password", "apikey", "api-key", "auth", "session")
REDACTED = "***"
#: How much of a body a transcript keeps.
BODY_LIMIT = 2000


class BudgetExhausted(ToolError):
    """The request count or the time limit ran out: the run stops and says so."""


class Unreachable(ToolError):
    """The server could not be reached at all (refused, unknown host, TLS): nothing to probe."""


@dataclass(frozen=True)
class Limits:
    timeout: float = 5.0
    max_requests: int = 500
    time_limit: float = 120.0


@dataclass
class Exchange:
    """One request and what came back (or the error instead), redacted."""

    method: str
    url: str
    request_headers: dict[str, str]
    request_body: str | None
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: str | None = None
    error: str | None = None
    elapsed_ms: int = 0

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "request": {
                "method": self.method,
                "url": self.url,
                "headers": self.request_headers,
                "body": self.request_body,
            },
            "elapsed_ms": self.elapsed_ms,
        }
        if self.error is not None:
            data["error"] = self.error
        else:
            data["response"] = {
                "status": self.status,
                "headers": self.response_headers,
                "body": self.response_body,
            }
        return data


@dataclass
class Answer:
    """What a check reads from one exchange: status, headers (lower-case names), parsed body."""

    exchange: Exchange
    status: int | None
    headers: dict[str, str]
    text: str
    url: str

    @property
    def failed(self) -> bool:
        return self.status is None

    def json(self) -> tuple[bool, Any]:
        """(True, value) for a JSON body, (False, None) for none or anything else."""
        if not self.text.strip():
            return False, None
        try:
            return True, json.loads(self.text)
        except ValueError:
            return False, None


class Redactor:
    """Hides the secrets of a run in everything it prints: the values of ``--header`` and of
    well-known credential headers, wherever they appear (URLs and bodies included)."""

    def __init__(self, secrets: list[str]) -> None:
        # "Bearer abc...": the credential alone may show up too (echoed, in a URL)
        parts = {s.split()[-1] for s in secrets if len(s.split()) > 1}
        self.secrets = sorted({s for s in {*secrets, *parts} if len(s) >= 4}, key=len, reverse=True)

    def text(self, value: str) -> str:
        for secret in self.secrets:
            value = value.replace(secret, REDACTED)
        return value

    def headers(self, headers: dict[str, str]) -> dict[str, str]:
        return {
            name: REDACTED if _secret_header(name) else self.text(value)
            for name, value in headers.items()
        }


def _secret_header(name: str) -> bool:
    lower = name.lower()
    if lower in SECRET_HEADERS:
        return True
    return "idempotency" not in lower and any(word in lower for word in SECRET_WORDS)


class Session:
    """A guarded HTTP client bound to one origin."""

    def __init__(
        self,
        base_url: str,
        headers: dict[str, str],
        limits: Limits,
        redactor: Redactor,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        import httpx

        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ToolError(f"--base-url {base_url!r}: expected an http:// or https:// URL")
        self.base = base_url.rstrip("/")
        self.origin = _origin(base_url)
        self.limits = limits
        self.redactor = redactor
        self.sent = 0
        self.started = time.monotonic()
        self.deadline = self.started + limits.time_limit
        self.created: list[str] = []
        self.client = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(limits.timeout),
            follow_redirects=False,
            trust_env=False,
            transport=transport,
        )

    def close(self) -> None:
        self.client.close()

    def url_for(self, path: str) -> str:
        return self.base + path

    def resolve(self, reference: str, against: str) -> str | None:
        """``reference`` (a ``Location``) resolved against the request URL; ``None`` when it
        leaves the base URL's origin or is no URL at all."""
        try:
            absolute = urljoin(against, reference.strip())
        except ValueError:
            return None
        return absolute if _origin(absolute) == self.origin else None

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def send(
        self,
        method: str,
        url: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        has_body: bool = False,
    ) -> Answer:
        """Send one request (JSON ``body`` when ``has_body``) and return the answer; a transport
        error (timeout, reset) comes back as an answer without status."""
        import httpx

        method = method.upper()
        if method not in ALLOWED:
            raise ToolError(f"the probe never sends {method}")
        if method == "DELETE" and url not in self.created:
            raise ToolError(f"refusing to DELETE {url}: the probe did not create it")
        if _origin(url) != self.origin:
            raise ToolError(f"refusing to send to {url}: outside {self.origin}")
        if self.sent >= self.limits.max_requests:
            raise BudgetExhausted(
                f"stopped after {self.sent} requests (--max-requests {self.limits.max_requests})"
            )
        left = self.left()
        if left <= 0:
            raise BudgetExhausted(
                f"stopped after {self.limits.time_limit:g} s (--time-limit); {self.sent} requests sent"
            )
        self.sent += 1
        extra = dict(headers or {})
        content = None
        if has_body:
            content = json.dumps(body).encode("utf-8")
            extra.setdefault("Content-Type", "application/json")
        shown_headers = {**dict(self.client.headers), **extra}
        exchange = Exchange(
            method=method,
            url=self.redactor.text(url),
            request_headers=self.redactor.headers(_interesting(shown_headers)),
            request_body=self.redactor.text(content.decode("utf-8"))[:BODY_LIMIT]
            if content is not None
            else None,
        )
        started = time.monotonic()
        try:
            timeout = httpx.Timeout(min(self.limits.timeout, max(left, 0.05)))
            request = self.client.build_request(
                method, url, content=content, headers=extra, timeout=timeout
            )
            response = self.client.send(request, stream=True)
            try:
                text = _read_capped(response)
            finally:
                response.close()
        except httpx.TimeoutException:
            exchange.error = f"no answer within {self.limits.timeout:g} s (timed out)"
        except (httpx.ConnectError, httpx.UnsupportedProtocol) as exc:
            if self.sent == 1:
                raise Unreachable(
                    f"cannot reach {self.redactor.text(self.base)}: {_reason(exc)}"
                ) from None
            exchange.error = f"connection failed: {_reason(exc)}"
        except httpx.HTTPError as exc:
            exchange.error = f"{type(exc).__name__}: {_reason(exc)}"
        except TimeoutError:  # an in-process app past its time (``app.py``)
            exchange.error = f"no answer within {self.limits.timeout:g} s (timed out)"
        except (ValueError, OSError, RuntimeError) as exc:  # a transport failing its own way
            exchange.error = f"{type(exc).__name__}: {_reason(exc)}"
        exchange.elapsed_ms = int((time.monotonic() - started) * 1000)
        if exchange.error is not None:
            return Answer(exchange, None, {}, "", url)
        response_headers = {k.lower(): v for k, v in response.headers.items()}
        exchange.status = response.status_code
        exchange.response_headers = self.redactor.headers(response_headers)
        exchange.response_body = self.redactor.text(text[:BODY_LIMIT])
        return Answer(exchange, response.status_code, response_headers, text, url)


def _interesting(headers: dict[str, str]) -> dict[str, str]:
    """The request headers worth a transcript: not httpx's own defaults."""
    boring = {"accept", "accept-encoding", "connection", "user-agent", "content-length", "host"}
    return {k: v for k, v in headers.items() if k.lower() not in boring}


#: A body larger than this is cut: a hostile server cannot fill the probe's memory.
MAX_BODY = 5 * 1024 * 1024


def _read_capped(response: httpx.Response) -> str:
    data = bytearray()
    for chunk in response.iter_bytes():
        data.extend(chunk)
        if len(data) > MAX_BODY:
            del data[MAX_BODY:]
            break
    return bytes(data).decode(response.encoding or "utf-8", errors="replace")


def _origin(url: str) -> tuple[str, str, int | None]:
    try:
        parts = urlsplit(url)
    except ValueError:
        return ("", "", -1)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        port = -1
    return scheme, (parts.hostname or "").lower(), port


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def parse_header(text: str, environ: dict[str, str]) -> tuple[str, str, list[str]]:
    """``--header 'Name: value'`` as (name, value, secrets). ``${VAR}`` in the value is read
    from the environment, so a token need not appear on the command line; what it expands to
    is a secret, redacted with every other ``--header`` value."""
    name, sep, value = text.partition(":")
    name, value = name.strip(), value.strip()
    if not sep or not name or any(c in name for c in " \t\r\n"):
        raise ToolError(f"--header {text!r}: expected 'Name: value'")
    secrets: list[str] = []

    def expand(match: re.Match[str]) -> str:
        variable = match.group(1)
        if variable not in environ:
            raise ToolError(f"--header {name}: the environment variable {variable} is not set")
        secrets.append(environ[variable])
        return environ[variable]

    value = re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", expand, value)
    if any(c in value for c in "\r\n"):
        raise ToolError(f"--header {name}: a header value cannot hold a line break")
    return name, value, secrets
