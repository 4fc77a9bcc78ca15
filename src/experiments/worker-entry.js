// Worker-thread entry for src/experiments/pool.ts: register tsx so the TypeScript worker
// module (workerData.module) and everything it imports compile on load. Plain JS because
// a worker thread starts without any TypeScript hook.
"use strict";
const { workerData } = require("worker_threads");
require("tsx/cjs/api").register();
const loaded = require(workerData.module);
module.exports = loaded.default ?? loaded;
