"""The server's settings, declared once: they feed ``dotterel serve``, :func:`create_app` and docs/serve.md."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError

#: (name, default, help) of every setting; ``dotterel serve`` has one option per row.
SETTINGS: tuple[tuple[str, object, str], ...] = (
    ("host", "127.0.0.1", "Address to bind; any non-loopback address requires a token."),
    ("port", 8000, "TCP port."),
    ("token", None, "Bearer token every request must send (Authorization: Bearer TOKEN); "
                    "default $DOTTEREL_TOKEN."),
    ("max_body", 1_000_000, "Largest request body in bytes; larger ones get 413."),
    ("cors_origin", (), "Origins allowed by CORS (repeatable); none by default, so CORS is off."),
    ("cache_size", 256, "Answers kept in the in-memory cache until the store file changes (0: off)."),
)
DEFAULTS = {name: default for name, default, _ in SETTINGS}
TOKEN_ENV = "DOTTEREL_TOKEN"


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServeSettings:
    """What :func:`dotterel.serve.create_app` needs (see :data:`SETTINGS`)."""

    db: Path
    host: str = str(DEFAULTS["host"])
    port: int = int(str(DEFAULTS["port"]))
    token: str | None = None
    max_body: int = int(str(DEFAULTS["max_body"]))
    cors_origin: tuple[str, ...] = field(default_factory=tuple)
    cache_size: int = int(str(DEFAULTS["cache_size"]))

    @classmethod
    def build(cls, db: Path, *, host: str = str(DEFAULTS["host"]), port: int = int(str(DEFAULTS["port"])),
              token: str | None = None, max_body: int = int(str(DEFAULTS["max_body"])),
              cors_origin: tuple[str, ...] | list[str] = (), cache_size: int = int(str(DEFAULTS["cache_size"])),
              ) -> ServeSettings:
        """Check the settings; the token falls back to $DOTTEREL_TOKEN.

        Refuses a non-loopback host without a token, an empty token, a
        missing store, and sizes below 1.
        """
        token = token if token is not None else os.environ.get(TOKEN_ENV) or None
        if token is not None and not token.strip():
            raise UsageError("the token is empty: give a long random string (e.g. from  openssl rand -hex 32)")
        if not is_loopback(host) and token is None:
            raise UsageError(
                f"binding to {host!r} exposes the store beyond this machine: give a token with "
                f"--token or ${TOKEN_ENV} (clients send  Authorization: Bearer TOKEN), "
                "or bind to 127.0.0.1")
        if not 0 < port < 65536:
            raise UsageError(f"port {port}: use 1 to 65535")
        if max_body < 1:
            raise UsageError(f"max_body {max_body}: use a positive number of bytes")
        if cache_size < 0:
            raise UsageError(f"cache_size {cache_size}: use 0 (off) or more")
        if not Path(db).is_file():
            raise UsageError(f"no store at {str(db)!r}: create it with  dotterel code INPUT --db {db}")
        return cls(Path(db), host, port, token, max_body, tuple(cors_origin), cache_size)
