/** Spawn environment/run_notebooks.py (the notebook runner) from node tests. */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..", "..");
const ENV_FILE = path.join(ROOT, "environment", "kernel", "env.sh");

/** SPARSE_RNN_PYTHON, CHROMIUM_PATH, JUPYTER_PATH: from the environment, else from env.sh. */
export function platformEnv(): NodeJS.ProcessEnv {
  if (process.env.SPARSE_RNN_PYTHON && process.env.JUPYTER_PATH) return process.env;
  if (!fs.existsSync(ENV_FILE)) {
    throw new Error(`${ENV_FILE} is missing: run \`bash environment/install.sh\` (or \`npm test\`, which runs it) first`);
  }
  const env = { ...process.env };
  for (const match of fs.readFileSync(ENV_FILE, "utf8").matchAll(/^export (\w+)='([^']*)'$/gm)) env[match[1]] = match[2];
  return env;
}

export type RunResult = { code: number | null; output: string };

/** Run notebooks through the real kernel; `output` is the runner's report. */
export function runNotebooks(notebooks: string[], options: { args?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  const env = { ...platformEnv(), ...options.env };
  const runner = path.join(ROOT, "environment", "run_notebooks.py");
  return new Promise((resolve, reject) => {
    const child = spawn(env.SPARSE_RNN_PYTHON!, [runner, ...(options.args ?? []), ...notebooks], { cwd: ROOT, env });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

/** notebooks/*.ipynb, or those named in NOTEBOOKS=00-tour,01-dataset. */
export function selectedNotebooks(env: NodeJS.ProcessEnv = process.env): string[] {
  const dir = path.join(ROOT, "notebooks");
  if (env.NOTEBOOKS) {
    return env.NOTEBOOKS.split(",").map((name) => {
      const file = path.join(dir, `${name.trim().replace(/\.ipynb$/, "")}.ipynb`);
      if (!fs.existsSync(file)) throw new Error(`NOTEBOOKS names "${name}", but ${file} does not exist`);
      return file;
    });
  }
  return fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort().map((f) => path.join(dir, f));
}
