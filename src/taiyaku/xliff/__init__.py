"""The translator's round trip: units out to XLIFF 1.2/2.0 or PO for a CAT tool, translations back in.

``taiyaku xliff export`` (:mod:`.export`, :mod:`.units`, :mod:`.frames`, :mod:`.inline`) writes what the check
says needs translating; ``taiyaku xliff import`` (:mod:`.importer`, :mod:`.tags`, :mod:`.splice`) writes it back
at the blocks' lines. Exchange files are untrusted input (:mod:`.safety`). See docs/translators.md.
"""
