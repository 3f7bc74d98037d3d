"""Metadata that scholarly tools read: Highwire tags, JSON-LD, sitemap, robots.txt.

Google Scholar and Zotero read Highwire Press ``citation_*`` meta tags;
search engines read schema.org JSON-LD (`ScholarlyArticle` per paper, `Event`
on the homepage).  Everything goes into the page head through the
``metatags`` context value at ``html-page-context``; every value is escaped
(``html.escape`` for attributes, JSON with ``<``, ``>`` and ``&`` as
``\\u`` escapes inside scripts).  With a public base URL configured, the
extension also turns on sphinxext-opengraph and sphinx-sitemap and writes
``robots.txt``.
"""

from __future__ import annotations

import contextlib
import html
import io
import json
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.util import logging

from sphinx_proceedings.core.model import Paper, Person, Proceedings
from sphinx_proceedings.pdf.volume import page_range
from sphinx_proceedings.sphinx_ext.citations import HTML_BUILDERS, local_pdf_url, public_url
from sphinx_proceedings.sphinx_ext.config import base_url, proceedings_config
from sphinx_proceedings.sphinx_ext.state import build_state

logger = logging.getLogger(__name__)

ROBOTS_MARKER = "# Written by sphinx-proceedings"
#: Keys of ``proceedings_event`` and the schema.org Event property each fills.
EVENT_FIELDS = {"name": "name", "start_date": "startDate", "end_date": "endDate",
                "url": "url", "description": "description"}


def meta(name: str, content: str) -> str:
    return f'<meta name="{html.escape(name)}" content="{html.escape(content)}" />'


def json_ld(data: dict[str, Any]) -> str:
    """A JSON-LD script element whose text can never close the element early."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def highwire_name(person: Person) -> str:
    """``Family, Given`` (what Scholar and Zotero split reliably)."""
    family = " ".join(p for p in (person.von, person.family) if p)
    return f"{family}, {person.given}" if person.given else person.name


def highwire_tags(paper: Paper, proc: Proceedings, page_url: str, pdf_url: str) -> list[str]:
    tags = [meta("citation_title", paper.plain_title)]
    tags += [meta("citation_author", highwire_name(p)) for p in paper.authors]
    if paper.year:
        tags.append(meta("citation_publication_date", paper.year))
    if paper.booktitle:
        tags.append(meta("citation_conference_title", paper.booktitle))
    span = page_range(paper)  # pages in the full volume (volume.py)
    if span:
        tags += [meta("citation_firstpage", span[0]), meta("citation_lastpage", span[1])]
    if pdf_url:
        tags.append(meta("citation_pdf_url", pdf_url))
    if page_url:
        tags.append(meta("citation_abstract_html_url", page_url))
    keywords = list(paper.keywords)
    keywords += [proc.topic_by_slug[s].title for s in paper.topics if s in proc.topic_by_slug]
    if keywords:
        tags.append(meta("citation_keywords", "; ".join(dict.fromkeys(keywords))))
    return tags


def description(paper: Paper, limit: int = 300) -> str:
    """Search-result text: the abstract's start, else title, authors and venue."""
    if paper.abstract:
        text = " ".join(paper.plain_abstract.split())
        return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
    names = ", ".join(p.name for p in paper.authors)
    venue = ", ".join(v for v in (paper.booktitle, paper.year) if v)
    return f"{paper.plain_title}, by {names}" + (f" ({venue})" if venue else "")


def scholarly_article(paper: Paper, proc: Proceedings, page_url: str, pdf_url: str) -> dict[str, Any]:
    """schema.org ScholarlyArticle of a paper page."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": paper.plain_title,
        "name": paper.plain_title,
        "author": [{"@type": "Person", "name": p.name} for p in paper.authors],
    }
    if paper.year:
        data["datePublished"] = paper.year
    if paper.booktitle:
        data["isPartOf"] = {"@type": "PublicationVolume", "name": paper.booktitle}
    if page_url:
        data["url"] = page_url
    if pdf_url:
        data["encoding"] = {"@type": "MediaObject", "contentUrl": pdf_url,
                            "encodingFormat": "application/pdf"}
    if paper.abstract:
        data["abstract"] = paper.plain_abstract
    if paper.keywords:
        data["keywords"] = list(paper.keywords)
    about = [proc.topic_by_slug[s].title for s in paper.topics if s in proc.topic_by_slug]
    if about:
        data["about"] = about
    if paper.url:
        data["sameAs"] = paper.url
    return data


def event(config: Config) -> dict[str, Any] | None:
    """schema.org Event from ``proceedings_event``; None without name and start date."""
    given = proceedings_config(config).event
    if not given.get("name") or not given.get("start_date"):
        return None
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Event"}
    for key, prop in EVENT_FIELDS.items():
        if given.get(key):
            data[prop] = str(given[key])
    data.setdefault("url", base_url(config) or "")
    if not data["url"]:
        del data["url"]
    if given.get("location") or given.get("address"):
        place = {"@type": "Place", "name": str(given.get("location") or given.get("address"))}
        if given.get("address"):
            place["address"] = str(given["address"])
        data["location"] = place
    mode = str(given.get("attendance", "")).lower()
    if mode in {"offline", "online", "mixed"}:
        data["eventAttendanceMode"] = f"https://schema.org/{mode.title()}EventAttendanceMode"
    return data


def papers_by_page(app: Sphinx) -> dict[str, Paper]:
    """Paper by docname (built once per build)."""
    return build_state(app.env).papers_by_page(proceedings_config(app.config).prefix)


def add_page_metadata(app: Sphinx, pagename: str, templatename: str,
                      context: dict[str, Any], doctree: object) -> None:
    """``html-page-context``: Highwire tags and JSON-LD into the page head."""
    if app.builder.name not in HTML_BUILDERS:
        return
    extra: list[str] = []
    paper = papers_by_page(app).get(pagename)
    if paper is not None:
        proc = build_state(app.env).model
        page_url = public_url(app, pagename)
        pdf_url = local_pdf_url(app, paper, doctree if isinstance(doctree, nodes.document) else None)
        if pdf_url and not pdf_url.startswith(("https://", "http://")):
            pdf_url = ""
        # The page's <title> (and og:title, read from it) as plain text: Sphinx would
        # show the heading's math as TeX source.
        context["title"] = html.escape(paper.plain_title)
        extra.append(meta("description", description(paper)))
        extra += highwire_tags(paper, proc, page_url, pdf_url)
        extra.append(json_ld(scholarly_article(paper, proc, page_url, pdf_url)))
    elif pagename == app.config.root_doc:
        found = event(app.config)
        if found:
            extra.append(json_ld(found))
    if extra:
        context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(extra) + "\n"


def write_robots(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: robots.txt naming the sitemap, unless the site has its own."""
    base = base_url(app.config)
    if exception is not None or app.builder.name not in HTML_BUILDERS or not base:
        return
    path = Path(app.outdir) / "robots.txt"
    if path.exists() and ROBOTS_MARKER not in path.read_text(encoding="utf-8", errors="replace"):
        return  # the organizers' own robots.txt (html_extra_path) wins
    sitemap = getattr(app.config, "sitemap_filename", "sitemap.xml")
    text = f"{ROBOTS_MARKER}\nUser-agent: *\nAllow: /\n\nSitemap: {base}{sitemap}\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _load_companions(app: Sphinx) -> None:
    """Load sphinxext-opengraph and sphinx-sitemap when a public address is known.

    Runs in `setup` after the config values exist, so ``conf.py``'s values are
    visible; both need absolute URLs to be useful.  A wrong setting is left
    for ``config-inited`` to report.
    """
    try:
        given = proceedings_config(app.config)
    except ConfigError:
        return
    if not (given.base_url or app.config.html_baseurl):
        return
    for extension in ("sphinxext.opengraph", "sphinx_sitemap"):
        try:
            # sphinxext-opengraph prints a note about matplotlib (social card
            # images) on import; cards are off unless configured, so hide it.
            with contextlib.redirect_stdout(io.StringIO()):
                app.setup_extension(extension)
        except Exception as error:  # an optional nicety must not stop the build
            logger.warning(f"[proceedings] {extension} not loaded: {error}",
                           type="proceedings", subtype="metadata")


def configure_metadata(app: Sphinx, config: Config) -> None:
    """``config-inited``: one base URL for canonical links, Open Graph and the sitemap."""
    base = base_url(config)
    if not base:
        return
    if not config.html_baseurl:
        config.html_baseurl = base
    if hasattr(config, "ogp_site_url"):
        if not config.ogp_site_url:
            config.ogp_site_url = base
        if not config.ogp_custom_meta_tags:
            config.ogp_custom_meta_tags = ['<meta name="twitter:card" content="summary" />']
        if config.ogp_social_cards is None:
            # Social card images cost a matplotlib render per page.
            config.ogp_social_cards = {"enable": False}
    if hasattr(config, "sitemap_url_scheme"):
        if config.sitemap_url_scheme == "{lang}{version}{link}":
            config.sitemap_url_scheme = "{link}"  # proceedings sites are not versioned
        if not config.sitemap_excludes:
            prefix = proceedings_config(config).prefix
            config.sitemap_excludes = ["search.html", "genindex.html", "404.html",
                                       f"{prefix}/search.html"]


def setup_metadata(app: Sphinx) -> None:
    _load_companions(app)
    app.connect("config-inited", configure_metadata)
    app.connect("html-page-context", add_page_metadata, priority=400)  # before opengraph
    app.connect("build-finished", write_robots)
