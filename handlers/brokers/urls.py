"""Broker URLs carry their credentials (`nats://user:password@host:4222`,
`amqp://user:password@host:5672/vhost`): these keep them out of everything shown or logged,
and hand them to the NATS client decoded, as a URL's percent-escapes are meant to be.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit, urlunsplit

from faststream.nats import NatsToken, NatsUserPassword
from faststream.security import BaseSecurity


def shown(url: str) -> str:
    """The URL fit for a log line or a page: the password, or a NATS token (which stands
    where a user name would), replaced by `***`."""
    parts = urlsplit(url)
    userinfo, at, address = parts.netloc.rpartition("@")
    if not at:
        return url
    user, colon, _ = userinfo.partition(":")
    masked = f"{user}:***" if colon else "***"
    return urlunsplit(parts._replace(netloc=f"{masked}@{address}"))


def nats_server_and_security(url: str) -> tuple[str, BaseSecurity | None]:
    """Split `nats://user:password@host:port` into the bare address and the credentials.

    The NATS client would otherwise send a URL's user and password as they are written,
    so a password with `@`, `:` or `/` (percent-escaped in the URL) would never match.
    """
    parts = urlsplit(url)
    userinfo, at, address = parts.netloc.rpartition("@")
    if not at:
        return url, None
    bare = urlunsplit(parts._replace(netloc=address))
    user, colon, password = userinfo.partition(":")
    if not colon:
        return bare, NatsToken(unquote(user))
    return bare, NatsUserPassword(unquote(user), unquote(password))
