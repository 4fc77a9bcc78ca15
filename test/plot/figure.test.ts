import { test } from "node:test";
import * as assert from "node:assert/strict";
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, FONT_FAMILY, figureTitle, withPlatformDefaults } from "../../src/plot/figure";

test("withPlatformDefaults sets the DejaVu font and a pixel size, keeping the figure's own settings", () => {
  const plain = withPlatformDefaults({ data: [{ y: [1, 2] }] });
  assert.equal(plain.layout.font.family, FONT_FAMILY);
  assert.match(FONT_FAMILY, /^DejaVu Sans/);
  assert.equal(plain.layout.width, DEFAULT_WIDTH);
  assert.equal(plain.layout.height, DEFAULT_HEIGHT);
  assert.equal(plain.config.displaylogo, false);

  const own = withPlatformDefaults({ data: [], layout: { width: 300, font: { size: 9, family: "DejaVu Serif" } }, config: { displaylogo: true } });
  assert.deepEqual(own.layout.font, { family: "DejaVu Serif", size: 9 });
  assert.equal(own.layout.width, 300);
  assert.equal(own.layout.height, DEFAULT_HEIGHT);
  assert.equal(own.config.displaylogo, true);

  const sized = withPlatformDefaults({ data: [], layout: { font: { size: 20 } } });
  assert.deepEqual(sized.layout.font, { family: FONT_FAMILY, size: 20 });
});

test("withPlatformDefaults names what it got when given something that is not a figure", () => {
  assert.throws(() => withPlatformDefaults({ x: [1] } as any), /Expected a Plotly figure .*keys \[x\]/);
  assert.throws(() => withPlatformDefaults(undefined as any), /got undefined/);
});

test("figureTitle reads string and object titles and drops markup", () => {
  assert.equal(figureTitle({ data: [], layout: { title: "Loss" } }), "Loss");
  assert.equal(figureTitle({ data: [], layout: { title: { text: "Accuracy <b>GRU</b>" } } }), "Accuracy GRU");
  assert.equal(figureTitle({ data: [] }), "");
});
