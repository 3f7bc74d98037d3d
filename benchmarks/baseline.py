"""The rewritten baseline: the extension's generated pages as plain MyST.

Kept as ``run.py --baseline rewritten`` (issue 8's baseline); the default is
now ``plain_site.py``, the plainest site with the same papers, authors and
topics, because rewriting the extension's own pages keeps what those pages cost.

To express the extension's overhead as a ratio, the same pages are built by
plain Sphinx.  The generated sources under ``source/proceedings/`` are copied
and every construct of the extension is rewritten into standard MyST:
``{paper}``/``{topic}``/``{author}`` roles become ``{doc}`` links with the
same link text, each ``{paper-list}`` is expanded into the plain list it prints
(title and authors per paper; with ``abstracts``, each abstract in a dropdown,
as the cards fold it out) and the
object declarations and the search link and filter box of the papers page
(HTML-only widgets) are dropped.  The extension's site has one more page, the
Pagefind search page.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sphinx_proceedings.core.model import Proceedings, docname_for
from sphinx_proceedings.core.reader import ReaderSettings, read_proceedings
from sphinx_proceedings.core.text import slug_for
from sphinx_proceedings.render.abstracts import abstract_myst
from sphinx_proceedings.render.markup import fence, md_text

_DECLARATION = re.compile(r"^```\{proceedings:(?:paper|topic|author)\} [^\n]*\n```\n", re.M)
_PAPER_LIST = re.compile(r"^```\{paper-list\}\n((?::[a-z]+:[^\n]*\n)*)```\n", re.M)
_CITATION_FILES = re.compile(r"^```\{citation-files\}[ ]*([^\n]*)\n```\n", re.M)
_FORMATS = (("bib", "BibTeX"), ("ris", "RIS"), ("csl.json", "CSL-JSON"))
_WIDGETS = re.compile(r"^```\{paper-(?:search|filter)\}\n(?:[^`][^\n]*\n)*```\n", re.M)
_ROLE = re.compile(r"\{(paper|topic|author)\}`([^`]*)`")
_EXPLICIT = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)


class Rewriter:
    """Rewrites one generated page at a time against the site's data."""

    def __init__(self, proc: Proceedings, prefix: str = "proceedings",
                 base_url: str = "https://example.org/synthetic/") -> None:
        self.proc = proc
        self.base_url = base_url
        self.prefix = prefix

    def target(self, kind: str, name: str) -> tuple[str, str] | None:
        """``(absolute docname, link text)`` of an object, as the domain resolves it."""
        if kind == "paper" and name in self.proc.by_key:
            return (f"/{self.prefix}/papers/{docname_for(name)}",
                    self.proc.by_key[name].plain_title)
        if kind == "topic" and name in self.proc.topic_by_slug:
            return f"/{self.prefix}/topics/{name}", self.proc.topic_by_slug[name].title
        if kind == "author":
            slug = name if name in self.proc.authors else slug_for(name)
            if slug in self.proc.authors:
                return f"/{self.prefix}/authors/{slug}", self.proc.authors[slug].name
        return None

    def role(self, match: re.Match[str]) -> str:
        kind, content = match.group(1), match.group(2)
        explicit = _EXPLICIT.match(content)
        text, name = (explicit.group(1), explicit.group(2)) if explicit else (None, content)
        found = self.target(kind, name.strip())
        if found is None:
            return text or name
        docname, title = found
        label = (text or title).replace("<", "‹").replace(">", "›")
        return f"{{doc}}`{label} <{docname}>`"

    def paper_list(self, match: re.Match[str]) -> str:
        options = dict(
            (line[1:].split(":", 1)[0], line.split(":", 2)[2].strip())
            for line in match.group(1).splitlines() if line.strip()
        )
        names = [v.strip() for v in options.get("topic", "").split(",") if v.strip()]
        kinds = [v.strip().lower() for v in options.get("presentation", "").split(",") if v.strip()]
        author = options.get("author", "").strip()
        if author and author not in self.proc.authors:
            author = slug_for(author)
        style = options.get("style", "list")
        keys = [v.strip() for v in options.get("papers", "").split(",") if v.strip()]
        if keys:  # named papers (a paper's related papers)
            papers = [self.proc.by_key[k] for k in keys if k in self.proc.by_key]
        else:
            papers = self.proc.select(names, kinds, author or None)
        if not papers:
            return "No paper matches.\n"
        body = "".join(f"- {{paper}}`{p.key}`\\\n  "
                       f"{', '.join(md_text(person.name) for person in p.authors)}\n"
                       for p in papers)
        if "abstracts" in options:  # the papers page folds each abstract out
            body = self.with_abstracts(body, papers)
        return f"::::::::{{div}} proceedings-paper-list proceedings-{style}\n{body.rstrip()}\n::::::::\n"

    def with_abstracts(self, body: str, papers: list) -> str:
        """The plain list with each paper's abstract in a sphinx-design dropdown under it."""
        items = body.rstrip().split("\n- ")
        out = []
        for item, paper in zip(items, papers, strict=False):
            text = item if item.startswith("- ") else f"- {item}"
            if paper.abstract:
                block = abstract_myst(paper.abstract, paper.abstract_refused)
                colons = fence(block, ":") + ":"
                indented = "\n".join("  " + line if line else "" for line in
                                     f"{colons}{{dropdown}} Abstract\n{block}\n{colons}".split("\n"))
                text = f"{text}\n\n{indented}\n"
            out.append(text)
        return "\n".join(out) + "\n"

    def citation_files(self, match: re.Match[str]) -> str:
        """The Download line the extension resolves at write time, as plain links."""
        key = match.group(1).strip()
        # Absolute URLs: MyST leaves them alone (a relative link to a file that
        # is not a document would be an unresolved-reference warning).
        stem = (f"{self.base_url}{self.prefix}/papers/{docname_for(key)}" if key
                else f"{self.base_url}{self.prefix}/all-papers")
        label = "Download:" if key else "Download all citations:"
        links = " · ".join(f"[{name}]({stem}.{suffix})" for suffix, name in _FORMATS)
        return f"**{label}** {links}\n"

    def rewrite(self, text: str) -> str:
        text = _DECLARATION.sub("", text)
        text = _WIDGETS.sub("", text)
        text = _CITATION_FILES.sub(self.citation_files, text)
        text = _PAPER_LIST.sub(self.paper_list, text)
        return _ROLE.sub(self.role, text)


def make_baseline(ext_root: Path, base_root: Path, conf: str, refresh: bool = False) -> int:
    """Write the baseline site from a built extension site; return its page count.

    ``refresh``: keep the existing baseline and write only the files whose text
    changed (after an edit of the extension's site has been built), so that the
    baseline's rebuild sees the same changed pages.
    """
    if base_root.exists() and not refresh:
        shutil.rmtree(base_root)
    (base_root / "source").mkdir(parents=True, exist_ok=True)
    _write_if_changed(base_root / "conf.py", conf)
    _write_if_changed(base_root / "source" / "index.md",
                      (ext_root / "source" / "index.md").read_text(encoding="utf-8"))
    proc = read_proceedings(ext_root / "papers", ReaderSettings(year="2024"))
    rewriter = Rewriter(proc)
    count = 1
    generated = ext_root / "source" / "proceedings"
    for path in sorted(generated.rglob("*.md")):
        out = base_root / "source" / "proceedings" / path.relative_to(generated)
        out.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        if path.relative_to(generated).as_posix() == "authors/index.md":
            text += "\n```{toctree}\n:hidden:\n\n" + "".join(f"{s}\n" for s in proc.authors) + "```\n"
        _write_if_changed(out, rewriter.rewrite(text))
        count += 1
    for slug, text in author_pages(proc).items():  # no MyST file in the extension's site
        out = base_root / "source" / "proceedings" / "authors" / f"{slug}.md"
        _write_if_changed(out, rewriter.rewrite(text))
        count += 1
    return count


def author_pages(proc: Proceedings) -> dict[str, str]:
    """The author pages as the extension wrote them in MyST before issue 15.

    Since then the extension writes them as HTML without Sphinx's reader, so
    the rewritten baseline makes them from the model, as they were.
    """
    pages = {}
    for slug, author in proc.authors.items():
        count = len(author.papers)
        coauthors = sorted({p.slug for key in author.papers for p in proc.by_key[key].authors
                            if p.slug != slug and p.slug in proc.authors})
        text = (f"---\nnosearch: true\n---\n# {md_text(author.name)}\n\n"
                f"{count} paper{'s' if count != 1 else ''} in these proceedings.\n\n"
                f"```{{paper-list}}\n:author: {slug}\n```\n")
        if coauthors:
            text += "\n## Co-authors\n\n" + ", ".join(f"{{author}}`{c}`" for c in coauthors) + "\n"
        pages[slug] = text
    return pages


def _write_if_changed(path: Path, text: str) -> None:
    if not (path.is_file() and path.read_text(encoding="utf-8") == text):
        path.write_text(text, encoding="utf-8")
