"""Hand-written pages made fit for print: what the book keeps of the web's front matter.

The homepage, schedule, organizers and committee pages are written for the
web: hero badges, buttons, grids of cards, avatar circles, "explore" links.
`book.prune_for_print` passes each front matter page through `for_print`:

* anything with the class ``web-only`` goes (``{.web-only}`` on a block or a
  span in MyST, ``:class: web-only`` on a directive); anything with the class
  ``print-only`` stays in print and is dropped from every other output
  (`drop_print_only`); Sphinx's own ``{only} html`` / ``{only} latex`` work too;
* sphinx-design's buttons and linked cards (navigation) go; a line of
  nothing but badges goes, a badge within text becomes a printed label;
* a grid of cards becomes cards in two or three columns (title in bold, then
  the body; footers, which hold links, go);
* a paper list (``paper-list``) of more than 12 papers goes: the book's
  contents list every paper;
* a bullet list of many short items (a committee) is set in three columns;
* long tables may break across pages, and a table with automatic widths gets
  columns as wide as their longest text (times stay on one line);
* headings left with nothing under them go.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

WEB_ONLY, PRINT_ONLY = "web-only", "print-only"
#: A list is "of names" when it has this many items, each at most NAME_LENGTH long.
MANY_ITEMS, NAME_LENGTH = 8, 48
WELCOME = "Welcome"
#: A paper list longer than this is left out: the book's contents list every paper.
LONG_PAPER_LIST = 12
#: Tables longer than this may break across pages (Sphinx's longtable).
LONG_TABLE_ROWS = 8
#: Column widths from text lengths: longer cells count as this many characters.
WIDE_CELL, CELL_PADDING = 60, 4


def _classes(node: nodes.Node) -> list[str]:
    return node.get("classes", []) if isinstance(node, nodes.Element) else []


def _remove(node: nodes.Node) -> None:
    if node.parent is not None:
        node.parent.remove(node)


def _swap(old: nodes.Node, new: nodes.Node) -> None:
    """Put ``new`` in ``old``'s place (``replace_self`` would copy old's classes onto it)."""
    if old.parent is not None:
        old.parent.replace(old, new)


def _has(node: nodes.Node, cls: str) -> bool:
    return cls in _classes(node)


def _is_badge(node: nodes.Node) -> bool:
    return _has(node, "sd-badge")


def _drop_web_only(tree: nodes.Element) -> None:
    for node in list(tree.findall(nodes.Element)):
        if node is not tree and (_has(node, WEB_ONLY) or _has(node, "sd-btn")):
            _remove(node)
    for card in list(tree.findall(nodes.Element)):
        if _has(card, "sd-card") and any(_has(link, "sd-stretched-link")
                                          for link in card.findall(nodes.Element)):
            column = card.parent if _has(card.parent, "sd-col") else card
            _remove(column)


def _badges(tree: nodes.Element) -> None:
    """A line of badges alone is decoration; a badge in text or a table is a label."""
    for paragraph in list(tree.findall(nodes.paragraph)):
        children = [c for c in paragraph.children if c.astext().strip()]
        in_table = any(isinstance(a, nodes.entry) for a in _ancestors(paragraph))
        if children and not in_table and all(_is_badge(c) for c in children):
            _remove(paragraph)
    for badge in list(tree.findall(nodes.Element)):
        if _is_badge(badge) and badge.parent is not None:
            _swap(badge, nodes.inline("", badge.astext(), classes=["proceedings-label"]))


def _tables(tree: nodes.Element) -> None:
    """Tables break across pages; automatic widths follow each column's longest text."""
    for table in list(tree.findall(nodes.table)):
        rows = list(table.findall(nodes.row))
        if len(rows) > LONG_TABLE_ROWS and "longtable" not in table["classes"]:
            table["classes"].append("longtable")
        if "colwidths-auto" not in table["classes"]:
            continue
        specs = list(table.findall(nodes.colspec))
        widths = [0] * len(specs)
        for row in rows:
            for column, entry in enumerate(row.children[:len(specs)]):
                widths[column] = max(widths[column], min(len(entry.astext()), WIDE_CELL))
        for spec, width in zip(specs, widths, strict=True):
            spec["colwidth"] = width + CELL_PADDING
        table["classes"] = [c for c in table["classes"] if c != "colwidths-auto"]
        table["classes"].append("colwidths-given")


def _long_paper_lists(tree: nodes.Element) -> None:
    for listing in list(tree.findall(nodes.container)):
        if _has(listing, "proceedings-paper-list") and listing.parent is not None:
            papers = [ref for ref in listing.findall(nodes.Element)
                      if _has(ref, "proceedings-paper")]
            if len(papers) > LONG_PAPER_LIST:
                _remove(listing)


def _columns(count: int) -> str:
    return f"proceedings-print-columns-{max(2, min(3, count))}"


def _grid_columns(row: nodes.Element, cards: int) -> int:
    """The widest column count the grid asks for (``sd-row-cols-lg-3``), at most the cards."""
    asked = [int(c.rsplit("-", 1)[1]) for c in _classes(row)
             if c.startswith("sd-row-cols-") and c.rsplit("-", 1)[1].isdigit()]
    return min(max(asked, default=2), cards)


def _card_for_print(card: nodes.Element) -> nodes.container:
    """A card as a block: its title or header in bold, then its body (not its footer)."""
    out = nodes.container("", classes=["proceedings-print-card"])
    parts = list(card.findall(nodes.Element))
    title = next((p for p in parts if _has(p, "sd-card-title")), None)
    header = next((p for p in parts if _has(p, "sd-card-header")), None)
    if title is not None and title.astext().strip():  # text only: octicons have none
        out.append(nodes.paragraph("", "", nodes.strong("", title.astext().strip())))
    elif header is not None and header.astext().strip():
        inline = [child.deepcopy() for paragraph in header.findall(nodes.paragraph)
                  for child in paragraph.children]
        out.append(nodes.paragraph("", "", nodes.strong("", "", *inline)))
    for body in (p for p in parts if _has(p, "sd-card-body")):
        out.extend(child.deepcopy() for child in body.children
                   if not _has(child, "sd-card-title"))
    return out


def _grids(tree: nodes.Element) -> None:
    for row in list(tree.findall(nodes.Element)):
        if not _has(row, "sd-row") or row.parent is None:
            continue
        cards = [c for c in row.findall(nodes.Element) if _has(c, "sd-card")]
        grid = row.parent if _has(row.parent, "sd-container-fluid") else row
        if not cards:
            _remove(grid)
            continue
        printed = nodes.container("", *(_card_for_print(c) for c in cards),
                                  classes=[_columns(_grid_columns(row, len(cards)))])
        _swap(grid, printed)


def _name_lists(tree: nodes.Element) -> None:
    for listing in list(tree.findall(nodes.bullet_list)):
        items = listing.children
        if len(items) < MANY_ITEMS or any(len(i.astext()) > NAME_LENGTH for i in items):
            continue
        if any(any(c.startswith("proceedings-print-columns") for c in _classes(a))
               for a in _ancestors(listing)):
            continue
        _swap(listing, nodes.container("", listing.deepcopy(),
                                       classes=[_columns(3), "proceedings-print-names"]))


def _ancestors(node: nodes.Node) -> list[nodes.Element]:
    out = []
    while node.parent is not None:
        node = node.parent
        out.append(node)
    return out


def _prune_empty(tree: nodes.Element) -> None:
    """Paragraphs, containers and sections left with nothing to print."""
    changed = True
    while changed:
        changed = False
        for node in list(tree.findall(nodes.Element)):
            if node is tree or node.parent is None:
                continue
            empty_block = isinstance(node, (nodes.paragraph, nodes.container)) \
                and not node.astext().strip() and not any(node.findall(nodes.image)) \
                and not any(node.findall(nodes.raw)) and not any(node.findall(nodes.table))
            bare_section = isinstance(node, nodes.section) and all(
                isinstance(c, (nodes.title, nodes.target)) for c in node.children)
            if empty_block or bare_section:
                _remove(node)
                changed = True


def for_print(tree: nodes.Element) -> None:
    """Make one hand-written page (an inlined part of the book) fit for print."""
    _drop_web_only(tree)
    _long_paper_lists(tree)
    _badges(tree)
    _tables(tree)
    _grids(tree)
    _name_lists(tree)
    _prune_empty(tree)


def welcome_title(tree: nodes.Element, project: str) -> None:
    """The homepage's heading is the project's name, already on the title page: "Welcome"."""
    section = next(iter(tree.findall(nodes.section)), None)
    title = section.next_node(nodes.title) if section is not None else None
    if title is not None and title.astext().strip() == str(project).strip():
        title.children = []
        title.append(nodes.Text(WELCOME))


def drop_print_only(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: content marked ``print-only`` is for the book alone."""
    if app.builder.name == "latex":
        return
    for node in list(doctree.findall(nodes.Element)):
        if _has(node, PRINT_ONLY):
            _remove(node)


def setup_print_pages(app: Sphinx) -> None:
    app.connect("doctree-resolved", drop_print_only)
