"""Tests of the image pipeline (taiyaku.images)."""
