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

/** The project's kernel spec (environment/install.sh); Jupyter serves files of its folder at <base>kernelspecs/<name>/<file>. */
export const KERNEL_SPEC_NAME = "tslab-sparse-rnn";

/** File name of the bundle in the kernel spec's folder (see ensurePlotlyResource). */
export function plotlyResourceName(): string {
  return `sparse-rnn-plotly-${plotlyVersion()}.js`;
}

/** The script a page loads from the kernel spec's folder: the bundle, shielded like plotlyScriptTag's. */
export function plotlyResourceScript(): string {
  return `if (!window.Plotly) { (function (module, exports, define) {\n${plotlyBundle()}\n}).call(window); }\n`;
}

/**
 * Put the bundle into the kernel spec's folder (found on JUPYTER_PATH) unless it is there, so that a notebook page
 * that lost window.Plotly (the browser tab was reloaded, or a saved notebook was opened) can fetch it from the
 * Jupyter server: `<base_url>kernelspecs/tslab-sparse-rnn/sparse-rnn-plotly-<version>.js`. Returns the file, or
 * undefined when no kernel spec folder is found (the page then keeps the static image).
 */
export function ensurePlotlyResource(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.JUPYTER_PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const spec = path.join(dir, "kernels", KERNEL_SPEC_NAME);
    if (!fs.existsSync(path.join(spec, "kernel.json"))) continue;
    const target = path.join(spec, plotlyResourceName());
    try {
      const script = plotlyResourceScript();
      if (!fs.existsSync(target) || fs.statSync(target).size !== Buffer.byteLength(script)) {
        const partial = `${target}.${process.pid}.tmp`;
        fs.writeFileSync(partial, script);
        fs.renameSync(partial, target);
      }
      return target;
    } catch {
      return undefined; // a read-only folder: the page keeps the static image after a reload
    }
  }
  return undefined;
}
