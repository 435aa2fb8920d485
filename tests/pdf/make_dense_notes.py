"""Write the dense-notes fixture (tests/pdf/roots/dense_notes/): short paragraphs crowded with footnotes of
mixed lengths on A5 pages, the situation in which WeasyPrint 70 loses, duplicates or reorders notes.

The text is generated from one seed per language so that it can be regenerated:
``python make_dense_notes.py [EN_SEED JA_SEED]`` rewrites the fixture. The seeds kept (4 and 0) are ones for
which bare WeasyPrint 70, with taiyaku's stylesheet, loses a note (checked by
``test_pdf_footnotes.py::test_fixture_reproduces_weasyprints_loss``). Every call and body carries a visible
marker (``(c12)`` after the call, ``(n12)`` at the end of the note) so the tests can find both in the PDF's text.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent / "roots" / "dense_notes"

EN = [
    "The alliance rests on a treaty whose text has not changed since 1960.",
    "Adaptation came through exchanges of notes and joint declarations.",
    "Each adjustment followed a regional shock.",
    "The Guidelines of 1978 set out a division of labor between the two forces.",
    "Host-nation support grew through the 1980s and then levelled off.",
    "Japanese legislation lagged behind the bilateral text by several years.",
    "Critics argued that the arrangement was unequal from the start.",
    "The 2015 legislation allowed a limited exercise of collective self-defense.",
]
JA = [
    "日米同盟は、1960年以来条文の変わっていない条約の上に成り立っている。",
    "適応は、交換公文と共同宣言を通じて進んできた。",
    "主要な調整はいずれも地域における衝撃を受けて行われた。",
    "1978年の指針は、両国の部隊の役割分担を定めた。",
    "接受国支援は1980年代に増え、その後は横ばいとなった。",
    "日本の国内立法は、二国間文書に数年遅れて整えられた。",
    "この取り決めは当初から不平等だとする批判もあった。",
    "2015年の法制は、集団的自衛権の限定的な行使を認めた。",
]
NOTE_EN = ["See the exchange of notes of 1960.", "Ibid., Article 5.",
           "The figures are approximate and rounded to the nearest billion yen; they exclude the costs of "
           "realignment and of the Special Action Committee on Okinawa, which are budgeted separately.",
           "Security Consultative Committee, joint statement, 27 April 2015.",
           "On the debate in the Diet, see the minutes of the Special Committee on Security, which record more "
           "than two hundred hours of deliberation over the summer of 2015 and the opposition's objections."]
NOTE_JA = ["1960年の交換公文を参照。", "同条約第5条。",
           "数値は概数であり十億円単位で丸めている。再編経費および沖縄に関する特別行動委員会の経費は別枠で"
           "予算化されているため含まない。",
           "日米安全保障協議委員会共同発表、2015年4月27日。",
           "国会審議については、2015年夏に二百時間を超えて行われた安全保障特別委員会の議事録と、野党の反対"
           "意見を参照。"]


def write(en_seed: int, ja_seed: int) -> None:
    """Rewrite the fixture's two documents and its volume.toml."""
    for lang, sentences, notes, seed in (("en", EN, NOTE_EN, en_seed), ("ja", JA, NOTE_JA, ja_seed)):
        rng = random.Random(seed)
        body, defs, n = [], [], 0
        for _ in range(14):
            parts = []
            for _ in range(rng.randint(2, 6)):
                n += 1
                parts.append(" ".join(rng.choice(sentences) for _ in range(rng.randint(1, 2))).rstrip()
                             + f"[^{n}] (c{n})")
                defs.append(f"[^{n}]: {rng.choice(notes)} (n{n})")
            body.append(("" if lang == "ja" else " ").join(parts))
        title = "Dense notes" if lang == "en" else "注の多い文書"
        text = f"---\ntitle: \"{title}\"\n---\n\n" + "\n\n".join(body) + "\n\n" + "\n".join(defs) + "\n"
        path = ROOT / "content" / lang / "01-notes.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (ROOT / "volume.toml").write_text('slug = "dense"\npage_size = "A5"\n', encoding="utf-8")


if __name__ == "__main__":
    write(*(int(arg) for arg in sys.argv[1:3])) if len(sys.argv) > 2 else write(4, 0)
