/** The thesis: where its published data is (reference/thesis/, see locate.ts) and the numbers its text states (published.ts). */
export {
  REPO_ROOT, THESIS_REFERENCE_PATH, THESIS_REFERENCE_DIR, THESIS_VARIANTS,
  thesisDatasetDir, thesisDatasetFile, thesisPruneLogDir, thesisPruneLogFile,
  thesisStructureDir, thesisStructureTableFile, thesisStructureTableFiles, thesisRSquaredFile, repoRelative,
} from "./locate";
export type { ThesisVariant, ThesisDatasetFile } from "./locate";
/** Numbers the thesis's text publishes (see published.ts). */
export { THESIS_PUBLISHED, THESIS_SAFE_LEVELS } from "./published";
export type { ThesisPruneKind } from "./published";
