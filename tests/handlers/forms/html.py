"""Reading a form page as a test needs to: its words, its inputs and what labels them."""

from __future__ import annotations

from html.parser import HTMLParser


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.inputs: list[dict[str, str]] = []
        self.labelled: set[str] = set()
        self.ids: set[str] = set()
        self._hidden = 0  # inside <style> or <title>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if "id" in found:
            self.ids.add(found["id"])
        if tag in ("style", "title"):
            self._hidden += 1
        elif tag == "label" and "for" in found:
            self.labelled.add(found["for"])
        elif tag in ("input", "textarea") and found.get("type") != "hidden":
            self.inputs.append({"tag": tag, **found})

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.words.append(data)


def read(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def text(html: str) -> str:
    """The page's visible words, one space between each."""
    return " ".join(" ".join(read(html).words).split())


def assert_accessible(html: str) -> None:
    """A viewport for phones, a heading, a label for every input, and every
    aria-describedby naming something on the page."""
    page = read(html)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "<h1>" in html and '<html lang="en-GB">' in html
    assert page.inputs, "no inputs"
    for field in page.inputs:
        assert field["id"] in page.labelled, f"{field['id']} has no label"
        for described in field.get("aria-describedby", "").split():
            assert described in page.ids, f"{field['id']} names a missing {described}"
