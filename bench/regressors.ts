/**
 * Benchmark: fit + predict of each regressor against scikit-learn 1.2 on the same data in the same run.
 * Data: the thesis's GRU structure table (200 × 23, reference/thesis/results/structure/gru.csv).
 * Run from the repo root:  npx tsx bench/regressors.ts
 * Prints seconds per fit for both and the ratio ours / sklearn (< 1 means we are faster).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdaBoostRegressor, BayesianRidge, PROPERTY_COLUMNS, RandomForestRegressor, loadResultsFiles, variantData,
  type Regressor,
} from "../src/predict";
import { repoRelative, thesisStructureTableFile } from "../src/thesis";
import { parseCli } from "./cli";

parseCli({
  script: "bench/regressors.ts",
  summary: `Fit + predict of each regressor (Bayesian ridge, random forest, AdaBoost) against
scikit-learn on the same data in the same run: the thesis's GRU structure table (200 × 23).
Prints seconds per fit for both and the ratio ours / sklearn (< 1: we are faster).
The Python for the scikit-learn peer: $PYTHON, else /usr/bin/python3.`,
  options: {},
});

const THESIS_GRU = thesisStructureTableFile("GRU");
const PYTHON = process.env.PYTHON ?? "/usr/bin/python3";

function benchData(): { X: number[][]; y: number[]; source: string } {
  return { ...variantData(loadResultsFiles([THESIS_GRU]), "GRU", PROPERTY_COLUMNS), source: repoRelative(THESIS_GRU) };
}

const models: Record<string, (seed: number) => Regressor> = {
  BayesianRidge: () => new BayesianRidge(),
  RandomForestRegressor: (seed) => new RandomForestRegressor({ seed }),
  AdaBoostRegressor: (seed) => new AdaBoostRegressor({ seed }),
};
const reps: Record<string, number> = { BayesianRidge: 200, RandomForestRegressor: 10, AdaBoostRegressor: 20 };

const { X, y, source } = benchData();
const ours: Record<string, number> = {};
for (const [name, make] of Object.entries(models)) {
  const warm = make(0);
  warm.train(X, y);
  warm.predict(X);
  const start = process.hrtime.bigint();
  for (let s = 0; s < reps[name]; s++) {
    const m = make(s);
    m.train(X, y);
    m.predict(X);
  }
  ours[name] = Number(process.hrtime.bigint() - start) / 1e9 / reps[name];
}

const file = join(mkdtempSync(join(tmpdir(), "bench-regressors-")), "data.json");
writeFileSync(file, JSON.stringify({ X, y, reps }));
let peer: Record<string, number> | null = null;
try {
  peer = JSON.parse(execFileSync(PYTHON, [join(__dirname, "regressors_sklearn.py"), file], { encoding: "utf8" }));
} catch (e) {
  console.warn(`sklearn peer not run (${PYTHON}): ${(e as Error).message.split("\n")[0]}`);
}

console.log(`data: ${source} (${X.length} rows × ${X[0].length} features); fit + predict, seconds per fit`);
console.log("model                    ours (s)    sklearn (s)  ours/sklearn");
for (const name of Object.keys(models)) {
  const theirs = peer?.[name];
  console.log(
    `${name.padEnd(24)} ${ours[name].toFixed(5).padStart(9)}  ${theirs === undefined ? "        -" : theirs.toFixed(5).padStart(11)}  ${theirs === undefined ? "-" : (ours[name] / theirs).toFixed(2).padStart(12)}`,
  );
}
