import { test } from "node:test";
import assert from "node:assert/strict";
import { automatonFigure, charCountsFigure, classCountsFigure, lengthDistributionFigure } from "../../src/plot/dataset-figures";
import { EMBEDDED_REBER, REBER } from "../../src/data/grammar";

test("the automaton figure draws every state, one arrow per transition between states, one circle per loop, every label", () => {
  for (const g of [REBER, EMBEDDED_REBER]) {
    const fig = automatonFigure(g);
    assert.deepEqual(fig.data[0].text, g.states.map((s) => s.name));
    const loops = g.transitions.filter((t) => t.from === t.to).length;
    const arrows = fig.layout.annotations.filter((a: any) => a.showarrow).length;
    const labels = fig.layout.annotations.filter((a: any) => !a.showarrow).map((a: any) => a.text.replace(/<\/?b>/g, ""));
    assert.equal(arrows, g.transitions.length - loops);
    assert.equal(fig.layout.shapes.length, loops);
    assert.deepEqual(labels.sort(), g.transitions.map((t) => t.symbol).sort());
    assert.equal(fig.layout.yaxis.scaleanchor, "x");
  }
});

test("class counts: one bar per class and split, thesis markers aligned with their class", () => {
  const fig = classCountsFigure(
    [{ split: "train", count: 10, valid: 4, invalid: 6 }, { split: "test", count: 4, valid: 1, invalid: 3 }],
    [{ split: "train", count: 10, valid: 5, invalid: 5 }, { split: "test", count: 4, valid: 2, invalid: 2 }],
  );
  const bars = fig.data.filter((t) => t.type === "bar");
  assert.deepEqual(bars.map((b) => [b.name, b.y]), [["valid", [4, 1]], ["invalid", [6, 3]]]);
  const marks = fig.data.filter((t) => t.type === "scatter");
  assert.deepEqual(marks.map((m) => [m.offsetgroup, m.y]), [["valid", [5, 2]], ["invalid", [5, 2]]]);
  assert.equal(classCountsFigure([{ split: "all", count: 1, valid: 1, invalid: 0 }]).data.length, 2);
});

test("length distributions: one panel per set on its own axes, thesis line only where given", () => {
  const fig = lengthDistributionFigure([
    { name: "entire", histogram: [0, 0, 3, 1], thesis: [0, 0, 2, 2, 1] },
    { name: "test", histogram: [0, 1, 2] },
  ]);
  assert.deepEqual(fig.data.map((t) => [t.type, t.xaxis, t.x, t.y]), [
    ["bar", "x", [2, 3, 4], [3, 1, 0]],
    ["scatter", "x", [2, 3, 4], [2, 2, 1]],
    ["bar", "x2", [1, 2], [1, 2]],
  ]);
  assert.equal(fig.layout.yaxis2.title.text, "test");
});

test("character counts: A–Z always shown, Reber letters coloured apart", () => {
  const fig = charCountsFigure({ B: 5, T: 3, Q: 1 }, { thesis: { B: 4 } });
  const bars = fig.data[0];
  assert.equal(bars.x.length, 26);
  assert.equal(bars.y[bars.x.indexOf("B")], 5);
  assert.equal(bars.y[bars.x.indexOf("A")], 0);
  const colour = (c: string) => bars.marker.color[bars.x.indexOf(c)];
  assert.equal(colour("B"), colour("T"));
  assert.notEqual(colour("B"), colour("Q"));
  assert.equal(fig.data[1].y[fig.data[1].x.indexOf("B")], 4);
});

test("length models: each curve as shares of its own total, empty lengths left out", async () => {
  const { lengthModelsFigure } = await import("../../src/plot/dataset-figures");
  const fig = lengthModelsFigure([{ name: "a", histogram: [0, 1, 3] }, { name: "b", histogram: Float64Array.from([0, 0, 0.5, 0.5]) }]);
  assert.deepEqual(fig.data[0].x, [1, 2]);
  assert.deepEqual(fig.data[0].y, [0.25, 0.75]);
  assert.deepEqual(fig.data[1].x, [2, 3]);
});
