"""Every ``proceedings_*`` configuration value, declared once with its default.

The README's configuration table documents the same list.  Values that change
what pages say rebuild the environment (``"env"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    types: tuple[type, ...]
    doc: str
    rebuild: str = "env"  # what Sphinx rebuilds when the value changes


SETTINGS: tuple[Setting, ...] = (
    Setting("proceedings_papers_dir", "papers", (str,),
            "Folder of the inputs, relative to the configuration directory."),
    Setting("proceedings_output_dir", "proceedings", (str,),
            "Folder of the source directory that receives generated pages (git-ignore it)."),
    Setting("proceedings_year", "", (str, int),
            "Year used when an entry has no year field."),
    Setting("proceedings_booktitle", "", (str,),
            "Booktitle used when an entry has none (name of the workshop proceedings)."),
    Setting("proceedings_submissions", 0, (int,),
            "Number of submissions, shown in the statistics (0 hides it)."),
    Setting("proceedings_forum_url", "https://openreview.net/forum?id={id}", (str,),
            "Forum link made from an entry's openreview id when it has no url field."),
    Setting("proceedings_pdf_url", "", (str,),
            "PDF link made from an entry's openreview id when it has no pdf field."),
    Setting("proceedings_base_url", "", (str,),
            "Public address of the site, for citations; defaults to html_baseurl."),
    Setting("proceedings_related_papers", 5, (int,),
            "How many related papers a paper page lists."),
    Setting("proceedings_abstract_word_limit", 300, (int,),
            "Longer abstracts are reported by `proceedings check`."),
    # Readers (metadata.py): the homepage's schema.org Event.
    Setting("proceedings_event", {}, (dict,),
            "The workshop as a schema.org Event: name, start_date, end_date, location, "
            "address, url, description, attendance (offline | online | mixed)."),
    Setting("proceedings_search", True, (bool,),
            "Index the paper pages with Pagefind after HTML builds and add the paper search page."),
    # The PDF book of abstracts (latex_output.py): its title page.
    Setting("proceedings_conference", "", (str,),
            "Host conference printed on the PDF's title page, e.g. \"ICLR 2024\"."),
    Setting("proceedings_date", "", (str,),
            "Date printed on the PDF's title page, e.g. \"11 May 2024\"."),
    Setting("proceedings_place", "", (str,),
            "Place printed on the PDF's title page, e.g. \"Vienna, Austria\"."),
    # The PDF book and the full volume (book.py, volume.py): order of papers.
    Setting("proceedings_book_group_by", "presentation", (str,),
            "How the PDF book and the volume group papers: \"presentation\" or \"topic\"."),
    Setting("proceedings_book_front_matter", None, (list, tuple, type(None)),
            "Pages printed before the PDF's table of contents (docnames); default: the "
            "homepage, then organizers and committee pages when they exist."),
    Setting("proceedings_volume_page_ranges", True, (bool,),
            "Put each paper's pages in the full volume (papers/<key>/paper.pdf) into its "
            "citation and page metadata."),
    # Build speed (gc_tuning.py).
    Setting("proceedings_freeze_gc", True, (bool,),
            "Keep the garbage collector from rescanning the loaded environment during a "
            "build (gc.freeze); about a fifth less CPU time on large sites.", rebuild=""),
)


def add_config_values(app: Sphinx) -> None:
    for s in SETTINGS:
        app.add_config_value(s.name, s.default, s.rebuild, types=frozenset(s.types))


def user_set(config: Config, name: str) -> bool:
    """Whether conf.py or ``-D`` gave ``name`` a value (then we leave it alone)."""
    raw = getattr(config, "_raw_config", {})
    overrides = getattr(config, "_overrides", {})
    return name in raw or name in overrides


def papers_dir(app: Sphinx) -> Path:
    return (Path(app.confdir) / app.config.proceedings_papers_dir).resolve()


def publishes_papers(app: Sphinx) -> bool:
    """Whether this project has proceedings of its own (a papers folder).

    Without one, the extension only lends its roles, for links to other sites'
    papers through intersphinx: no pages, citation files or paper search.
    """
    return papers_dir(app).is_dir()


def output_dir(app: Sphinx) -> Path:
    return Path(app.srcdir) / app.config.proceedings_output_dir


def base_url(config: Config) -> str:
    url = config.proceedings_base_url or config.html_baseurl or ""
    return url.rstrip("/") + "/" if url else ""


def setup_companions(app: Sphinx, config: Config) -> None:
    """Turn on what generated pages rely on (MyST math, colon fences, sidebars)."""
    extensions = list(config.myst_enable_extensions or [])
    for needed in ("dollarmath", "colon_fence", "attrs_inline", "attrs_block"):
        if needed not in extensions:
            extensions.append(needed)
    config.myst_enable_extensions = extensions
    # Generated pages carry no left sidebar: the theme's per-page navigation
    # is what makes large sites slow (see the performance notes).
    prefix = config.proceedings_output_dir.strip("/")
    sidebars = dict(config.html_sidebars or {})
    sidebars.setdefault(f"{prefix}/**", [])
    config.html_sidebars = sidebars
    # Inputs inside the source directory are data, not pages.
    papers = (Path(app.confdir) / config.proceedings_papers_dir).resolve()
    srcdir = Path(app.srcdir).resolve()
    if papers.is_relative_to(srcdir):
        config.exclude_patterns = [*config.exclude_patterns, str(papers.relative_to(srcdir))]
    # The generated author and topic index pages (authors/index, topics/index)
    # already list everything the domain's HTML index pages would; those are
    # rebuilt on every build, even a no-op one, at seconds per 10,000 authors.
    if not user_set(config, "html_domain_indices"):
        config.html_domain_indices = [
            f"{domain.name}-{index.name}" for domain in app.registry.domains.values()
            for index in domain.indices if domain.name != "proceedings"]
    # Copy buttons only on code blocks' text, not on BibTeX prompts.
    if not getattr(config, "copybutton_exclude", None):
        config.copybutton_exclude = ".linenos, .gp"
