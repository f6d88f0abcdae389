"""DSN handling: parse the password out once, and make sure it never reaches any output."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit, urlunsplit

__all__ = ["dsn_password", "redact_dsn", "scrub"]

_KEYWORD_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)
_URL_PASSWORD = re.compile(r"(postgres(?:ql)?://[^:/@\s]*:)([^@\s]*)(@)", re.IGNORECASE)
MASK = "***"


def dsn_password(dsn: str | None) -> str | None:
    """The password a DSN carries (URL or keyword form), or None."""
    if not dsn:
        return None
    if "://" in dsn:
        try:
            parts = urlsplit(dsn)
        except ValueError:
            return None
        if parts.password:
            return unquote(parts.password)
        query_match = re.search(r"(?:^|&)password=([^&]*)", parts.query)
        return unquote(query_match.group(1)) if query_match else None
    match = _KEYWORD_PASSWORD.search(dsn)
    if not match:
        return None
    value = match.group(2)
    return value[1:-1] if value.startswith("'") else value


def redact_dsn(dsn: str | None) -> str:
    """The DSN with its password replaced by ***; safe to print and log."""
    if not dsn:
        return ""
    if "://" in dsn:
        try:
            parts = urlsplit(dsn)
        except ValueError:
            return _URL_PASSWORD.sub(rf"\1{MASK}\3", dsn)
        netloc = parts.netloc
        if parts.password is not None:
            userinfo, _, hostinfo = netloc.rpartition("@")
            user = userinfo.split(":", 1)[0]
            netloc = f"{user}:{MASK}@{hostinfo}"
        query = re.sub(r"((?:^|&)password=)[^&]*", rf"\1{MASK}", parts.query)
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    if "=" not in dsn:
        # Neither a URL nor key=value pairs: it may be anything pasted by mistake (a password alone), so it
        # is not echoed back.
        return f"<not a DSN: {len(dsn)} characters; expected postgresql://user@host/db or host=... dbname=...>"
    return _KEYWORD_PASSWORD.sub(rf"\1{MASK}", dsn)


def scrub(text: str, *secrets: str | None) -> str:
    """Remove every given secret (and any DSN password pattern) from a message."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    text = _URL_PASSWORD.sub(rf"\1{MASK}\3", text)
    return _KEYWORD_PASSWORD.sub(rf"\1{MASK}", text)
