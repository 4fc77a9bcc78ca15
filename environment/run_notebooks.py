#!/usr/bin/env python3
"""Execute notebooks headless through the project's tslab kernel.

Used by the test suite (test/notebooks/) and by the main job (`make run`).
For each notebook: start a fresh kernel, install a guard that records promise
rejections nobody handled (and exceptions thrown from callbacks), run every
cell with a per-cell timeout, check the guard after each code cell and once
more after a grace period at the end. Any cell error, timeout or recorded
rejection fails the notebook with a report naming the notebook, the cell and
its source. Optionally writes the executed notebook, an offline HTML page
(plotly.js inlined once per page, titled after the notebook), every figure and
table the notebook shows (OUT/figures/<notebook>--<title slug>.*), and the
notebook back to its source path.

Parameters (papermill's convention): `-p NAME VALUE` (VALUE is JSON; a bare
word is a string) and the PARAMS environment variable (a JSON object of names
and values for every notebook of the run, or {"03-pruning": {...}, ...} per
notebook) set parameters of the cell tagged `parameters`: a cell tagged
`injected-parameters` is inserted after it, redeclaring each with the type it
had there, and the values are recorded in the executed notebook's
metadata.sparse_rnn.parameters. A name the parameters cell does not declare
(with the nearest one it does) or a value of the wrong type fails the run
before any kernel starts. A run with parameters never writes back to the
committed notebooks (only to --out).

Stopping the runner stops its kernel and the kernel's figure browser, whatever
the signal (see "Leaving nothing behind" below).

Exit status: 0 when every notebook passed, 1 otherwise; killed by the signal
it received when stopped by SIGINT, SIGTERM or SIGHUP.
"""
import argparse
import asyncio
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async

ROOT = Path(__file__).resolve().parent.parent
KERNEL_NAME = "tslab-sparse-rnn"
KERNELSPEC = {"name": KERNEL_NAME, "display_name": "TypeScript (sparse-rnn-lab)", "language": "typescript"}
MAX_COMMITTED_BYTES = 3 * 1024 * 1024
GUARD_KEY = "__sparseRnnNotebookGuard"

# TypeScript run in the kernel before the first cell. Node emits
# 'unhandledRejection' for a rejected promise nobody awaited or caught; tslab
# only logs those to the kernel's stderr, which nbclient never sees.
GUARD_SETUP = f"""{{
  const g = globalThis as any;
  if (!g.{GUARD_KEY}) {{
    const found: string[] = [];
    const describe = (kind: string, e: any) => kind + ": " + (e instanceof Error ? (e.stack || String(e)) : String(e));
    process.on("unhandledRejection", (reason: any) => {{ found.push(describe("Unawaited promise rejection", reason)); }});
    process.on("uncaughtException", (error: any) => {{ found.push(describe("Uncaught exception in a callback", error)); }});
    g.{GUARD_KEY} = found;
  }}
}}"""


def guard_check(grace_ms):
    return f"""{{
  await new Promise((resolve) => setTimeout(resolve, {grace_ms}));
  console.log("{GUARD_KEY}" + JSON.stringify((globalThis as any).{GUARD_KEY}.splice(0)));
}}"""


class NotebookFailure(Exception):
    pass


# --- Parameters ------------------------------------------------------------------
PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
BARE_WORD = None


def parse_value(name, text):
    """A -p value: JSON, or a bare word (letters, digits, . _ - / :) taken as a string."""
    import re
    global BARE_WORD
    try:
        return json.loads(text)
    except ValueError as e:
        BARE_WORD = BARE_WORD or re.compile(r"^[A-Za-z_][\w.\-/:]*$")
        if BARE_WORD.match(text) and text not in ("true", "false", "null"):
            return text
        raise ValueError(f"-p {name} {text}: not a JSON value ({e}); give numbers, lists and objects as JSON, strings as '\"text\"'") from None


def nearest(name, names):
    import difflib
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.0)
    return close[0] if close else None


def requested_parameters(cli_pairs, params_env, stems):
    """{notebook stem: {name: value}} from -p pairs and the PARAMS environment variable; raises ValueError."""
    import re
    per_notebook = {stem: {} for stem in stems}
    if params_env:
        try:
            params = json.loads(params_env)
        except ValueError as e:
            raise ValueError(f"PARAMS is not JSON: {e}") from None
        if not isinstance(params, dict):
            raise ValueError(f"PARAMS must be a JSON object of parameters (or of notebooks: {{\"03-pruning\": {{...}}}}), got {params_env}")
        by_notebook = params and all(isinstance(v, dict) and (k in stems or re.match(r"^\d\d-[\w.-]+$", k)) for k, v in params.items())
        if by_notebook:
            for stem, values in params.items():
                if stem not in stems:
                    raise ValueError(f"PARAMS has parameters for notebook {stem!r}, which this run does not include"
                                     + (f" (did you mean {nearest(stem, stems)!r}?)" if stems else ""))
                per_notebook[stem].update(values)
        else:
            for stem in stems:
                per_notebook[stem].update(params)
    for name, text in cli_pairs or []:
        value = parse_value(name, text)
        for stem in stems:
            per_notebook[stem][name] = value
    for stem, values in per_notebook.items():
        if "profile" in values:
            raise ValueError(f"parameter 'profile' for {stem}: the profile is chosen by PROFILE=… (or --profile), which overrides the notebook's `profile`; set that instead")
    return per_notebook


def parameters_cell(nb):
    """Index of the cell tagged `parameters`, or None."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and PARAMETERS_TAG in cell.get("metadata", {}).get("tags", []):
            return index
    return None


def injection(nb, path, values):
    """(source of the injected cell, problems): checked by environment/notebook-parameters.ts, before any kernel starts."""
    index = parameters_cell(nb)
    if index is None:
        return None, [f"it has no code cell tagged `{PARAMETERS_TAG}` to take parameters ({', '.join(sorted(values))})"]
    request = json.dumps({"source": nb.cells[index].source, "dir": str(path.parent), "values": values})
    run = subprocess.run(["node", "--import", "tsx", str(ROOT / "environment" / "notebook-parameters.ts")],
                         cwd=ROOT, input=request, capture_output=True, text=True)
    if run.returncode != 0:
        return None, [f"checking the parameters failed: {run.stderr.strip()[-2000:]}"]
    answer = json.loads(run.stdout)
    return answer["cell"], answer["problems"]


def inject(nb, source, values, origin):
    """Insert the injected cell after the parameters cell (replacing one a previous run injected); record the values."""
    nb.cells = [c for c in nb.cells if INJECTED_TAG not in c.get("metadata", {}).get("tags", [])]
    index = parameters_cell(nb)
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = [INJECTED_TAG]
    nb.cells.insert(index + 1, cell)
    nb.metadata.setdefault("sparse_rnn", {})["parameters"] = values
    nb.metadata["sparse_rnn"]["parameters_from"] = origin


# --- Leaving nothing behind ----------------------------------------------------
# jupyter_client starts the kernel in a session of its own (so that an interrupt
# reaches the kernel's whole process group) and the kernel starts Chromium in a
# process group of its own (playwright), so signals aimed at the runner or at its
# process group (Ctrl-C in a terminal) never reach them. Each way the runner can
# be stopped is covered here or further down the chain:
#  - SIGINT, SIGTERM, SIGHUP: the handler stops every process the runner started
#    (each one's process group: SIGTERM, SIGKILL after STOP_GRACE_S), then the
#    runner dies by the signal it got.
#  - SIGKILL: nothing runs here. The kernel launcher (kernel.json, written by
#    environment/install.sh) gave the kernel PR_SET_PDEATHSIG=SIGKILL: the kernel
#    dies with the runner.
#  - SIGKILL of a process above the runner: under `npm run main` the chain is
#    npm → sh → runner and sh outlives npm; under `npm test` it is npm → sh →
#    node --test → node → runner. A watcher thread polls these processes (the
#    parent, and every process of the npm script up to npm itself) and stops the
#    run as on SIGTERM when one of them exits. A runner whose npm has already
#    gone (node's test runner orphaned by kill -9 of `npm test`) does not start.
# The kernel's Chromium dies with the kernel: src/plot/browser.ts starts a
# watchdog that kills Chromium's process group when the kernel's end of a pipe
# closes, and Chromium exits by itself when its DevTools pipe closes.
STOP_GRACE_S = 2.0
WATCH_INTERVAL_S = 0.5
HAVE_PROC = os.path.exists("/proc/self/stat")
ACTIVE_CLIENTS = []
_stop_lock = threading.Lock()
_stopping_thread = None
_stopped = threading.Event()


def proc_stat(pid):
    """(state, ppid, process group, start time) of a process, from /proc; None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            text = f.read().decode(errors="replace")
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # after "pid (comm) "; comm may hold spaces
    return fields[0], int(fields[1]), int(fields[2]), int(fields[19])


def in_npm_script(pid):
    """True for a process that npm (or pnpm, yarn) started for a package script, or one below it."""
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return b"\0npm_lifecycle_event=" in b"\0" + f.read()
    except OSError:
        return False


def job_ancestors():
    """[(pid, start time)] of the processes whose exit means this run was killed from
    above: the parent, and inside an npm script every process up to npm itself."""
    chain = []
    pid = os.getppid()
    while HAVE_PROC and pid > 1:
        stat = proc_stat(pid)
        if stat is None:
            break
        chain.append((pid, stat[3]))
        if not in_npm_script(pid):
            break
        if stat[1] == 1 and not package_manager_is_init():
            # npm waits for its scripts, so an npm script adopted by init means npm was killed
            sys.exit(f"run_notebooks.py: not starting: the npm process that ran this script (via pid {pid}) has exited")
        pid = stat[1]
    return chain


def package_manager_is_init():
    """True when pid 1 is npm itself (`docker run … npm test`)."""
    try:
        with open("/proc/1/comm") as f:
            return f.read().split(" ")[0].strip() in ("npm", "npx", "node", "pnpm", "yarn", "bun")
    except OSError:
        return True


def watch_ancestors(chain):
    while True:
        time.sleep(WATCH_INTERVAL_S)
        for pid, started in chain:
            stat = proc_stat(pid)
            if stat is None or stat[3] != started or stat[0] in "ZX":
                stop_everything(f"process {pid} above the runner has exited")
                sys.stderr.flush()
                os._exit(1)


def stop_children():
    """Stop every process the runner started, with its process group: the kernel
    (it leads its own) and anything else still running (e.g. node for the HTML page)."""
    own_group = os.getpgrp()
    targets = {}
    if HAVE_PROC:
        for entry in os.listdir("/proc"):
            stat = proc_stat(entry) if entry.isdigit() else None
            if stat and stat[1] == os.getpid():
                targets[int(entry)] = stat[2]
    for client in ACTIVE_CLIENTS:  # without /proc: the kernel as jupyter_client knows it
        provisioner = getattr(getattr(client, "km", None), "provisioner", None)
        if getattr(provisioner, "pid", None) and getattr(provisioner, "pgid", None):
            targets.setdefault(provisioner.pid, provisioner.pgid)

    def send(sig):
        for pid, group in targets.items():
            try:
                if group != own_group:
                    os.killpg(group, sig)
                else:
                    os.kill(pid, sig)
            except OSError:
                pass

    def running(pid):
        try:
            return os.waitpid(pid, os.WNOHANG) == (0, 0)
        except ChildProcessError:
            return False

    send(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_S
    while time.monotonic() < deadline and any(running(pid) for pid in targets):
        time.sleep(0.05)
    send(signal.SIGKILL)  # the rest of each group, and whoever ignored SIGTERM


def stop_everything(reason):
    """Stop the kernels and other child processes once; concurrent callers wait for it."""
    global _stopping_thread
    with _stop_lock:
        first = _stopping_thread is None
        if first:
            _stopping_thread = threading.get_ident()
    if not first:
        if _stopping_thread != threading.get_ident():
            _stopped.wait(STOP_GRACE_S + 1)
        return  # the same thread again (a second Ctrl-C during the first): die at once
    print(f"\nrun_notebooks.py: {reason}; stopping the kernel", file=sys.stderr, flush=True)
    try:
        stop_children()
        for client in ACTIVE_CLIENTS:
            km = getattr(client, "km", None)
            if km is not None:
                try:
                    km.cleanup_connection_file()
                except Exception:
                    pass
    finally:
        _stopped.set()


def on_signal(signum, _frame):
    stop_everything(f"got {signal.Signals(signum).name}")
    sys.stdout.flush()
    sys.stderr.flush()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)  # die by the same signal, as the caller expects
    os._exit(128 + signum)


class RunnerEventLoop(asyncio.SelectorEventLoop):
    """nbclient answers SIGINT and SIGTERM by shutting the kernel down in the
    background and carrying on (the notebook fails, the next one starts); the
    runner's own handlers stop everything instead, so this loop does not let
    anyone take these signals over."""

    def add_signal_handler(self, sig, callback, *args):
        if sig in (signal.SIGINT, signal.SIGTERM):
            return
        super().add_signal_handler(sig, callback, *args)


def run_async(coroutine):
    """asyncio.run on a RunnerEventLoop."""
    loop = RunnerEventLoop()
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(coroutine)
    finally:
        try:
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            asyncio.set_event_loop(None)
            loop.close()


def guard_processes():
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    chain = job_ancestors()
    if chain:
        threading.Thread(target=watch_ancestors, args=(chain,), name="watch-ancestors", daemon=True).start()


def excerpt(source, limit=12):
    lines = source.splitlines()
    shown = [f"    {i + 1:3d} | {line}" for i, line in enumerate(lines[:limit])]
    if len(lines) > limit:
        shown.append(f"        … ({len(lines) - limit} more lines)")
    return "\n".join(shown)


def cell_label(nb, index):
    code_number = sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code")
    return f"cell {index} (code cell #{code_number})"


def stderr_of(cell, limit=20):
    text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stderr")
    lines = text.strip().splitlines()
    return "\n".join("    " + l for l in lines[-limit:])


def error_of(cell):
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            trace = "\n".join(output.get("traceback", [])) or f"{output.get('ename')}: {output.get('evalue')}"
            return "\n".join("    " + l for l in trace.splitlines()[:25])
    return ""


async def hidden_run(client, source, timeout=60):
    """Run guard code in the kernel, outside the notebook (nbclient's execute_cell
    would store it as a notebook cell); return what it printed."""
    msg_id = await ensure_async(client.kc.execute(source, store_history=False, allow_stdin=False))
    printed = []
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise NotebookFailure(f"the kernel did not finish the runner's guard code within {timeout} s")
        try:
            msg = await ensure_async(client.kc.get_iopub_msg(timeout=remaining))
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            printed.append(content["text"])
        elif kind == "error":
            raise NotebookFailure(f"the runner's guard code failed in the kernel: {content['ename']}: {content['evalue']}")
        elif kind == "status" and content["execution_state"] == "idle":
            break
    await client.async_wait_for_reply(msg_id)
    return "".join(printed)


async def check_guard(client, nb, index, grace_ms):
    out = await hidden_run(client, guard_check(grace_ms))
    line = next((l for l in out.splitlines() if l.startswith(GUARD_KEY)), None)
    if line is None:
        raise NotebookFailure(f"the rejection guard did not answer after {cell_label(nb, index)}; output was:\n{out}")
    found = json.loads(line[len(GUARD_KEY):])
    if found:
        where = f"after {cell_label(nb, index)}" if grace_ms == 0 else f"after the last cell (within {grace_ms} ms)"
        source = nb.cells[index].source if grace_ms == 0 else ""
        details = "\n".join("    " + l for f in found for l in f.splitlines()[:15])
        raise NotebookFailure(
            f"{len(found)} unhandled error(s) detected {where} — await the promise or attach .catch():\n{details}"
            + (f"\n  source of {cell_label(nb, index)}:\n{excerpt(source)}" if source else "")
        )


async def execute(nb, path, cell_timeout, grace_ms):
    client = NotebookClient(
        nb,
        timeout=cell_timeout,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        shutdown_kernel="graceful",  # lets the kernel run its exit handlers (browser, temp profile)
        startup_timeout=120,
    )
    client.reset_execution_trackers()
    ACTIVE_CLIENTS[:] = [client]  # the one kernel running now, for stop_everything
    async with client.async_setup_kernel():
        info = await client.async_wait_for_reply(await ensure_async(client.kc.kernel_info()))
        if info is not None and "language_info" in info["content"]:
            nb.metadata["language_info"] = info["content"]["language_info"]
        await hidden_run(client, GUARD_SETUP)
        last_code = 0
        for index, cell in enumerate(nb.cells):
            try:
                await client.async_execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
            except CellTimeoutError:
                client.shutdown_kernel = "immediate"  # a busy kernel cannot answer a shutdown request
                raise NotebookFailure(
                    f"{cell_label(nb, index)} timed out after {cell_timeout} s (per-cell limit; set NOTEBOOK_CELL_TIMEOUT to change it)\n"
                    f"  source:\n{excerpt(cell.source)}"
                ) from None
            except DeadKernelError as e:
                raise NotebookFailure(f"the kernel died while running {cell_label(nb, index)}: {e}\n  source:\n{excerpt(cell.source)}") from None
            except CellExecutionError:
                err = error_of(cell)
                stderr = stderr_of(cell)
                raise NotebookFailure(
                    f"{cell_label(nb, index)} raised an error\n  source:\n{excerpt(cell.source)}\n"
                    + (f"  error:\n{err}\n" if err else "")
                    + (f"  stderr:\n{stderr}\n" if stderr else "")
                ) from None
            if cell.cell_type == "code" and cell.source.strip():
                last_code = index
                await check_guard(client, nb, index, 0)
        await check_guard(client, nb, last_code, grace_ms)


def drop_blank_outputs(nb):
    """Remove display outputs emptied by an update (show()'s one-off plotly.js loader)."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o for o in cell.outputs
                if not (o.output_type == "display_data" and all(v == "" for v in o.get("data", {}).values()))
            ]


def plotly_script_tag():
    code = "process.stdout.write(require('./src/plot/plotly-bundle').plotlyScriptTag())"
    return subprocess.run(["node", "--import", "tsx", "-e", code], cwd=ROOT, check=True, capture_output=True, text=True).stdout


def notebook_title(nb, name):
    """The first heading of the first markdown cell (markup dropped), else the file name."""
    import re
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#+\s+(.+?)\s*#*\s*$", cell.source, re.M)
            if match:
                text = re.sub(r"<[^>]*>|[*_`]", "", match.group(1)).strip()
                if text:
                    return text
            break
    return name


def to_html(nb, script_tag, title="Notebook"):
    from nbconvert import HTMLExporter
    exporter = HTMLExporter(template_name="lab")
    # Charts draw with the plotly.js inlined below; require.js is not needed.
    exporter.require_js_url = "data:text/javascript,"
    html, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    if "sparse-rnn-plot" in html:
        html = html.replace("</head>", script_tag() + "\n</head>", 1)
    return html


PNG_DATA = None


def comparable_outputs(nb):
    """Every cell's outputs as text, with rendered images left out: figures are PNGs drawn by
    Chromium, whose bytes may differ between machines; everything else must not."""
    import re
    global PNG_DATA
    if PNG_DATA is None:
        PNG_DATA = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")
    cells = []
    for cell in nb.cells:
        outputs = []
        for output in cell.get("outputs", []):
            kept = {k: v for k, v in output.items() if k not in ("execution_count", "metadata")}
            if "data" in kept:
                kept["data"] = {k: v for k, v in kept["data"].items() if not k.startswith("image/")}
            outputs.append(PNG_DATA.sub("data:image/png;base64,…", json.dumps(kept, sort_keys=True)))
        cells.append(outputs)
    return cells


def sources(nb):
    return [(cell.cell_type, cell.source) for cell in nb.cells]


INPUT_FOLDERS = ("src", "results", "reference/thesis", "bench/results", "environment")


def inputs_fingerprint():
    """sha-256 over every tracked file a notebook's outputs can depend on besides its own cells: the
    library, the results of record, the thesis's data, the recorded benchmarks and the runner. Recorded in
    each executed notebook's metadata, it tells a changed input (a legitimately different output) from a
    rerun of the same inputs (whose outputs must be identical). Tracked files only (git ls-files): what the
    install generates (kernel spec, caches) never counts."""
    import hashlib
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--", *INPUT_FOLDERS], cwd=ROOT, capture_output=True, check=True).stdout
        files = sorted(ROOT / f for f in listed.decode().split("\0") if f)
    except (OSError, subprocess.CalledProcessError):  # not a git checkout
        files = sorted(p for folder in INPUT_FOLDERS if (ROOT / folder).exists() for p in (ROOT / folder).rglob("*") if p.is_file())
    digest = hashlib.sha256()
    for file in files:
        if file.exists():
            digest.update(str(file.relative_to(ROOT)).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def committed_difference(path, executed):
    """How the executed notebook's outputs differ from the committed file's (None: identical up to
    images); when its sources or inputs differ, the committed notebook is simply stale."""
    committed = nbformat.read(path, as_version=4)
    if sources(committed) != sources(executed):
        return "its cell sources differ from the committed notebook's (edited since the last `npm run main`)"
    same_inputs = committed.metadata.get("sparse_rnn", {}).get("inputs") == executed.metadata.get("sparse_rnn", {}).get("inputs")
    for index, (old, new) in enumerate(zip(comparable_outputs(committed), comparable_outputs(executed))):
        if old != new:
            first = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
            if same_inputs:
                return f"cell {index} output {first} differs from the committed notebook's"
            return f"stale: cell {index} output {first} differs, and the library, the results or the data it shows changed since the committed notebook was made"
    return None


def reference_data_problem():
    """Why the vendored thesis data is not complete and intact (None when it is): committed notebooks
    always show the comparison with the thesis."""
    import hashlib
    manifest_path = ROOT / "reference" / "thesis" / "MANIFEST.json"
    if not manifest_path.exists():
        return f"{manifest_path.relative_to(ROOT)} is missing"
    for entry in json.loads(manifest_path.read_text(encoding="utf-8"))["files"]:
        name = entry["path"]
        file = ROOT / "reference" / "thesis" / name
        if not file.exists():
            return f"reference/thesis/{name} is missing"
        if hashlib.sha256(file.read_bytes()).hexdigest() != entry["sha256"]:
            return f"reference/thesis/{name} does not match its checksum in MANIFEST.json"
    if not (ROOT / "results" / "PROVENANCE.json").exists():
        return "results/PROVENANCE.json is missing (the results of record the notebooks show)"
    return None


def write_back_refusal(path, executed):
    """Why the executed notebook must not replace the committed one (None: it may). Committed notebooks
    are what readers see on GitHub: only a quick-profile run with the complete reference data and
    outputs that a rerun reproduces may replace them."""
    problem = reference_data_problem()
    if problem:
        return problem
    difference = committed_difference(path, executed)
    if difference and difference.startswith("cell "):
        return f"not reproducible: its sources and inputs are unchanged but {difference}"
    return None


def remove_stale_outputs(folder, name):
    """Files an earlier run of this notebook exported (<name>--*.*, and the numbered <name>-NN.* of older runs)."""
    import re
    if not folder.is_dir():
        return
    numbered = re.compile(re.escape(name) + r"-\d\d\.(svg|png|pdf)$")
    for file in folder.iterdir():
        if file.is_file() and (file.name.startswith(name + "--") or numbered.match(file.name)):
            file.unlink()


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--profile", default=os.environ.get("PROFILE") or "quick", help="value of PROFILE in the kernel (default: $PROFILE or quick)")
    parser.add_argument("--timeout", type=int, default=None, help="per-cell timeout in seconds (default: $NOTEBOOK_CELL_TIMEOUT, else 300 for quick, none for thesis)")
    parser.add_argument("--grace-ms", type=int, default=300, help="wait this long after the last cell for late rejections")
    parser.add_argument("--out", type=Path, help="write OUT/notebooks/*.ipynb, OUT/html/*.html, and OUT/figures/<notebook>--<title slug>.{svg,png,pdf} "
                        "(also .paper.{svg,png,pdf}) for every figure and .{csv,tex,md} for every table a notebook shows")
    parser.add_argument("--write-back", action="store_true", help="save the executed notebook over its source (quick profile only, and only when it reproduces: see write_back_refusal)")
    parser.add_argument("--check-committed", action="store_true", help="fail when the executed outputs differ from the committed notebook's (images aside)")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"),
                        help="set a parameter of the notebooks' parameters cell (VALUE: JSON, or a bare word as a string); repeatable. "
                             "PARAMS='{\"name\": value}' (or {\"03-pruning\": {...}} per notebook) does the same")
    args = parser.parse_args()
    params_env = os.environ.get("PARAMS", "").strip()
    if args.check_committed and (args.parameter or params_env):
        parser.error("--check-committed compares a run of the committed configuration; it cannot take parameters (-p, PARAMS)")

    timeout = args.timeout or int(os.environ.get("NOTEBOOK_CELL_TIMEOUT", "0")) or (300 if args.profile == "quick" else -1)
    if args.write_back and args.profile != "quick":
        parser.error(f"--write-back keeps committed notebooks in the quick profile; profile is {args.profile!r}")
    guard_processes()
    injected = {}
    if args.parameter or params_env:
        # every notebook's parameters are checked before any kernel starts
        paths = [p.resolve() for p in args.notebooks]
        try:
            wanted = requested_parameters(args.parameter, params_env, [p.stem for p in paths])
        except ValueError as e:
            print(f"FAIL: {e}", file=sys.stderr)
            return 1
        refused = []
        for path in paths:
            values = wanted[path.stem]
            if not values:
                continue
            try:
                nb = nbformat.read(path, as_version=4)
            except Exception:
                continue  # reported when the notebook's turn comes
            source, problems = injection(nb, path, values)
            if problems:
                refused.append((path, problems))
            else:
                origin = (["PARAMS"] if params_env else []) + (["-p"] if args.parameter else [])
                injected[path] = (source, values, origin)
        if refused:
            for path, problems in refused:
                print(f"FAIL {path}: parameters refused (no kernel started):\n" + "\n".join(f"  - {p}" for p in problems), file=sys.stderr)
            return 1
    os.environ["PROFILE"] = args.profile
    os.environ["SPARSE_RNN_STABLE_OUTPUT"] = "1"  # no timings in outputs: committed notebooks regenerate identically
    bundle = {}
    failed = []
    inputs = inputs_fingerprint()
    for path in args.notebooks:
        path = path.resolve()
        name = path.stem
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as e:  # unreadable JSON, wrong nbformat
            print(f"FAIL {path}: cannot read notebook: {e}", file=sys.stderr)
            failed.append(path)
            continue
        if path in injected:
            inject(nb, *injected[path])
        os.environ["SPARSE_RNN_NOTEBOOK"] = name
        if args.out:
            figures = (args.out / "figures").resolve()
            remove_stale_outputs(figures, name)
            os.environ["SPARSE_RNN_FIGURES_DIR"] = str(figures)
            os.environ["SPARSE_RNN_TABLES_DIR"] = str(figures)  # tables next to the figures
        started = time.monotonic()
        try:
            run_async(execute(nb, path, timeout, args.grace_ms))
        except NotebookFailure as e:
            print(f"\nFAIL {path} (profile {args.profile}): {e}", file=sys.stderr)
            failed.append(path)
            continue
        nb.metadata["kernelspec"] = KERNELSPEC
        nb.metadata.setdefault("sparse_rnn", {})["inputs"] = inputs
        drop_blank_outputs(nb)
        text = nbformat.writes(nb) + "\n"
        if args.out:
            write(args.out / "notebooks" / path.name, text)
            html = to_html(nb, lambda: bundle.setdefault("tag", plotly_script_tag()), notebook_title(nb, name))
            write(args.out / "html" / f"{name}.html", html)
        if args.check_committed:
            difference = committed_difference(path, nb)
            if difference:
                print(f"\nFAIL {path}: {difference}; run `npm run main` to regenerate the committed notebooks", file=sys.stderr)
                failed.append(path)
                continue
        if args.write_back:
            refusal = "run with injected parameters: not the committed configuration" if path in injected else write_back_refusal(path, nb)
            if refusal:
                print(f"kept {path.name}: not written back ({refusal}); the executed notebook is in {args.out or 'no --out folder'}", file=sys.stderr)
            elif len(text.encode()) > MAX_COMMITTED_BYTES:
                print(f"\nFAIL {path}: executed notebook is {len(text.encode()) / 2**20:.1f} MB; committed notebooks must stay under 3 MB "
                      "(show fewer or smaller figures in the quick profile)", file=sys.stderr)
                failed.append(path)
                continue
            else:
                write(path, text)
        with_parameters = f", parameters {json.dumps(injected[path][1])}" if path in injected else ""
        print(f"ok   {path.name} ({len(nb.cells)} cells, {time.monotonic() - started:.1f} s, profile {args.profile}{with_parameters})", file=sys.stderr)
    if failed:
        print(f"\n{len(failed)} of {len(args.notebooks)} notebook(s) failed: {', '.join(p.name for p in failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
