// Names a caller may mistype (options, graph inputs and outputs): how far apart two are, and a
// short list of the valid ones for an error message.

/** Levenshtein distance, ignoring case and underscores ("score_threshold" is 0 from "scoreThreshold"). */
export function editDistance(a: string, b: string): number {
  a = a.toLowerCase().replace(/_/g, "");
  b = b.toLowerCase().replace(/_/g, "");
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The name of `names` nearest to `given` (the first of equals); `names` is not empty. */
export function closestName(given: string, names: readonly string[]): string {
  return names.reduce((best, name) => (editDistance(given, name) < editDistance(given, best) ? name : best));
}

const LISTED_NAMES = 6;
const LISTED_NAME_LENGTH = 40;

/** `"a", "b", "c"`: the first few names, each cut short, and how many more there are. */
export function listNames(names: readonly string[]): string {
  const cut = (name: string) => JSON.stringify(name.length > LISTED_NAME_LENGTH ? `${name.slice(0, LISTED_NAME_LENGTH - 1)}…` : name);
  const listed = names.slice(0, LISTED_NAMES).map(cut).join(", ");
  return names.length > LISTED_NAMES ? `${listed}, … (${names.length - LISTED_NAMES} more)` : listed;
}
