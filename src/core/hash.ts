/**
 * One content hash for the whole project: sha-256 over canonical JSON (object keys
 * sorted, so the key order of a literal never changes a hash). Cache folders, store
 * identities, run files and row checksums all use it. `textDigest` hashes a text as it
 * is, for names that need only differ (figure slugs, chart element ids).
 */
import * as crypto from "node:crypto";

/** JSON with object keys sorted at every depth; typed arrays as plain arrays. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    const object = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(object).sort().filter((k) => object[k] !== undefined).map((k) => [k, canonical(object[k])]));
  }
  return value;
}

/** sha-256 of canonicalJson(value), hex (64 digits). */
export function contentHash(value: unknown): string {
  return crypto.createHash("sha256").update(canonicalJson(value)).digest("hex");
}

/** The first 16 hex digits of contentHash: names of cache folders and files. */
export function shortHash(value: unknown): string {
  return contentHash(value).slice(0, 16);
}

/**
 * Hex digest of a text as it is (not canonical JSON): names and ids that must only differ
 * between texts — a long figure title's slug suffix, a chart's element id (both sha-1, so
 * the names written so far stay as they are).
 */
export function textDigest(text: string, algorithm: "sha1" | "sha256" = "sha256"): string {
  return crypto.createHash(algorithm).update(text).digest("hex");
}
