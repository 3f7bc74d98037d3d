"""The settings in Sphinx: `core.config.ProceedingsConfig` registered and checked.

Every field of `ProceedingsConfig` becomes the ``proceedings_<field>`` value with
its default, types and help.  At ``config-inited`` (before any other handler of
the extension) the values are checked: a wrong one stops the build with one
`ConfigError` that names every bad setting.  Modules read the settings through
`proceedings_config`, never ``config.proceedings_*``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

from sphinx_proceedings.core.config import (
    PREFIX,
    ConfigValueError,
    ProceedingsConfig,
    default_of,
    settings,
)
from sphinx_proceedings.render.pages import PageSettings

_objects: WeakKeyDictionary[Config, tuple[tuple[Any, ...], ProceedingsConfig]] = WeakKeyDictionary()


def _raw(config: Config) -> tuple[Any, ...]:
    return tuple(config[PREFIX + item.name] for item in settings())


def proceedings_config(config: Config) -> ProceedingsConfig:
    """The checked settings of ``config`` (made again only when a value changed)."""
    raw = _raw(config)
    known = _objects.get(config)
    if known is not None and known[0] == raw:
        return known[1]
    try:
        made = ProceedingsConfig(**{item.name: value for item, value in zip(settings(), raw,
                                                                           strict=True)})
    except ConfigValueError as error:
        raise ConfigError("wrong setting: " + "; ".join(
            f"{name} {reason}" for name, reason in error.problems)) from None
    _objects[config] = (raw, made)
    return made


def page_settings(app: Sphinx) -> PageSettings:
    """What rendering the generated pages needs from the configuration."""
    config, settings_ = app.config, proceedings_config(app.config)
    return PageSettings(
        output_dir=output_dir(app), prefix=settings_.prefix,
        template_dirs=tuple(Path(app.confdir) / d for d in config.templates_path),
        base_url=base_url(config), html_suffix=config.html_file_suffix or ".html",
        related=settings_.related_papers, submissions=settings_.submissions,
        accepted=tuple(settings_.accepted.items()), accepted_url=settings_.accepted_url,
        empty_topics=settings_.empty_topics, papers_dir=papers_dir(app),
    )


def check_config(app: Sphinx, config: Config) -> None:
    """``config-inited``: stop at once on a wrong setting, naming it."""
    proceedings_config(config)


def papers_dir(app: Sphinx) -> Path:
    return (Path(app.confdir) / proceedings_config(app.config).papers_dir).resolve()


def publishes_papers(app: Sphinx) -> bool:
    """Whether this project has proceedings of its own (a papers folder).

    Without one, the extension only lends its roles, for links to other sites'
    papers through intersphinx: no pages, citation files or paper search.
    """
    return papers_dir(app).is_dir()


def output_dir(app: Sphinx) -> Path:
    return Path(app.srcdir) / proceedings_config(app.config).output_dir


def base_url(config: Config) -> str:
    url = proceedings_config(config).base_url or config.html_baseurl or ""
    return url.rstrip("/") + "/" if url else ""


def setup_companions(app: Sphinx, config: Config) -> None:
    """Turn on what generated pages rely on (MyST math and AMS environments, colon
    fences, spans, sidebars)."""
    settings_ = proceedings_config(config)
    extensions = list(config.myst_enable_extensions or [])
    for needed in ("dollarmath", "amsmath", "colon_fence", "attrs_inline", "attrs_block"):
        if needed not in extensions:
            extensions.append(needed)
    config.myst_enable_extensions = extensions
    # Generated pages carry no left sidebar: the theme's per-page navigation
    # is what makes large sites slow (see the performance notes).
    sidebars = dict(config.html_sidebars or {})
    sidebars.setdefault(f"{settings_.prefix}/**", [])
    config.html_sidebars = sidebars
    # Inputs inside the source directory are data, not pages.
    papers = (Path(app.confdir) / settings_.papers_dir).resolve()
    srcdir = Path(app.srcdir).resolve()
    if papers.is_relative_to(srcdir):
        config.exclude_patterns = [*config.exclude_patterns, str(papers.relative_to(srcdir))]
    # Copy buttons only on code blocks' text, not on BibTeX prompts.
    if not getattr(config, "copybutton_exclude", None):
        config.copybutton_exclude = ".linenos, .gp"


def setup_config(app: Sphinx) -> None:
    """Register every setting; check them first thing at ``config-inited``."""
    for item in settings():
        app.add_config_value(PREFIX + item.name, default_of(item), item.metadata["rebuild"],
                             types=frozenset(item.metadata["types"]),
                             description=item.metadata["help"])
    app.connect("config-inited", check_config, priority=10)
    app.connect("config-inited", setup_companions)
