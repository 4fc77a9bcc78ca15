/** Notebook display and figure export for sparse-rnn-lab. */
export type { PlotlyFigure, FigureOptions, TemplateName, SizeUnits } from "./figure";
export { FONT_FAMILY, TEMPLATES, applyFigureOptions, withPlatformDefaults } from "./figure";
export { show } from "./show";
export { showTable, exportTable, type TableOptions, type TableExportOptions, type TableFormat, type Digits } from "./table";
export { progress, type Progress } from "./progress";
export { exportFigure, staticFigure, type ExportOptions } from "./export";
export { renderFigure, type ImageFormat, type RenderOptions } from "./render";
export { closeBrowser, findChromium } from "./browser";
export { inNotebook, stableOutput } from "./notebook";
export { slugify } from "./naming";
