#!/usr/bin/env python3
"""Draw the defense-budget bar chart used by content/*/03-paying-for-deterrence.md.

Writes two SVG files with no dependencies beyond the standard library:

    content/en/figures/defense-budget.svg   (English labels)
    content/ja/figures/defense-budget.svg   (Japanese labels)

The values are Japan's initial defense budgets in trillion yen, including
SACO- and realignment-related costs, rounded to one decimal place. They are
approximate and are meant for illustration in the sample volume.

Output is deterministic: running the script twice gives identical files.
"""

from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent

# (fiscal year, trillion yen), rounded and approximate.
DATA = [
    (2013, 4.7),
    (2015, 5.0),
    (2017, 5.1),
    (2019, 5.3),
    (2021, 5.3),
    (2022, 5.4),
    (2023, 6.8),
    (2024, 7.9),
    (2025, 8.7),
]
HIGHLIGHT_LAST = 3  # FY2023-FY2025: years under the 2022 Defense Buildup Program

WIDTH, HEIGHT = 600, 340
LEFT, RIGHT, TOP, BOTTOM = 58, 18, 60, 46
Y_MAX, Y_STEP = 10, 2

BAR = "#4a4a4a"
BAR_HI = "#4f6d8f"
GRID = "#d9d9d9"
AXIS = "#595959"
TEXT = "#333333"

LANG = {
    "en": {
        "lang": "en",
        "font": "Noto Sans, DejaVu Sans, sans-serif",
        "title": "Japan's defense budget, FY2013–FY2025 (initial budgets, trillion yen)",
        "desc": (
            "Bar chart. Japan's defense budget rose from about 4.7 trillion yen in FY2013 "
            "to about 5.4 trillion yen in FY2022, then to about 6.8 trillion yen in FY2023, "
            "7.9 trillion yen in FY2024 and 8.7 trillion yen in FY2025. The last three bars "
            "are highlighted. Values are rounded and approximate."
        ),
        "unit": "Trillion yen",
        "xlabel": lambda fy: f"FY{fy}",
        "xtitle": "",
        "legend_base": "Before the 2022 program",
        "legend_hi": "Under the 2022 Defense Buildup Program",
        "tick_size": 12,
    },
    "ja": {
        "lang": "ja",
        "font": "Noto Sans CJK JP, Noto Sans, sans-serif",
        "title": "日本の防衛関係費（2013〜2025年度、当初予算、兆円）",
        "desc": (
            "棒グラフ。日本の防衛関係費は2013年度の約4.7兆円から2022年度の約5.4兆円へと増加し、"
            "その後2023年度に約6.8兆円、2024年度に約7.9兆円、2025年度に約8.7兆円となった。"
            "直近3年度の棒を強調している。数値は概数である。"
        ),
        "unit": "兆円",
        "xlabel": lambda fy: f"{fy}",
        "xtitle": "年度",
        "legend_base": "2022年の計画以前",
        "legend_hi": "2022年の防衛力整備計画の下",
        "tick_size": 12,
    },
}


def fmt(v: float) -> str:
    """Format a coordinate compactly and deterministically."""
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s


def build(lang: str) -> str:
    L = LANG[lang]
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    base_y = TOP + plot_h

    def y_of(v: float) -> float:
        return base_y - v / Y_MAX * plot_h

    out = []
    add = out.append
    add('<?xml version="1.0" encoding="UTF-8"?>')
    add(
        f'<svg xmlns="http://www.w3.org/2000/svg" xml:lang="{L["lang"]}" '
        f'width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="title desc" '
        f'font-family="{L["font"]}" fill="{TEXT}">'
    )
    add(f'  <title id="title">{escape(L["title"])}</title>')
    add(f'  <desc id="desc">{escape(L["desc"])}</desc>')
    add(f'  <rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>')

    # Legend, top left.
    lx, ly = LEFT, 12
    add('  <g font-size="12">')
    add(f'    <rect x="{lx}" y="{ly}" width="12" height="12" fill="{BAR}"/>')
    add(f'    <text x="{lx + 18}" y="{ly + 10.5}">{escape(L["legend_base"])}</text>')
    lx2 = lx + 210
    add(f'    <rect x="{lx2}" y="{ly}" width="12" height="12" fill="{BAR_HI}"/>')
    add(f'    <text x="{lx2 + 18}" y="{ly + 10.5}">{escape(L["legend_hi"])}</text>')
    add('  </g>')

    # Unit label above the y axis.
    add(
        f'  <text x="10" y="{TOP - 12}" font-size="12">{escape(L["unit"])}</text>'
    )

    # Gridlines and y tick labels.
    add('  <g font-size="12" text-anchor="end">')
    for v in range(0, Y_MAX + 1, Y_STEP):
        y = y_of(v)
        if v:
            add(
                f'    <line x1="{LEFT}" y1="{fmt(y)}" x2="{WIDTH - RIGHT}" y2="{fmt(y)}" '
                f'stroke="{GRID}" stroke-width="1"/>'
            )
        add(f'    <text x="{LEFT - 8}" y="{fmt(y + 4)}">{v}</text>')
    add('  </g>')

    # Bars with value labels.
    slot = plot_w / len(DATA)
    bar_w = slot * 0.62
    add(f'  <g font-size="{L["tick_size"]}" text-anchor="middle">')
    for i, (fy, v) in enumerate(DATA):
        hi = i >= len(DATA) - HIGHLIGHT_LAST
        cx = LEFT + slot * (i + 0.5)
        x = cx - bar_w / 2
        y = y_of(v)
        color = BAR_HI if hi else BAR
        add(
            f'    <rect x="{fmt(x)}" y="{fmt(y)}" width="{fmt(bar_w)}" '
            f'height="{fmt(base_y - y)}" fill="{color}"/>'
        )
        weight = ' font-weight="bold"' if hi else ""
        add(
            f'    <text x="{fmt(cx)}" y="{fmt(y - 6)}" font-size="12"{weight}>{v:.1f}</text>'
        )
        add(f'    <text x="{fmt(cx)}" y="{fmt(base_y + 18)}">{escape(L["xlabel"](fy))}</text>')
    add('  </g>')

    # Axes.
    add(
        f'  <line x1="{LEFT}" y1="{fmt(base_y)}" x2="{WIDTH - RIGHT}" y2="{fmt(base_y)}" '
        f'stroke="{AXIS}" stroke-width="1.2"/>'
    )
    add(
        f'  <line x1="{LEFT}" y1="{TOP - 4}" x2="{LEFT}" y2="{fmt(base_y)}" '
        f'stroke="{AXIS}" stroke-width="1.2"/>'
    )
    if L["xtitle"]:
        add(
            f'  <text x="{fmt(LEFT + plot_w / 2)}" y="{HEIGHT - 12}" font-size="12" '
            f'text-anchor="middle">{escape(L["xtitle"])}</text>'
        )
    add('</svg>')
    return "\n".join(out) + "\n"


def main() -> None:
    for lang in ("en", "ja"):
        path = ROOT / "content" / lang / "figures" / "defense-budget.svg"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(build(lang), encoding="utf-8", newline="\n")
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
