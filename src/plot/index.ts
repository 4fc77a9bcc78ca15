/** Notebook display and figure export for sparse-rnn-lab. */
export type { PlotlyFigure } from "./figure";
export { FONT_FAMILY, withPlatformDefaults } from "./figure";
export { show } from "./show";
export { showTable, type TableOptions } from "./table";
export { progress, type Progress } from "./progress";
export { exportFigure, type ExportOptions } from "./export";
export { renderFigure, type ImageFormat, type RenderOptions } from "./render";
export { closeBrowser, findChromium } from "./browser";
export { inNotebook, stableOutput } from "./notebook";
