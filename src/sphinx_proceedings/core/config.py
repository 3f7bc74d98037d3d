"""Every ``proceedings_*`` setting of ``conf.py``, declared once.

`ProceedingsConfig` is the one place a setting's name, default, accepted
types, validator and help live.  Sphinx registers each field as
``proceedings_<field>`` (`sphinx_ext.config`), the ``proceedings`` command
builds the same object from the conf.py it evaluates (`cli.common`), and the
reader, the checks and the build read the object, never ``config.proceedings_*``
themselves.  A wrong value is one `ConfigValueError` naming every bad setting.

No Sphinx here: the command must read settings without loading Sphinx's glue.
"""

from __future__ import annotations

import dataclasses as dc
import json
import re
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sphinx_proceedings.core.model import PRESENTATIONS

if TYPE_CHECKING:
    from sphinx_proceedings.core.reader import ReaderSettings

PREFIX = "proceedings_"
#: How the PDF book and the full volume group papers (`proceedings_book_group_by`).
GROUP_BY = ("presentation", "topic")
#: Paper sizes of the PDF book (`proceedings_book_paper_size`).
PAPER_SIZES = ("a4", "letter")
#: Keys of ``proceedings_event`` (schema.org Event properties, see metadata.py).
EVENT_KEYS = ("name", "start_date", "end_date", "location", "address", "url",
              "description", "attendance")
ATTENDANCE = ("offline", "online", "mixed")
#: pydata-sphinx-theme's primary and secondary colours, per mode (`proceedings_colors`).
THEME_COLORS = {"light": ("#0a7d91", "#8045e5"), "dark": ("#3fb1c5", "#9c5ffd")}
_HEX = re.compile(r"#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}")

#: ``validator(value)`` returns why a value is wrong, or None.
Validator = Callable[[Any], "str | None"]


class ConfigValueError(ValueError):
    """One or more settings are wrong: ``problems`` holds ``(setting, reason)`` pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in problems))


def _shown(value: Any) -> str:
    return f"{value!r} ({type(value).__name__})"


def text(value: Any) -> str | None:
    return None if isinstance(value, str) else f"must be a string, not {_shown(value)}"


def whole_number(minimum: int) -> Validator:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            return f"must be a whole number of at least {minimum}, not {_shown(value)}"
        return None
    return check


def flag(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"must be True or False, not {_shown(value)}"


def year_like(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return f"must be a year as a string or number, not {_shown(value)}"
    return None


def folder(value: Any) -> str | None:
    """A folder relative to conf.py or the source folder, never outside it."""
    if not isinstance(value, str) or not value.strip("/ "):
        return f"must be a non-empty relative folder name, not {_shown(value)}"
    if ".." in PurePosixPath(value.replace("\\", "/")).parts:
        return f"must not leave its parent folder ('..'), not {value!r}"
    return None


def url_pattern(value: Any) -> str | None:
    """A link pattern with ``{id}`` (or empty, for none)."""
    if not isinstance(value, str):
        return text(value)
    try:
        value.format(id="x")
    except (KeyError, IndexError, ValueError) as error:
        return f"must be a link with {{id}} and no other {{...}} field, not {value!r} ({error})"
    return None


def one_of(choices: tuple[str, ...]) -> Validator:
    def check(value: Any) -> str | None:
        if not isinstance(value, str) or value.strip().lower() not in choices:
            return f"must be one of {', '.join(map(repr, choices))}, not {_shown(value)}"
        return None
    return check


def docnames(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        return f"must be a list of page names (strings) or None, not {_shown(value)}"
    return None


def names(value: Any) -> str | None:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        return f"must be a list of names (strings), not {_shown(value)}"
    return None


def event_data(value: Any) -> str | None:
    if not isinstance(value, dict):
        return f"must be a dict, not {_shown(value)}"
    unknown = sorted(str(k) for k in value if k not in EVENT_KEYS)
    if unknown:
        return f"unknown key(s) {', '.join(unknown)}; known: {', '.join(EVENT_KEYS)}"
    mode = value.get("attendance")
    if mode is not None and str(mode).lower() not in ATTENDANCE:
        return f"attendance must be one of {', '.join(ATTENDANCE)}, not {mode!r}"
    return None


def web_address(value: Any) -> str | None:
    """An http(s) address, or empty for none."""
    if not isinstance(value, str):
        return text(value)
    parts = urlsplit(value.strip())
    if value.strip() and (parts.scheme not in ("http", "https") or not parts.hostname):
        return f"must be an http(s) address or \"\", not {value!r}"
    return None


def accepted_counts(value: Any) -> str | None:
    """Presentation type -> a whole number of accepted papers."""
    if not isinstance(value, dict):
        return f"must be a dict of presentation type to count, not {_shown(value)}"
    unknown = sorted(str(k) for k in value if k not in PRESENTATIONS)
    if unknown:
        return f"unknown presentation type(s) {', '.join(unknown)}; known: {', '.join(PRESENTATIONS)}"
    wrong = [f"{k}={_shown(v)}" for k, v in value.items()
             if isinstance(v, bool) or not isinstance(v, int) or v < 0]
    if wrong:
        return f"counts must be whole numbers of at least 0, not {', '.join(wrong)}"
    return None


def theme_colors(value: Any) -> str | None:
    """``{"light": [...], "dark": [...]}``, one or two CSS hex colours per mode."""
    if not isinstance(value, dict):
        return f"must be a dict like {{\"light\": [\"#0a7d91\"], \"dark\": [...]}}, not {_shown(value)}"
    unknown = sorted(str(k) for k in value if k not in THEME_COLORS)
    if unknown:
        return f"unknown mode(s) {', '.join(unknown)}; known: light, dark"
    for mode, colours in value.items():
        if (not isinstance(colours, (list, tuple)) or not 1 <= len(colours) <= 2
                or not all(isinstance(c, str) and _HEX.fullmatch(c) for c in colours)):
            return f"{mode} must be a list of one or two colours like \"#0a7d91\", not {colours!r}"
    return None


def _with_theme_colors(value: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Each mode's two colours, the theme's where the site gives fewer."""
    made = {}
    for mode, defaults in THEME_COLORS.items():
        given = tuple(value.get(mode) or ())
        made[mode] = (given + defaults[len(given):])[:2]
    return made


def setting(default: Any, help: str, validator: Validator, types: tuple[type, ...],  # noqa: A002
            *, rebuild: str = "env", convert: Callable[[Any], Any] | None = None,
            documented: str | None = None) -> Any:
    """A field of `ProceedingsConfig` with what Sphinx and the README need to know.

    ``types`` go to Sphinx's ``add_config_value``; ``rebuild`` says what Sphinx
    rebuilds when the value changes ("" for nothing); ``convert`` normalises a
    valid value (a year given as a number becomes text); ``documented`` is the
    default as the README's table writes it, when not the value itself.
    """
    metadata = {"help": help, "validator": validator, "types": types, "rebuild": rebuild,
                "convert": convert, "documented": documented}
    if isinstance(default, (dict, list)):
        return dc.field(default_factory=lambda: type(default)(default), metadata=metadata)
    return dc.field(default=default, metadata=metadata)


@dc.dataclass(frozen=True)
class ProceedingsConfig:
    """The extension's settings; in conf.py each is ``proceedings_<field name>``."""

    papers_dir: str = setting("papers", "Folder of the inputs, relative to conf.py.",
                              folder, (str,))
    output_dir: str = setting(
        "proceedings", "Folder inside the source folder for the generated pages "
        "(git-ignore it).", folder, (str,))
    year: str = setting("", "Year of entries that have none.", year_like, (str, int),
                        convert=lambda v: str(v).strip())
    booktitle: str = setting("", "Booktitle of entries that have none.", text, (str,))
    submissions: int = setting(0, "Number of submissions for the statistics on the papers "
                               "page (0 hides it).", whole_number(0), (int,))
    forum_url: str = setting("https://openreview.net/forum?id={id}",
                             "Forum link built from an entry's openreview id.",
                             url_pattern, (str,))
    pdf_url: str = setting("", "PDF link built from an entry's openreview id (\"\": none).",
                           url_pattern, (str,))
    base_url: str = setting("", "Public address of the site, for citations; html_baseurl "
                            "when empty.", text, (str,), documented="`html_baseurl`")
    related_papers: int = setting(5, "How many related papers a paper page lists.",
                                  whole_number(0), (int,))
    abstract_word_limit: int = setting(300, "Longer abstracts are reported by "
                                       "`proceedings check`.", whole_number(1), (int,))
    conference: str = setting("", "Host conference printed on the PDF title pages.",
                              text, (str,))
    date: str = setting("", "Date printed on the PDF title pages.", text, (str,))
    place: str = setting("", "Place printed on the PDF title pages.", text, (str,))
    book_group_by: str = setting(
        "presentation", "How the PDF book and the volume group papers: by "
        "\"presentation\" type or by first \"topic\".", one_of(GROUP_BY), (str,),
        convert=lambda v: v.strip().lower())
    book_front_matter: tuple[str, ...] | None = setting(
        None, "Pages (docnames) printed before the PDF's table of contents; None: the "
        "homepage, then schedule, organizers and committee pages when they exist.", docnames,
        (list, tuple, type(None)), convert=lambda v: None if v is None else tuple(v),
        documented="homepage + `schedule`, `organizers`, `committee`")
    book_one_paper_per_page: bool = setting(
        True, "Each paper of the PDF book starts a new page; False: papers follow one "
        "another, separated by a rule.", flag, (bool,))
    book_paper_size: str = setting(
        "a4", "Paper size of the PDF book: \"a4\" or \"letter\".", one_of(PAPER_SIZES),
        (str,), convert=lambda v: v.strip().lower())
    short_name: str = setting(
        "", "The workshop's short name in the PDF's running heads; empty: html_short_title "
        "when conf.py sets it, else project.", text, (str,),
        documented="`html_short_title` when set, else `project`")
    organizers: tuple[str, ...] = setting(
        [], "The organizers' names: the PDF's author and the title page's editors (conf.py's "
        "author when empty).", names, (list, tuple), convert=tuple, documented="`[]`")
    volume_page_ranges: bool = setting(
        True, "Put each paper's pages in the full volume into its citations and "
        "citation_firstpage/lastpage tags.", flag, (bool,))
    event: dict[str, Any] = setting(
        {}, "The workshop as a schema.org Event on the homepage: " + ", ".join(EVENT_KEYS)
        + " (name and start_date required).", event_data, (dict,))
    search: bool = setting(True, "Index the paper pages with Pagefind after HTML builds and "
                           "add the paper search page.", flag, (bool,))
    sphinx_search: bool = setting(
        False, "Also keep Sphinx's own search page and index (which pydata-sphinx-theme "
        "loads on every page).", flag, (bool,), rebuild="html")
    accepted: dict[str, int] = setting(
        {}, "Accepted papers by presentation type, counting those without a page here, "
        "e.g. {\"spotlight\": 4, \"poster\": 83}; stated on the papers page ({}: only "
        "the papers read).", accepted_counts, (dict,))
    accepted_url: str = setting("", "Where the accepted papers without a page here are "
                                "listed; linked from the papers page.", web_address, (str,))
    empty_topics: bool = setting(
        False, "List topics without papers in the topic index, the filters and the counts "
        "(their pages exist for links either way).", flag, (bool,))
    colors: dict[str, tuple[str, str]] = setting(
        {}, "One or two colours per mode (\"light\", \"dark\") for the generated favicon "
        "and banner; the theme's primary and secondary fill in.", theme_colors, (dict,),
        rebuild="html", convert=_with_theme_colors,
        documented="pydata-sphinx-theme's primary and secondary")
    banner_seed: int = setting(0, "Seed of the generated banner (another seed, another "
                               "pattern).", whole_number(0), (int,), rebuild="html")
    domain_indices: bool = setting(
        False, "Also write the domain's author and topic index pages "
        "(proceedings-authorindex, proceedings-topicindex) in HTML and LaTeX.", flag,
        (bool,), rebuild="")
    freeze_gc: bool = setting(
        False, "Freeze the garbage collector's view of the loaded environment during a "
        "build (gc.freeze); opt-in, its gain is within measurement noise.", flag, (bool,),
        rebuild="")

    def __post_init__(self) -> None:
        problems = []
        for item in dc.fields(self):
            value = getattr(self, item.name)
            reason = item.metadata["validator"](value)
            if reason:
                problems.append((PREFIX + item.name, reason))
            elif item.metadata["convert"] is not None:
                object.__setattr__(self, item.name, item.metadata["convert"](value))
        if problems:
            raise ConfigValueError(problems)

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> ProceedingsConfig:
        """From ``proceedings_*`` names (conf.py's namespace); absent ones keep defaults."""
        given = {item.name: values[PREFIX + item.name] for item in dc.fields(cls)
                 if PREFIX + item.name in values}
        return cls(**given)

    def reader_settings(self) -> ReaderSettings:
        """What the reader fills in for entries that lack it."""
        from sphinx_proceedings.core.reader import ReaderSettings

        return ReaderSettings(year=self.year, booktitle=self.booktitle,
                              forum_url=self.forum_url, pdf_url=self.pdf_url)

    @property
    def prefix(self) -> str:
        """The generated pages' folder as docnames start with it (``proceedings``)."""
        return self.output_dir.strip("/ ")


def settings() -> tuple[dc.Field, ...]:
    """The fields, in declaration order (what Sphinx registers, what the README lists)."""
    return dc.fields(ProceedingsConfig)


def default_of(item: dc.Field) -> Any:
    if item.default_factory is not dc.MISSING:
        return item.default_factory()
    return item.default


def documented_default(item: dc.Field) -> str:
    """The default as the README's configuration table writes it."""
    if item.metadata["documented"]:
        return item.metadata["documented"]
    value = default_of(item)
    shown = json.dumps(value) if isinstance(value, (str, dict)) else repr(value)
    return f"`{shown}`"


DEFAULTS = ProceedingsConfig()
