// Preloaded into the tslab kernel (kernel.json sets NODE_OPTIONS=--require this file).
//
// tslab 1.0.22 loads the TypeScript files a notebook imports from its own
// compiler output, looking them up as `<import path>.js`. An import of a folder
// ("./src/data", or "../graph" inside src/) therefore misses `<folder>/index.js`
// and fails at run time with "Cannot find module", although it type-checks.
// This teaches that one lookup to fall back to the folder's index file, the
// way TypeScript and Node resolve it. No public tslab hook exists for this.
"use strict";
const fs = require("fs");
const path = require("path");

function patchTslab() {
  let tspath;
  try {
    tspath = require(path.join(path.dirname(require.resolve("tslab/package.json", { paths: [process.cwd(), __dirname] })), "dist", "tspath.js"));
  } catch {
    return; // no tslab here: nothing to patch
  }
  const normalizeJoin = tspath.normalizeJoin;
  if (normalizeJoin.folderImports) return;
  // tslab's executor calls normalizeJoin(dirname, id) with the id of a relative
  // import; every other call has an extension or is not relative.
  const patched = function (...parts) {
    const joined = normalizeJoin(...parts);
    const id = parts[1];
    if (parts.length !== 2 || typeof id !== "string" || !/^\.\.?(\/|$)/.test(id) || path.extname(joined) !== "") return joined;
    const isFile = (f) => fs.existsSync(f) && fs.statSync(f).isFile();
    if ([".ts", ".tsx", ".js"].some((ext) => isFile(joined + ext))) return joined;
    if (isFile(path.join(joined, "index.ts")) || isFile(path.join(joined, "index.tsx"))) return joined + "/index";
    return joined;
  };
  patched.folderImports = true;
  tspath.normalizeJoin = patched;
}

if (/tslab/.test(process.argv[1] || "")) patchTslab();
