// What one fuzz case ended in, and the tally of many: outcomes are counted by class (the error
// type and its message with numbers and names blanked out), and anything that is not an
// accepted outcome is kept as a failure with enough to reproduce it (seed and case number).

/** "ok": ran and passed the checks; "rejected": an accepted error; "failure": anything else. */
export type Verdict = "ok" | "rejected" | "failure";

export interface Outcome {
  verdict: Verdict;
  /** Outcome class, e.g. "ok" or "ModelError: corrupt TFLite model: …". */
  label: string;
  /** For failures: the full message and stack. */
  detail?: string;
}

/** Cases slower than this fail. */
export const CASE_TIME_LIMIT_MS = 2000;

export interface Failure {
  seed: number;
  index: number;
  /** The case's description: corpus entry and mutations. */
  name: string;
  label: string;
  detail: string;
}

/** Outcome counts of many cases (serialisable, so workers can send it). */
export interface Tally {
  cases: number;
  byVerdict: Record<Verdict, number>;
  /** Count per outcome label. */
  byLabel: Record<string, number>;
  /** Count per mutation (the case name's first part) and verdict. */
  byMutation: Record<string, Record<Verdict, number>>;
  failures: Failure[];
  /** Slowest case. */
  maxMs: number;
  slowest: string;
  /** Highest resident set size seen after a case, in bytes. */
  peakRss: number;
}

export function emptyTally(): Tally {
  return {
    cases: 0,
    byVerdict: { ok: 0, rejected: 0, failure: 0 },
    byLabel: {},
    byMutation: {},
    failures: [],
    maxMs: 0,
    slowest: "",
    peakRss: 0,
  };
}

/** A message with the case-specific parts blanked: quoted names, numbers, shapes. */
function messageClass(message: string): string {
  return message
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\[[^\]]*\]/g, "[…]")
    .replace(/-?\d+x-?\d+/g, "NxN")
    .replace(/(?<![A-Za-z_\d])-?\d+(\.\d+)?(e[+-]?\d+)?|NaN|-?Infinity/g, "N")
    .slice(0, 110);
}

/** The outcome label of a thrown value. */
export function errorLabel(error: unknown): string {
  if (error instanceof Error) return `${error.constructor.name}: ${messageClass(error.message)}`;
  return `thrown ${typeof error}: ${messageClass(String(error))}`;
}

export function errorDetail(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}

export function failure(label: string, detail: string): Outcome {
  return { verdict: "failure", label, detail };
}

export function record(tally: Tally, seed: number, index: number, name: string, outcome: Outcome, ms: number): void {
  const timed = ms > CASE_TIME_LIMIT_MS && outcome.verdict !== "failure"
    ? failure(`slow: over ${CASE_TIME_LIMIT_MS} ms`, `${ms.toFixed(0)} ms, ended in ${outcome.label}`)
    : outcome;
  tally.cases++;
  tally.byVerdict[timed.verdict]++;
  tally.byLabel[timed.label] = (tally.byLabel[timed.label] ?? 0) + 1;
  const mutation = name.split(" ")[0];
  const row = (tally.byMutation[mutation] ??= { ok: 0, rejected: 0, failure: 0 });
  row[timed.verdict]++;
  if (timed.verdict === "failure") tally.failures.push({ seed, index, name, label: timed.label, detail: timed.detail ?? "" });
  if (ms > tally.maxMs) {
    tally.maxMs = ms;
    tally.slowest = name;
  }
  tally.peakRss = Math.max(tally.peakRss, process.memoryUsage.rss());
}

export function merge(into: Tally, from: Tally): void {
  into.cases += from.cases;
  for (const v of ["ok", "rejected", "failure"] as const) into.byVerdict[v] += from.byVerdict[v];
  for (const [label, n] of Object.entries(from.byLabel)) into.byLabel[label] = (into.byLabel[label] ?? 0) + n;
  for (const [mutation, row] of Object.entries(from.byMutation)) {
    const to = (into.byMutation[mutation] ??= { ok: 0, rejected: 0, failure: 0 });
    for (const v of ["ok", "rejected", "failure"] as const) to[v] += row[v];
  }
  into.failures.push(...from.failures);
  if (from.maxMs > into.maxMs) {
    into.maxMs = from.maxMs;
    into.slowest = from.slowest;
  }
  into.peakRss = Math.max(into.peakRss, from.peakRss);
}

/** A plain-text report: verdicts, outcome classes, mutations (unless brief), slowest case, failures. */
export function formatTally(title: string, tally: Tally, seconds: number, { topLabels = 25, brief = false } = {}): string {
  const { ok, rejected, failure: failed } = tally.byVerdict;
  const lines = [
    `${title}: ${tally.cases} cases in ${seconds.toFixed(1)} s — ok ${ok}, rejected ${rejected}, failures ${failed}`,
    `  slowest ${tally.maxMs.toFixed(0)} ms (${tally.slowest}); peak RSS ${(tally.peakRss / 2 ** 20).toFixed(0)} MiB`,
    "  outcomes by class:",
  ];
  const labels = Object.entries(tally.byLabel).sort((a, b) => b[1] - a[1]);
  for (const [label, n] of labels.slice(0, topLabels)) lines.push(`    ${String(n).padStart(7)}  ${label}`);
  if (labels.length > topLabels) {
    const rest = labels.slice(topLabels).reduce((sum, [, n]) => sum + n, 0);
    lines.push(`    ${String(rest).padStart(7)}  (${labels.length - topLabels} more classes)`);
  }
  if (!brief) {
    lines.push("  by mutation (ok / rejected / failures):");
    for (const [mutation, row] of Object.entries(tally.byMutation).sort()) {
      lines.push(`    ${mutation.padEnd(28)} ${String(row.ok).padStart(6)} ${String(row.rejected).padStart(7)} ${String(row.failure).padStart(5)}`);
    }
  }
  for (const f of tally.failures.slice(0, 20)) {
    lines.push(`  FAILURE seed ${f.seed} case ${f.index}: ${f.name}\n    ${f.label}\n    ${f.detail.split("\n").slice(0, 6).join("\n    ")}`);
  }
  if (tally.failures.length > 20) lines.push(`  … ${tally.failures.length - 20} more failures`);
  return lines.join("\n");
}
