// The cross-runtime benchmark's measurements (`npm run bench:runtimes`), run inside each runtime
// by the same thin runners as the checks. Like check.ts it imports nothing at run time.
// - cold: in a fresh process / isolate / page: import quantlite, Model.load, first output;
// - steady: after a warm-up, the median and minimum of `runs` inferences (model.run only).
import type { QuantliteApi, ReadData } from "./check.js";
import { INPUTS, INPUT_BYTES, MODELS, ROWS } from "./check.js";

export type ModelKey = (typeof MODELS)[number]["key"];

export interface BenchTask {
  mode: "cold" | "steady";
  model: ModelKey;
  /** Timed inferences (steady). */
  runs: number;
  /** Untimed inferences before them (steady). */
  warmup: number;
}

export interface ColdResult {
  mode: "cold";
  /** import of the quantlite entry; null where the runtime evaluates it before any code of ours runs (workerd). */
  importMs: number | null;
  /** Model.load: parse, plan, pack weights (and compile + instantiate the wasm, where it is compiled at run time). */
  loadMs: number;
  firstRunMs: number;
  totalMs: number;
}

export interface SteadyResult {
  mode: "steady";
  medianMs: number;
  minMs: number;
  runs: number;
}

/** Inputs the benchmark feeds (rows of the golden inputs, cycled). */
export const BENCH_ROWS = ROWS.slice(0, 8);

export function benchRanges(model: ModelKey): { path: string; start?: number; end?: number }[] {
  const file = MODELS.find((m) => m.key === model)!.file;
  return [{ path: file }, ...BENCH_ROWS.map((row) => ({ path: INPUTS, start: row * INPUT_BYTES, end: (row + 1) * INPUT_BYTES }))];
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * Runs one task. `importApi` imports the entry (timed for cold starts); `preloaded` is given
 * instead where the runtime has already evaluated it (a bundled Worker).
 */
export async function measure(task: BenchTask, read: ReadData, entry: { importApi: () => Promise<QuantliteApi> } | { preloaded: QuantliteApi }): Promise<ColdResult | SteadyResult> {
  const model = MODELS.find((m) => m.key === task.model);
  if (model === undefined) throw new Error(`unknown model ${task.model}`);
  const bytes = await read(model.file);
  const inputs = await Promise.all(BENCH_ROWS.map((row) => read(INPUTS, row * INPUT_BYTES, (row + 1) * INPUT_BYTES)));
  const t0 = performance.now();
  const api = "preloaded" in entry ? entry.preloaded : await entry.importApi();
  const t1 = performance.now();
  const loaded = await api.Model.load(bytes);
  const t2 = performance.now();
  loaded.run(inputs[0]);
  const t3 = performance.now();
  if (task.mode === "cold") {
    loaded.dispose();
    const importMs = "preloaded" in entry ? null : round(t1 - t0);
    return { mode: "cold", importMs, loadMs: round(t2 - t1), firstRunMs: round(t3 - t2), totalMs: round(t3 - t0) };
  }
  for (let k = 0; k < task.warmup; k++) loaded.run(inputs[k % inputs.length]);
  const times: number[] = [];
  for (let k = 0; k < task.runs; k++) {
    const input = inputs[k % inputs.length];
    const start = performance.now();
    loaded.run(input);
    times.push(performance.now() - start);
  }
  loaded.dispose();
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return { mode: "steady", medianMs: round(median), minMs: round(times[0]), runs: times.length };
}
