/** The thesis's published data, vendored in reference/thesis/: where each file is (see locate.ts). */
export {
  REPO_ROOT, THESIS_REFERENCE_PATH, THESIS_REFERENCE_DIR, THESIS_VARIANTS,
  thesisDatasetDir, thesisDatasetFile, thesisPruneLogDir, thesisPruneLogFile,
  thesisStructureDir, thesisStructureTableFile, thesisStructureTableFiles, thesisRSquaredFile, repoRelative,
} from "./locate";
export type { ThesisVariant, ThesisDatasetFile } from "./locate";
