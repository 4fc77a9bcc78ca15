/**
 * File names of the figures and tables the main job writes: a stable slug of the notebook and the title,
 * `<notebook>--<title-slug>`, not a counter, so a figure keeps its file name when figures are added or removed
 * before it. A title shown twice by the same notebook gets -2, -3 … in the order shown.
 */
import { textDigest } from "../core/hash";

export const MAX_SLUG_LENGTH = 80;

/**
 * Lower-case ASCII letters and digits joined by single hyphens: accents dropped (Barabási → barabasi), superscripts
 * as digits (R² → r2), everything else a separator. Longer than `max`: cut at a hyphen, plus 6 hex digits of the
 * whole text's SHA-1, so that two long titles differing at the end stay apart. Empty: "untitled".
 */
export function slugify(text: string, max = MAX_SLUG_LENGTH): string {
  const slug = text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/<[^>]*>/g, " ").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  if (slug === "") return "untitled";
  if (slug.length <= max) return slug;
  const hash = textDigest(text, "sha1").slice(0, 6);
  let cut = slug.slice(0, max - 7);
  const hyphen = cut.lastIndexOf("-");
  if (hyphen > (max - 7) / 2) cut = cut.slice(0, hyphen);
  return `${cut.replace(/-+$/, "")}-${hash}`;
}

type NamingState = Record<"figure" | "table", Map<string, number>>;
const STATE_KEY = Symbol.for("sparse-rnn-lab.plot.naming");

/** Kernel-wide counts of the names given so far (on globalThis: re-importing src/ after an edit keeps them). */
function state(): NamingState {
  const g = globalThis as unknown as Record<symbol, NamingState>;
  g[STATE_KEY] ??= { figure: new Map(), table: new Map() };
  return g[STATE_KEY];
}

/** `<notebook>--<slug of title>`, with -2, -3 … when this notebook run already used the name for a figure (or table). */
export function outputName(kind: "figure" | "table", notebook: string, title: string): string {
  const name = `${slugify(notebook, 60)}--${slugify(title)}`;
  const seen = state()[kind];
  const n = (seen.get(name) ?? 0) + 1;
  seen.set(name, n);
  return n === 1 ? name : `${name}-${n}`;
}

/** Forget the names given (tests). */
export function resetOutputNames(): void {
  state().figure.clear();
  state().table.clear();
}
