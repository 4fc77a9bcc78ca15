// Preloaded into the tslab kernel: kernel.json sets NODE_OPTIONS=--require this file.
// Two fixes for tslab 1.0.22, which has no public hooks for either:
//
// 1. Folder imports. tslab loads the TypeScript files a notebook imports from
//    its own compiler output, looking them up as `<import path>.js`. An import
//    of a folder ("./src/data", or "../graph" inside src/) misses
//    `<folder>/index.js` and fails at run time with "Cannot find module",
//    although it type-checks. We make that lookup fall back to the folder's
//    index file, the way TypeScript and Node resolve it.
// 2. Shutdown. On a shutdown request tslab closes its sockets and waits for the
//    event loop to empty; a live handle (the figure browser, a worker pool)
//    keeps it running until Jupyter kills it, so 'exit' handlers never run and
//    kernel restarts wait seconds. We exit right after tslab's close.
// 3. Cell ends. tslab tells nobody when a cell has finished or failed. We number
//    the executions and call the listeners in
//    globalThis[Symbol.for("sparse-rnn-lab.kernel.cells")].onEnd with (number, ok)
//    when one ends, before its reply; ok is false when the cell threw, failed to
//    compile or was interrupted. src/plot/progress.ts marks the progress bars of
//    a failed cell "interrupted".
"use strict";
const fs = require("fs");
const path = require("path");

function tslabModule(name) {
  const root = path.dirname(require.resolve("tslab/package.json", { paths: [process.cwd(), __dirname] }));
  return require(path.join(root, "dist", `${name}.js`));
}

function patchFolderImports(tspath) {
  const normalizeJoin = tspath.normalizeJoin;
  const isFile = (f) => fs.existsSync(f) && fs.statSync(f).isFile();
  // tslab's executor calls normalizeJoin(dirname, id) with the id of a relative
  // import; its other calls have an extension or a non-relative second part.
  tspath.normalizeJoin = function (...parts) {
    const joined = normalizeJoin(...parts);
    const id = parts[1];
    if (parts.length !== 2 || typeof id !== "string" || !/^\.\.?(\/|$)/.test(id) || path.extname(joined) !== "") return joined;
    if ([".ts", ".tsx", ".js"].some((ext) => isFile(joined + ext))) return joined;
    if (isFile(path.join(joined, "index.ts")) || isFile(path.join(joined, "index.tsx"))) return joined + "/index";
    return joined;
  };
}

function patchShutdown(jupyter) {
  const close = jupyter.ZmqServer.prototype.close;
  jupyter.ZmqServer.prototype.close = function (...args) {
    const result = close.apply(this, args);
    setTimeout(() => process.exit(0), 100); // let the sockets flush the shutdown reply
    return result;
  };
}

function patchCellEnd(jupyter) {
  const cells = { current: 0, onEnd: new Set() };
  globalThis[Symbol.for("sparse-rnn-lab.kernel.cells")] = cells;
  const execute = jupyter.JupyterHandlerImpl.prototype.handleExecuteImpl;
  jupyter.JupyterHandlerImpl.prototype.handleExecuteImpl = async function (...args) {
    const cell = ++cells.current;
    let ok = false;
    try {
      const count = await execute.apply(this, args);
      ok = true;
      return count;
    } finally {
      for (const listener of cells.onEnd) {
        try {
          listener(cell, ok);
        } catch (error) {
          console.error(error);
        }
      }
    }
  };
}

if (/tslab/.test(process.argv[1] || "")) {
  patchFolderImports(tslabModule("tspath"));
  patchShutdown(tslabModule("jupyter"));
  patchCellEnd(tslabModule("jupyter"));
}
