"""A fix to WeasyPrint's layout or drawing (:class:`Fix`) and the functions it wraps (:class:`Target`), each
probed before it is switched on; the fixes themselves are in :mod:`.footnotes`, :mod:`.lines`,
:mod:`.japanese` and :mod:`.hyphenation`."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, Callable

import weasyprint

VERSION: str = weasyprint.__version__
"""The WeasyPrint in use (a fix for a bug names the versions known to have it)."""


@dataclass(frozen=True)
class Target:
    """A WeasyPrint function a fix wraps or replaces: ``module``, ``attribute`` and the parameters it expects."""

    module: str
    attribute: str
    parameters: tuple[str, ...]

    def present(self) -> bool:
        """Whether the function exists with the expected parameters (a renamed or changed one is not ours)."""
        try:
            owner: Any = import_module(self.module)
            for part in self.attribute.split("."):
                owner = getattr(owner, part)
            found = tuple(inspect.signature(owner).parameters)
        except (ImportError, AttributeError, TypeError, ValueError):
            return False
        return found[: len(self.parameters)] == self.parameters


@dataclass
class Fix:
    """One change to WeasyPrint's layout or drawing, switched on only where its probe holds."""

    name: str
    """Short id shown in warnings: ``footnotes``, ``first-word-hyphen``, ``japanese-lines``."""
    reproduces: str
    """What goes wrong without it (or what WeasyPrint lacks), in one line."""
    targets: tuple[Target, ...]
    install: Callable[[Callable[[Any, str, Any], None]], None]
    """Installs the fix through the given ``replace(owner, attribute, new)``."""
    versions: tuple[str, ...] | None = None
    """Version prefixes known to have the bug (``("70.",)``); None for a feature WeasyPrint lacks in all."""
    originals: list[tuple[Any, str, Any]] = field(default_factory=list)

    def applies(self) -> bool:
        """The probe: a version known to need it, and every target function as the fix expects it."""
        if self.versions is not None and not any(VERSION.startswith(prefix) for prefix in self.versions):
            return False
        return all(target.present() for target in self.targets)

    @property
    def active(self) -> bool:
        """Whether the fix is installed in this process."""
        return bool(self.originals)

    def switch_on(self) -> None:
        """Install (once)."""
        if self.active:
            return

        def replace(owner: Any, attribute: str, new: Any) -> None:
            self.originals.append((owner, attribute, owner.__dict__.get(attribute, _ABSENT) if isinstance(owner, type)
                                   else getattr(owner, attribute)))
            setattr(owner, attribute, new)

        self.install(replace)

    def switch_off(self) -> None:
        """Restore WeasyPrint's own functions."""
        for owner, attribute, original in reversed(self.originals):
            if original is _ABSENT:  # an attribute the fix added to a class
                delattr(owner, attribute)
            else:
                setattr(owner, attribute, original)
        self.originals.clear()


_ABSENT = object()
"""What a class had under a name a fix added (so that switching the fix off removes it)."""
