"""How the volume and each paper are cited, per language: one model, many forms.

A :class:`~.model.Citation` is built once per paper and per language edition (and once for the volume in each
language) from the front matter and ``volume.toml`` (:mod:`.volume`); everything that cites is rendered from it:
the one-line "Cite as" line and the offprint's cover, worded per language (:mod:`.styles`); the downloadable
BibTeX, RIS and CSL-JSON files (:mod:`.formats`); the Highwire Press tags, schema.org JSON-LD, Open Graph and
Twitter cards of a page's head (:mod:`.head`). The PDF's XMP rights are the print stage's
(:mod:`taiyaku.pdf.metadata`).
"""
