"""The plain baseline: the plainest Sphinx site showing the same papers, authors and topics.

Issue 15 measures the extension against "a plain Sphinx build of pages with
the same papers, authors and topics (basic theme)".  Rewriting the extension's
own generated pages (``baseline.py``, ``--baseline rewritten``) would keep
whatever those pages cost; this module instead writes the site a person would
write by hand from the same data, with nothing but Sphinx and myst-parser:

* one page per paper: its title, its authors and topics as links, its abstract;
* one page per topic: its title, description and papers (its narrower topics'
  papers too, as the extension lists them) as links;
* one page per author: their name and papers as links;
* ``proceedings/index``, ``proceedings/topics/index`` and
  ``proceedings/authors/index``: toctrees of those pages, so every page is in
  the toctree, under a root ``index`` whose toctree names the three.

Not shown, because they are what the extension adds: BibTeX and the citation
files, related papers, previous/next links, keywords, presentation badges,
forum and code links, co-authors, cards, filters, Pagefind, Open Graph tags and
the sitemap.  Author pages are indexed by Sphinx's search like every other
page (plain Sphinx has no reason to mark them ``nosearch``).  Theme ``basic``,
math through Sphinx's default (MathJax, a script tag).

Docnames are the extension's (``proceedings/papers/<key>``, ...), so the
same edit touches the same page in both sites.  `write_plain_site` writes only
the files whose text changed: called again after an edit of ``papers/``, it is
the hand edit a plain site would need (an abstract edit changes the paper's
page; a title edit also the topic and author pages whose link text shows it).

Usage: ``python benchmarks/plain_site.py PAPERS_DIR OUT [--papers N]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sphinx_proceedings.core.model import Paper, Proceedings
from sphinx_proceedings.core.reader import ReaderSettings, read_proceedings
from sphinx_proceedings.render.abstracts import abstract_myst
from sphinx_proceedings.render.markup import md_text, md_title
from sphinx_proceedings.render.myst_inline import md_blocks, md_inline

PREFIX = "proceedings"

CONF = '''"""Plain-Sphinx baseline (benchmarks/plain_site.py): myst-parser only, basic theme."""

project = "Synthetic Workshop {n}"
author = "Nobody"
copyright = "2024, nobody"
extensions = ["myst_parser"]
myst_enable_extensions = ["dollarmath", "amsmath"]
exclude_patterns = ["_build"]
html_theme = "basic"
html_show_sourcelink = False
html_copy_source = False
'''

ROOT = """# Synthetic Workshop

A fictional workshop with {n} accepted papers, generated for benchmarks.

```{{toctree}}
:maxdepth: 1

{prefix}/index
{prefix}/topics/index
{prefix}/authors/index
```
"""


def title_myst(paper: Paper) -> str:
    return md_inline(paper.title_tree) if paper.title_tree else md_title(paper.title)


def abstract_text(paper: Paper) -> str | None:
    if paper.abstract_tree is not None:  # a BibTeX field, parsed by the reader
        return md_blocks(paper.abstract_tree)
    return abstract_myst(paper.abstract, paper.abstract_refused) if paper.abstract else None


def toctree(title: str, intro: str, entries: list[str]) -> str:
    body = "\n".join(entries)
    return f"# {title}\n\n{intro}\n\n```{{toctree}}\n:maxdepth: 1\n\n{body}\n```\n"


def links(items: list[tuple[str, str]]) -> str:
    return "".join(f"- [{text}]({target})\n" for text, target in items) or "None.\n"


def pages(proc: Proceedings, n: int) -> dict[str, str]:
    """Every source file of the plain site, by path relative to ``source/``."""
    authors = proc.authors
    topics = proc.topic_by_slug
    out: dict[str, str] = {"index.md": ROOT.format(n=len(proc.papers), prefix=PREFIX)}
    out[f"{PREFIX}/index.md"] = toctree(
        "Accepted papers", f"{len(proc.papers)} papers.",
        [f"papers/{p.docname}" for p in proc.papers])
    for paper in proc.papers:
        people = ", ".join(f"[{md_text(person.name)}](../authors/{person.slug}.md)"
                           for person in paper.authors if person.slug in authors)
        tags = ", ".join(f"[{md_text(topics[s].title)}](../topics/{s}.md)"
                         for s in paper.topics if s in topics)
        text = f"# {title_myst(paper)}\n\n**Authors:** {people}\n\n"
        if tags:
            text += f"**Topics:** {tags}\n\n"
        abstract = abstract_text(paper)
        if abstract:
            text += f"## Abstract\n\n{abstract}\n"
        out[f"{PREFIX}/papers/{paper.docname}.md"] = text
    listed = [t for t in proc.topics if proc.papers_for_topic(t.slug)]
    out[f"{PREFIX}/topics/index.md"] = toctree(
        "Topics", f"{len(listed)} topics.", [t.slug for t in listed])
    for topic in listed:
        papers = proc.papers_for_topic(topic.slug)
        description = f"{md_text(topic.description)}\n\n" if topic.description else ""
        out[f"{PREFIX}/topics/{topic.slug}.md"] = (
            f"# {md_text(topic.title)}\n\n{description}{len(papers)} papers.\n\n"
            + links([(title_myst(p), f"../papers/{p.docname}.md") for p in papers]))
    out[f"{PREFIX}/authors/index.md"] = toctree(
        "Authors", f"{len(authors)} authors.", list(authors))
    for slug, author in authors.items():
        papers = [proc.by_key[k] for k in author.papers]
        out[f"{PREFIX}/authors/{slug}.md"] = (
            f"# {md_text(author.name)}\n\n"
            + links([(title_myst(p), f"../papers/{p.docname}.md") for p in papers]))
    return out


def write_plain_site(papers_dir: Path, root: Path, n: int | None = None,
                     year: str = "2024") -> dict[str, int]:
    """Write (or bring up to date) the plain site under ``root`` from ``papers_dir``.

    Only files whose text differs are written and files no longer wanted are
    removed, so Sphinx sees exactly the pages an edit changed.  Returns the
    number of source files and how many were written.
    """
    proc = read_proceedings(papers_dir, ReaderSettings(year=year))
    wanted = pages(proc, n or len(proc.papers))
    source = root / "source"
    files = dict(wanted)
    files_root = {"conf.py": CONF.format(n=n or len(proc.papers))}
    written = 0
    for base, group in ((root, files_root), (source, files)):
        for rel, text in group.items():
            path = base / rel
            if path.is_file() and path.read_text(encoding="utf-8") == text:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written += 1
    if source.is_dir():
        for path in source.rglob("*.md"):
            if path.relative_to(source).as_posix() not in files:
                path.unlink()
    return {"sources": len(files), "written": written}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("papers_dir", type=Path, help="a site's papers/ folder")
    parser.add_argument("out", type=Path, help="folder of the plain site (updated in place)")
    parser.add_argument("--papers", type=int, help="N in the project name (default: counted)")
    args = parser.parse_args()
    print(write_plain_site(args.papers_dir, args.out, args.papers))


if __name__ == "__main__":
    main()
