"""Characters XeLaTeX could not print become warnings naming the papers that hold them."""

from pathlib import Path

from sphinx_proceedings.core.model import Paper, Person, Proceedings, Source
from sphinx_proceedings.pdf.glyphs import glyph_problems, missing_characters

LOG = """(./corl-2023.tex
Missing character: There is no σ (U+03C3) in font cmmi10!
Missing character: There is no α ("3B1) in font [NotoSerif-Regular.ttf]/OT:script=latn;!
Missing character: There is no σ (U+03C3) in font cmmi12!
Missing character: There is no क (U+0915) in font [NotoSerif-Regular.ttf]!
"""


def test_the_log_is_read():
    found = missing_characters(LOG)
    assert set(found) == {"σ", "α", "क"}
    assert found["σ"] == {"cmmi10", "cmmi12"}


def test_each_missing_character_names_its_papers(tmp_path: Path):
    log = tmp_path / "book.log"
    log.write_text(LOG, encoding="utf-8")
    where = Source(Path("papers/volume.bib"), 3)
    proc = Proceedings(papers=(
        Paper("a", "Noise $\\sigma$ and σ", (Person("Ann", "Bell"),), where),
        Paper("b", "Plain", (Person("क", "Rao"),), Source(Path("papers/volume.bib"), 9)),
    ))
    problems = [str(p) for p in glyph_problems(log, proc)]
    assert len(problems) == 3
    assert any(p.startswith("papers/volume.bib:9: warning: paper 'b': the PDF has no glyph "
                            "for 'क' (U+0915 DEVANAGARI LETTER KA") for p in problems)
    assert any(p.startswith("papers/volume.bib:3: warning: paper 'a': the PDF has no glyph "
                            "for 'σ' (U+03C3 GREEK SMALL LETTER SIGMA, missing in cmmi10, cmmi12)")
               for p in problems)
    assert any(p.startswith(f"{log}: warning: the PDF has no glyph for 'α'") for p in problems)
