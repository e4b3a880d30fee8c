"""HTTP for dotterel: the only code that talks to the network.

:class:`Fetcher` sends a user agent naming dotterel, retries connection errors,
429 and 5xx answers with exponential backoff (honouring ``Retry-After``), waits
``per_host_interval`` seconds between two requests to the same host, and is
guarded against hostile servers (see its docstring and docs/store.md).
"""

from __future__ import annotations

import ipaddress
import socket
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .._version import __version__
from ..errors import DotterelError, missing_dependency

USER_AGENT = f"dotterel/{__version__} (news event coder; polite fetcher)"


class FetchError(DotterelError):
    """A URL could not be fetched (after retries); the message names the URL and why."""


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched resource."""

    url: str
    status: int
    content_type: str
    body: bytes


#: URL schemes the fetcher follows (a feed item or a redirect to file:, ftp:, ... is refused).
ALLOWED_SCHEMES = ("http", "https")
_REDIRECTS = (301, 302, 303, 307, 308)


class _Retry(Exception):
    """A failure worth another attempt (connection error, 429, 5xx)."""

    def __init__(self, problem: str, after: float | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.after = after


def _resolve(host: str, port: int) -> list[str]:
    """The IP addresses ``host`` resolves to."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def is_public_address(address: str) -> bool:
    """Whether an IP address is a public (global unicast) one: not private, loopback,
    link-local (169.254.x.x, where cloud metadata lives), multicast, reserved or unspecified."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(ip.is_global) and not (ip.is_multicast or ip.is_reserved or ip.is_link_local
                                       or ip.is_loopback or ip.is_private or ip.is_unspecified)


@dataclass
class Fetcher:
    """Polite and guarded HTTP GET.

    Polite: a user agent, retries with backoff, a per-host rate limit. Guarded
    against hostile servers: only ``http``/``https`` URLs; every hop of a
    redirect is checked, and hosts that resolve to private, loopback or
    link-local addresses are refused unless ``allow_private`` (for local
    testing); at most ``max_redirects`` redirects, a loop is reported; each
    request (redirects and body included) must finish within ``deadline``
    seconds, and each read within ``timeout``; the body is read streaming and
    decompressed here, and refused as soon as it passes ``max_bytes``
    *decompressed* (a gzip bomb costs no more memory than that). Every failure
    is a :class:`FetchError` naming the URL.
    """

    user_agent: str = USER_AGENT
    timeout: float = 20.0
    deadline: float = 60.0
    retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 60.0
    per_host_interval: float = 1.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    allow_private: bool = False
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    resolve: Callable[[str, int], list[str]] = _resolve
    _last: dict[str, float] = field(default_factory=dict, repr=False)
    _client: Any = field(default=None, repr=False)

    def _http(self) -> Any:
        if self._client is None:
            try:
                import httpx
            except ImportError as exc:
                raise missing_dependency("httpx", "web") from exc
            self._client = httpx.Client(
                headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
                timeout=self.timeout, follow_redirects=False,
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _wait_for_host(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            wait = last + self.per_host_interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last[host] = self.clock()

    def get(self, url: str) -> Page:
        """Fetch ``url``; raise :class:`FetchError` when it fails for good."""
        delay = self.backoff
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(min(delay, self.max_backoff))
                delay *= 2
            try:
                return self._get_once(url)
            except _Retry as retry:
                problem = retry.problem
                if retry.after is not None:
                    delay = max(delay, retry.after)
        raise FetchError(f"{url}: gave up after {self.retries + 1} attempts ({problem})")

    def check_url(self, url: str) -> tuple[str, int]:
        """(host, port) of ``url`` when the fetcher may request it, else :class:`FetchError`."""
        try:
            parts = urlsplit(url)
            host = parts.hostname
            port = parts.port
        except ValueError as exc:
            raise FetchError(f"{url}: malformed URL ({exc})") from exc
        scheme = parts.scheme.lower()
        if scheme not in ALLOWED_SCHEMES:
            raise FetchError(f"{url}: refused: only {' and '.join(ALLOWED_SCHEMES)} URLs are fetched")
        if not host:
            raise FetchError(f"{url}: malformed URL (no host)")
        port = port or (443 if scheme == "https" else 80)
        if not self.allow_private:
            try:
                addresses = self.resolve(host, port)
            except (OSError, UnicodeError) as exc:
                raise FetchError(f"{url}: cannot resolve the host {host!r} ({exc})") from exc
            for address in addresses:
                if not is_public_address(address):
                    raise FetchError(
                        f"{url}: refused: {host} is a private, loopback or link-local address "
                        f"({address}); pass --allow-private to fetch from it"
                    )
        return host, port

    def _get_once(self, url: str) -> Page:
        import httpx

        client = self._http()
        deadline = time.monotonic() + self.deadline
        current = url
        visited = {url}
        for _hop in range(self.max_redirects + 1):
            host, port = self.check_url(current)
            self._wait_for_host(f"{host}:{port}")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchError(f"{url}: no answer within {self.deadline:g} s")
            try:
                with client.stream("GET", current, timeout=min(self.timeout, remaining)) as response:
                    status = response.status_code
                    if status in _REDIRECTS and response.headers.get("location"):
                        try:
                            target = str(response.url.join(response.headers["location"]))
                        except (httpx.InvalidURL, ValueError) as exc:
                            raise FetchError(f"{url}: redirect to a malformed URL ({exc})") from exc
                        if target in visited:
                            raise FetchError(f"{url}: redirect loop (back to {target})")
                        visited.add(target)
                        current = target
                        continue
                    if status == 429 or status >= 500:
                        raise _Retry(f"HTTP {status}", _retry_after(response.headers.get("retry-after")))
                    if status >= 400:
                        raise FetchError(f"{url}: HTTP {status}")
                    body = self._read_body(response, url, deadline)
                    return Page(str(response.url), status, response.headers.get("content-type", ""), body)
            except httpx.TransportError as exc:
                if time.monotonic() >= deadline:
                    raise FetchError(f"{url}: not complete within {self.deadline:g} s") from exc
                raise _Retry(f"{type(exc).__name__}: {exc}") from exc
            except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as exc:
                raise FetchError(f"{url}: malformed URL ({exc})") from exc
        raise FetchError(f"{url}: more than {self.max_redirects} redirects")

    def _read_body(self, response: Any, url: str, deadline: float) -> bytes:
        """The decompressed body, refused past ``max_bytes`` or ``deadline``, read streaming."""
        encoding = response.headers.get("content-encoding", "").strip().lower()
        decoder: Any = None
        if encoding in ("gzip", "x-gzip"):
            decoder = zlib.decompressobj(wbits=47)  # gzip or zlib header
        elif encoding == "deflate":
            decoder = zlib.decompressobj(wbits=15)
        elif encoding not in ("", "identity"):
            raise FetchError(f"{url}: unsupported content encoding {encoding!r}")
        declared = response.headers.get("content-length", "")
        if decoder is None and declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(f"{url}: larger than {self.max_bytes} bytes ({declared} announced)")
        out = bytearray()
        first = True
        for chunk in response.iter_raw():  # each network read, as it comes
            if time.monotonic() > deadline:
                raise FetchError(f"{url}: not complete within {self.deadline:g} s")
            if decoder is None:
                out += chunk
            else:
                try:
                    data = decoder.decompress(chunk, self.max_bytes + 1 - len(out))
                except zlib.error as exc:
                    if first and encoding == "deflate":  # a raw deflate stream (no zlib header)
                        decoder = zlib.decompressobj(wbits=-15)
                        data = self._inflate(decoder, chunk, url, encoding, len(out))
                    else:
                        raise FetchError(f"{url}: the {encoding} body is corrupt ({exc})") from exc
                out += data
                while decoder.unconsumed_tail and len(out) <= self.max_bytes:
                    out += self._inflate(decoder, decoder.unconsumed_tail, url, encoding, len(out))
            first = False
            if len(out) > self.max_bytes:
                raise FetchError(f"{url}: larger than {self.max_bytes} bytes"
                                 + (" decompressed" if decoder is not None else ""))
        return bytes(out)

    def _inflate(self, decoder: Any, data: bytes, url: str, encoding: str, have: int) -> bytes:
        try:
            return bytes(decoder.decompress(data, self.max_bytes + 1 - have))
        except zlib.error as exc:
            raise FetchError(f"{url}: the {encoding} body is corrupt ({exc})") from exc


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))
