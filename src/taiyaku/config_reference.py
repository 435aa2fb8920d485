"""The ``volume.toml`` reference: every key of the schema (:mod:`.config`) with its default and the string under
its field, as the Markdown tables docs/cli.md holds (``python -m taiyaku.config_reference`` prints them;
tests/test_config_schema.py checks the two agree)."""

from __future__ import annotations

from dataclasses import Field
from typing import Any

from .config import CheckConfig, ContentConfig, LanguageConfig, VolumeConfig, schema


def field_docs(cls: type) -> dict[str, str]:
    """The string under each field of ``cls``: its documentation (Python keeps none at run time, so it is parsed)."""
    import ast
    import inspect
    import textwrap

    body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0]
    docs: dict[str, str] = {}
    assert isinstance(body, ast.ClassDef)
    for node, after in zip(body.body, body.body[1:]):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and isinstance(after, ast.Expr) \
                and isinstance(after.value, ast.Constant) and isinstance(after.value.value, str):
            docs[node.target.id] = " ".join(after.value.value.split()).replace("``", "`")
    return docs


def _toml_default(f: Field[Any]) -> str:
    value = f.default_factory() if callable(f.default_factory) else f.default  # type: ignore[misc]
    if value in ("", None, [], {}):
        return "—"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, list):
        return "`[" + ", ".join(f'"{v}"' for v in value) + "]`"
    return f'`"{value}"`'


def reference() -> str:
    """Every ``volume.toml`` key with its default and documentation, as Markdown tables (docs/cli.md holds it)."""
    lines = []
    for heading, cls in (("top level", VolumeConfig), ("`[<lang>]`, one table per language", LanguageConfig),
                         ("`[check]`", CheckConfig), ("`[content]`", ContentConfig)):
        docs = field_docs(cls)
        lines += [f"**{heading}**", "", "| key | default | |", "|---|---|---|"]
        lines += [f"| `{name}` | {_toml_default(f)} | {docs.get(name, '')} |" for name, f in schema(cls).items()]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m taiyaku.config_reference: the reference, to paste into docs/cli.md
    import sys

    sys.stdout.write(reference())
