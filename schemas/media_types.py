"""Media types as HTTP and CloudEvents write them: an essence and parameters."""

from __future__ import annotations

from email.message import Message

JSON = "application/json"
UTF_8 = ("utf-8", "utf8")


def media_type(content_type: str | None) -> tuple[str | None, str | None]:
    """The media type's essence, lower case, and its charset parameter (lower case), if any.

    The standard library's header parser does the reading: parameters in any order, quoted
    or not, any case."""
    if content_type is None or not content_type.strip():
        return None, None
    essence = content_type.split(";", 1)[0].strip().lower()
    if "/" not in essence:  # the parser would call it text/plain
        return essence, None
    header = Message()
    header["content-type"] = content_type
    charset = header.get_param("charset")
    return header.get_content_type(), charset.lower() if isinstance(charset, str) else None


def is_json(content_type: str) -> bool:
    """`application/json`, bare or with a UTF-8 charset (JSON is always UTF-8 here)."""
    essence, charset = media_type(content_type)
    return essence == JSON and charset in (None, *UTF_8)
