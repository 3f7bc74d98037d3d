"""The book's fonts are in the one Debian package list (CI and every site's workflow)."""

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "sphinx_proceedings"
#: Debian's package of each font family the book's fonts.tex names.
FONT_PACKAGES = {"Noto Serif": "fonts-noto-core", "Noto Sans": "fonts-noto-core",
                 "Noto Sans Math": "fonts-noto-core",
                 "Noto Serif CJK SC": "fonts-noto-cjk", "Latin Modern Math": "fonts-lmodern"}


def test_every_font_of_the_book_is_installed_by_ci_and_the_workflows():
    fonts = set(re.findall(r"\\IfFontExistsTF\{([^}]+)\}",
                           (PACKAGE / "sphinx_ext/templates/latex/fonts.tex").read_text()))
    assert fonts == set(FONT_PACKAGES)
    listed = {line.split("#")[0].strip()
              for line in (PACKAGE / "cli/ci/debian-packages.txt").read_text().splitlines()}
    assert {FONT_PACKAGES[f] for f in fonts} <= listed
    assert "poppler-utils" in (PACKAGE.parents[1] / ".ci/run").read_text()
