"""PDF typesetting tests (a package, so that its conftest and helpers do not shadow those of tests/)."""
