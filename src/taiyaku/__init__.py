"""taiyaku: a bilingual publishing pipeline for edited volumes (HTML site and print PDF)."""

__version__ = "0.1.0"
