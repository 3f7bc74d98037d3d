"""The full proceedings volume: front matter, contents and every paper's own PDF.

``proceedings build volume`` joins the papers' ``papers/<key>/paper.pdf``
files into one PDF with pypdf: a title page and a table of contents typeset
by XeLaTeX (the book's fonts, so every name prints), the front matter pages
of the book of abstracts when it was built, then the papers in the book's
order, with page numbers stamped on every paper page (1, 2, ... across the
whole volume), page labels that match them and a bookmark per paper.

A paper's page range depends only on the page counts of the PDFs before it,
so `plan_volume` computes the ranges from the inputs alone: the HTML build
calls it at ``builder-inited`` (`with_page_ranges`) and writes the same
ranges into citations (``pages = {12--17}``) and page metadata
(``citation_firstpage``) whether or not the volume was built first.

Missing PDFs and PDFs pypdf cannot read (or that are encrypted) are left
out, listed by `VolumePlan.problems`; the volume is built from the others.
Untrusted titles and names reach LaTeX only escaped, and XeLaTeX runs with
shell escape off and paranoid file access.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_proceedings.core.files import replacing
from sphinx_proceedings.core.model import Paper, Problem, Proceedings, Source
from sphinx_proceedings.core.problems import ProblemKind
from sphinx_proceedings.sphinx_ext.book import book_groups
from sphinx_proceedings.sphinx_ext.rendering import render_tex

if TYPE_CHECKING:  # pypdf is imported where it is used: most builds never need it
    from pypdf import PdfReader


class VolumeError(Exception):
    """The volume could not be assembled (TeX failed, nothing to join ...)."""


@dataclass(frozen=True)
class VolumeEntry:
    """One paper's place in the volume."""

    paper: Paper
    path: Path
    pages: int
    first: int  # stamped page number of its first page

    @property
    def last(self) -> int:
        return self.first + self.pages - 1

    @property
    def page_range(self) -> str:
        """As BibTeX writes it: ``12--17``, or ``12`` for a one-page paper."""
        return f"{self.first}--{self.last}" if self.pages > 1 else str(self.first)


@dataclass
class VolumePlan:
    """What goes into the volume, in order, and what is left out and why."""

    groups: list[tuple[str, list[VolumeEntry]]] = field(default_factory=list)
    missing: list[Paper] = field(default_factory=list)
    unreadable: list[tuple[Paper, str]] = field(default_factory=list)

    @property
    def entries(self) -> list[VolumeEntry]:
        return [entry for _heading, entries in self.groups for entry in entries]

    @property
    def total_pages(self) -> int:
        return sum(entry.pages for entry in self.entries)

    def problems(self) -> list[Problem]:
        """One line per paper left out, naming the file."""
        found = [Problem(ProblemKind.LEFT_OUT_OF_VOLUME, f"{why}; left out of the volume",
                         Source(self._pdf_path(paper)))
                 for paper, why in self.unreadable]
        found += [Problem(ProblemKind.LEFT_OUT_OF_VOLUME, "no paper.pdf; left out of the volume",
                          Source(self._pdf_path(paper))) for paper in self.missing]
        return found

    @staticmethod
    def _pdf_path(paper: Paper) -> Path:
        """Where the paper's PDF is, or would be (entries of a volume .bib have no folder)."""
        attachment = paper.attachment("pdf")
        if attachment is not None:
            return attachment.path
        folder = paper.source.path.parent
        return (folder if folder.name == paper.key else folder / paper.key) / "paper.pdf"


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs every repair it makes to a broken file; we report the file once."""
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


_COUNTS: dict[tuple[str, int, int], int | str] = {}


def page_count(path: Path) -> int | str:
    """The PDF's number of pages, or why it cannot be used (cached by size and mtime)."""
    try:
        stat = path.stat()
    except OSError as exc:
        return f"cannot read {path.name}: {exc.strerror or exc}"
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _COUNTS:
        _COUNTS[key] = _count(path)
    return _COUNTS[key]


def _count(path: Path) -> int | str:
    from pypdf import PdfReader

    try:
        with _quiet_pypdf():
            reader = PdfReader(path)
            if reader.is_encrypted and not reader.decrypt(""):
                return f"{path.name} is encrypted"
            count = len(reader.pages)
    except Exception as exc:  # pypdf raises many kinds on damaged files
        return f"{path.name} is not a readable PDF ({type(exc).__name__}: {exc})"
    return count if count > 0 else f"{path.name} has no pages"


def plan_volume(proc: Proceedings, how: str = "presentation") -> VolumePlan:
    """Every paper with a readable ``paper.pdf``, in the book's order, with its pages."""
    plan = VolumePlan()
    page = 1
    for _key, heading, papers in book_groups(proc, how):
        entries = []
        for paper in papers:
            attachment = paper.attachment("pdf")
            if attachment is None:
                plan.missing.append(paper)
                continue
            count = page_count(attachment.path)
            if isinstance(count, str):
                plan.unreadable.append((paper, count))
                continue
            entries.append(VolumeEntry(paper, attachment.path, count, page))
            page += count
        if entries:
            plan.groups.append((heading, entries))
    return plan


def _with_pages(fields: tuple[tuple[str, str], ...], pages: str) -> tuple[tuple[str, str], ...]:
    return (*((k, v) for k, v in fields if k.lower() != "pages"), ("pages", pages))


def with_page_ranges(proc: Proceedings, plan: VolumePlan) -> Proceedings:
    """The same proceedings with each volume paper's ``pages`` field set to its range.

    The field lands where every export reads BibTeX fields from (``raw_fields``
    and ``extra``), so citations and metadata need no volume-specific code.
    """
    ranges = {entry.paper.key: entry.page_range for entry in plan.entries}
    if not ranges:
        return proc
    papers = tuple(
        replace(p, raw_fields=_with_pages(p.raw_fields, ranges[p.key]),
                extra=_with_pages(p.extra, ranges[p.key])) if p.key in ranges else p
        for p in proc.papers)
    return Proceedings(papers=papers, topics=proc.topics, problems=proc.problems)


def page_range(paper: Paper) -> tuple[str, str] | None:
    """``(first, last)`` from a paper's ``pages`` field (``12--17``, ``12-17``, ``12``)."""
    value = dict(paper.extra).get("pages", "").strip()
    if not value:
        return None
    first, _, last = value.replace("–", "-").replace("--", "-").partition("-")
    first, last = first.strip(), (last.strip() or first.strip())
    return (first, last) if first else None


# -- typesetting: title page, contents, page-number stamps ----------------------------------
@dataclass(frozen=True)
class VolumeInfo:
    """What the title page says."""

    title: str
    conference: str = ""
    date: str = ""
    place: str = ""
    subtitle: str = "Proceedings"


def pages_tex(info: VolumeInfo, plan: VolumePlan, first_contents_page: int) -> str:
    """Title page, contents (roman numbers from ``first_contents_page``), then one
    empty page per paper page carrying only its number: the stamps
    (``sphinx_ext/templates/latex/volume.tex.jinja``)."""
    groups = [(heading, [{"title": entry.paper.plain_title, "first": entry.first,
                          "names": ", ".join(person.name for person in entry.paper.authors)}
                         for entry in entries])
              for heading, entries in plan.groups]
    return render_tex("volume.tex.jinja", title=info.title, subtitle=info.subtitle,
                      details=(info.conference, info.date, info.place), groups=groups,
                      first_contents_page=first_contents_page, stamps=plan.total_pages)


def run_xelatex(tex: Path) -> Path:
    """Typeset ``tex`` in its folder, hardened like the book; returns the PDF."""
    if shutil.which("xelatex") is None:
        raise VolumeError("xelatex is not installed (apt-get install texlive-xetex)")
    env = {**os.environ, "shell_escape": "f", "openin_any": "p", "openout_any": "p"}
    result = subprocess.run(
        ["xelatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error",
         tex.name], cwd=tex.parent, env=env, capture_output=True, text=True,
        encoding="utf-8", errors="replace", timeout=600)
    pdf = tex.with_suffix(".pdf")
    if result.returncode != 0 or not pdf.exists():
        tail = "\n".join(result.stdout.splitlines()[-15:])
        raise VolumeError(f"XeLaTeX failed on {tex} (exit {result.returncode}):\n{tail}")
    return pdf


def book_front_matter(book: Path | None) -> tuple[PdfReader | None, list[int]]:
    """Page indexes of the book of abstracts' front matter: after its title page,
    before its "Contents" bookmark.  Nothing when there is no (usable) book."""
    from pypdf import PdfReader

    if book is None or not book.is_file():
        return None, []
    try:
        with _quiet_pypdf():
            reader = PdfReader(book)
            outline = [item for item in reader.outline if not isinstance(item, list)]
            contents = next((reader.get_destination_page_number(item) for item in outline
                             if str(item.title).strip().lower() == "contents"), None)
    except Exception:
        return None, []
    return (reader, list(range(1, contents))) if contents else (None, [])


@dataclass
class VolumeResult:
    path: Path
    pages: int
    papers: int


def build_volume(plan: VolumePlan, info: VolumeInfo, out_dir: Path,
                 book: Path | None = None, name: str = "volume.pdf") -> VolumeResult:
    """Typeset title, contents and stamps; join them with the front matter and papers."""
    from pypdf import PdfReader, PdfWriter

    if not plan.entries:
        raise VolumeError("no paper has a readable paper.pdf: nothing to put in a volume")
    out_dir.mkdir(parents=True, exist_ok=True)
    book_reader, front = book_front_matter(book)
    tex = out_dir / "volume-pages.tex"
    tex.write_text(pages_tex(info, plan, len(front) + 1), encoding="utf-8")
    typeset = PdfReader(run_xelatex(tex))
    stamps_from = len(typeset.pages) - plan.total_pages
    writer = PdfWriter()
    with _quiet_pypdf():
        writer.add_page(typeset.pages[0])
        if book_reader is not None:
            for index in front:
                writer.add_page(book_reader.pages[index])
        for index in range(1, stamps_from):
            writer.add_page(typeset.pages[index])
        writer.add_outline_item(title="Contents",
                                page_number=len(writer.pages) - (stamps_from - 1))
        writer.set_page_label(1, len(writer.pages) - 1, style="/r")
        first_paper = len(writer.pages)
        stamp = stamps_from
        starts: list[int] = []
        for entry in plan.entries:
            starts.append(len(writer.pages))
            for page in PdfReader(entry.path).pages:
                added = writer.add_page(page)
                _stamp(added, typeset.pages[stamp])
                stamp += 1
        # Bookmarks point at pages, so they are made once the pages are in.
        position = iter(starts)
        for heading, entries in plan.groups:
            first = [next(position) for _entry in entries]
            group = writer.add_outline_item(title=heading, page_number=first[0])
            for entry, start in zip(entries, first, strict=True):
                writer.add_outline_item(title=entry.paper.plain_title, page_number=start,
                                        parent=group)
        writer.set_page_label(first_paper, len(writer.pages) - 1, style="/D", start=1)
        writer.add_metadata({"/Title": f"{info.title}: {info.subtitle}"})
        path = out_dir / name
        with replacing(path) as handle:
            writer.write(handle)
    return VolumeResult(path, len(writer.pages), len(plan.entries))


def _stamp(page, stamp) -> None:
    """Put the stamp's page number at the bottom centre of ``page``, whatever its size."""
    from pypdf import Transformation

    box, own = page.mediabox, stamp.mediabox
    dx = float(box.left) + (float(box.width) - float(own.width)) / 2 - float(own.left)
    dy = float(box.bottom) - float(own.bottom)
    page.merge_transformed_page(stamp, Transformation().translate(dx, dy), over=True)
