/** Figure export through the shared headless Chromium (needs a browser: `make install`). */
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { closeBrowser, exportFigure, findChromium, renderFigure } from "../../src/plot";

const figure = {
  data: [{ x: [1, 2, 3], y: [0.6, 0.8, 0.9], type: "scatter", name: "GRU" }],
  layout: { title: { text: "Export check" }, width: 640, height: 400 },
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparse-rnn-export-test-"));
after(async () => {
  await closeBrowser();
  fs.rmSync(dir, { recursive: true, force: true });
});

function pngSize(png: Buffer): { width: number; height: number } {
  assert.equal(png.subarray(1, 4).toString("latin1"), "PNG");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

test("exportFigure writes SVG, PNG at the requested scale and a one-page PDF the size of the figure", async () => {
  const files = await exportFigure(figure, path.join(dir, "nested", "fig"), { scale: 3 });
  assert.deepEqual(files.map((f) => path.basename(f)), ["fig.svg", "fig.png", "fig.pdf"]);

  const svg = fs.readFileSync(files[0], "utf8");
  assert.match(svg, /^<svg[^>]* width="640" height="400"/);
  assert.match(svg, /font-family: 'DejaVu Sans'/);
  assert.match(svg, /Export check/);

  assert.deepEqual(pngSize(fs.readFileSync(files[1])), { width: 1920, height: 1200 });

  const pdf = fs.readFileSync(files[2]).toString("latin1");
  assert.ok(pdf.startsWith("%PDF-"));
  assert.equal((pdf.match(/\/Type \/Page\b/g) ?? []).length, 1, "exactly one page");
  const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf);
  assert.ok(box, "page has a MediaBox");
  // 640×400 CSS px = 480×300 pt; Chromium rounds page heights to its print grid (< 1 pt).
  assert.ok(Math.abs(Number(box[1]) - 480) < 1 && Math.abs(Number(box[2]) - 300) < 1, `MediaBox ${box[1]}×${box[2]}`);
});

test("exportFigure writes only the formats asked for and rejects bad options", async () => {
  const files = await exportFigure(figure, path.join(dir, "only-png"), { formats: ["png"] });
  assert.deepEqual(files, [path.join(dir, "only-png.png")]);
  assert.deepEqual(pngSize(fs.readFileSync(files[0])), { width: 1280, height: 800 }); // default scale 2
  await assert.rejects(exportFigure(figure, path.join(dir, "x"), { formats: [] }), /options\.formats is empty/);
  await assert.rejects(renderFigure(figure, "gif" as any), /Unknown image format "gif"/);
  await assert.rejects(renderFigure(figure, "png", { scale: 0 }), /options\.scale must be in \(0, 10\], got 0/);
});

test("the browser is shared and its temporary profile is removed on close", async () => {
  const profiles = () => fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(`sparse-rnn-lab-chromium-${process.pid}-`));
  await renderFigure(figure, "svg");
  await renderFigure(figure, "svg");
  assert.equal(profiles().length, 1, "one browser profile while open");
  await closeBrowser();
  assert.deepEqual(profiles(), []);
});

test("findChromium honours CHROMIUM_PATH and explains what to do when no browser exists", () => {
  assert.throws(() => findChromium({ CHROMIUM_PATH: "/nonexistent/chrome" }), /CHROMIUM_PATH=\/nonexistent\/chrome is not an executable file/);
  assert.throws(() => findChromium({ PATH: "/nonexistent" }), /No Chromium found .*set CHROMIUM_PATH/);
  const chromium = findChromium();
  assert.equal(findChromium({ BROWSER_PATH: chromium }), chromium);
});

test("overlapping exports each get their own figure", async () => {
  const titled = (text: string) => ({ data: [{ y: [1, 2] }], layout: { title: { text }, width: 300, height: 200 } });
  const [a, b] = await Promise.all([
    exportFigure(titled("first figure"), path.join(dir, "a"), { formats: ["svg", "pdf"] }),
    exportFigure(titled("second figure"), path.join(dir, "b"), { formats: ["svg", "pdf"] }),
  ]);
  assert.match(fs.readFileSync(a[0], "utf8"), /first figure/);
  assert.match(fs.readFileSync(b[0], "utf8"), /second figure/);
  assert.equal(a.length + b.length, 4);
});
