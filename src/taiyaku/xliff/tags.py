"""Whether a returned target kept the tags the export made: none lost, none added, pairs in order.

The tags a target may hold are the source's, or (for a unit exported with the current translation) the ones that
translation had: a Japanese sentence may legitimately drop the source's italics for 『』. Their order may change
(word order does), but a pair must open before it closes and pairs must nest.
"""

from __future__ import annotations

from collections import Counter

from .inline import Segment, Tag, tags_of


def _key(tag: Tag) -> tuple[str, str]:
    return tag.kind, tag.id


def known_tags(source: Segment, exported: Segment | None) -> dict[tuple[str, str], Tag]:
    """The tags the export made for a unit, by (kind, id): the exported target's win over the source's."""
    known = {_key(t): t for t in tags_of(source)}
    if exported is not None:
        known.update({_key(t): t for t in tags_of(exported)})
    return known


def tag_problems(returned: Segment, source: Segment, exported: Segment | None) -> list[str]:
    """What is wrong with the tags of ``returned``, one message per tag (empty when nothing is)."""
    known = known_tags(source, exported)
    problems: list[str] = []
    found = tags_of(returned)
    counts = Counter(_key(t) for t in found)
    for tag in found:
        expected = known.get(_key(tag))
        if expected is None:
            other = next((t for t in known.values() if t.id == tag.id), None)
            if other is not None:
                problems.append(f"tag damaged: <{tag.kind} id={tag.id}> where the export made {other.label}")
            else:
                problems.append(f"tag added: <{tag.kind} id={tag.id}> {tag.code!r} is not a tag of the export")
        elif tag.code.strip() != expected.code.strip():
            problems.append(f"tag damaged: {expected.label} now reads {tag.code!r}")
    for key, number in counts.items():
        if number > 1 and key in known:
            problems.append(f"tag added: {known[key].label} appears {number} times")
    wanted = Counter(_key(t) for t in tags_of(source))
    options = [wanted] + ([Counter(_key(t) for t in tags_of(exported))] if exported is not None else [])
    have = Counter({k: 1 for k in counts if k in known})
    if all(have != option for option in options):
        closest = min(options, key=lambda option: sum(((option - have) + (have - option)).values()))
        for key in sorted(closest - have, key=lambda k: (int(k[1]) if k[1].isdigit() else 0, k[0])):
            problems.append(f"tag lost: {known[key].label}")
    problems.extend(_order_problems(found, known))
    return problems


def _order_problems(found: list[Tag], known: dict[tuple[str, str], Tag]) -> list[str]:
    """Pairs that close before they open, or close across another open pair."""
    problems: list[str] = []
    stack: list[Tag] = []
    opened: set[str] = set()
    for tag in found:
        if tag.kind == "bpt":
            stack.append(tag)
            opened.add(tag.id)
        elif tag.kind == "ept":
            label = known[_key(tag)].label if _key(tag) in known else f"<ept id={tag.id}>"
            if tag.id not in opened:
                problems.append(f"tags reordered: {label} closes before its opening tag")
            elif stack and stack[-1].id != tag.id:
                problems.append(f"tags reordered: {label} closes while <bpt id={stack[-1].id}> is still open")
                stack = [t for t in stack if t.id != tag.id]
            elif stack:
                stack.pop()
    return problems
