// One measurement in a fresh process, started by bench/run.ts with the runtime under test:
//   node --expose-gc dist/bench/child.js '<task JSON>'
// prints one line "@@bench <result JSON>" on stdout. Only Node built-ins and bench/engines.ts
// (which imports nothing) are loaded before the clock starts, so a cold start counts importing
// quantlite or tfjs-tflite, compiling their wasm, loading the model and the first inference.
import { readFileSync } from "node:fs";
import { PerformanceObserver } from "node:perf_hooks";
import { type Engine, type EngineName, type IoArray, loadEngine, sampleInput } from "./engines.js";
import { type ProfileTask, median, profileModel } from "./profile.js";

export type { ProfileTask };

export interface ColdTask {
  kind: "cold";
  engine: EngineName;
  model: string;
  samples: string;
  sampleLength: number;
  /** The sample rows are the model's input bytes (thirdparty NAME.inputs.bin), not uint8 pixels. */
  rawSamples?: boolean;
}

/**
 * Steady latency of one or more engines in one process, their timed runs interleaved (the order
 * rotating every round), so that a slow spell of the shared machine slows them alike.
 */
export interface SteadyTask {
  kind: "steady";
  engines: EngineName[];
  model: string;
  samples: string;
  sampleLength: number;
  sampleCount: number;
  /** As ColdTask's. */
  rawSamples?: boolean;
  runs: number;
  warmupMs: number;
  /** false: skip the heap-growth loops (the heap fields are then null). */
  heap?: boolean;
}

export type Task = ColdTask | SteadyTask | ProfileTask;

export interface ColdResult {
  importMs: number;
  loadMs: number;
  firstRunMs: number;
  totalMs: number;
}

export interface SteadyResult {
  runs: number;
  warmupRuns: number;
  minMs: number;
  medianMs: number;
  meanMs: number;
  arenaBytes: number | null;
  memoryBytes: number;
  /**
   * heapUsed growth per inference over allocRuns untimed inferences in a plain loop, after as
   * many others that let V8's compilers finish adding code and feedback to the heap (after a full
   * GC; no GC in between): the smallest of ALLOC_WINDOWS such loops, each after a full GC, so that
   * a window in which V8 finished compiling something (adding code to the heap) does not count as
   * what one steady inference allocates.
   */
  heapAllocPerRun: number | null;
  /** The same measurement of the same loop calling a function that does nothing: what the measuring itself shows. */
  heapFloorPerRun: number | null;
  /** heapUsed growth still there after a full GC, per run (of the window with the least growth). */
  heapRetainedPerRun: number | null;
  /** ArrayBuffer (off-heap) growth over those inferences, per run (same window). */
  arrayBuffersPerRun: number | null;
  /** Garbage collections seen during that window's inferences (0: heapAllocPerRun is exact). */
  gcDuringRuns: number | null;
  /** Output 0 of each sample row, concatenated, base64. */
  outputs: string;
  outputLength: number;
  outputDtype: string;
}


/** Untimed inferences per allocation loop (SIMD and TFLite engines). */
const ALLOC_RUNS = 200;
/** Allocation loops per engine (the scalar engine, ≈60× slower, runs one). */
const ALLOC_WINDOWS = 5;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => { throw new Error("run with --expose-gc"); });

async function cold(task: ColdTask): Promise<ColdResult> {
  const modelBytes = new Uint8Array(readFileSync(task.model));
  const samples = new Uint8Array(readFileSync(task.samples));
  const t0 = performance.now();
  const { engine, importMs, loadMs } = await loadEngine(task.engine, modelBytes);
  const input = sampleInput(samples, 0, task.sampleLength, engine.inputDtype, task.rawSamples);
  const t1 = performance.now();
  engine.run(input);
  const t2 = performance.now();
  return { importMs, loadMs, firstRunMs: t2 - t1, totalMs: t2 - t0 };
}

/** An engine loaded for a steady task, with its inputs, or why it failed to load. */
type SteadyEngine =
  | { name: EngineName; engine: Engine; inputs: IoArray[]; error?: undefined }
  | { name: EngineName; error: string };

async function steady(task: SteadyTask): Promise<(SteadyResult | { error: string })[]> {
  const modelBytes = new Uint8Array(readFileSync(task.model));
  const samples = new Uint8Array(readFileSync(task.samples));
  const loaded: SteadyEngine[] = [];
  for (const name of task.engines) {
    try {
      const { engine } = await loadEngine(name, modelBytes);
      if (engine.inputLength !== task.sampleLength) throw new Error(`model input has ${engine.inputLength} elements; samples have ${task.sampleLength}`);
      loaded.push({ name, engine, inputs: Array.from({ length: task.sampleCount }, (_, k) => sampleInput(samples, k, task.sampleLength, engine.inputDtype, task.rawSamples)) });
    } catch (err) {
      loaded.push({ name, error: (err as Error).message });
    }
  }
  const live = loaded.filter((e) => e.error === undefined);

  // Warm-up, engine by engine: at least two runs and warmupMs each.
  const warm = live.map(({ engine, inputs }) => {
    let runs = 0;
    let first: IoArray | undefined;
    const start = performance.now();
    while (runs < 2 || performance.now() - start < task.warmupMs) first = engine.run(inputs[runs++ % inputs.length]);
    return { runs, outputLength: first!.length, outputBytes: first!.byteLength, outputDtype: first instanceof Int8Array ? "int8" : first instanceof Float32Array ? "float32" : "uint8" };
  });

  // Timed runs: round i runs every engine once on sample i mod count, starting with a different
  // engine each round; the first pass keeps each engine's outputs (copied into one buffer).
  const runs = Math.max(task.runs, task.sampleCount + 1);
  const times = live.map(() => new Float64Array(runs));
  const outputs = live.map((_, j) => new Uint8Array(warm[j].outputBytes * task.sampleCount));
  for (let i = 0; i < runs; i++) {
    const k = i % task.sampleCount;
    for (let step = 0; step < live.length; step++) {
      const j = (i + step) % live.length;
      const t = performance.now();
      const out = live[j].engine.run(live[j].inputs[k]);
      times[j][i] = performance.now() - t;
      if (i < task.sampleCount) outputs[j].set(new Uint8Array(out.buffer, out.byteOffset, out.byteLength), k * out.byteLength);
    }
  }

  // Allocation, engine by engine: plain loops of inferences (nothing else that allocates), each
  // measured between full GCs, keeping the loop that grew the heap least; then the same loops
  // around a function that does nothing. The scalar engine gets one loop of as many runs as it had timed.
  const results = new Map<EngineName, SteadyResult>();
  for (let j = 0; j < live.length; j++) {
    const { name, engine, inputs } = live[j];
    const allocRuns = name === "scalar" ? runs : ALLOC_RUNS;
    const windows = name === "scalar" ? 1 : ALLOC_WINDOWS;
    let growth: Growth | null = null, floor: Growth | null = null;
    if (task.heap !== false) {
      for (let i = 0; i < allocRuns; i++) engine.run(inputs[i % inputs.length]);
      growth = await allocationWindows((input) => engine.run(input), inputs, allocRuns, windows);
      floor = await allocationWindows(doNothing, inputs, allocRuns, windows);
    }
    const t = Array.from(times[j]);
    results.set(name, {
      runs,
      warmupRuns: warm[j].runs,
      minMs: Math.min(...t),
      medianMs: median(t),
      meanMs: t.reduce((a, b) => a + b, 0) / runs,
      arenaBytes: engine.arenaBytes,
      memoryBytes: engine.memoryBytes,
      heapAllocPerRun: growth && growth.heap / allocRuns,
      heapFloorPerRun: floor && floor.heap / allocRuns,
      heapRetainedPerRun: growth && growth.retained / allocRuns,
      arrayBuffersPerRun: growth && growth.arrayBuffers / allocRuns,
      gcDuringRuns: growth && growth.gcs,
      outputs: Buffer.from(outputs[j]).toString("base64"),
      outputLength: warm[j].outputLength,
      outputDtype: warm[j].outputDtype,
    });
  }
  return loaded.map((e) => (e.error === undefined ? results.get(e.name)! : { error: e.error }));
}

/** A stand-in for an engine's run that does nothing (allocationWindows' floor). */
function doNothing(input: IoArray): IoArray {
  return input;
}

interface Growth {
  heap: number;
  retained: number;
  arrayBuffers: number;
  gcs: number;
}

/**
 * `windows` loops of `count` calls of run, each after two full GCs: the heapUsed growth over the
 * loop with the least growth, the growth still there after a full GC, the ArrayBuffer growth and
 * the GCs seen during that loop.
 */
async function allocationWindows(run: (input: IoArray) => IoArray, inputs: IoArray[], count: number, windows: number): Promise<Growth> {
  let least: Growth | null = null;
  for (let w = 0; w < windows; w++) {
    let gcs = 0;
    const observer = new PerformanceObserver((list) => { gcs += list.getEntries().length; });
    gc();
    gc();
    observer.observe({ entryTypes: ["gc"] });
    const before = process.memoryUsage();
    for (let i = 0; i < count; i++) run(inputs[i % inputs.length]);
    const after = process.memoryUsage();
    await new Promise((resolve) => setImmediate(resolve)); // let the observer see GCs of the loop
    observer.disconnect();
    gc();
    gc();
    const retained = process.memoryUsage();
    const growth = {
      heap: after.heapUsed - before.heapUsed,
      retained: retained.heapUsed - before.heapUsed,
      arrayBuffers: after.arrayBuffers - before.arrayBuffers,
      gcs,
    };
    if (least === null || growth.heap < least.heap) least = growth;
  }
  return least!;
}

async function main(): Promise<void> {
  const task = JSON.parse(process.argv[2] ?? "null") as Task;
  const result = task.kind === "cold" ? await cold(task) : task.kind === "steady" ? await steady(task) : await profileModel(task);
  process.stdout.write(`@@bench ${JSON.stringify(result)}\n`);
}

await main();
