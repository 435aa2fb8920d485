"""CFF and OpenType tables read and written raw, for :mod:`.subsets` (fontTools would parse each of a CJK
subset's ~65,000 glyph slots only to look a few of them up or write them back).

A CJK subset keeps all of its ~65,000 glyph slots (retain-gids), and fontTools takes about a second per font to
read and write them. A bare CID-keyed CFF (FontFile3 /CIDFontType0C) needs only the glyphs in use: its charset
maps each glyph to its CID, so the content streams keep their codes. :func:`compact_cid_cff` writes the whole font
program from the subsets' raw tables; anything unexpected falls back to the fontTools merge in :mod:`.subsets`.
"""

from __future__ import annotations

import struct
from typing import Any, Callable

_ROS, _CIDCOUNT, _FDARRAY, _FDSELECT, _FONTNAME = 1230, 1234, 1236, 1237, 1238
_CHARSET, _CHARSTRINGS, _PRIVATE, _SUBRS, _FONTBBOX, _FONTMATRIX = 15, 17, 18, 19, 5, 1207


def cff_index(data: bytes, offset: int) -> Callable[[int], bytes]:
    """Item lookup in the CFF INDEX at ``offset`` of ``data``."""
    count = int.from_bytes(data[offset:offset + 2], "big")
    size = data[offset + 2] if count else 0
    start = offset + 3
    base = start + (count + 1) * size - 1  # offsets count from 1

    def item(index: int) -> bytes:
        if not 0 <= index < count:
            raise IndexError(index)
        at = start + index * size
        first = int.from_bytes(data[at:at + size], "big")
        last = int.from_bytes(data[at + size:at + 2 * size], "big")
        return bytes(data[base + first:base + last])

    return item


def vertical_origins(data: bytes) -> dict[int, int]:
    """Glyph id → vertical origin of a raw VORG table (fontTools would parse every glyph name to read it)."""
    count = struct.unpack_from(">H", data, 6)[0]
    return dict(struct.iter_unpack(">Hh", data[8:8 + 4 * count]))


class _Charstring:
    """A charstring kept as its bytes: written back as it is (fontTools would parse each of a CJK subset's
    65,000 slots, nearly all empty, only to write it again)."""

    __slots__ = ("bytecode",)

    def __init__(self, bytecode: bytes) -> None:
        self.bytecode = bytecode

    def compile(self, isCFF2: bool = False) -> None:  # noqa: N803 - fontTools' parameter name
        """Nothing to do: already bytes."""


def keep_charstrings_raw(font: Any) -> None:
    """Fill the charstrings fontTools has not loaded with their bytes, before the font is saved."""
    top = font["CFF "].cff.topDictIndex[0]
    index = top.CharStrings.charStringsIndex
    lookup = cff_index(font.reader["CFF "], top.rawDict["CharStrings"])
    for gid, item in enumerate(index.items):
        if item is None:
            index.items[gid] = _Charstring(lookup(gid))


def raw_metric(font: Any, table: str, header: str, gid: int) -> tuple[int, int]:
    """(advance, side bearing) of glyph ``gid`` from the raw hmtx or vmtx table."""
    data = font.reader[table]
    long_metrics = font[header].numberOfHMetrics if header == "hhea" else font[header].numberOfVMetrics
    if gid < long_metrics:
        return struct.unpack_from(">Hh", data, 4 * gid)
    advance = struct.unpack_from(">H", data, 4 * (long_metrics - 1))[0]
    return advance, struct.unpack_from(">h", data, 4 * long_metrics + 2 * (gid - long_metrics))[0]


def _sfnt_table(data: bytes, tag: bytes) -> bytes | None:
    """A table of an OpenType font file, raw."""
    count = struct.unpack_from(">H", data, 4)[0]
    for index in range(count):
        found, _, offset, length = struct.unpack_from(">4sLLL", data, 12 + 16 * index)
        if found == tag:
            return data[offset:offset + length]
    return None


def _read_index(data: bytes, offset: int) -> tuple[list[bytes], int]:
    """The items of the CFF INDEX at ``offset`` and the offset just after it."""
    count = int.from_bytes(data[offset:offset + 2], "big")
    if not count:
        return [], offset + 2
    size = data[offset + 2]
    ends = [int.from_bytes(data[offset + 3 + i * size:offset + 3 + (i + 1) * size], "big") for i in range(count + 1)]
    base = offset + 3 + (count + 1) * size - 1
    return [data[base + ends[i]:base + ends[i + 1]] for i in range(count)], base + ends[-1]


def _dict_entries(data: bytes) -> list[tuple[int, list[int | None], bytes]]:
    """A CFF DICT: (operator, integer operands — None for a real —, the entry's raw bytes), in order."""
    entries: list[tuple[int, list[int | None], bytes]] = []
    operands: list[int | None] = []
    start = index = 0
    while index < len(data):
        byte = data[index]
        if byte <= 21:
            operator = 1200 + data[index + 1] if byte == 12 else byte
            index += 2 if byte == 12 else 1
            entries.append((operator, operands, data[start:index]))
            operands, start = [], index
        elif byte == 28:
            operands.append(int.from_bytes(data[index + 1:index + 3], "big", signed=True))
            index += 3
        elif byte == 29:
            operands.append(int.from_bytes(data[index + 1:index + 5], "big", signed=True))
            index += 5
        elif byte == 30:
            index += 1
            while data[index] & 0x0F != 0x0F and data[index] >> 4 != 0x0F:
                index += 1
            index += 1
            operands.append(None)
        elif 32 <= byte <= 246:
            operands.append(byte - 139)
            index += 1
        elif 247 <= byte <= 254:
            if byte <= 250:
                operands.append((byte - 247) * 256 + data[index + 1] + 108)
            else:
                operands.append(-(byte - 251) * 256 - data[index + 1] - 108)
            index += 2
        else:
            raise ValueError(f"unexpected byte {byte} in a CFF DICT")
    return entries


def _number(value: int) -> bytes:
    """A DICT integer in its 5-byte form (so a DICT's size does not depend on the offsets it holds)."""
    return b"\x1d" + value.to_bytes(4, "big", signed=True)


def _write_index(items: list[bytes]) -> bytes:
    """A CFF INDEX."""
    if not items:
        return b"\x00\x00"
    ends = [1]
    for item in items:
        ends.append(ends[-1] + len(item))
    size = next(n for n in (1, 2, 3, 4) if ends[-1] < 1 << (8 * n))
    return (len(items).to_bytes(2, "big") + bytes([size]) + b"".join(end.to_bytes(size, "big") for end in ends)
            + b"".join(items))


def _charset(data: bytes, offset: int, count: int) -> list[int]:
    """Glyph id → CID from a CID-keyed font's charset."""
    kind, cids, at = data[offset], [0], offset + 1
    if kind == 0:
        return cids + [int.from_bytes(data[at + 2 * i:at + 2 * i + 2], "big") for i in range(count - 1)]
    while len(cids) < count:
        first = int.from_bytes(data[at:at + 2], "big")
        more = data[at + 2] if kind == 1 else int.from_bytes(data[at + 2:at + 4], "big")
        at += 3 if kind == 1 else 4
        cids.extend(range(first, first + more + 1))
    return cids[:count]


def _fd_select(data: bytes, offset: int, count: int) -> Callable[[int], int]:
    """Glyph id → font dict index from an FDSelect (format 0 or 3)."""
    import bisect

    if data[offset] == 0:
        return lambda gid: data[offset + 1 + gid]
    if data[offset] != 3:
        raise ValueError(f"FDSelect format {data[offset]}")
    ranges = int.from_bytes(data[offset + 1:offset + 3], "big")
    firsts = [int.from_bytes(data[offset + 3 + 3 * i:offset + 5 + 3 * i], "big") for i in range(ranges)]
    fds = [data[offset + 5 + 3 * i] for i in range(ranges)]
    return lambda gid: fds[bisect.bisect_right(firsts, gid) - 1]


def cid_keyed(program: bytes) -> bool:
    """Whether an OpenType font file's CFF is CID-keyed (its top DICT has a ROS): then its charset keeps each
    glyph's CID whatever the glyph numbering, which :func:`compact_cid_cff` reads."""
    cff = _sfnt_table(program, b"CFF ") if program[:4] == b"OTTO" else None
    if cff is None:
        return False
    try:
        _, at = _read_index(cff, cff[2])
        tops, _ = _read_index(cff, at)
        return any(operator == _ROS for operator, _, _ in _dict_entries(tops[0]))
    except (IndexError, ValueError):
        return False


def compact_cid_cff(programs: list[tuple[bytes, set[int]]]) -> bytes | None:
    """One CID-keyed CFF holding the glyphs each OpenType subset uses (by glyph id), or None when a subset is
    not a desubroutinized CID-keyed CFF."""
    glyphs: dict[int, tuple[bytes, tuple[bytes, bytes, bytes]]] = {}
    head: dict[str, Any] = {}
    for program, used in programs:
        cff = _sfnt_table(program, b"CFF ") if program[:4] == b"OTTO" else None
        if cff is None:
            return None
        names, at = _read_index(cff, cff[2])
        tops, at = _read_index(cff, at)
        strings, at = _read_index(cff, at)
        global_subrs, _ = _read_index(cff, at)
        top = {operator: (operands, raw) for operator, operands, raw in _dict_entries(tops[0])}
        if global_subrs or not all(key in top for key in (_ROS, _FDARRAY, _FDSELECT, _CHARSET, _CHARSTRINGS)):
            return None

        def string(sid: int | None) -> bytes:
            if sid is None or sid < 391:
                raise ValueError("standard string")
            return strings[sid - 391]

        ros = top[_ROS][0]
        source_head = {"name": names[0], "registry": string(ros[0]), "ordering": string(ros[1]),
                       "supplement": ros[2]}
        if not head:
            head = {**source_head, "bbox": top.get(_FONTBBOX, (None, b""))[1],
                    "matrix": top.get(_FONTMATRIX, (None, b""))[1]}
        elif any(head[key] != value for key, value in source_head.items()):
            return None
        count = int.from_bytes(cff[top[_CHARSTRINGS][0][0]:top[_CHARSTRINGS][0][0] + 2], "big")
        charset = _charset(cff, top[_CHARSET][0][0], count)
        fd_of = _fd_select(cff, top[_FDSELECT][0][0], count)
        fds = []
        for fd in _read_index(cff, top[_FDARRAY][0][0])[0]:
            entries = _dict_entries(fd)
            name = next(string(operands[0]) for operator, operands, _ in entries if operator == _FONTNAME)
            size, offset = next(operands for operator, operands, _ in entries if operator == _PRIVATE)
            private = _dict_entries(cff[offset:offset + size])
            if any(operator == _SUBRS for operator, _, _ in private):
                return None
            others = b"".join(raw for operator, _, raw in entries if operator not in (_FONTNAME, _PRIVATE))
            fds.append((name, others, b"".join(raw for _, _, raw in private)))
        lookup = cff_index(cff, top[_CHARSTRINGS][0][0])
        wanted = sorted(used | {0})  # the PDF's codes are CIDs
        if all(cid < count and charset[cid] == cid for cid in wanted):
            gids = wanted  # WeasyPrint's subsets: glyph id and CID are one
        else:
            gid_of = {cid: gid for gid, cid in enumerate(charset)}
            gids = [gid_of[cid] for cid in wanted if cid in gid_of]
        for gid in gids:
            if charset[gid] not in glyphs:
                glyphs[charset[gid]] = (lookup(gid), fds[fd_of(gid)])
    return _write_cid_cff(head, glyphs)


def _write_cid_cff(head: dict[str, Any], glyphs: dict[int, tuple[bytes, tuple[bytes, bytes, bytes]]]) -> bytes:
    """A CID-keyed CFF of these glyphs (CID → charstring and font dict), .notdef first."""
    cids = sorted(glyphs)
    fd_list = list(dict.fromkeys(glyphs[cid][1] for cid in cids))
    fd_index = {fd: index for index, fd in enumerate(fd_list)}
    strings = [head["registry"], head["ordering"]] + [fd[0] for fd in fd_list]

    def top_dict(charset: int, fd_select: int, charstrings: int, fd_array: int) -> bytes:
        return (_number(391) + _number(392) + _number(head["supplement"]) + b"\x0c\x1e" + head["bbox"]
                + head["matrix"] + _number(cids[-1] + 1) + b"\x0c\x22" + _number(charset) + b"\x0f"
                + _number(fd_select) + b"\x0c\x25" + _number(charstrings) + b"\x11" + _number(fd_array) + b"\x0c\x24")

    prefix = 4 + len(_write_index([head["name"]])) + len(_write_index([top_dict(0, 0, 0, 0)])) \
        + len(_write_index(strings)) + len(_write_index([]))
    charset = b"\x00" + b"".join(cid.to_bytes(2, "big") for cid in cids[1:])
    ranges = [(gid, fd_index[glyphs[cid][1]]) for gid, cid in enumerate(cids)
              if gid == 0 or glyphs[cid][1] != glyphs[cids[gid - 1]][1]]
    fd_select = (b"\x03" + len(ranges).to_bytes(2, "big")
                 + b"".join(gid.to_bytes(2, "big") + bytes([fd]) for gid, fd in ranges) + len(cids).to_bytes(2, "big"))
    charstrings = _write_index([glyphs[cid][0] for cid in cids])
    at_charset = prefix
    at_fd_select = at_charset + len(charset)
    at_charstrings = at_fd_select + len(fd_select)
    at_fd_array = at_charstrings + len(charstrings)

    def fd_dicts(private_at: list[int]) -> list[bytes]:
        return [others + _number(393 + index) + b"\x0c\x26" + _number(len(private)) + _number(private_at[index])
                + b"\x12" for index, (_, others, private) in enumerate(fd_list)]

    at_private = at_fd_array + len(_write_index(fd_dicts([0] * len(fd_list))))
    private_at = []
    for _, _, private in fd_list:
        private_at.append(at_private)
        at_private += len(private)
    data = (b"\x01\x00\x04\x04" + _write_index([head["name"]])
            + _write_index([top_dict(at_charset, at_fd_select, at_charstrings, at_fd_array)])
            + _write_index(strings) + _write_index([]) + charset + fd_select + charstrings
            + _write_index(fd_dicts(private_at)) + b"".join(private for _, _, private in fd_list))
    return data
