/**
 * JSON reading with errors that say where: every failure names the file (or the label the caller
 * gives for text that is not a file), and a syntax error also names the line and column.
 *
 * src/core holds the small pieces every layer shares; it imports nothing from the other src folders.
 */
import * as fs from "node:fs";

/**
 * JSON.parse with `where` (a file name or a label such as "CV cache row 3") in every error, and the
 * 1-based line and column of a syntax error when the engine reports a position.
 */
export function parseJson(text: string, where: string): unknown {
  if (typeof text !== "string") throw new Error(`${where}: expected JSON text, got ${text === null ? "null" : typeof text}`);
  if (text.trim() === "") throw new Error(`${where}: empty, expected JSON`);
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const position = /at position (\d+)/.exec(message);
    let at = "";
    if (position && !/\bline \d+/.test(message)) {
      const offset = Number(position[1]);
      const before = text.slice(0, offset);
      const line = before.split("\n").length;
      const column = offset - (before.lastIndexOf("\n") + 1) + 1;
      at = ` (line ${line}, column ${column})`;
    } else if (/Unexpected end of JSON input/.test(message)) {
      at = " (the text ends early: truncated?)";
    }
    throw new Error(`${where}: invalid JSON: ${message}${at}`);
  }
}

/**
 * Read and parse a JSON file. `what` says what the file should hold ("network checkpoint", …) and
 * starts every error message, followed by the file name.
 */
export function readJsonFile(file: string, what = "JSON file"): unknown {
  if (typeof file !== "string" || file === "") throw new Error(`${what}: file name must be a non-empty string, got ${JSON.stringify(file)}`);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`${what} ${file}: cannot read: ${(e as Error).message}`);
  }
  return parseJson(text, `${what} ${file}`);
}
