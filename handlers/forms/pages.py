"""Rendering the form pages: Jinja2 templates shipped in the package, HTML escaped.

The link in the address bar is a credential, so the pages are never cached, never sent
as a referrer, never indexed, and load nothing from anywhere else.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from handlers.forms import words

_TEMPLATES = Environment(
    loader=PackageLoader("handlers.forms", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,  # a missing value is a bug to see in tests, not a blank
    trim_blocks=True,
    lstrip_blocks=True,
)
_TEMPLATES.globals["words"] = words

HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self';"
        " frame-ancestors 'none'; base-uri 'none'"
    ),
}


def page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = _TEMPLATES.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def notice(
    status: int, title: str, *said: str, next_step: str | None = None, **context: Any
) -> HTMLResponse:
    """A page that tells: what happened (`said`, one paragraph each) and what to do now."""
    return page("notice.html", status, title=title, paragraphs=said, next_step=next_step, **context)
