import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { closeBrowser, show } from "../../src/plot";
import { withPlatformDefaults } from "../../src/plot/figure";
import { plotlyScriptTag } from "../../src/plot/plotly-bundle";
import { chartHtml } from "../../src/plot/show";
import { resetOutputNames, slugify } from "../../src/plot/naming";

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

test("outside a notebook with SPARSE_RNN_FIGURES_DIR set, show() exports each figure under a slug of notebook and title, also in the paper template", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparse-rnn-show-test-"));
  process.env.SPARSE_RNN_FIGURES_DIR = dir;
  process.env.SPARSE_RNN_NOTEBOOK = "99-test";
  resetOutputNames();
  try {
    await show({ data: [{ y: [1, 2] }], layout: { title: { text: "GRU: Test accuracy (R², 50 %)" } } });
    await show({ data: [{ y: [2, 1] }], layout: { title: { text: "GRU: test accuracy <br>(R², 50 %)" } } }); // the same slug again
    await show({ data: [{ y: [2, 1] }] });
    const files = fs.readdirSync(dir).sort();
    const stems = ["99-test--gru-test-accuracy-r2-50", "99-test--gru-test-accuracy-r2-50-2", "99-test--untitled"];
    assert.deepEqual(files, stems.flatMap((stem) => [stem, `${stem}.paper`]).flatMap((stem) => ["pdf", "png", "svg"].map((ext) => `${stem}.${ext}`)).sort());
    const paper = fs.readFileSync(path.join(dir, "99-test--untitled.paper.svg"), "utf8");
    assert.match(paper, /^<svg[^>]* width="316.8" height="[\d.]+"/, "the paper version is one column (3.3 in) wide");
  } finally {
    delete process.env.SPARSE_RNN_FIGURES_DIR;
    delete process.env.SPARSE_RNN_NOTEBOOK;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("slugify: lower-case ASCII words joined by hyphens, accents and markup dropped, long titles cut with a hash", () => {
  assert.equal(slugify("Barabási–Albert: R² ≥ 0.5 <b>(thesis)</b>"), "barabasi-albert-r2-0-5-thesis");
  assert.equal(slugify("  ***  "), "untitled");
  const long = "Safe pruning levels (%) and recovery epochs per level beyond them, results of record, tolerance 0.05";
  const other = long.replace("0.05", "0.10");
  assert.ok(slugify(long).length <= 80 && slugify(long) !== slugify(other), `${slugify(long)} / ${slugify(other)}`);
  assert.match(slugify(long), /^safe-pruning-levels-and-recovery-epochs-per-level-beyond-them-results-of-[0-9a-f]{6}$/);
  assert.equal(slugify(long), slugify(long), "stable");
});

test("the chart script draws only with the plotly.js config that has no cloud link", () => {
  const html = chartHtml("plot-3", figure, undefined);
  assert.match(html, /"showSendToCloud":false/);
  assert.match(html, /"showEditInChartStudio":false/);
  assert.match(html, /kernelspecs\/" \+ "tslab-sparse-rnn" \+ "\/" \+ "sparse-rnn-plotly-[\d.]+\.js"/, "a page that lost plotly.js fetches it from the Jupyter server");
});
