// The one entry of every worker thread that runs TypeScript (src/core/worker.ts): register
// tsx's CommonJS hook, then load the .ts module named by workerData.tsModule, so it and
// everything it imports compile on load — the same under `node --test`, `node --import tsx`
// and inside the tslab kernel (which does not hook worker threads itself). Plain JS because
// a worker thread starts without any TypeScript hook. The module's default export (if any)
// becomes this file's export: piscina calls it once per task.
"use strict";
const { workerData } = require("node:worker_threads");
require("tsx/cjs/api").register();
const loaded = require(workerData.tsModule);
module.exports = loaded.default ?? loaded;
