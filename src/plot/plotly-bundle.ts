/**
 * The plotly.js browser bundle, minified once and cached under
 * node_modules/.cache (plotly.js-dist ships only the 10 MB unminified build).
 * The same text is loaded into the rendering browser, into a live notebook
 * page (once per kernel) and into each offline HTML page.
 */
import * as fs from "fs";
import * as path from "path";
import { transformSync } from "esbuild";

let cached: string | undefined;

export function plotlyVersion(): string {
  return require("plotly.js-dist/package.json").version;
}

/** Absolute path of the minified bundle, building it on first use. */
export function plotlyBundlePath(): string {
  const source = require.resolve("plotly.js-dist");
  const cacheDir = path.join(source, "..", "..", ".cache", "sparse-rnn-lab");
  const target = path.join(cacheDir, `plotly-${plotlyVersion()}.min.js`);
  if (!fs.existsSync(target)) {
    const { code } = transformSync(fs.readFileSync(source, "utf8"), { minify: true, legalComments: "eof" });
    fs.mkdirSync(cacheDir, { recursive: true });
    const partial = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, target); // atomic: concurrent kernels never read half a file
  }
  return target;
}

/** The minified bundle's source text. */
export function plotlyBundle(): string {
  cached ??= fs.readFileSync(plotlyBundlePath(), "utf8");
  return cached;
}

/**
 * A `<script>` element that defines window.Plotly unless the page has it.
 * The bundle runs with `module`, `exports` and `define` shadowed so that neither
 * a page's require.js (Notebook 6) nor a CommonJS shim captures it.
 */
export function plotlyScriptTag(): string {
  const safe = plotlyBundle().replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
  return `<script type="text/javascript">if (!window.Plotly) { (function (module, exports, define) {\n${safe}\n}).call(window); }</script>`;
}
