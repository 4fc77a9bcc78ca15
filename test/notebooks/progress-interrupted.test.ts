/**
 * In the real kernel, a progress bar whose cell throws or is interrupted ends
 * "interrupted" instead of keeping its last count, and an interrupt leaves the
 * kernel and its figure browser working (playwright's SIGINT handler used to exit
 * the kernel once a figure had been shown). The fixture runs through nbclient with
 * errors allowed; its cell tagged `interrupt-me` is interrupted after 5 s, as the
 * stop button of Jupyter does.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { execFile } from "child_process";
import * as path from "path";
import { ROOT, platformEnv } from "./run-notebook";

const FIXTURE = path.join(__dirname, "fixtures", "progress-interrupted.ipynb");

// Cell by cell with a pause between: tslab drops requests that arrive within 200 ms of a failed cell.
const EXECUTE = `
import json, sys, time
import nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
client = NotebookClient(
    nb, kernel_name="tslab-sparse-rnn", allow_errors=True, interrupt_on_timeout=True,
    timeout_func=lambda cell: 5 if "interrupt-me" in cell.metadata.get("tags", []) else 180,
    resources={"metadata": {"path": sys.argv[2]}},
)
with client.setup_kernel():
    for index, cell in enumerate(nb.cells):
        client.execute_cell(cell, index)
        time.sleep(0.5)
print(json.dumps([cell.get("outputs", []) for cell in nb.cells]))
`;

type Output = { output_type: string; data?: Record<string, string>; text?: string; ename?: string; evalue?: string };

function execute(): Promise<Output[][]> {
  const env: NodeJS.ProcessEnv = { ...platformEnv(), SPARSE_RNN_STABLE_OUTPUT: "1" };
  return new Promise((resolve, reject) => {
    execFile(env.SPARSE_RNN_PYTHON!, ["-c", EXECUTE, FIXTURE, path.dirname(FIXTURE)], { cwd: ROOT, env, maxBuffer: 64 * 2 ** 20, timeout: 600_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split("\n").pop()!));
    });
  });
}

const html = (outputs: Output[]) => outputs.map((o) => o.data?.["text/html"] ?? "").join("\n");

test("progress bars of a failing and of an interrupted cell end 'interrupted'; the kernel lives on", { timeout: 600_000 }, async () => {
  const cells = await execute();
  const [, , shown, failing, interrupted, after, shownAfter] = cells;
  assert.match(html(shown), /class="sparse-rnn-plot"/);
  assert.match(html(shown), /data:image\/png;base64/, "the figure browser rendered the PNG fallback");

  assert.ok(failing.some((o) => o.output_type === "error" || /the cell fails at 3 of 10/.test(o.text ?? "")), JSON.stringify(failing));
  assert.match(html(failing), /failing {2}3\/10 {2}30% {2}interrupted</);

  assert.ok(interrupted.some((o) => o.output_type === "error" || /interrupted/i.test(o.text ?? "")), JSON.stringify(interrupted));
  assert.match(html(interrupted), /blocked {2}37\/100 {2}37% {2}interrupted</);

  assert.match(html(after), /after the interrupt {2}2\/2 {2}100% {2}done</, "the kernel survived the interrupt");
  assert.match(html(shownAfter), /data:image\/png;base64/, "the figure browser still renders after the interrupt");
});
