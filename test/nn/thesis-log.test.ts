import { test } from "node:test";
import assert from "node:assert/strict";
import { locateThesisPruneResults, readThesisBaseLog } from "../../src/nn/thesis-log";

const dir = locateThesisPruneResults();

test("thesis base logs: 50 epochs per mode with the published accuracies", { skip: dir ? false : "thesis data absent" }, () => {
  const gru = readThesisBaseLog("GRU", dir);
  assert.deepEqual(gru.map((r) => r.epoch), Array.from({ length: 50 }, (_, i) => i + 1));
  assert.equal(gru[0].testAcc, 0.9992);
  assert.ok(Math.abs(readThesisBaseLog("RNN_TANH", dir)[49].testAcc - 0.94) < 0.005);
});

test("absent thesis data gives an empty log", () => {
  assert.deepEqual(readThesisBaseLog("GRU", null), []);
});
