#!/usr/bin/env python3
"""Execute notebooks headless through the project's tslab kernel.

Used by the test suite (test/notebooks/) and by the main job (`make run`).
For each notebook: start a fresh kernel, install a guard that records promise
rejections nobody handled (and exceptions thrown from callbacks), run every
cell with a per-cell timeout, check the guard after each code cell and once
more after a grace period at the end. Any cell error, timeout or recorded
rejection fails the notebook with a report naming the notebook, the cell and
its source. Optionally writes the executed notebook, an offline HTML page
(plotly.js inlined once per page), and the notebook back to its source path.

Exit status: 0 when every notebook passed, 1 otherwise.
"""
import argparse
import asyncio
import json
import os
import queue
import subprocess
import sys
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


def to_html(nb, script_tag):
    from nbconvert import HTMLExporter
    exporter = HTMLExporter(template_name="lab")
    # Charts draw with the plotly.js inlined below; require.js is not needed.
    exporter.require_js_url = "data:text/javascript,"
    html, _ = exporter.from_notebook_node(nb)
    if "sparse-rnn-plot" in html:
        html = html.replace("</head>", script_tag() + "\n</head>", 1)
    return html


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
    parser.add_argument("--out", type=Path, help="write OUT/notebooks/*.ipynb, OUT/html/*.html and OUT/figures/*.{svg,png,pdf}")
    parser.add_argument("--write-back", action="store_true", help="save the executed notebook over its source (quick profile only)")
    args = parser.parse_args()

    timeout = args.timeout or int(os.environ.get("NOTEBOOK_CELL_TIMEOUT", "0")) or (300 if args.profile == "quick" else -1)
    if args.write_back and args.profile != "quick":
        parser.error(f"--write-back keeps committed notebooks in the quick profile; profile is {args.profile!r}")
    os.environ["PROFILE"] = args.profile
    os.environ["SPARSE_RNN_STABLE_OUTPUT"] = "1"  # no timings in outputs: committed notebooks regenerate identically
    bundle = {}
    failed = []
    for path in args.notebooks:
        path = path.resolve()
        name = path.stem
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as e:  # unreadable JSON, wrong nbformat
            print(f"FAIL {path}: cannot read notebook: {e}", file=sys.stderr)
            failed.append(path)
            continue
        os.environ["SPARSE_RNN_NOTEBOOK"] = name
        if args.out:
            os.environ["SPARSE_RNN_FIGURES_DIR"] = str((args.out / "figures").resolve())
        started = time.monotonic()
        try:
            asyncio.run(execute(nb, path, timeout, args.grace_ms))
        except NotebookFailure as e:
            print(f"\nFAIL {path} (profile {args.profile}): {e}", file=sys.stderr)
            failed.append(path)
            continue
        nb.metadata["kernelspec"] = KERNELSPEC
        drop_blank_outputs(nb)
        text = nbformat.writes(nb) + "\n"
        if args.out:
            write(args.out / "notebooks" / path.name, text)
            html = to_html(nb, lambda: bundle.setdefault("tag", plotly_script_tag()))
            write(args.out / "html" / f"{name}.html", html)
        if args.write_back:
            if len(text.encode()) > MAX_COMMITTED_BYTES:
                print(f"\nFAIL {path}: executed notebook is {len(text.encode()) / 2**20:.1f} MB; committed notebooks must stay under 3 MB "
                      "(show fewer or smaller figures in the quick profile)", file=sys.stderr)
                failed.append(path)
                continue
            write(path, text)
        print(f"ok   {path.name} ({len(nb.cells)} cells, {time.monotonic() - started:.1f} s, profile {args.profile})", file=sys.stderr)
    if failed:
        print(f"\n{len(failed)} of {len(args.notebooks)} notebook(s) failed: {', '.join(p.name for p in failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
