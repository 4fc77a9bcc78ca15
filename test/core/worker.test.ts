/** The one worker bootstrap (src/core/worker.ts): a worker thread runs a TypeScript module with its data. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Worker } from "node:worker_threads";
import { tsWorkerData, WORKER_ENTRY } from "../../src/core/worker";

test("a worker started at WORKER_ENTRY compiles a .ts module, which reads its workerData", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ts-worker-"));
  const module = path.join(dir, "echo.ts");
  fs.writeFileSync(module, [
    `import { parentPort, workerData } from "node:worker_threads";`,
    `const twice = (n: number): number => 2 * n;`,
    `parentPort!.postMessage({ value: twice((workerData as { n: number }).n), module: (workerData as { tsModule: string }).tsModule });`,
  ].join("\n"));
  const worker = new Worker(WORKER_ENTRY, { workerData: tsWorkerData(module, { n: 21 }) });
  const reply = await new Promise((resolve, reject) => { worker.once("message", resolve); worker.once("error", reject); });
  await worker.terminate();
  assert.deepEqual(reply, { value: 42, module });
});

test("tsWorkerData refuses a relative module path and a clashing key", () => {
  assert.throws(() => tsWorkerData("worker.ts", {}), /absolute path/);
  assert.throws(() => tsWorkerData("/x/worker.ts", { tsModule: "y" }), /tsModule/);
});
