/**
 * Run profiles. `quick` is small enough for the test suite and the committed
 * notebook outputs; `thesis` is the thesis's full configuration. A notebook's
 * `parameters` cell names the profile; the PROFILE environment variable
 * overrides it so `PROFILE=thesis make run` needs no edit.
 */
export type ProfileName = "quick" | "thesis";

export const PROFILE_NAMES: readonly ProfileName[] = ["quick", "thesis"];

/** The profile in force: PROFILE from the environment, else `fallback`. */
export function resolveProfile(fallback: string = "quick", env: NodeJS.ProcessEnv = process.env): ProfileName {
  const name = env.PROFILE && env.PROFILE.length > 0 ? env.PROFILE : fallback;
  const source = env.PROFILE ? "environment variable PROFILE" : "parameter `profile`";
  if (!(PROFILE_NAMES as readonly string[]).includes(name)) {
    throw new Error(`Unknown profile "${name}" (from ${source}); expected one of: ${PROFILE_NAMES.join(", ")}`);
  }
  return name as ProfileName;
}

/** Pick the settings of the profile in force from a per-profile table. */
export function byProfile<T>(table: Readonly<Record<ProfileName, T>>, profile: ProfileName): T {
  return table[profile];
}
