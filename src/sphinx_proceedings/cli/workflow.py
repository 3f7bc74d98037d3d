"""The GitHub workflow that builds, checks and publishes a site, from one template.

``proceedings new`` writes it into every new site, and this repository (itself
a site) commits the same template's rendering as ``.github/workflows/site.yml``;
the two differ only in how the Python packages are installed.  The Debian
packages come from ``ci/debian-packages.txt``, which ``.ci/run`` reads too, so
CI, new sites and this site install the same TeX.

Run ``python -m sphinx_proceedings.cli.workflow`` in the repository to write
its workflow again after changing the template; a test checks it is current.
"""

from __future__ import annotations

import argparse
from importlib.resources import files
from pathlib import Path

import jinja2

TEMPLATES = files("sphinx_proceedings.cli") / "ci"
#: Where this repository keeps its own workflow, relative to its root.
REPO_WORKFLOW = Path(".github/workflows/site.yml")
#: Where a new site's workflow goes.
SITE_WORKFLOW = ".github/workflows/site.yml"


def debian_packages() -> list[str]:
    """The Debian packages a build needs, in the order listed (comments dropped)."""
    text = (TEMPLATES / "debian-packages.txt").read_text(encoding="utf-8")
    return [line.split("#", 1)[0].strip() for line in text.splitlines()
            if line.split("#", 1)[0].strip()]


def render_workflow(repo: bool = False) -> str:
    """The workflow of a site made by ``proceedings new``, or (``repo``) of this repository."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             autoescape=False)  # noqa: S701 - YAML, not HTML
    template = env.from_string((TEMPLATES / "site.yml.jinja").read_text(encoding="utf-8"))
    return template.render(repo=repo, packages=debian_packages())


def main() -> None:
    parser = argparse.ArgumentParser(description="Write this repository's site workflow "
                                     "from the template.")
    parser.add_argument("root", nargs="?", type=Path, default=Path.cwd(),
                        help="the repository's root (default: here)")
    args = parser.parse_args()
    target = args.root / REPO_WORKFLOW
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_workflow(repo=True), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":  # pragma: no cover
    main()
