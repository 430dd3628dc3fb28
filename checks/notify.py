"""The only module that talks to apprise: one message to one channel, secrets kept out of logs.

A *channel* is the name of an environment variable holding one or more apprise URLs (spaces
or commas between them). Its value is read here, at send time, and goes nowhere else: results
name the variable, never its value, and while apprise runs, every part of those URLs is
blanked from any log record created (at debug level, apprise and urllib3 log the address they
post to, path and token included).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote, urlsplit

import apprise

from checks.alerts import Alert

__all__ = ["Delivery", "DeliveryStatus", "deliver", "secret_fragments"]

DeliveryStatus = Literal["sent", "failed", "unset", "invalid"]
_MIN_FRAGMENT = 4  # shorter parts (a port, "api") are not secrets and would blank too much
_REDACTED = "[redacted]"


@dataclass(frozen=True)
class Delivery:
    channel: str  # the environment variable's name: safe to print and store
    status: DeliveryStatus
    reason: str = ""

    @property
    def final(self) -> bool:
        """Whether trying again later could change anything."""
        return self.status != "failed"


def _urls(value: str) -> list[str]:
    return [u for u in re.split(r"[\s,]+", value.strip()) if u]


def secret_fragments(value: str) -> set[str]:
    """Every part of the URLs in ``value`` that could be a secret, longest first when used."""
    found: set[str] = set()
    for url in _urls(value):
        found.add(url)
        parts = urlsplit(url)
        pieces = [parts.netloc, parts.username, parts.password, parts.hostname, parts.fragment]
        pieces += parts.path.split("/")
        for key, item in parse_qsl(parts.query, keep_blank_values=True):
            pieces += [key, item]
        for piece in pieces:
            if piece and len(piece) >= _MIN_FRAGMENT:
                found |= {piece, unquote(piece)}
    return found


def _redactor(secrets: set[str]) -> Callable[[str], str]:
    ordered = sorted(secrets, key=len, reverse=True)

    def redact(text: str) -> str:
        for secret in ordered:
            text = text.replace(secret, _REDACTED)
        return text

    return redact


@contextmanager
def _redacted_logs(secrets: set[str]) -> Iterator[None]:
    """Blank ``secrets`` in every log record created while a message is sent.

    A record factory, not a filter on some loggers: apprise loads its plugins, and they their
    HTTP libraries, lazily, so the loggers that will see the address may not exist yet.
    """
    redact = _redactor(secrets)
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        text = record.getMessage()
        if record.exc_info:  # a traceback can quote the address too: render it here, blanked
            text += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info, record.exc_text = None, None
        record.msg, record.args = redact(text), None
        return record

    logging.setLogRecordFactory(factory)
    try:
        yield
    finally:
        logging.setLogRecordFactory(previous)


def deliver(alert: Alert, channel: str, *, env: Mapping[str, str]) -> Delivery:
    """Send ``alert`` through the URLs in environment variable ``channel``."""
    value = env.get(channel, "").strip()
    if not value:
        return Delivery(channel, "unset", f"the environment variable {channel} is not set")
    secrets = secret_fragments(value)
    with _redacted_logs(secrets):
        # A fresh Apprise per message: no state (persistent storage stays off by default).
        sender = apprise.Apprise()
        bad = [i for i, url in enumerate(_urls(value), 1) if not sender.add(url)]
        if bad:
            which = ", ".join(map(str, bad))
            return Delivery(
                channel, "invalid", f"{channel}: apprise cannot read its URL number {which}"
            )
        sent = sender.notify(
            body=alert.body,
            title=alert.title,
            notify_type=apprise.NotifyType(alert.severity),
            body_format=apprise.NotifyFormat.TEXT,
        )
    if not sent:
        return Delivery(channel, "failed", f"{channel}: the service did not accept the message")
    return Delivery(channel, "sent")
