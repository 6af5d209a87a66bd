// Where the tests find ../shared (real models, images, golden outputs): QUANTLITE_DATA,
// default ../shared relative to the working directory. Outside CI a test whose data is
// missing is skipped with a message; with CI=true it fails.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const DATA_DIR = resolve(process.env.QUANTLITE_DATA ?? "../shared");

/** Absolute path of a file under the data directory, or null (after saying why) if it is missing. */
export function dataPath(relative: string): string | null {
  const path = join(DATA_DIR, relative);
  if (existsSync(path)) return path;
  if (process.env.CI === "true") {
    throw new Error(`test data missing in CI: ${path} (set QUANTLITE_DATA)`);
  }
  console.warn(`  skipped: test data not found: ${path} (set QUANTLITE_DATA)`);
  return null;
}

export function readData(relative: string): Uint8Array | null {
  const path = dataPath(relative);
  return path === null ? null : new Uint8Array(readFileSync(path));
}
