import { test } from "node:test";
import assert from "node:assert/strict";
import { readThesisBaseLog } from "../../src/nn/thesis-log";

test("thesis base logs: 50 epochs per mode with the published accuracies", () => {
  const gru = readThesisBaseLog("GRU");
  assert.deepEqual(gru.map((r) => r.epoch), Array.from({ length: 50 }, (_, i) => i + 1));
  assert.equal(gru[0].testAcc, 0.9992);
  assert.ok(Math.abs(readThesisBaseLog("RNN_TANH")[49].testAcc - 0.94) < 0.005);
});
