"""The read stage: sources found and read once, front matter, Markdown rendering in its modes, the block model
with file lines, and the block alignment of a translation with its source.

Every output (site, PDF, EPUB, the facing edition) and the checker take what this stage read.
"""
