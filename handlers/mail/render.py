"""Mail text from Jinja2 templates: what each message says is written once (`<name>.j2`:
blocks `subject`, `body`, `action`), and laid out twice, as plain text and as HTML.

The wording is plain text; the HTML layout escapes it as it places it, so a title such as
"Maths & <science>" is safe in the HTML part and untouched in the text one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from jinja2 import Environment, PackageLoader, Template, select_autoescape

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
        env = Environment(
            loader=PackageLoader("handlers.mail", "templates"),
            # Only the HTML layout escapes: the wording is plain text, escaped as it is
            # placed in the HTML, so it is written (and rendered) once for both parts.
            autoescape=select_autoescape(["html.j2"]),
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,  # templates are package data: never changed under us
        )
        env.filters["long_date"] = long_date
        env.filters["role_name"] = role_name
        self._env = env
        self._layouts = (env.get_template("layout.txt.j2"), env.get_template("layout.html.j2"))

    def render(self, context: Mapping[str, Any]) -> Rendered:
        """One message: the mail of one decision or one reminder."""
        section = self._section(context, heading=False)
        return self._laid_out([context], section.pop("subject"), [], [section])

    def digest(self, contexts: Sequence[Mapping[str, Any]], day: str) -> Rendered:
        """One message listing several reminders for one person, each with its own link."""
        words = self._words({"template": "digest", "count": len(contexts), "day": day})
        sections = [self._section(c, heading=True) for c in contexts]
        return self._laid_out(contexts, words["subject"], _paragraphs(words["body"]), sections)

    def _laid_out(
        self,
        contexts: Sequence[Mapping[str, Any]],
        subject: str,
        intro: list[str],
        sections: list[dict[str, Any]],
    ) -> Rendered:
        values = {
            "name": contexts[0]["recipient"]["name"],
            "subject": subject,
            "intro": intro,
            "sections": sections,
            "school": " and ".join(sorted({_school_name(c) for c in contexts})),
        }
        text, html = (layout.render(values) for layout in self._layouts)
        return Rendered(subject, text, html)

    def _section(self, context: Mapping[str, Any], *, heading: bool) -> dict[str, Any]:
        words = self._words(context)
        return {
            "subject": words["subject"],
            "heading": words["subject"] if heading else None,
            "paragraphs": _paragraphs(words["body"]),
            "link": context.get("link"),
            "action": words.get("action") or "Open the form",
            "facts": _facts(context),
        }

    def _words(self, context: Mapping[str, Any]) -> dict[str, str]:
        template: Template = self._env.get_template(f"{context['template']}.j2")
        live = template.new_context(dict(context))
        blocks = {name: "".join(render(live)) for name, render in template.blocks.items()}
        blocks["subject"] = " ".join(blocks.get("subject", "").split())
        return blocks


def _paragraphs(body: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", body.strip()) if p.strip()]


def _school_name(context: Mapping[str, Any]) -> str:
    # A request's mail names its school; a renewal's, the holder's.
    return str(
        context["request"]["school_name"] if "request" in context else context["school_name"]
    )


def _facts(context: Mapping[str, Any]) -> list[tuple[str, str]]:
    if "training" in context:  # a person's statutory training, not a request
        t = context["training"]
        return [
            ("Who", f"{t['staff_name']} ({context['school_name']})"),
            ("Training", t["kind"]),
            ("Valid until", long_date(t["valid_until"])),
        ]
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
