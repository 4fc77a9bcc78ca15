import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { closeBrowser, show } from "../../src/plot";
import { withPlatformDefaults } from "../../src/plot/figure";
import { plotlyScriptTag } from "../../src/plot/plotly-bundle";
import { chartHtml } from "../../src/plot/show";

after(() => closeBrowser());

const figure = withPlatformDefaults({ data: [{ y: [1, 3, 2] }], layout: { title: { text: 'a </script> "quoted" title' } } });

test("chart HTML holds the PNG fallback, then a script that waits for its div and for plotly.js", () => {
  const html = chartHtml("plot-1", figure, Buffer.from("fake png"));
  assert.match(html, /^<div id="plot-1" class="sparse-rnn-plot"[^>]*><img src="data:image\/png;base64,ZmFrZSBwbmc=" width="720" height="450" alt="a  &#34;quoted&#34; title"/);
  const script = html.slice(html.indexOf("<script"));
  assert.equal((script.match(/<\/script>/g) ?? []).length, 1, "the figure JSON cannot end the script early");
  assert.match(script, /document\.getElementById\(id\)/);
  assert.match(script, /!host\.isConnected \|\| !Plotly/);
  assert.match(script, /setTimeout\(draw, 50\)/);
  assert.doesNotMatch(chartHtml("plot-2", figure, undefined), /<img/);
});

test("the plotly.js script tag defines window.Plotly once, shielded from require.js, and never ends early", () => {
  const tag = plotlyScriptTag();
  assert.ok(tag.length > 3_000_000 && tag.length < 6_000_000, `minified bundle size ${tag.length}`);
  const head = '<script type="text/javascript">if (!window.Plotly) { (function (module, exports, define) {';
  assert.equal(tag.slice(0, head.length), head);
  assert.equal(tag.match(/<\/script/gi)?.length, 1, "only the closing tag may end the script");
  assert.ok(tag.endsWith("}).call(window); }</script>"));
});

test("outside a notebook with SPARSE_RNN_FIGURES_DIR set, show() exports numbered SVG/PNG/PDF files", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparse-rnn-show-test-"));
  process.env.SPARSE_RNN_FIGURES_DIR = dir;
  process.env.SPARSE_RNN_NOTEBOOK = "99-test";
  try {
    await show({ data: [{ y: [1, 2] }] });
    await show({ data: [{ y: [2, 1] }] });
    const files = fs.readdirSync(dir).sort();
    assert.equal(files.length, 6, files.join(" "));
    for (const n of ["01", "02"]) for (const ext of ["pdf", "png", "svg"]) assert.ok(files.includes(`99-test-${n}.${ext}`), `99-test-${n}.${ext}`);
  } finally {
    delete process.env.SPARSE_RNN_FIGURES_DIR;
    delete process.env.SPARSE_RNN_NOTEBOOK;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
