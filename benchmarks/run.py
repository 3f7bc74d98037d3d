"""Benchmark runner: the extension's builds against a plain-Sphinx baseline.

For each run it generates a fresh synthetic site (``generate.py``), then times,
as subprocesses (``python -m sphinx``): a full build, a no-op rebuild, a
rebuild after editing one abstract, a rebuild after editing one title, and the
full build of the baseline (the same pages as plain MyST, ``baseline.py``).
Wall seconds, CPU seconds (user + system of the build and its workers, less
sensitive to other load on the machine), peak RSS, pages written and output
size are recorded; medians over the runs and the ratios of issue 8 are
printed as a table and written as JSON.

Usage::

    python benchmarks/run.py --papers 1000 [--jobs auto] [--runs 3]
        [--theme pydata|basic|both] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "work"


def snapshot(code: str) -> tuple[str, Path | None]:
    """Pin the extension's code for the whole benchmark.

    ``head`` exports the committed ``src/`` (``git archive``) into ``work/``
    and puts it first on ``PYTHONPATH``, so edits others make to the working
    tree during a long run cannot change what is measured.  ``tree`` uses
    the installed (editable) package as it is; any other value names a commit.
    """
    rev = "HEAD" if code in ("head", "tree") else code
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", rev],
                            capture_output=True, text=True, check=False).stdout.strip()
    if code == "tree":
        return f"{commit}+tree", None
    target = WORK / f"code-{commit}"
    if not (target / "src").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "src"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return commit, target / "src"


if __name__ == "__main__":  # pin before the extension is imported below
    _code = sys.argv[sys.argv.index("--code") + 1] if "--code" in sys.argv else "head"
    COMMIT, _SRC = snapshot(_code)
    if _SRC is not None:
        sys.path.insert(0, str(_SRC))
        os.environ["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(_SRC), os.environ.get("PYTHONPATH", "")) if p)
sys.path.insert(0, str(HERE))

from baseline import make_baseline  # noqa: E402
from generate import conf_text, generate  # noqa: E402

STEPS = ("full", "noop", "abstract", "title")
_UPDATING = re.compile(r"updating environment: .*?(\d+) added, (\d+) changed, (\d+) removed")


def build(root: Path, jobs: str, log: Path) -> dict[str, float | int]:
    """One ``python -m sphinx`` build of ``root``; its costs, measured from outside."""
    out = root / "_build" / "html"
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-j", jobs, "-c", str(root),
           "-d", str(root / "_build" / "doctrees"), str(root / "source"), str(out)]
    start_ns = time.time_ns()
    start = time.perf_counter()
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"\n$ {' '.join(cmd)}\n")
        handle.flush()
        proc = subprocess.Popen(cmd, stdout=handle, stderr=subprocess.STDOUT)
        # wait4 reports the build's own usage including its reaped workers.
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build of {root} failed ({proc.returncode}); see {log}")
    pages = written = size = 0
    for path in out.rglob("*"):
        if not path.is_file():
            continue
        stat = path.stat()
        size += stat.st_size
        if path.suffix == ".html":
            pages += 1
            written += stat.st_mtime_ns >= start_ns
    text = log.read_text(encoding="utf-8", errors="replace")
    found = _UPDATING.findall(text)
    read = sum(int(x) for x in found[-1][:2]) if found else 0
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "pages": pages,
        "pages_written": written,
        "sources_changed": read,
        "output_mib": round(size / 2**20, 2),
    }


def folder_paper(root: Path) -> Path:
    """A paper with its own folder, several authors and topics: the one to edit."""
    folders = sorted(p for p in (root / "papers").iterdir() if (p / "paper.bib").is_file())
    for folder in folders[len(folders) // 2:] + folders:
        bib = (folder / "paper.bib").read_text(encoding="utf-8")
        topics = re.search(r"topics = \{([^}]*)\}", bib)
        if bib.count(" and ") >= 2 and topics and "," in topics.group(1):
            return folder
    return folders[0]


def edit_abstract(folder: Path) -> None:
    path = folder / "abstract.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne sentence added by the benchmark.\n",
                    encoding="utf-8")


def edit_title(folder: Path) -> None:
    path = folder / "paper.bib"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title = {", "title = {Revisited: ", 1), encoding="utf-8")


def one_run(n: int, jobs: str, theme: str, seed: int, log: Path,
            full_only: bool = False) -> dict[str, dict]:
    """Every measurement of one run, extension and baseline side by side."""
    ext = WORK / f"n{n}-{theme}" / "ext"
    base = WORK / f"n{n}-{theme}" / "baseline"
    generate(ext, n, seed, theme)
    result: dict[str, dict] = {}
    result["full"] = build(ext, jobs, log)
    if full_only:
        return result
    result["noop"] = build(ext, jobs, log)
    paper = folder_paper(ext)
    edit_abstract(paper)
    result["abstract"] = build(ext, jobs, log)
    edit_title(paper)
    result["title"] = build(ext, jobs, log)
    # The baseline is made from the pages of the edited site: same content.
    extra = 'html_sidebars = {"proceedings/**": []}\n'
    pages = make_baseline(ext, base, conf_text(n, theme, extension=False, extra=extra))
    result["baseline_full"] = build(base, jobs, log)
    result["baseline_full"]["sources"] = pages
    result["baseline_noop"] = build(base, jobs, log)
    return result


def median(runs: list[dict[str, dict]], step: str, metric: str) -> float:
    return statistics.median(r[step][metric] for r in runs)


def summarise(runs: list[dict[str, dict]]) -> dict[str, object]:
    steps = list(runs[0])
    medians = {s: {m: median(runs, s, m) for m in runs[0][s]} for s in steps}
    full, base = medians["full"], medians.get("baseline_full")
    if base is None:  # --full-only
        return {"medians": medians, "runs": runs, "ratios": {
            "s_per_page": round(full["wall_s"] / full["pages"], 4),
            "cpu_s_per_page": round(full["cpu_s"] / full["pages"], 4)}}
    ratios = {
        "overhead_wall": full["wall_s"] / base["wall_s"],
        "overhead_cpu": full["cpu_s"] / base["cpu_s"],
        "noop_pct": 100 * medians["noop"]["wall_s"] / full["wall_s"],
        "abstract_pct": 100 * medians["abstract"]["wall_s"] / full["wall_s"],
        "title_pct": 100 * medians["title"]["wall_s"] / full["wall_s"],
        "noop_pct_cpu": 100 * medians["noop"]["cpu_s"] / full["cpu_s"],
        "abstract_pct_cpu": 100 * medians["abstract"]["cpu_s"] / full["cpu_s"],
        "title_pct_cpu": 100 * medians["title"]["cpu_s"] / full["cpu_s"],
        "s_per_page": full["wall_s"] / full["pages"],
        "cpu_s_per_page": full["cpu_s"] / full["pages"],
    }
    return {"medians": medians, "ratios": {k: round(v, 4) for k, v in ratios.items()},
            "runs": runs}


def machine() -> dict[str, object]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        ram_gib = round(int(mem) / 2**20, 1)
    except OSError:
        ram_gib = 0
    versions = {}
    for dist in ("sphinx", "myst-parser", "pydata-sphinx-theme", "sphinx-design",
                 "sphinx-proceedings"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": ram_gib,
            "python": platform.python_version(), "platform": platform.platform(), **versions}


def table(n: int, jobs: str, theme: str, summary: dict) -> str:
    med, ratio = summary["medians"], summary["ratios"]
    lines = [f"\n{n} papers, -j {jobs}, theme {theme}, {len(summary['runs'])} run(s), medians",
             f"{'build':<16}{'wall s':>9}{'cpu s':>9}{'RSS MiB':>9}{'pages':>7}"
             f"{'written':>9}{'changed':>9}{'out MiB':>9}"]
    for step, m in med.items():
        lines.append(f"{step:<16}{m['wall_s']:>9.2f}{m['cpu_s']:>9.2f}{m['peak_rss_mib']:>9.0f}"
                     f"{m['pages']:>7.0f}{m['pages_written']:>9.0f}{m['sources_changed']:>9.0f}"
                     f"{m['output_mib']:>9.1f}")
    if "overhead_wall" not in ratio:
        lines.append(f"{1000 * ratio['s_per_page']:.1f} ms/page wall")
        return "\n".join(lines)
    lines.append(
        f"overhead vs baseline: {ratio['overhead_wall']:.2f}x wall, {ratio['overhead_cpu']:.2f}x cpu"
        f" (target <= 1.10)\nrebuild / full (wall, cpu): no-op {ratio['noop_pct']:.1f}%, "
        f"{ratio['noop_pct_cpu']:.1f}% (<= 3) | abstract {ratio['abstract_pct']:.1f}%, "
        f"{ratio['abstract_pct_cpu']:.1f}% (<= 5) | title {ratio['title_pct']:.1f}%, "
        f"{ratio['title_pct_cpu']:.1f}% (<= 10)\n"
        f"{1000 * ratio['s_per_page']:.1f} ms/page wall, {1000 * ratio['cpu_s_per_page']:.1f} ms/page cpu")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark sphinx-proceedings builds.")
    parser.add_argument("--papers", type=int, default=100)
    parser.add_argument("--jobs", default="1", help="sphinx -j value (a number or auto)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--theme", choices=("pydata", "basic", "both"), default="pydata")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--json", type=Path, help="write all measurements here")
    parser.add_argument("--full-only", action="store_true",
                        help="only the extension's full build (for very large N)")
    parser.add_argument("--code", default="head",
                        help="extension code: head (committed, pinned; default), tree "
                        "(working tree) or a commit")
    parser.add_argument("--keep", action="store_true", help="keep the built sites in work/")
    args = parser.parse_args()

    WORK.mkdir(exist_ok=True)
    themes = ("pydata", "basic") if args.theme == "both" else (args.theme,)
    report: dict[str, object] = {
        "papers": args.papers, "jobs": args.jobs, "runs": args.runs, "seed": args.seed,
        "commit": COMMIT, "machine": machine(), "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "themes": {},
    }
    for theme in themes:
        log = WORK / f"n{args.papers}-{theme}-j{args.jobs}.log"  # full Sphinx output
        log.write_text("", encoding="utf-8")
        runs = []
        for i in range(args.runs):
            print(f"[{theme}] run {i + 1}/{args.runs} ({args.papers} papers) ...", flush=True)
            runs.append(one_run(args.papers, args.jobs, theme, args.seed, log, args.full_only))
        summary = summarise(runs)
        report["themes"][theme] = summary  # type: ignore[index]
        print(table(args.papers, args.jobs, theme, summary), flush=True)
        if not args.keep:
            shutil.rmtree(WORK / f"n{args.papers}-{theme}", ignore_errors=True)
    if len(themes) == 2 and not args.full_only:
        full = {t: report["themes"][t]["medians"]["full"] for t in themes}  # type: ignore[index]
        base = {t: report["themes"][t]["medians"]["baseline_full"] for t in themes}  # type: ignore[index]
        report["theme_ratio"] = {
            "extension_wall": round(full["pydata"]["wall_s"] / full["basic"]["wall_s"], 3),
            "extension_cpu": round(full["pydata"]["cpu_s"] / full["basic"]["cpu_s"], 3),
            "baseline_wall": round(base["pydata"]["wall_s"] / base["basic"]["wall_s"], 3),
        }
        print(f"pydata / basic (target <= 1.5): {report['theme_ratio']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
