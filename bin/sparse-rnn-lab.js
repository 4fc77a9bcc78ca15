#!/usr/bin/env node
// `npx sparse-rnn-lab worker --queue redis://…` from a clone: register tsx, then run the
// TypeScript command line (src/experiments/queue/worker-cli.ts). Plain JS because node
// starts without any TypeScript hook.
"use strict";
require("tsx/cjs/api").register();
const { main } = require("../src/experiments/queue/worker-cli.ts");
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
