"""The EPUB container: a zip whose first entry is ``mimetype``, stored uncompressed, and whose bytes depend on
nothing but the files (fixed order, fixed times, fixed permissions), so two builds write the same EPUB.

EPUBCheck 5 no longer reports a compressed or misplaced ``mimetype`` (reading systems that sniff the first
bytes do): ``tests/epub`` checks it on the bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

MIMETYPE = b"application/epub+zip"
CONTAINER_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""
PACKAGE_DIR = "EPUB/"
"""Where the package document and every publication resource sit in the zip."""


def _entry(name: str, when: dt.datetime, compress: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.create_system = 3  # Unix, whichever system builds it
    info.external_attr = 0o644 << 16
    return info


def write_container(files: dict[str, bytes], when: dt.datetime) -> bytes:
    """The EPUB's bytes: ``mimetype`` first and stored, ``META-INF/container.xml``, then ``files`` (paths
    under ``EPUB/``) in sorted order, each deflated, all dated ``when``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # No extra field and no data descriptor: "application/epub+zip" must sit at byte 38 (OCF 3.3 §4.2.3).
        archive.writestr(_entry("mimetype", when, False), MIMETYPE)
        archive.writestr(_entry("META-INF/container.xml", when, True), CONTAINER_XML, compresslevel=9)
        for name in sorted(files):
            archive.writestr(_entry(PACKAGE_DIR + name, when, True), files[name], compresslevel=9)
    return buffer.getvalue()
