"""Benchmark runner: the extension's builds against a plain-Sphinx baseline (issue 15).

For each run it generates a fresh synthetic site (``generate.py``) and its
baseline (default ``plain_site.py``: the plainest Sphinx site with the same
papers, authors and topics; ``--baseline rewritten``: the extension's pages
rewritten as plain MyST, ``baseline.py``), then times as subprocesses
(``python -m sphinx -j auto``), alternating the two sites step by step: the
full build, a no-op rebuild, a rebuild after editing one abstract and one after
editing that paper's title, each edit made ``--edits`` times (medians: one
one-page build varies by a fifth on this machine).  The baseline gets the same
edit (its pages are brought up to date from the edited ``papers/``, writing
only changed files).
Wall and CPU seconds (user + system of the build and its workers), peak RSS
(the largest process, and the sampled sum over the build's process tree),
pages and pages written are recorded; each run's ratios, their medians and
issue 15's targets are printed and written as JSON under ``work/results/``.

Usage::

    python benchmarks/run.py --papers 1000 [--jobs auto] [--runs 2] [--edits 3]
        [--theme pydata|basic|both] [--baseline plain|rewritten] [--code head]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "work"


sys.path.insert(0, str(HERE))
if __name__ == "__main__":  # pin before the extension is imported below
    from pin import pin_from_argv

    COMMIT = pin_from_argv()

from baseline import make_baseline  # noqa: E402
from generate import conf_text, generate  # noqa: E402
from plain_site import write_plain_site  # noqa: E402

try:
    import psutil
except ImportError:  # only the largest process's RSS then
    psutil = None

STEPS = ("full", "noop", "abstract", "title")
SITES = ("ext", "base")
#: Issue 15: (extension's step, baseline's step it is divided by, target ratio).
TARGETS = {
    "full": ("full", "full", 1.3),
    "noop": ("noop", "noop", 1.2),
    "abstract": ("abstract", "abstract", 1.3),
    "title": ("title", "abstract", 2.0),  # "one title edited <= 2x the baseline's one-page edit"
    "title_vs_base_title": ("title", "title", None),  # for information
}
_UPDATING = re.compile(r"updating environment: .*?(\d+) added, (\d+) changed, (\d+) removed")


class TreeRSS:
    """Samples the summed RSS of a process and all its descendants (workers, Pagefind).

    Forked workers share pages copy-on-write with the main process, so the sum
    counts those pages more than once: an upper bound on the memory used.
    """

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.pid, self.every, self.peak = pid, every, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)
        if psutil is not None:
            self.thread.start()

    def sample(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self.stop.wait(self.every):
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                return
            total = 0
            for proc in procs:
                with contextlib.suppress(psutil.Error):
                    total += proc.memory_info().rss
            self.peak = max(self.peak, total)

    def finish(self) -> float:
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join()
        return round(self.peak / 2**20, 1)


def build(root: Path, jobs: str, log: Path) -> dict[str, float | int]:
    """One ``python -m sphinx`` build of ``root``; its costs, measured from outside."""
    out = root / "_build" / "html"
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-j", jobs, "-c", str(root),
           "-d", str(root / "_build" / "doctrees"), str(root / "source"), str(out)]
    load = os.getloadavg()[0]
    start_ns = time.time_ns()
    start = time.perf_counter()
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"\n$ {' '.join(cmd)}\n")
        handle.flush()
        proc = subprocess.Popen(cmd, stdout=handle, stderr=subprocess.STDOUT)
        sampler = TreeRSS(proc.pid)
        # wait4 reports the build's own usage including its reaped workers.
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        tree_rss = sampler.finish()
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
    with log.open("r", encoding="utf-8", errors="replace") as handle:
        handle.seek(max(0, log.stat().st_size - 200_000))
        found = _UPDATING.findall(handle.read())
    read = sum(int(x) for x in found[-1][:2]) if found else 0
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),  # the largest single process
        "tree_rss_mib": tree_rss,  # sampled sum over the process tree (0: no psutil)
        "pages": pages,
        "pages_written": written,
        "sources_changed": read,
        "output_mib": round(size / 2**20, 2),
        "load_1min_before": round(load, 2),
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


def one_run(n: int, jobs: str, theme: str, seed: int, log: Path, baseline: str,
            index: int, full_only: bool = False, edits: int = 1) -> dict[str, dict]:
    """Every measurement of one run, the extension's and the baseline's builds alternating.

    The plain baseline goes first in every second run, so that a drift of the
    machine within a step does not always favour the same site; the rewritten
    baseline is made from the extension's generated pages, so it always follows.
    The edit steps are made ``edits`` times in a row (another sentence, another
    title prefix), the order of the sites swapped each time; a step's measures
    are the medians of its builds, each build's wall time kept under "samples".
    """
    folder = WORK / f"n{n}-{theme}-{baseline}"
    ext, base = folder / "ext", folder / "baseline"
    shutil.rmtree(folder, ignore_errors=True)
    generate(ext, n, seed, theme)
    result: dict[str, dict] = {"ext": {}, "base": {}}
    if full_only:
        result["ext"]["full"] = build(ext, jobs, log)
        return result
    order = ("base", "ext") if baseline == "plain" and index % 2 else ("ext", "base")
    result["order"] = list(order)  # type: ignore[assignment]
    samples: dict[str, dict[str, list[float]]] = {"ext": {}, "base": {}}
    result["samples"] = samples  # type: ignore[assignment]
    paper = folder_paper(ext)
    for step in STEPS:
        repeats = edits if step in ("abstract", "title") else 1
        measured: dict[str, list[dict]] = {"ext": [], "base": []}
        for repeat in range(repeats):
            if step == "abstract":
                edit_abstract(paper)
            elif step == "title":
                edit_title(paper)
            for site in (order if repeat % 2 == 0 else order[::-1]):
                if site == "ext":
                    measured["ext"].append(build(ext, jobs, log))
                    continue
                if baseline == "plain":  # the same edit, by hand: only changed files written
                    made = write_plain_site(ext / "papers", base, n)
                else:
                    extra = 'html_sidebars = {"proceedings/**": []}\n'
                    made = {"sources": make_baseline(
                        ext, base, conf_text(n, theme, extension=False, extra=extra),
                        refresh=step != "full")}
                measured["base"].append({**build(base, jobs, log), "sources": made["sources"]})
        for site in SITES:
            result[site][step] = {m: statistics.median(b[m] for b in measured[site])
                                  for m in measured[site][0]}
            samples[site][step] = [b["wall_s"] for b in measured[site]]
    return result


def summarise(runs: list[dict[str, dict]]) -> dict[str, object]:
    """Medians of every measure, and each run's issue-15 ratios with their medians."""
    medians = {site: {step: {m: statistics.median(r[site][step][m] for r in runs)
                             for m in runs[0][site][step]}
                      for step in runs[0][site]}
               for site in SITES if runs[0][site]}
    full = medians["ext"]["full"]
    summary: dict[str, object] = {"medians": medians, "runs": runs, "ratios": {
        "s_per_page_wall": round(full["wall_s"] / full["pages"], 5),
        "s_per_page_cpu": round(full["cpu_s"] / full["pages"], 5)}}
    if "base" not in medians:  # --full-only
        return summary
    for name, (ext_step, base_step, target) in TARGETS.items():
        for metric in ("wall_s", "cpu_s"):
            per_run = [r["ext"][ext_step][metric] / r["base"][base_step][metric] for r in runs]
            summary["ratios"][f"{name}_{metric[:-2]}"] = {  # type: ignore[index]
                "median": round(statistics.median(per_run), 3),
                "runs": [round(x, 3) for x in per_run], "target": target}
    return summary


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
    for dist in ("sphinx", "myst-parser", "docutils", "pydata-sphinx-theme", "sphinx-design",
                 "pagefind", "sphinx-proceedings"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": ram_gib,
            "python": platform.python_version(), "platform": platform.platform(), **versions}


def table(n: int, jobs: str, theme: str, baseline: str, summary: dict) -> str:
    med, ratio = summary["medians"], summary["ratios"]
    lines = [f"\n{n} papers, -j {jobs}, extension theme {theme}, baseline {baseline}, "
             f"{len(summary['runs'])} run(s), medians",
             f"{'build':<16}{'wall s':>9}{'cpu s':>9}{'RSS MiB':>9}{'tree MiB':>9}{'pages':>7}"
             f"{'written':>9}{'changed':>9}{'load':>6}"]
    for site, steps in med.items():
        for step, m in steps.items():
            lines.append(f"{site + ' ' + step:<16}{m['wall_s']:>9.2f}{m['cpu_s']:>9.2f}"
                         f"{m['peak_rss_mib']:>9.0f}{m['tree_rss_mib']:>9.0f}{m['pages']:>7.0f}"
                         f"{m['pages_written']:>9.0f}{m['sources_changed']:>9.0f}"
                         f"{m['load_1min_before']:>6.2f}")
    lines.append(f"{1000 * ratio['s_per_page_wall']:.1f} ms/page wall, "
                 f"{1000 * ratio['s_per_page_cpu']:.1f} ms/page cpu (extension, full build)")
    for name, (_, _, target) in TARGETS.items():
        if f"{name}_wall" not in ratio:
            continue
        wall, cpu = ratio[f"{name}_wall"], ratio[f"{name}_cpu"]
        goal = f"target <= {target}" if target else "information"
        lines.append(f"{name:<22} wall {wall['median']:.2f}x {wall['runs']}  "
                     f"cpu {cpu['median']:.2f}x {cpu['runs']}  ({goal})")
    return "\n".join(lines)


def save(report: dict[str, object], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark sphinx-proceedings builds.")
    parser.add_argument("--papers", type=int, default=100)
    parser.add_argument("--jobs", default="auto", help="sphinx -j value (a number or auto)")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--theme", choices=("pydata", "basic", "both"), default="pydata",
                        help="the extension's theme (the plain baseline is always basic)")
    parser.add_argument("--baseline", choices=("plain", "rewritten"), default="plain",
                        help="plain: plain_site.py (default); rewritten: baseline.py")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--json", type=Path,
                        help="write all measurements here (default: work/results/...)")
    parser.add_argument("--full-only", action="store_true",
                        help="only the extension's full build (for very large N)")
    parser.add_argument("--code", default="head",
                        help="extension code: head (committed, pinned; default), tree "
                        "(working tree) or a commit")
    parser.add_argument("--keep", action="store_true", help="keep the built sites in work/")
    parser.add_argument("--edits", type=int, default=3,
                        help="how many times each edit step is made in a run (medians)")
    args = parser.parse_args()

    WORK.mkdir(exist_ok=True)
    themes = ("pydata", "basic") if args.theme == "both" else (args.theme,)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    path = args.json or (WORK / "results" / f"n{args.papers}-{args.baseline}-j{args.jobs}-"
                         f"{COMMIT}-{stamp}.json")
    report: dict[str, object] = {
        "papers": args.papers, "jobs": args.jobs, "runs": args.runs, "seed": args.seed,
        "edits": args.edits,
        "baseline": args.baseline, "commit": COMMIT, "machine": machine(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "load_at_start": os.getloadavg(),
        "themes": {},
    }
    for theme in themes:
        log = WORK / f"n{args.papers}-{theme}-{args.baseline}-j{args.jobs}.log"  # Sphinx output
        log.write_text("", encoding="utf-8")
        runs = []
        for i in range(args.runs):
            print(f"[{theme}] run {i + 1}/{args.runs} ({args.papers} papers, load "
                  f"{os.getloadavg()[0]:.2f}) ...", flush=True)
            runs.append(one_run(args.papers, args.jobs, theme, args.seed, log, args.baseline,
                                i, args.full_only, args.edits))
            report["themes"][theme] = {"runs": runs}  # type: ignore[index]
            save(report, path)  # what is measured so far survives an interrupted run
        summary = summarise(runs)
        report["themes"][theme] = summary  # type: ignore[index]
        print(table(args.papers, args.jobs, theme, args.baseline, summary), flush=True)
        if not args.keep:
            shutil.rmtree(WORK / f"n{args.papers}-{theme}-{args.baseline}", ignore_errors=True)
    if len(themes) == 2:
        full = {t: report["themes"][t]["medians"]["ext"]["full"] for t in themes}  # type: ignore[index]
        report["theme_ratio"] = {
            "extension_wall": round(full["pydata"]["wall_s"] / full["basic"]["wall_s"], 3),
            "extension_cpu": round(full["pydata"]["cpu_s"] / full["basic"]["cpu_s"], 3),
        }
        print(f"pydata / basic (target <= 1.5): {report['theme_ratio']}")
    report["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    report["load_at_end"] = os.getloadavg()
    save(report, path)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
