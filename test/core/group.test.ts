import { test } from "node:test";
import * as assert from "node:assert/strict";
import { groupBy } from "../../src/core/group";

test("groupBy keeps groups and their items in order of first appearance", () => {
  const groups = groupBy(["b1", "a1", "b2", "c1", "a2"], (s) => s[0]);
  assert.deepEqual([...groups.keys()], ["b", "a", "c"]);
  assert.deepEqual([...groups.values()], [["b1", "b2"], ["a1", "a2"], ["c1"]]);
  assert.equal(groupBy([], (s: string) => s).size, 0);
});
