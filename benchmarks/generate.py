"""Synthetic proceedings of any size, in the project's own input format.

Benchmarks need sites of conference shape that nobody has to download: this
writes ``papers/`` (one folder per paper plus one volume ``.bib``), a
``topics.yml`` with parent topics, a ``conf.py`` and a small ``source/``.
Everything is fictional and derived from one seed, so two runs with the same
arguments write byte-identical trees.

Usage: ``python benchmarks/generate.py OUT --papers 1000 [--seed 2024]``.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import shutil
import string
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# -- Vocabulary (invented; combinations are random) ---------------------------------
GIVEN = [
    "Ada", "Bruno", "Chiara", "Dmitri", "Elif", "Farid", "Greta", "Hiroshi", "Ines",
    "Jonas", "Kofi", "Lena", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa",
    "Sven", "Tamar", "Umar", "Vera", "Wen", "Xiomara", "Yusuf", "Zara", "Aiko", "Bilal",
    "Camille", "Darius", "Emeka", "Freya", "Goran", "Hana", "Ivo", "Jun", "Kalani",
    "Luca", "Mei", "Nils",
    # LaTeX accents, as BibTeX files write them
    "Ren{\\'e}", "J{\\\"u}rgen", "Fran{\\c{c}}oise", "{\\L}ucja", "Bj{\\\"o}rn",
    "Zo{\\\"e}", "Ay{\\c{s}}e", "In{\\'e}s", "M{\\aa}rten", "Ond{\\v{r}}ej",
    # UTF-8 written directly
    "Søren", "Đorđe", "Ólafur", "Zeynep", "Léa", "Çağla",
]
FAMILY = [
    "Abara", "Bellweather", "Castellano", "Dunmore", "Ekwueme", "Falkenrath", "Gorodin",
    "Halvorsen", "Ibarra", "Jablonski", "Kettering", "Lindqvist", "Marchetti", "Nakashima",
    "Okonkwo", "Pellegrini", "Quarshie", "Rautenberg", "Szabo", "Takahara", "Ulloa",
    "Varga", "Whitcombe", "Xenakis", "Yilmazer", "Zhelev", "Arkwright", "Brannigan",
    "Corvino", "Delacroix", "Eskildsen", "Fairbrook", "Grunwald", "Hollis", "Iwasaki",
    "Jovanovski", "Kowalczyk", "Lockridge", "Mbeki", "Nordqvist",
    "Sch{\\\"o}nfeld", "M{\\\"u}llerbrandt", "Dvo{\\v{r}}{\\'a}kov{\\'a}", "Nov{\\'a}kova",
    "{\\O}stergaard", "Garc{\\'i}a-Lorente", "Ca{\\~n}ellas", "W{\\'o}jcikowski",
    "Brønnum", "Þórsson", "Łęczycka", "Ångström-Nyberg",
]
PARTICLES = ["van der", "de la", "von", "di", "van", "de", "da"]
ROOT_TOPICS = [
    ("simulation", "Learning to simulate"),
    ("inverse-problems", "Inverse problems"),
    ("discovery", "Equation discovery"),
    ("theory", "Theory of learning for PDEs"),
    ("scientific-ml", "Scientific machine learning systems"),
    ("applications", "Applications"),
]
CHILD_TOPICS = [
    "Neural operators", "Graph networks", "Physics-informed networks", "Diffusion models",
    "Reduced-order models", "Uncertainty quantification", "Symbolic regression",
    "Sparse identification", "Approximation theory", "Generalisation bounds",
    "Benchmarks and datasets", "Software frameworks", "Climate and weather",
    "Fluid dynamics", "Materials", "Biology and medicine", "Control", "Optimisation",
    "Stochastic dynamics", "Spectral methods", "Multiscale models", "Geometry and meshes",
    "Data assimilation", "Transformers for fields",
]
ADJECTIVES = [
    "Stable", "Scalable", "Adaptive", "Sparse", "Implicit", "Equivariant", "Multiscale",
    "Probabilistic", "Differentiable", "Conservative", "Latent", "Spectral", "Hybrid",
    "Certified", "Efficient", "Mesh-free", "Operator-valued", "Hierarchical",
]
METHODS = [
    "Neural Operators", "Graph Networks", "Diffusion Priors", "Kernel Methods",
    "Transformers", "Physics-Informed Networks", "Koopman Embeddings", "Flow Matching",
    "Gaussian Processes", "Reduced Bases", "Score Models", "Implicit Layers",
]
PROBLEMS = [
    "Turbulent Flows", "Shallow-Water Equations", "Elastic Waves", "Porous Media",
    "Reaction–Diffusion Systems", "Plasma Dynamics", "Ocean Circulation", "Heat Transfer",
    "Inverse Scattering", "Climate Downscaling", "Phase-Field Models", "Chemical Kinetics",
]
TITLE_MATH = [
    "$\\nabla$-Consistent", "$L^2$-Stable", "$H^1$-Conforming", "$\\varepsilon$-Accurate",
    "$\\mathbb{R}^d$-Equivariant", "$O(n \\log n)$",
]
SENTENCES = [
    "We study {p} with {m} and show that a small amount of data suffices.",
    "Our approach combines {a} layers with a classical solver for {p}.",
    "On synthetic benchmarks the method reduces the error by a factor of {k} at a fraction of the cost.",
    "The model respects the conservation law ${eq}$ by construction.",
    "We prove an error bound of order $O(h^{{{k}}})$ for the learned discretisation.",
    "Experiments cover {p} on grids of up to ${k}^3$ cells.",
    "Training uses a loss of the form"
    " $\\mathcal{{L}} = \\lVert u_\\theta - u \\rVert_2^2 + \\lambda R(\\theta)$.",
    "Code and data are described in the appendix, and all results are *fictional*.",
    "In contrast to earlier work, the method needs no mesh and handles **irregular** boundaries.",
    "A careful ablation shows which parts of {m} matter for {p}.",
]
EQUATIONS = [
    "\\partial_t u + \\nabla \\cdot (u \\otimes u) = \\nu \\Delta u",
    "u_t = u_{xx}",
    "\\partial_t \\rho + \\nabla \\cdot (\\rho v) = 0",
    "-\\Delta u = f",
]
YEAR = "2024"
STOPWORDS = {"a", "an", "the", "on", "of", "for", "with", "and", "to", "in"}


@dataclass(frozen=True)
class Name:
    """An author as BibTeX writes them, and the ASCII family name for keys."""

    bibtex: str
    family_ascii: str


def ascii_fold(text: str) -> str:
    """Lowercase ASCII letters of a (LaTeX or Unicode) name, for paper keys."""
    for accent in ("\\'", '\\"', "\\c", "\\v", "\\~", "\\aa", "\\L", "\\O"):
        text = text.replace(accent, {"\\aa": "a", "\\L": "L", "\\O": "O"}.get(accent, ""))
    text = text.replace("Ł", "L").replace("Ø", "O").replace("Þ", "Th").replace("ł", "l").replace("ø", "o")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text.lower() if c in string.ascii_lowercase)


def author_pool(rng: random.Random, size: int) -> list[Name]:
    """``size`` distinct fictional people: accents, particles, initials, suffixes."""
    pool: dict[str, Name] = {}
    while len(pool) < size:
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        if rng.random() < 0.6:
            given = f"{given} {rng.choice(string.ascii_uppercase)}."
        particle = rng.choice(PARTICLES) if rng.random() < 0.08 else ""
        form = rng.random()
        if form < 0.5:
            text = " ".join(p for p in (given, particle, family) if p)
        elif form < 0.97:
            text = f"{particle + ' ' if particle else ''}{family}, {given}"
        else:
            text = f"{family}, Jr., {given}"
        pool.setdefault(text, Name(text, ascii_fold(family)))
    return list(pool.values())


def topics_yaml(rng: random.Random) -> tuple[str, list[str]]:
    """``topics.yml`` (six roots, children, a few grandchildren) and all slugs."""
    lines = ["# Fictional topic vocabulary written by benchmarks/generate.py", "topics:"]
    slugs: list[str] = []
    for slug, title in ROOT_TOPICS:
        lines += [f"  - slug: {slug}", f"    title: {title}",
                  f"    description: Papers about {title.lower()}."]
        slugs.append(slug)
    children: list[str] = []
    for i, title in enumerate(CHILD_TOPICS):
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        parent = ROOT_TOPICS[i % len(ROOT_TOPICS)][0]
        lines += [f"  - slug: {slug}", f"    title: {title}", f"    parent: {parent}"]
        slugs.append(slug)
        children.append(slug)
    for i, child in enumerate(children[:6]):
        slug = f"{child}-advanced"
        lines += [f"  - slug: {slug}", f"    title: Advanced topics {i + 1}",
                  f"    parent: {child}", "    aliases: [frontier]"]
        slugs.append(slug)
    return "\n".join(lines) + "\n", slugs


def make_title(rng: random.Random) -> str:
    words = [rng.choice(ADJECTIVES), rng.choice(METHODS), "for", rng.choice(PROBLEMS)]
    if rng.random() < 0.2:
        words.insert(1, rng.choice(TITLE_MATH))
    if rng.random() < 0.15:
        words[-1] = "{" + words[-1].split()[0] + "} " + " ".join(words[-1].split()[1:])
    return " ".join(words).replace("–", "--")


def make_abstract(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(4, 8)):
        sentences.append(rng.choice(SENTENCES).format(
            p=rng.choice(PROBLEMS).lower(), m=rng.choice(METHODS).lower(),
            a=rng.choice(ADJECTIVES).lower(), k=rng.randint(2, 9), eq=rng.choice(EQUATIONS)))
    text = " ".join(sentences)
    if rng.random() < 0.2:
        text += f"\n\n$$\n{rng.choice(EQUATIONS)}\n$$\n\nThe display above is the model problem."
    return text + "\n"


def first_word(title: str) -> str:
    for word in title.replace("{", "").replace("}", "").split():
        if word.startswith("$"):
            continue
        folded = ascii_fold(word.split("-")[0])
        if folded and folded not in STOPWORDS:
            return folded
    return "paper"


def bib_escape(text: str) -> str:
    """Abstracts inside a ``.bib`` field: balanced braces, no stray ``%`` or ``@``."""
    return text.replace("%", "\\%").replace("\n\n", " ").replace("\n", " ")


CONF = '''"""Sphinx configuration of a synthetic benchmark site (benchmarks/generate.py)."""

project = "Synthetic Workshop {n}"
author = "Nobody"
copyright = "2024, nobody"
extensions = {extensions}
myst_enable_extensions = ["colon_fence", "dollarmath", "attrs_inline", "deflist"]
exclude_patterns = ["_build"]
html_baseurl = "https://example.org/synthetic/"
html_show_sourcelink = False
html_copy_source = False
html_theme = {theme!r}
{theme_options}
{extra}
'''

PYDATA_OPTIONS = '''html_theme_options = {
    "navbar_center": ["navbar-nav"],
    "header_links_before_dropdown": 5,
    "secondary_sidebar_items": {"**": ["page-toc"]},
    "show_toc_level": 2,
}'''

PROCEEDINGS_CONF = '''proceedings_papers_dir = "papers"
proceedings_output_dir = "proceedings"
proceedings_year = "2024"
proceedings_booktitle = "Synthetic Workshop on Imaginary Equations"
proceedings_submissions = {submissions}
'''

#: What the extension's `metadata.configure_metadata` sets for these companions.
BASELINE_CONF = '''ogp_site_url = html_baseurl
ogp_social_cards = {"enable": False}
ogp_custom_meta_tags = ['<meta name="twitter:card" content="summary" />']
sitemap_url_scheme = "{link}"
sitemap_excludes = ["search.html", "genindex.html", "404.html", "proceedings/search.html"]
'''

INDEX = """# Synthetic Workshop

A fictional workshop with {n} accepted papers, generated for benchmarks.

```{{toctree}}
:maxdepth: 1

proceedings/index
proceedings/topics/index
```
"""


def conf_text(n: int, theme: str, extension: bool, extra: str = "") -> str:
    """``conf.py`` of the site (``extension=False``: the plain-Sphinx baseline)."""
    # The baseline loads the same companions the extension turns on (MyST,
    # sphinx-design, copy buttons, and with a base URL Open Graph tags and a
    # sitemap) so that the ratio measures the extension's own work.
    extensions = (["sphinx_proceedings"] if extension
                  else ["myst_parser", "sphinx_design", "sphinx_copybutton",
                        "sphinxext.opengraph", "sphinx_sitemap"])
    body = PROCEEDINGS_CONF.format(submissions=n * 3) if extension else BASELINE_CONF
    return CONF.format(
        n=n, extensions=extensions, theme="pydata_sphinx_theme" if theme == "pydata" else "basic",
        theme_options=PYDATA_OPTIONS if theme == "pydata" else "", extra=body + extra)


def generate(root: Path, n: int, seed: int = 2024, theme: str = "pydata") -> dict[str, object]:
    """Write a site with ``n`` papers under ``root`` (replaced); return a summary."""
    rng = random.Random(seed)  # noqa: S311 - reproducible fiction, not secrets
    if root.exists():
        shutil.rmtree(root)
    papers = root / "papers"
    papers.mkdir(parents=True)
    (root / "source").mkdir()
    topics, slugs = topics_yaml(rng)
    (papers / "topics.yml").write_text(topics, encoding="utf-8")
    pool = author_pool(rng, max(40, n * 8))
    # Zipf-like weights: a few prolific authors, a long tail of one-paper authors
    # (about 2.8 distinct authors per paper, so 4 pages per paper in all).
    cumulative = list(itertools.accumulate(1.0 / (i + 1) ** 0.5 for i in range(len(pool))))
    keys: set[str] = set()
    volume: list[str] = []
    folders = 0
    for i in range(n):
        title = make_title(rng)
        people: list[Name] = []
        while len(people) < rng.randint(3, 5):
            person = rng.choices(pool, cum_weights=cumulative)[0]
            if person not in people:
                people.append(person)
        base = f"{people[0].family_ascii}{YEAR}{first_word(title)}"
        key, suffix = base, 0
        while key in keys:
            suffix += 1
            key = f"{base}{string.ascii_lowercase[suffix % 26]}{suffix // 26 or ''}"
        keys.add(key)
        roll = rng.random()
        presentation = "oral" if roll < 0.03 else "spotlight" if roll < 0.13 else "poster"
        chosen = rng.sample(slugs, rng.choice((1, 1, 2, 2, 3)))
        fields = [
            ("title", title),
            ("author", " and ".join(p.bibtex for p in people)),
            ("year", YEAR),
            ("presentation", presentation),
            ("topics", ", ".join(chosen)),
            ("openreview", "".join(rng.choices(string.ascii_letters + string.digits, k=10))),
        ]
        if rng.random() < 0.3:
            fields.append(("keywords", "; ".join(rng.sample(METHODS, 2)).lower()))
        if rng.random() < 0.4:
            fields.append(("code", f"https://example.org/code/{key}"))
        if presentation == "oral" and rng.random() < 0.3:
            fields.append(("award", "Best paper award"))
        abstract = make_abstract(rng)
        in_volume = i % 5 == 4
        if in_volume:
            fields.append(("abstract", bib_escape(abstract)))
        entry = f"@inproceedings{{{key},\n" + "".join(
            f"  {name} = {{{value}}},\n" for name, value in fields) + "}\n"
        if in_volume:
            volume.append(entry)
        else:
            folder = papers / key
            folder.mkdir()
            (folder / "paper.bib").write_text(entry, encoding="utf-8")
            (folder / "abstract.md").write_text(abstract, encoding="utf-8")
            folders += 1
    (papers / "volume.bib").write_text("\n".join(volume), encoding="utf-8")
    (root / "conf.py").write_text(conf_text(n, theme, extension=True), encoding="utf-8")
    (root / "source" / "index.md").write_text(INDEX.format(n=n), encoding="utf-8")
    return {"papers": n, "folders": folders, "volume_entries": len(volume),
            "topics": len(slugs), "author_pool": len(pool)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to (re)create")
    parser.add_argument("--papers", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--theme", choices=("pydata", "basic"), default="pydata")
    args = parser.parse_args()
    print(generate(args.out, args.papers, args.seed, args.theme))


if __name__ == "__main__":
    main()
