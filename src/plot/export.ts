/** Write a figure to files for papers: basePath.svg, basePath.png, basePath.pdf. */
import * as fs from "fs";
import * as path from "path";
import type { PlotlyFigure } from "./figure";
import { IMAGE_FORMATS, renderFigure, type ImageFormat } from "./render";

export type ExportOptions = {
  /** Which files to write; default all of svg, png, pdf. */
  formats?: readonly ImageFormat[];
  /** PNG pixel-density multiplier; default 2 (use 3 for print). */
  scale?: number;
};

/** Renders the figure and writes one file per format; returns the paths written. */
export async function exportFigure(figure: PlotlyFigure, basePath: string, options: ExportOptions = {}): Promise<string[]> {
  const formats = options.formats ?? IMAGE_FORMATS;
  if (formats.length === 0) throw new Error("exportFigure: options.formats is empty");
  fs.mkdirSync(path.dirname(path.resolve(basePath)), { recursive: true });
  const written: string[] = [];
  for (const format of formats) {
    const bytes = await renderFigure(figure, format, { scale: format === "png" ? options.scale ?? 2 : 1 });
    const file = `${basePath}.${format}`;
    fs.writeFileSync(file, bytes);
    written.push(file);
  }
  return written;
}
