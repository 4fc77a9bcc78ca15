/**
 * Hand-made rows of the sparse-training comparison for the summary and figure tests (not a test file):
 * every column present, the graph columns blank or plain.
 */
import { GIANT_COLUMNS } from "../../src/sparsity/mask-metrics";
import { roleOf, type SparsityRow } from "../../src/experiments/sparsity-settings";

export function sparsityRow(values: Partial<SparsityRow> & Pick<SparsityRow, "method" | "density" | "test_acc">): SparsityRow {
  const giant = Object.fromEntries(GIANT_COLUMNS.map((c) => [c, ""])) as Record<(typeof GIANT_COLUMNS)[number], "">;
  return {
    variant: "GRU", task: "reber", seed: 1, role: roleOf(values.method), kept: 10, total: 100, kept_fraction: values.density,
    epochs: 4, search_epochs: 0, train_acc: values.test_acc, test_loss: 1, seconds: 0.5,
    unit_nodes: 6, unit_edges: 5, components: 1, largest_component: 6, ...giant,
    degree_cv: 0.5, degree_max_ratio: 2, degree_histogram: "1:4 3:2", start_degree_cv: 0.4, start_degree_max_ratio: 1.5, start_degree_histogram: "2:6",
    ...values,
  };
}
