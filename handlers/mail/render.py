"""Mail text from Jinja2 templates: what each message says is written once (`<name>.j2`:
blocks `subject`, `body`, `action`), and laid out twice, as plain text and as HTML.

The same wording template is rendered by two environments, one escaping for HTML, so a
title such as "Maths & <science>" is safe in the HTML part and untouched in the text one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from jinja2 import Environment, PackageLoader, Template
from markupsafe import Markup

# Requests whose mail asks for a decision on them show all of it; others only what it is.
_FULL_FACTS = {"approval_needed", "booking_needed", "approval_pending", "booking_pending"}


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def long_date(iso: str | None) -> str:
    """`2027-01-12` -> `Tuesday 12 January 2027`, as a school letter writes it."""
    if not iso:
        return ""
    day = date.fromisoformat(iso)
    return f"{day:%A} {day.day} {day:%B %Y}"


def role_name(role: str) -> str:
    return role.replace("_", " ")


class Renderer:
    def __init__(self) -> None:
        self._text = self._environment(escape=False)
        self._html = self._environment(escape=True)

    @staticmethod
    def _environment(*, escape: bool) -> Environment:
        env = Environment(
            loader=PackageLoader("handlers.mail", "templates"),
            autoescape=escape,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters["long_date"] = long_date
        env.filters["role_name"] = role_name
        return env

    def render(self, context: Mapping[str, Any]) -> Rendered:
        """One message: the mail of one decision or one reminder."""
        subject = self._words(self._text, context)["subject"]
        return self._laid_out(context, subject, intro=(), items=[context], headings=False)

    def digest(self, contexts: Sequence[Mapping[str, Any]], day: str) -> Rendered:
        """One message listing several reminders for one person, each with its own link."""
        about = {"count": len(contexts), "day": day, "template": "digest"}
        words = self._words(self._text, about)
        return self._laid_out(
            contexts[0],
            words["subject"],
            intro=("body",),
            items=contexts,
            headings=True,
            about=about,
        )

    def _laid_out(
        self,
        first: Mapping[str, Any],
        subject: str,
        *,
        intro: Sequence[str],
        items: Sequence[Mapping[str, Any]],
        headings: bool,
        about: Mapping[str, Any] | None = None,
    ) -> Rendered:
        schools = sorted({str(c["request"]["school_name"]) for c in items})
        parts = []
        for env in (self._text, self._html):
            sections = [self._section(env, c, headings) for c in items]
            lead = _paragraphs(self._words(env, about)["body"], env) if intro and about else []
            layout = env.get_template(f"layout.{'html' if env.autoescape else 'txt'}.j2")
            parts.append(
                layout.render(
                    name=first["recipient"]["name"],
                    subject=subject,
                    intro=lead,
                    sections=sections,
                    school=" and ".join(schools),
                )
            )
        return Rendered(subject, parts[0], parts[1])

    def _section(
        self, env: Environment, context: Mapping[str, Any], heading: bool
    ) -> dict[str, Any]:
        words = self._words(env, context)
        return {
            "heading": words["subject"] if heading else None,
            "paragraphs": _paragraphs(words["body"], env),
            "link": context.get("link"),
            "action": _markup(words.get("action") or "Open the form", env),
            "facts": _facts(context),
        }

    def _words(self, env: Environment, context: Mapping[str, Any]) -> dict[str, str]:
        template: Template = env.get_template(f"{context['template']}.j2")
        live = template.new_context(dict(context))
        blocks = {name: "".join(render(live)) for name, render in template.blocks.items()}
        blocks["subject"] = " ".join(blocks.get("subject", "").split())
        return blocks


def _paragraphs(body: str, env: Environment) -> list[str]:
    found = [" ".join(p.split()) for p in re.split(r"\n\s*\n", body.strip()) if p.strip()]
    return [_markup(p, env) for p in found]


def _markup(text: str, env: Environment) -> str:
    # Already escaped by the HTML environment as it rendered the block: not again.
    return Markup(text) if env.autoescape else text


def _facts(context: Mapping[str, Any]) -> list[tuple[str, str]]:
    r = context["request"]
    dates = long_date(r["start_date"])
    if r["end_date"] != r["start_date"]:
        dates += f" to {long_date(r['end_date'])}"
    what = context.get("kind") or context["template"]
    if what not in _FULL_FACTS:
        return [("Training", r["title"]), ("Dates", dates), ("Request", r["id"])]
    facts = [
        ("Who", f"{r['staff_name']} ({r['school_name']})"),
        ("Training", f"{r['title']} ({r['activity_type']})"),
        ("Provider", r.get("provider") or ""),
        ("Dates", dates),
        ("Cost", r["cost"]),
        ("Why", r.get("justification") or ""),
        ("Priorities", ", ".join(r.get("priorities") or [])),
        ("Policy set", r["policy"]),
        ("Request", r["id"]),
    ]
    return [(label, value) for label, value in facts if value]
