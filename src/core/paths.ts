/**
 * The repository's root folder, computed once from this file's location (not from the
 * working directory): notebooks run in notebooks/ and import the library through the
 * symlink notebooks/src -> ../src, scripts and tests run from the root. The symlink is
 * resolved first, so every caller gets the same absolute path.
 */
import * as fs from "fs";
import * as path from "path";

/** the repository's root folder (absolute) */
export const REPO_ROOT: string = path.resolve(fs.realpathSync(__dirname), "..", "..");
