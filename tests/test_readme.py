"""The README stays a short user guide, and every page it and docs/ link to exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS]

MAX_README_LINES = 220
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
# Phrases that describe how or where the project was developed rather than what it does.
DEVELOPMENT_HISTORY = re.compile(
    r"\b(this|earlier|previous|later|an earlier|a later) session\b|\bthis machine\b"
    r"|\bGPU machine\b|\bwas not lent\b|\blent GPU\b",
    re.IGNORECASE,
)


def _prose(text: str) -> str:
    """The text outside fenced code blocks (links in code are not links)."""
    return FENCE.sub("", text)


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text only
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    for heading in HEADING.findall(_prose(page.read_text(encoding="utf-8"))):
        slug = _slug(heading)
        count = seen.get(slug, 0)
        anchors.add(slug if count == 0 else f"{slug}-{count}")
        seen[slug] = count + 1
    return anchors


def _relative_links(page: Path) -> list[str]:
    targets = LINK.findall(_prose(page.read_text(encoding="utf-8")))
    return [t for t in targets if not re.match(r"^[a-z][a-z0-9+.-]*:", t, re.IGNORECASE)]


def test_readme_is_at_most_220_lines() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES, f"README.md has {len(lines)} lines"


def test_readme_shows_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "make run" in text
    assert "make test" in text


def test_readme_walks_through_the_rest_loop() -> None:
    text = README.read_text(encoding="utf-8")
    for endpoint in ("/auth/setup", "/projects", "/images", "/jobs", "/events", "/predictions"):
        assert endpoint in text, f"the REST loop in README.md lacks {endpoint}"


def test_event_example_puts_job_id_under_data() -> None:
    text = (ROOT / "docs" / "contracts.md").read_text(encoding="utf-8")
    task_events = re.findall(r'^data: (\{"type": "task".*\})$', text, re.MULTILINE)
    assert task_events, "docs/contracts.md shows no task event as it arrives (data: {...})"
    assert all('"data": {"job_id": ' in event for event in task_events)


def test_readme_has_the_layout_table() -> None:
    text = README.read_text(encoding="utf-8")
    assert "## Layout" in text
    assert "| folder |" in text
    for folder in ("`backend/`", "`worker/`", "`worker/engine/`", "`frontend/`", "`tests/`"):
        assert f"| {folder} |" in text, f"the layout table lacks {folder}"


def test_readme_keeps_the_real_images_section() -> None:
    assert "## Real images" in README.read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page: Path) -> None:
    broken = []
    for target in _relative_links(page):
        path_part, _, anchor = target.partition("#")
        linked = (page.parent / path_part).resolve() if path_part else page
        if not linked.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            broken.append(f"{target} (no such heading)")
    assert not broken, f"{page.relative_to(ROOT)}: broken links: {broken}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_page_talks_about_how_it_was_developed(page: Path) -> None:
    found = DEVELOPMENT_HISTORY.findall(page.read_text(encoding="utf-8"))
    assert not found, f"{page.relative_to(ROOT)} mentions {found}"
