"""Manuscripts from Word: ``taiyaku import FILE.docx`` reads a .docx (the package, then pandoc's JSON AST) and
writes a volume document in taiyaku's Markdown, with its front matter, notes, tables, figures and a report of
what could not be mapped."""
