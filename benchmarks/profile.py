"""Where a full build's time goes: one ``-j 1`` build under cProfile, in categories.

Issue 15 asks for a breakdown (read / write / extension / theme / search)
before and after each change.  This builds a site in-process under cProfile
and splits the profile's total time into the categories of `CATEGORIES`.

How time is attributed: some functions are *anchors* (`anchor`: chosen by
module path and function name); an anchor's own time is its category's, and so
is the time of everything it calls, down to the next anchor (the innermost
anchor wins: MyST parsing inside one of the extension's directives is MyST
parsing).  cProfile keeps only caller-to-callee edges, not whole stacks, so a
function that is not an anchor (``docutils.nodes.Node.traverse``, jinja2's
runtime, ``re``) gets the categories of its callers in the proportion of the
time spent under each caller (gprof's assumption: a function costs the same
per call from every caller).  The extension's own functions are "extension"
except when one of its directives calls them (then they count with the
directive).  The categories add up to the profile's total.

The profiler's clock is the process's CPU time (``time.process_time``): on a
shared machine, waiting for a core is not the build's cost.  The CPU time of
subprocesses (the Pagefind binary) is its own line.  cProfile slows
Python-heavy code more than C code (about 2-3x with this clock), so read the
shares, not the seconds.

Usage::

    python benchmarks/profile.py --papers 300 [--site both|ext|plain] [--theme pydata]
        [--code head]
    python benchmarks/profile.py --root SITE   # a site with conf.py and source/
    python benchmarks/profile.py --papers 300 --reanalyse   # the saved profiles again
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# This file's name shadows the standard library's ``profile``, which cProfile
# imports: import cProfile with this folder off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
import argparse  # noqa: E402
import cProfile  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import pstats  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

WORK = HERE / "work"
sys.path.insert(0, str(HERE))
if __name__ == "__main__":  # pin before the extension is imported
    from pin import pin_from_argv

    COMMIT = pin_from_argv()

#: (key, label); the order is the report's.
CATEGORIES = (
    ("read.myst", "reading: MyST / markdown-it parsing"),
    ("read.transforms", "reading: docutils + Sphinx transforms, env collectors"),
    ("read.ext_directives", "reading: the extension's directives"),
    ("read.other", "reading: other (settings, I/O, Sphinx's read loop)"),
    ("write.post_transforms", "writing: post-transforms + reference resolution"),
    ("write.translator", "writing: HTML translator (incl. code highlighting)"),
    ("write.templates", "writing: theme templates (Jinja, theme's Python)"),
    ("write.search", "writing: Sphinx's search index"),
    ("write.other", "writing: other (Sphinx's write loop, finish, static files)"),
    ("extension", "the extension's own code (sphinx_proceedings.*)"),
    ("pagefind", "Pagefind (lean pages, the pagefind binary)"),
    ("companions", "companion extensions (sphinx-design, opengraph, sitemap, copybutton)"),
    ("subprocesses", "subprocesses' CPU (the Pagefind binary)"),
    ("env", "environment / doctree pickling, merging"),
    ("other", "other (start-up, extension set-up, config, events)"),
)
_INDEX = {key: i for i, (key, _) in enumerate(CATEGORIES)}

_READ_TRANSFORMS = ("/docutils/transforms/", "/sphinx/transforms/",
                    "/sphinx/environment/collectors/")
_TRANSFORMER = {"apply_transforms", "add_transform", "add_transforms", "populate_from_components",
                "__init__"}
_COMPANIONS = ("/sphinx_design/", "/sphinxext/opengraph/", "/sphinx_sitemap/",
               "/sphinx_copybutton/")


def anchor(filename: str, name: str, directive_runs: set[tuple[str, int, str]],
           line: int) -> str | None:
    """The category a function starts, or None if it inherits its callers'."""
    f = filename.replace("\\", "/")
    if (filename, line, name) in directive_runs:
        return "read.ext_directives"
    if "/sphinx_proceedings/" in f:  # "extension" is soft: see `breakdown`
        if f.endswith(".html"):  # the extension's override of a theme template
            return "write.templates"
        return "pagefind" if f.endswith(("/search.py", "/pagefind_index.py", "/pagefind_ahead.py",
                                         "/lean_pages.py", "/pagefind_service.py")) else "extension"
    if "/pagefind" in f:
        return "pagefind"
    if "_pickle" in name or f.endswith("/pickle.py"):
        return "env"
    if name in ("merge_info_from", "merge_other", "merge_domaindata"):
        return "env"
    if "/sphinx/search/" in f or "/snowballstemmer/" in f or name in (
            "index_page", "dump_search_index", "load_indexer"):
        return "write.search"
    if "/sphinx/transforms/post_transforms/" in f or name in (
            "get_and_resolve_doctree", "apply_post_transforms"):
        return "write.post_transforms"
    if "/sphinx/domains/" in f and name.startswith("resolve"):
        return "write.post_transforms"
    if any(part in f for part in _READ_TRANSFORMS) and name not in _TRANSFORMER:
        return "read.transforms"
    if "/sphinx/writers/" in f or "/docutils/writers/" in f:
        return "write.translator"
    if f.endswith("/sphinx/jinja2glue.py") or name in ("handle_page", "get_doc_context"):
        return "write.templates"
    if "/pydata_sphinx_theme/" in f:
        return "write.templates"
    if f.endswith("/sphinx/builders/__init__.py"):
        return {"read": "read.other", "write": "write.other", "finish": "write.other"}.get(name)
    if f.endswith("/sphinx/builders/html/__init__.py") and name == "finish":
        return "write.other"
    if "/myst_parser/" in f:
        if f.endswith("/mdit_to_docutils/transforms.py"):
            return "read.transforms" if name == "apply" else "write.post_transforms"
        if f.endswith("/myst_refs.py"):
            return "write.post_transforms"
        return "read.myst"
    if any(part in f for part in _COMPANIONS):
        return "companions"
    return None


def breakdown(stats: pstats.Stats, directive_runs: set[tuple[str, int, str]]) -> dict[str, float]:
    """Seconds per category (see the module's docstring for the attribution)."""
    import numpy as np
    from scipy import sparse

    raw = stats.stats  # type: ignore[attr-defined]
    funcs = list(raw)
    index = {f: i for i, f in enumerate(funcs)}
    n, k = len(funcs), len(CATEGORIES)
    fixed = np.zeros((n, k))
    is_anchor = np.zeros(n, dtype=bool)
    soft = np.zeros(n, dtype=bool)  # the extension's code under its own directives
    for i, (filename, line, name) in enumerate(funcs):
        cat = anchor(filename, name, directive_runs, line)
        if cat == "extension":
            soft[i] = True
        elif cat is not None:
            fixed[i, _INDEX[cat]] = 1.0
            is_anchor[i] = True
    rows, cols, ct_w, tt_w = [], [], [], []
    roots = np.ones(n, dtype=bool)
    for callee, (_, _, _, _, callers) in raw.items():
        j = index[callee]
        for caller, edge in callers.items():
            if caller not in index or caller == callee:
                continue
            roots[j] = False
            rows.append(j)
            cols.append(index[caller])
            ct_w.append(edge[3])
            tt_w.append(edge[2])
    ct_m = sparse.csr_matrix((ct_w, (rows, cols)), shape=(n, n))
    norm = np.asarray(ct_m.sum(axis=1)).ravel()
    norm[norm == 0] = 1.0
    weights = sparse.diags(1.0 / norm) @ ct_m
    dist = fixed.copy()
    dist[~is_anchor & roots, _INDEX["other"]] = 1.0
    dist[soft & roots, _INDEX["other"]] = 0.0
    dist[soft & roots, _INDEX["extension"]] = 1.0
    free = ~is_anchor & ~roots
    directive, own = _INDEX["read.ext_directives"], _INDEX["extension"]
    for _ in range(3000):
        new = weights @ dist
        # The extension's functions are "extension", except under one of its
        # directives, whose share they keep (a helper a directive calls is
        # part of that directive's cost).
        under = new[soft, directive]
        new[soft] = 0.0
        new[soft, directive] = under
        new[soft, own] = 1.0 - under
        change = np.abs(new[free] - dist[free]).max() if free.any() else 0.0
        dist[free] = new[free]
        if change < 1e-10:
            break
    # Each function's own time: an anchor's to its category, another's to its
    # callers' categories in proportion to its own time under each caller.
    tt = np.array([raw[f][2] for f in funcs])
    tt_m = sparse.csr_matrix((tt_w, (rows, cols)), shape=(n, n))
    by_caller = tt_m @ dist  # rows: callee, own time split by callers' categories
    under_callers = np.asarray(tt_m.sum(axis=1)).ravel()
    spread = by_caller + dist * np.maximum(tt - under_callers, 0)[:, None]
    # A soft row's own time goes by its own (directive or extension) split.
    spread[soft] = dist[soft] * tt[soft][:, None]
    mass = np.where(is_anchor[:, None], fixed * tt[:, None], spread)
    totals = mass.sum(axis=0)
    return {key: float(totals[i]) for key, i in _INDEX.items()}


def ext_directive_runs(app: object) -> set[tuple[str, int, str]]:
    """The ``run`` code of every directive the extension registers (docutils and domains)."""
    from docutils.parsers.rst import directives

    classes = list(getattr(directives, "_directives", {}).values())
    for domain in app.registry.domains.values():  # type: ignore[attr-defined]
        classes.extend(getattr(domain, "directives", {}).values())
    runs = set()
    for cls in classes:
        if isinstance(cls, type) and cls.__module__.startswith("sphinx_proceedings"):
            code = cls.run.__code__
            runs.add((code.co_filename, code.co_firstlineno, code.co_name))
    return runs


def profile_site(root: Path, out: Path) -> dict[str, object]:
    """Build ``root`` from scratch with ``-j 1`` under cProfile; the breakdown."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    build = root / "_build"
    shutil.rmtree(build, ignore_errors=True)
    status = io.StringIO()
    # CPU time of this process: the machine is shared, and waiting for it is
    # not the build's cost.  Subprocesses (the Pagefind binary) are counted
    # apart, from the kernel's account of reaped children.
    profiler = cProfile.Profile(time.process_time)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    start, cpu = time.perf_counter(), time.process_time()
    profiler.enable()
    with patch_docutils(root), docutils_namespace():
        app = Sphinx(root / "source", root, build / "html", build / "doctrees", "html",
                     status=status, warning=status, freshenv=True, parallel=1)
        app.build()
        profiler.disable()
        runs = ext_directive_runs(app)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    profiler.dump_stats(out.with_suffix(".prof"))
    stats = pstats.Stats(profiler)
    seconds = breakdown(stats, runs)
    seconds["subprocesses"] = child_cpu
    pages = sum(1 for _ in (build / "html").rglob("*.html"))
    cumulative = {}
    for (filename, _, name), (_, _, _, ct, _) in stats.stats.items():  # type: ignore[attr-defined]
        if filename.replace("\\", "/").endswith("/sphinx/builders/__init__.py") and name in (
                "read", "write", "finish"):
            cumulative[name] = round(ct, 2)
    result = {"root": str(root), "pages": pages, "wall_s": round(wall, 2),
              "directive_runs": sorted(runs),
              "cpu_s": round(cpu, 2), "profiled_s": round(sum(seconds.values()), 2),
              "seconds": {k: round(v, 2) for k, v in seconds.items()},
              "cumulative_builder": cumulative,
              "warnings": status.getvalue().count("WARNING")}
    out.with_suffix(".json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


def scanned_directive_runs() -> set[tuple[str, int, str]]:
    """The ``run`` of every directive class in the extension's modules (for old profiles)."""
    import importlib
    import inspect
    import pkgutil

    from docutils.parsers.rst import Directive

    import sphinx_proceedings.sphinx_ext as package

    runs = set()
    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Directive) and cls.__module__.startswith("sphinx_proceedings"):
                code = cls.run.__code__
                runs.add((code.co_filename, code.co_firstlineno, code.co_name))
    return runs


def reanalyse(root: Path) -> dict[str, object]:
    """The breakdown of a site's saved ``profile.prof`` again, with today's categories."""
    saved = root / "profile.json"
    result = json.loads(saved.read_text(encoding="utf-8"))
    runs = ({tuple(r) for r in result["directive_runs"]} if "directive_runs" in result
            else scanned_directive_runs())
    seconds = breakdown(pstats.Stats(str(root / "profile.prof")), runs)  # type: ignore[arg-type]
    seconds["subprocesses"] = result["seconds"]["subprocesses"]
    result["seconds"] = {k: round(v, 2) for k, v in seconds.items()}
    result["profiled_s"] = round(sum(seconds.values()), 2)
    saved.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


def report(results: dict[str, dict]) -> str:
    """The breakdown as a text table, one column (seconds, share) per site."""
    names = list(results)
    lines = [f"{'category':<72}" + "".join(f"{n:>18}" for n in names)]
    groups = (("reading", "read."), ("writing", "write."))
    for key, label in CATEGORIES:
        cells = []
        for n in names:
            s, total = results[n]["seconds"][key], results[n]["profiled_s"]
            cells.append(f"{s:>9.1f} s {100 * s / total:>5.1f}%")
        lines.append(f"{label:<72}" + "".join(cells))
    for group, prefix in groups:
        cells = []
        for n in names:
            s = sum(v for k, v in results[n]["seconds"].items() if k.startswith(prefix))
            cells.append(f"{s:>9.1f} s {100 * s / results[n]['profiled_s']:>5.1f}%")
        lines.append(f"{'= ' + group:<72}" + "".join(cells))
    lines.append(f"{'total profiled (pages)':<72}" + "".join(
        f"{results[n]['profiled_s']:>9.1f} s {results[n]['pages']:>6}" for n in names))
    lines.append(f"{'wall / CPU seconds of the profiled build (profiler included)':<72}" + "".join(
        f"{results[n]['wall_s']:>8.0f}/{results[n]['cpu_s']:<8.0f} " for n in names))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, help="profile this site (conf.py, source/)")
    parser.add_argument("--papers", type=int, default=300)
    parser.add_argument("--site", choices=("both", "ext", "plain"), default="both")
    parser.add_argument("--theme", choices=("pydata", "basic"), default="pydata",
                        help="the extension site's theme (the plain site's is basic)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--code", default="head", help="as in run.py")
    parser.add_argument("--reanalyse", action="store_true",
                        help="with --papers: split the saved profiles again, build nothing")
    args = parser.parse_args()

    if args.root:  # one site, in this process
        result = profile_site(args.root.resolve(), args.root.resolve() / "profile")
        print(report({args.root.name: result}))
        return
    from generate import generate
    from plain_site import write_plain_site

    folder = WORK / f"profile-n{args.papers}-{args.theme}"
    ext, plain = folder / "ext", folder / "plain"
    if not args.reanalyse:
        generate(ext, args.papers, args.seed, args.theme)
        shutil.rmtree(plain, ignore_errors=True)
        write_plain_site(ext / "papers", plain, args.papers)
    results = {}
    for name, root in (("ext", ext), ("plain", plain)):
        if args.site not in ("both", name):
            continue
        if args.reanalyse:
            results[name] = reanalyse(root)
            continue
        print(f"profiling {name} ({root}, load {os.getloadavg()[0]:.2f}) ...", flush=True)
        # A fresh interpreter per site: docutils' registries are global.
        subprocess.run([sys.executable, __file__, "--root", str(root), "--code", args.code],
                       check=True, stdout=subprocess.DEVNULL)
        results[name] = json.loads((root / "profile.json").read_text(encoding="utf-8"))
    print(f"\n{args.papers} papers, -j 1, cProfile, code {COMMIT}")
    print(report(results))
    out = WORK / "results" / f"profile-n{args.papers}-{args.theme}-{COMMIT}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"commit": COMMIT, "papers": args.papers, "theme": args.theme,
                               "results": results}, indent=2), encoding="utf-8")
    print(f"wrote {out} (cProfile files: {folder}/*/profile.prof)")


if __name__ == "__main__":
    main()
