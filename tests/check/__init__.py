"""Tests of ``taiyaku check`` (translation completeness)."""
