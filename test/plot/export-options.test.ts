/** exportFigure checks every option before writing anything, and verifies each file it writes. */
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { closeBrowser, exportFigure } from "../../src/plot";
import { MAX_FIGURE_SIDE, verifyImageFile } from "../../src/plot/export";

const figure = { data: [{ y: [1, 3, 2] }], layout: { width: 400, height: 300 } };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "export-options-"));
after(async () => {
  await closeBrowser(); // only launched if a bad option slipped through to rendering
  fs.rmSync(dir, { recursive: true, force: true });
});
const files = (d = dir) => fs.readdirSync(d, { recursive: true }).map(String).sort();

test("bad options are refused before any file or folder is written", async () => {
  const cwd = process.cwd();
  process.chdir(dir); // basePath "" would write ./.svg here
  try {
    const bad: Array<[unknown, unknown, unknown, RegExp]> = [
      [figure, "fig", { formats: [] }, /exportFigure: options\.formats is empty/],
      [figure, "fig", { formats: ["gif"] }, /exportFigure: options\.formats\[0\] is "gif"; expected one of svg, png, pdf/],
      [figure, "fig", { formats: ["svg", ""] }, /exportFigure: options\.formats\[1\] is ""/],
      [figure, "fig", { formats: ["png", "png"] }, /exportFigure: options\.formats lists "png" twice/],
      [figure, "fig", { formats: "png" }, /exportFigure: options\.formats must be an array of svg, png, pdf, got "png"/],
      [figure, "fig", { scale: 0 }, /exportFigure: options\.scale must be a finite number in \(0, 10\], got 0/],
      [figure, "fig", { scale: -2 }, /options\.scale must be a finite number in \(0, 10\], got -2/],
      [figure, "fig", { scale: NaN }, /options\.scale must be a finite number in \(0, 10\], got null/],
      [figure, "fig", { scale: Infinity }, /options\.scale must be a finite number in \(0, 10\], got null/],
      [figure, "fig", { scale: 11 }, /options\.scale must be a finite number in \(0, 10\], got 11/],
      [figure, "fig", { scale: "2" }, /options\.scale must be a finite number in \(0, 10\], got "2"/],
      [figure, "", {}, /exportFigure: basePath must be a non-empty path such as "out\/figures\/accuracy", got ""/],
      [figure, "sub/", {}, /exportFigure: basePath "sub\/" has no file name \(it would write hidden files like "sub\/\.svg"\)/],
      [figure, "sub/..", {}, /basePath "sub\/\.\." has no file name/],
      [figure, ".", {}, /basePath "\." has no file name/],
      [figure, 42, {}, /basePath must be a non-empty path .*got 42/],
      [figure, "a\0b", {}, /basePath contains a NUL character/],
      [{ data: [], layout: { width: 100000, height: 100000 } }, "sub/big", { formats: ["png"] }, /exportFigure: figure\.layout\.width must be a finite number in \(0, 20000\] px, got 100000/],
      [{ data: [], layout: { width: 400, height: -5 } }, "sub/neg", {}, /figure\.layout\.height must be a finite number in \(0, 20000\] px, got -5/],
      [{ data: [], layout: { width: NaN } }, "sub/nan", {}, /figure\.layout\.width must be a finite number in \(0, 20000\] px, got null/],
      [{ data: [], layout: { width: "400px" } }, "sub/str", {}, /figure\.layout\.width must be a finite number .*got "400px"/],
      [{ data: [], layout: { width: 8000, height: 500 } }, "sub/wide", { scale: 3 }, /exportFigure: the PNG would be 24000×1500 px \(figure 8000×500 × scale 3\); each side must be 1 … 20000 px/],
      [{ layout: {} }, "sub/nodata", {}, /Expected a Plotly figure/],
    ];
    for (const [fig, base, options, message] of bad) {
      await assert.rejects(exportFigure(fig as never, base as string, options as never), message, String(message));
    }
    assert.deepEqual(files(), [], "nothing written, no folder made");
  } finally {
    process.chdir(cwd);
  }
  // the same figure at a scale that fits is accepted by the checks (the PNG bound is per side after scaling)
  assert.ok(8000 * 2 <= MAX_FIGURE_SIDE);
});

test("verifyImageFile accepts well-formed files and names the file for each kind of bad one", () => {
  const write = (name: string, bytes: Buffer | string) => { const f = path.join(dir, name); fs.writeFileSync(f, bytes); return f; };
  const png = (w: number, h: number) => {
    const b = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
    b.writeUInt32BE(13, 8);
    b.write("IHDR", 12, "latin1");
    b.writeUInt32BE(w, 16);
    b.writeUInt32BE(h, 20);
    return b;
  };
  verifyImageFile(write("ok.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="4"></svg>\n'), "svg");
  verifyImageFile(write("decl.svg", '<?xml version="1.0"?>\n<svg width="4"><g/></svg>'), "svg");
  verifyImageFile(write("ok.png", png(800, 600)), "png", { width: 800, height: 600 });
  verifyImageFile(write("ok.pdf", "%PDF-1.4\n1 0 obj\n%%EOF\n"), "pdf");
  const bad: Array<[string, Buffer | string, "svg" | "png" | "pdf", RegExp]> = [
    ["empty.png", Buffer.alloc(0), "png", /empty\.png is not a valid PNG file: it is empty \(0 bytes\)/],
    ["sig.png", Buffer.from("GIF89a........................"), "png", /sig\.png is not a valid PNG file: no PNG signature/],
    ["noihdr.png", Buffer.concat([png(1, 1).subarray(0, 12), Buffer.from("IDAT"), png(1, 1).subarray(16)]), "png", /noihdr\.png is not a valid PNG file: no IHDR chunk/],
    ["size.png", png(640, 400), "png", /size\.png is not a valid PNG file: it is 640×400 px, expected 1280×800/],
    ["zero.png", png(0, 400), "png", /zero\.png is not a valid PNG file: its size is 0×400 px/],
    ["html.svg", "<html><svg></svg></html>", "svg", /html\.svg is not a valid SVG file: it does not start with <svg/],
    ["cut.svg", '<svg width="4"><g>', "svg", /cut\.svg is not a valid SVG file: it does not end with <\/svg> \(truncated\?\)/],
    ["empty.svg", "", "svg", /empty\.svg is not a valid SVG file: it is empty/],
    ["head.pdf", "PDF-1.4 %%EOF", "pdf", /head\.pdf is not a valid PDF file: it does not start with %PDF-/],
    ["cut.pdf", "%PDF-1.4\n1 0 obj\n", "pdf", /cut\.pdf is not a valid PDF file: it does not end with %%EOF \(truncated\?\)/],
  ];
  for (const [name, bytes, format, message] of bad) {
    assert.throws(() => verifyImageFile(write(name, bytes), format, format === "png" ? { width: 1280, height: 800 } : undefined), message);
  }
  assert.throws(() => verifyImageFile(path.join(dir, "absent.pdf"), "pdf"), /exportFigure: .*absent\.pdf was not written/);
});
