"""Every kind of problem the project reports, listed once.

A kind names one problem precisely, so a site can silence what it expects
(``suppress_warnings = ["proceedings.no-abstract"]``) and still hear about
the rest.  Its value is the Sphinx warning subtype (``type="proceedings"``)
and what ``proceedings check`` prints in brackets; its level says how bad it
is.  Three levels:

- ``error``: the input is wrong; the entry (or the file, or a part of it) is
  left out.  ``proceedings check`` exits 1, ``add`` and ``import`` refuse it.
- ``warning``: the site builds, but shows less than it could (a link dropped,
  an abstract shown as plain text).  Reported by ``check`` and the build alike.
- ``advice``: probably a mistake in valid data (two papers with one title, a
  paper without a topic).  Only ``proceedings check`` reports advice; the
  build does not, so a strict build (``-W``) never fails on it.

The README's table of warnings is tested against this enum.
"""

from __future__ import annotations

from enum import Enum

LEVELS = ("error", "warning", "advice")
#: Who reports a kind: the shared judgement of ``papers/`` (``check`` and the
#: build alike), ``check`` alone, the build alone, ``build volume``, ``import``.
SCOPES = ("check and build", "check", "build", "build volume", "import")


class ProblemKind(Enum):
    """One precise kind of problem: subtype, level, who reports it, what it means."""

    level: str
    scope: str
    description: str

    def __new__(cls, subtype: str, level: str, scope: str, description: str) -> ProblemKind:
        member = object.__new__(cls)
        member._value_ = subtype
        member.level = level
        member.scope = scope
        member.description = description
        return member

    @property
    def subtype(self) -> str:
        """The name ``suppress_warnings`` takes: ``proceedings.<value>``."""
        return f"proceedings.{self.value}"

    # -- files under papers/ ---------------------------------------------------------
    UNREADABLE = ("unreadable", "error", "check and build",
                  "A file cannot be used: not UTF-8, a NUL byte, too large, unreadable, or "
                  "reached through a link out of `papers/`.")
    OUTSIDE_PAPERS = ("outside-papers", "error", "check and build",
                      "A symbolic link under `papers/` points outside it; it is ignored.")
    CONTROL_CHARACTERS = ("control-characters", "warning", "check and build",
                          "Invisible control or bidirectional override characters were "
                          "removed from a file (or an imported note).")
    BIBTEX = ("bibtex", "error", "check and build",
              "BibTeX that cannot be parsed; the broken entry is left out.")
    NO_PAPER_BIB = ("no-paper-bib", "warning", "check and build",
                    "A folder in `papers/` has no `paper.bib`; it is skipped.")
    LAYOUT = ("layout", "error", "check and build",
              "A `paper.bib` holds more or less than one entry, or its key differs from "
              "its folder's name; it is skipped.")
    TOPICS = ("topics", "error", "check and build",
              "A mistake in `papers/topics.yml` (syntax, slug, title, parent); the topic is "
              "left out.")
    # -- papers/schedule.yml (and the papers' session and board) ---------------------
    SCHEDULE_YAML = ("schedule-yaml", "error", "check and build",
                     "`schedule.yml` is not YAML that can be read; there is no schedule.")
    SCHEDULE_FIELD = ("schedule-field", "error", "check and build",
                      "A field of `schedule.yml` missing, malformed or given twice; the item (or "
                      "the schedule) is left out, or the first value used.")
    SCHEDULE_IGNORED = ("schedule-ignored", "warning", "check and build",
                        "An unknown field in `schedule.yml`, or a speaker's `ref`, `url` or "
                        "`photo` that cannot be used; it is ignored.")
    SCHEDULE_TIMEZONE = ("schedule-timezone", "error", "check and build",
                         "A missing or unknown time zone; times are shown as written, without "
                         "calendar files.")
    SCHEDULE_TYPE = ("schedule-type", "error", "check and build",
                     "An item without a type or with an unknown one; shown as 'other'.")
    SCHEDULE_TIME = ("schedule-time", "error", "check and build",
                     "A time that is not HH:MM, an end not after its start, a missing start or "
                     "end, or a time the clocks skip.")
    SCHEDULE_SPEAKER = ("schedule-speaker", "error", "check and build",
                        "A speaker listed twice, or an item naming a speaker the list lacks.")
    SCHEDULE_OVERLAP = ("schedule-overlap", "error", "check and build",
                        "Two items of the schedule at overlapping times.")
    SCHEDULE_PAPER = ("schedule-paper", "error", "check and build",
                      "An item naming a citation key no paper has.")
    SCHEDULE_SESSION = ("schedule-session", "warning", "check and build",
                        "A paper whose `session` names no item, or with a `board` but no "
                        "session; not placed in the schedule.")
    # -- one entry ---------------------------------------------------------------------
    # -- papers/people.yml (and photos of the schedule's speakers) -------------------
    PEOPLE_YAML = ("people-yaml", "error", "check and build",
                   "`people.yml` is not YAML that can be read; no group of people is shown.")
    PEOPLE_FIELD = ("people-field", "error", "check and build",
                    "A group or person of `people.yml` malformed, or a person without a name; "
                    "it is left out.")
    PEOPLE_IGNORED = ("people-ignored", "warning", "check and build",
                      "An unknown field in `people.yml`, or a `url` or `photo` that cannot be "
                      "used; it is ignored (a card without a photo shows initials).")
    BAD_KEY = ("bad-key", "error", "check and build",
               "A citation key with characters other than letters, digits and `_:.+-`; the "
               "entry is skipped.")
    DUPLICATE_KEY = ("duplicate-key", "error", "check and build",
                     "A key (or the page name made from it) used twice; the second entry is "
                     "skipped.")
    INCOMPLETE = ("incomplete", "error", "check and build",
                  "An entry without a title or without an author; it is skipped.")
    BAD_NAMES = ("bad-names", "error", "check and build",
                 "An `author` field that cannot be split into names; the entry is skipped.")
    TOO_LARGE = ("too-large", "error", "check and build",
                 "A field longer than the limit or more authors than supported; the entry "
                 "(or just its abstract) is left out.")
    UNKNOWN_TOPIC = ("unknown-topic", "warning", "check and build",
                     "A topic slug that `topics.yml` does not declare; it is ignored.")
    BAD_PRESENTATION = ("bad-presentation", "warning", "check and build",
                        "A presentation other than spotlight, oral or poster; shown as poster.")
    UNSAFE_LINK = ("unsafe-link", "warning", "check and build",
                   "A link field (or `openreview` id) that is not a safe http(s) link or "
                   "relative path; it is dropped.")
    MALFORMED_LINK = ("malformed-link", "warning", "check and build",
                      "A link that is safe but looks wrong (a bad host name or port, no "
                      "`https://`); it is kept.")
    MISSING_FILE = ("missing-file", "error", "check and build",
                    "A link field names a local file that does not exist; the link is dropped.")
    NO_ABSTRACT = ("no-abstract", "warning", "check and build",
                   "An entry without an abstract; its page links to the forum instead.")
    ABSTRACT_MARKUP = ("abstract-markup", "warning", "check and build",
                       "An abstract using markup abstracts may not hold (directives, roles, "
                       "raw HTML, headings, images, unsafe links or math); it is shown as "
                       "plain text.")
    UNKNOWN_LATEX = ("unknown-latex", "warning", "check and build",
                     "A LaTeX command or environment in a title or BibTeX abstract that the "
                     "site does not know; the text of its argument is kept.")
    HTML_TAG = ("html-tag", "warning", "check and build",
                "An HTML tag in a title or BibTeX abstract other than `em`, `i`, `b`, `strong`, "
                "`sup`, `sub`, `a`, `br`, `p`, `code`; it is shown as text.")
    UNSAFE_MATH = ("unsafe-math", "warning", "check and build",
                   "Math in a title or BibTeX abstract using a command that may read files or "
                   "run code, or an environment never closed; its source is shown as text.")
    # -- advice: `proceedings check` only --------------------------------------------
    DUPLICATE_TITLE = ("duplicate-title", "advice", "check",
                       "Two papers with the same title (case and punctuation ignored).")
    NO_TOPIC = ("no-topic", "advice", "check",
                "A paper without a topic, on a site whose `topics.yml` declares some.")
    LONG_ABSTRACT = ("long-abstract", "advice", "check",
                     "An abstract longer than `proceedings_abstract_word_limit` words.")
    ODD_NAME = ("odd-name", "advice", "check",
                "An author name that looks wrong: \"and\" inside it, all capitals, or a lone "
                "initial as family name.")
    UNUSED_TOPIC = ("unused-topic", "advice", "check", "A topic no paper uses.")
    CITATION = ("citation", "advice", "check",
                "A `\\cite` (or `\\citet`, `\\parencite` ...) in a title or BibTeX abstract; "
                "it is shown as the placeholder [citation: key].")
    LATEX_COMMENT = ("latex-comment", "advice", "check",
                     "A line of a title or BibTeX abstract starting with `%`: a LaTeX comment, "
                     "left out.")
    # -- the build alone ---------------------------------------------------------------
    NO_PAPERS_FOLDER = ("no-papers-folder", "warning", "build",
                        "The papers folder does not exist; no paper pages are generated.")
    OUTPUT_CONFLICT = ("output-conflict", "error", "build",
                       "A file the extension did not write is where a generated page goes; "
                       "it is not overwritten.")
    SCHEDULE_MISSING = ("schedule-missing", "warning", "build",
                        "A `schedule` directive, but no `schedule.yml` to show.")
    SCHEDULE_PAGE = ("schedule-page", "warning", "build",
                     "A `schedule.yml` that no page shows with the `schedule` directive.")
    ACCEPTED_COUNT = ("accepted-count", "warning", "build",
                      "`proceedings_accepted` counts fewer papers of a presentation type than "
                      "`papers/` holds; the papers page states the number read.")
    LATEX = ("latex", "warning", "build", "The PDF book's LaTeX set-up could not be written.")
    SEARCH = ("search", "warning", "build", "Pagefind could not index the pages.")
    MISSING_GLYPH = ("missing-glyph", "warning", "build",
                     "A character none of the PDF's fonts has (XeLaTeX's log, read by "
                     "`proceedings build pdf`); the papers holding it are named.")
    METADATA = ("metadata", "warning", "build",
                "A setting for the pages' metadata (e.g. `proceedings_event`) is unusable.")
    LABEL = ("label", "warning", "build",
             "A label a generated page defines (`paper-KEY`, `topic-SLUG`, `author-SLUG`) is "
             "already used by another page; the page keeps its role, not the label.")
    OLD_TEMPLATE = ("old-template", "warning", "build",
                    "A template in `_templates/proceedings/` the extension no longer reads "
                    "(`author.md.jinja`: author pages come from `author.html.jinja` now).")
    MATH = ("math", "warning", "build",
            "A formula that cannot be converted to MathML; the page shows its TeX source.")
    # -- other commands ----------------------------------------------------------------
    LEFT_OUT_OF_VOLUME = ("left-out-of-volume", "warning", "build volume",
                          "A paper without a readable `paper.pdf`; the full volume is built "
                          "without it.")
    EXPORT_NOTE = ("export-note", "error", "import",
                   "A note of an OpenReview export that cannot be imported (no forum id, "
                   "title or author); it is skipped.")
    EXPORT_DUPLICATE = ("export-duplicate", "warning", "import",
                        "An OpenReview export holding one forum id, or one title, twice.")
