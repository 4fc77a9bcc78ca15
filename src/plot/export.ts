/** Write a figure to files for papers: basePath.svg, basePath.png, basePath.pdf. */
import * as fs from "fs";
import * as path from "path";
import {
  FIGURE_OPTION_KEYS, applyFigureOptions, checkFigureOptions, figureSize, suggest, withPlatformDefaults, PX_PER_IN,
  type FigureOptions, type PlotlyFigure,
} from "./figure";
import { IMAGE_FORMATS, renderFigure, type ImageFormat } from "./render";

export type ExportOptions = FigureOptions & {
  /** Which files to write; default all of svg, png, pdf. */
  formats?: readonly ImageFormat[];
  /** PNG pixel-density multiplier; default 2, or 300 dpi (3.125) for the paper templates and sizes in in/pt. */
  scale?: number;
};

export const EXPORT_OPTION_KEYS: readonly string[] = ["formats", "scale", ...FIGURE_OPTION_KEYS];
/** PNG scale giving 300 dots per inch of the printed figure. */
export const PRINT_SCALE = 300 / PX_PER_IN;

/** Largest figure side in CSS pixels, and largest PNG side in device pixels (width or height × scale). */
export const MAX_FIGURE_SIDE = 20_000;
/** The range renderFigure accepts for `scale`. */
export const MAX_SCALE = 10;

/**
 * Renders the figure and writes one file per format; returns the paths written.
 *
 * Everything is checked before anything is written: the figure, `formats` (a non-empty list of known
 * formats, none twice), `scale` (a finite number in (0, 10]), the figure's width and height (finite,
 * positive, at most MAX_FIGURE_SIDE, and so is each PNG side after scaling), and `basePath` (non-empty,
 * with a non-empty file name: "" or "out/" would write hidden files like "out/.svg"). After writing, each
 * file is read back and verified (see verifyImageFile); a bad file is removed and the error names it.
 */
export async function exportFigure(figure: PlotlyFigure, basePath: string, options: ExportOptions = {}): Promise<string[]> {
  if (options === null || typeof options !== "object") throw new Error(`exportFigure: options must be an object, got ${String(options)}`);
  for (const key of Object.keys(options)) {
    if (!EXPORT_OPTION_KEYS.includes(key)) throw new Error(`exportFigure: unknown option ${JSON.stringify(key)}${suggest(key, EXPORT_OPTION_KEYS)}; options are ${EXPORT_OPTION_KEYS.join(", ")}`);
  }
  checkFigureOptions(options, "exportFigure");
  const formats = options.formats ?? IMAGE_FORMATS;
  if (!Array.isArray(formats)) throw new Error(`exportFigure: options.formats must be an array of ${IMAGE_FORMATS.join(", ")}, got ${JSON.stringify(formats)}`);
  if (formats.length === 0) throw new Error("exportFigure: options.formats is empty");
  formats.forEach((format, i) => {
    if (!IMAGE_FORMATS.includes(format)) throw new Error(`exportFigure: options.formats[${i}] is ${JSON.stringify(format)}; expected one of ${IMAGE_FORMATS.join(", ")}`);
    if (formats.indexOf(format) !== i) throw new Error(`exportFigure: options.formats lists "${format}" twice`);
  });
  const printSized = options.template === "paper" || options.template === "paper-wide" || options.units === "in" || options.units === "pt" ||
    (options.template === undefined && (figure?.sizing?.template === "paper" || figure?.sizing?.template === "paper-wide"));
  const scale = options.scale ?? (printSized ? PRINT_SCALE : 2);
  if (typeof scale !== "number" || !Number.isFinite(scale) || !(scale > 0 && scale <= MAX_SCALE)) {
    throw new Error(`exportFigure: options.scale must be a finite number in (0, ${MAX_SCALE}], got ${JSON.stringify(scale) ?? String(scale)}`);
  }
  checkBasePath(basePath);
  checkedSize(figure);
  figure = staticFigure(applyFigureOptions(figure, options));
  const { width, height } = checkedSize(figure);
  const png = { width: Math.round(width * scale), height: Math.round(height * scale) };
  if (formats.includes("png") && (png.width > MAX_FIGURE_SIDE || png.height > MAX_FIGURE_SIDE || png.width < 1 || png.height < 1)) {
    throw new Error(`exportFigure: the PNG would be ${png.width}×${png.height} px (figure ${width}×${height} × scale ${scale}); each side must be 1 … ${MAX_FIGURE_SIDE} px`);
  }

  fs.mkdirSync(path.dirname(path.resolve(basePath)), { recursive: true });
  const written: string[] = [];
  for (const format of formats) {
    const bytes = await renderFigure(figure, format, { scale: format === "png" ? scale : 1 });
    const file = `${basePath}.${format}`;
    fs.writeFileSync(file, bytes);
    try {
      verifyImageFile(file, format, format === "png" ? png : undefined);
    } catch (e) {
      fs.rmSync(file, { force: true });
      throw new Error(`${(e as Error).message} (file removed)`);
    }
    written.push(file);
  }
  return written;
}

/**
 * The figure as a still image shows it: the state its sliders and menus start in, without the controls
 * (they are live-chart widgets; on paper the figure's title and annotations say which state it is).
 */
export function staticFigure(figure: PlotlyFigure): PlotlyFigure {
  const layout = figure.layout;
  if (!layout || (layout.sliders === undefined && layout.updatemenus === undefined)) return figure;
  const { sliders: _sliders, updatemenus: _menus, ...rest } = layout;
  return { ...figure, layout: rest };
}

function checkBasePath(basePath: unknown): asserts basePath is string {
  if (typeof basePath !== "string" || basePath === "") throw new Error(`exportFigure: basePath must be a non-empty path such as "out/figures/accuracy", got ${JSON.stringify(basePath)}`);
  if (basePath.includes("\0")) throw new Error(`exportFigure: basePath contains a NUL character: ${JSON.stringify(basePath)}`);
  const name = path.basename(basePath);
  if (/[\\/]$/.test(basePath) || name === "" || name === "." || name === ".." || name.trim() === "") {
    throw new Error(`exportFigure: basePath ${JSON.stringify(basePath)} has no file name (it would write hidden files like "${basePath}.svg"); give one, e.g. "${basePath.replace(/[\\/]*$/, "")}/figure"`);
  }
}

/** The figure's pixel size, checked: finite, positive, at most MAX_FIGURE_SIDE per side. */
function checkedSize(figure: PlotlyFigure): { width: number; height: number } {
  const layout = (figure as { layout?: Record<string, unknown> } | null)?.layout;
  for (const side of ["width", "height"] as const) {
    const v = layout?.[side];
    if (v === undefined || v === null) continue; // the platform default applies
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0 || v > MAX_FIGURE_SIDE) {
      throw new Error(`exportFigure: figure.layout.${side} must be a finite number in (0, ${MAX_FIGURE_SIDE}] px, got ${JSON.stringify(v) ?? String(v)}`);
    }
  }
  return figureSize(withPlatformDefaults(figure));
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Throws (naming the file) unless it is a non-empty, well-formed file of its format: an SVG starts
 * with an <svg element (after an optional XML declaration) and ends with </svg>; a PNG has the PNG
 * signature and an IHDR chunk, of `png` size when given (±1 px for rounding); a PDF starts with %PDF-
 * and ends with %%EOF.
 */
export function verifyImageFile(file: string, format: ImageFormat, png?: { width: number; height: number }): void {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new Error(`exportFigure: ${file} was not written: ${(e as Error).message}`);
  }
  const bad = (why: string): never => { throw new Error(`exportFigure: ${file} is not a valid ${format.toUpperCase()} file: ${why}`); };
  if (bytes.length === 0) bad("it is empty (0 bytes)");
  if (format === "svg") {
    const text = bytes.toString("utf8").trim();
    if (!/^(<\?xml[^>]*\?>\s*)?<svg[\s>]/.test(text)) bad(`it does not start with <svg (starts with ${JSON.stringify(text.slice(0, 20))})`);
    if (!text.endsWith("</svg>")) bad("it does not end with </svg> (truncated?)");
  } else if (format === "png") {
    if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) bad("no PNG signature");
    if (bytes.subarray(12, 16).toString("latin1") !== "IHDR") bad("no IHDR chunk after the signature");
    const width = bytes.readUInt32BE(16), height = bytes.readUInt32BE(20);
    if (width === 0 || height === 0) bad(`its size is ${width}×${height} px`);
    if (png && (Math.abs(width - png.width) > 1 || Math.abs(height - png.height) > 1)) {
      bad(`it is ${width}×${height} px, expected ${png.width}×${png.height}`);
    }
  } else if (format === "pdf") {
    if (bytes.subarray(0, 5).toString("latin1") !== "%PDF-") bad("it does not start with %PDF-");
    if (!bytes.subarray(Math.max(0, bytes.length - 32)).toString("latin1").trimEnd().endsWith("%%EOF")) bad("it does not end with %%EOF (truncated?)");
  } else {
    throw new Error(`verifyImageFile: unknown format ${JSON.stringify(format)}`);
  }
}
