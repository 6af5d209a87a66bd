// The benchmark harness: `npm run bench [-- --json] [-- --profile]`.
//
// For each model in $QUANTLITE_DATA/models (default ../shared) and each Node runtime (the
// machine's Node, and Node 22 from the npm package `node`, a devDependency), it measures
// quantlite with its v128 kernels, quantlite with the scalar reference kernels, and TensorFlow
// Lite's own WebAssembly build (@tensorflow/tfjs-tflite, SIMD, one thread) on the same inputs:
// - cold start: import → model ready → first output, in a fresh process (median of --cold N);
// - steady latency: warm-up, then --runs N timed runs (min, median) over samples.u8.bin's rows;
// - memory: arena and wasm memory bytes; JS heap growth per inference over an untimed loop;
// - outputs: SIMD vs TFLite-wasm (identical rows, max |diff|, top-1), scalar vs SIMD, SIMD vs
//   the golden reference outputs where the data has them.
// Every measurement runs in a child process (bench/child.ts) started with the runtime under test.
// Progress goes to stderr; stdout gets one table, or with --json the same data as JSON.
//
// Options: --json  --profile  --runs N (default 50)  --scalar-runs N (default 20)  --cold N (default 3)
//          --models a,b (substrings of file names)  --engines simd,scalar,tflite  --quick
//          --models-dir DIR: instead, every DIR/**/NAME.tflite in thirdparty's format (NAME.json,
//            NAME.inputs.bin rows as inputs, output 0 of NAME.ref.bin as the reference), e.g.
//            $QUANTLITE_DATA/thirdparty; models with several inputs or non-8-bit inputs are skipped
//          --no-heap: skip the heap-growth loops (≈1,000 untimed inferences per engine and model)
// QUANTLITE_BENCH_NODES=/path/node,/path/node overrides the runtimes.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ColdResult, ColdTask, SteadyResult, SteadyTask, Task } from "./child.js";
import { ENGINE_LABELS, type EngineName } from "./engines.js";
import { type ProfileResult, type ProfileTask, type RuntimeProfile, formatProfile, formatTable, measurePeak, median } from "./profile.js";
import { TFLITE_VARIANT, tfliteVersion, tfliteWasmDir } from "./tflite-wasm.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const CHILD = path.join(HERE, "child.js");
const ENGINES: EngineName[] = ["simd", "scalar", "tflite"];
/**
 * The scalar kernels take ≈0.7 s per MobileNetV2 inference: 50 runs on 3 models × 2 runtimes would
 * add 3.5 minutes, so by default they get 20 (after a warm-up), which keeps `npm run bench` near
 * 3 minutes on 2 cores; `--scalar-runs 50` for the full count.
 */
const SCALAR_RUNS = 20;

interface Options {
  json: boolean;
  profile: boolean;
  runs: number;
  scalarRuns: number;
  cold: number;
  warmupMs: number;
  profileRepeats: number;
  models: string[];
  engines: EngineName[];
  modelsDir: string | null;
  heap: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { json: false, profile: false, runs: 50, scalarRuns: SCALAR_RUNS, cold: 3, warmupMs: 400, profileRepeats: 30, models: [], engines: ENGINES, modelsDir: null, heap: true };
  let scalarRunsGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = (): string => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    const int = () => {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 1) usage(`${flag} needs a positive integer`);
      return v;
    };
    switch (flag) {
      case "--json": o.json = true; break;
      case "--profile": o.profile = true; break;
      case "--runs": o.runs = int(); break;
      case "--scalar-runs": o.scalarRuns = int(); scalarRunsGiven = true; break;
      case "--cold": o.cold = int(); break;
      case "--models": o.models = value().split(","); break;
      case "--models-dir": o.modelsDir = path.resolve(value()); break;
      case "--no-heap": o.heap = false; break;
      case "--engines": {
        const names = value().split(",");
        for (const n of names) if (!ENGINES.includes(n as EngineName)) usage(`unknown engine ${n}`);
        o.engines = names as EngineName[];
        break;
      }
      case "--quick": o.runs = 12; o.cold = 1; o.warmupMs = 100; o.profileRepeats = 5; if (!scalarRunsGiven) o.scalarRuns = 12; break;
      case "--help": case "-h": usage(); break;
      default: usage(`unknown option ${argv[i]}`);
    }
  }
  return o;
}

function usage(problem?: string): never {
  if (problem) console.error(`bench: ${problem}`);
  console.error("usage: npm run bench -- [--json] [--profile] [--runs N] [--scalar-runs N] [--cold N] [--models a,b] [--engines simd,scalar,tflite] [--quick] [--models-dir DIR] [--no-heap]");
  process.exit(problem ? 2 : 0);
}

const log = (msg: string) => process.stderr.write(`${msg}\n`);

interface Runtime {
  bin: string;
  version: string;
  v8: string;
  label: string;
}

/** The machine's Node (first on PATH outside node_modules: npm puts node_modules/.bin, where the `node` package links its binary, first) and npm's Node 22. */
function findRuntimes(): Runtime[] {
  const bins: string[] = [];
  if (process.env.QUANTLITE_BENCH_NODES) {
    bins.push(...process.env.QUANTLITE_BENCH_NODES.split(",").filter(Boolean));
  } else {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
      if (!dir || dir.split(path.sep).includes("node_modules")) continue;
      const candidate = path.join(dir, "node");
      if (existsSync(candidate)) { bins.push(candidate); break; }
    }
    if (bins.length === 0) bins.push(process.env.npm_node_execpath ?? process.execPath);
    const npmNode = path.join(ROOT, "node_modules", "node", "bin", "node");
    if (existsSync(npmNode)) bins.push(npmNode);
    else log("bench: node_modules/node/bin/node is missing (npm install installs Node 22 from the `node` package); measuring one runtime");
  }
  const seen = new Set<string>();
  const runtimes: Runtime[] = [];
  for (const bin of bins) {
    const real = realpathSync(bin);
    const r = spawnSync(bin, ["-p", "process.versions.node + ' ' + process.versions.v8"], { encoding: "utf8" });
    if (r.status !== 0) { log(`bench: cannot run ${bin}: ${r.stderr}`); continue; }
    const [version, v8] = r.stdout.trim().split(" ");
    if (seen.has(real) || seen.has(version)) continue;
    seen.add(real).add(version);
    runtimes.push({ bin, version, v8, label: `node ${version}` });
  }
  return runtimes;
}

function runChild<T>(runtime: Runtime, task: Task): T {
  const r = spawnSync(runtime.bin, ["--expose-gc", CHILD, JSON.stringify(task)], { encoding: "utf8", maxBuffer: 64 << 20, timeout: 600_000 });
  const line = (r.stdout ?? "").split("\n").find((l) => l.startsWith("@@bench "));
  if (r.status !== 0 || !line) {
    throw new Error(`${runtime.label} ${task.kind} ${"engine" in task ? task.engine : "engines" in task ? task.engines.join("+") : ""} ${path.basename(task.model)} failed (exit ${r.status ?? r.signal}):\n${(r.stderr || r.stdout || "").trim().slice(-2000)}`);
  }
  return JSON.parse(line.slice("@@bench ".length)) as T;
}

interface ColdSummary extends ColdResult {
  /** totalMs of each repetition (the summary fields are the medians). */
  samples: number[];
}

interface EngineResult {
  cold?: ColdSummary;
  steady?: SteadyResult;
  error?: string;
}

interface Comparison {
  against: string;
  rows: number;
  identicalRows: number;
  maxAbsDiff: number;
  top1Agree: number;
}

interface ModelRuntimeResult {
  runtime: string;
  engines: Partial<Record<EngineName, EngineResult>>;
  ratios: { simdVsTfliteMedian?: number; simdVsTfliteMin?: number; simdVsTfliteCold?: number; scalarVsSimdMedian?: number };
  outputs: Partial<Record<EngineName, Comparison>>;
}

interface ModelResult {
  file: string;
  /** --models-dir: why the model was not measured. */
  skipped?: string;
  /** --models-dir: the model's input rows. */
  inputs?: { file: string; rows: number; bytesPerRow: number };
  fileBytes: number;
  macs: number;
  inputDtype: string;
  golden: string | null;
  runtimes: ModelRuntimeResult[];
  profile?: { runtime: string; peakGmacs: number | null; result: ProfileResult }[];
}

/** Raw little-endian int8, uint8 or float32 values as numbers. */
function decodeValues(bytes: Uint8Array, dtype: string): Float64Array {
  const b = bytes.slice();
  if (dtype === "int8") return Float64Array.from(new Int8Array(b.buffer));
  if (dtype === "float32") return Float64Array.from(new Float32Array(b.buffer));
  return Float64Array.from(b);
}

function decodeOutputs(s: SteadyResult): Float64Array {
  return decodeValues(new Uint8Array(Buffer.from(s.outputs, "base64")), s.outputDtype);
}

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

function compare(a: Float64Array, b: Float64Array, rowLength: number, against: string): Comparison {
  const rows = Math.min(a.length, b.length) / rowLength;
  let identicalRows = 0, maxAbsDiff = 0, top1Agree = 0;
  for (let r = 0; r < rows; r++) {
    const x = a.subarray(r * rowLength, (r + 1) * rowLength);
    const y = b.subarray(r * rowLength, (r + 1) * rowLength);
    let same = true;
    for (let i = 0; i < rowLength; i++) {
      const d = Math.abs(x[i] - y[i]);
      if (d) same = false;
      if (d > maxAbsDiff) maxAbsDiff = d;
    }
    if (same) identicalRows++;
    if (argmax(x) === argmax(y)) top1Agree++;
  }
  return { against, rows, identicalRows, maxAbsDiff, top1Agree };
}

/** golden/<name>.samples.bin whose .json names this model file, as numbers (its dtype is in the json). */
function goldenFor(goldenDir: string, modelFile: string): { name: string; data: Float64Array } | null {
  if (!existsSync(goldenDir)) return null;
  for (const f of readdirSync(goldenDir)) {
    if (!f.endsWith(".samples.json")) continue;
    const meta = JSON.parse(readFileSync(path.join(goldenDir, f), "utf8")) as { model?: string; dtype?: string };
    if (meta.model !== modelFile) continue;
    const bin = path.join(goldenDir, f.replace(/\.json$/, ".bin"));
    if (!existsSync(bin)) return null;
    const bytes = new Uint8Array(readFileSync(bin));
    return { name: f.replace(/\.samples\.json$/, ""), data: decodeValues(bytes, meta.dtype ?? "uint8") };
  }
  return null;
}

/** A model to measure, its input rows and the reference for output 0. */
interface BenchModel {
  /** File name (--models-dir: path under the folder). */
  file: string;
  path: string;
  samples: string;
  /** Elements (= bytes: 8-bit inputs) per row. */
  sampleLength: number;
  sampleCount: number;
  /** The rows are the model's input bytes (thirdparty NAME.inputs.bin), not uint8 pixels. */
  raw: boolean;
  /** Output 0 of every row; `against` names it in the table. */
  reference: { name: string; against: string; data: Float64Array } | null;
  skipped?: string;
}

/** thirdparty's layout (see its README): DIR/**\/NAME.tflite with NAME.json, NAME.inputs.bin and NAME.ref.bin. */
function thirdpartyModels(dir: string): BenchModel[] {
  interface Tensor { dtype: string; bytes: number }
  const found: BenchModel[] = [];
  const walk = (sub: string) => {
    for (const f of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, f.name);
      if (f.isDirectory()) walk(rel);
      else if (f.name.endsWith(".tflite")) {
        const base = path.join(dir, rel.replace(/\.tflite$/, ""));
        if (!existsSync(`${base}.json`) || !existsSync(`${base}.inputs.bin`)) continue; // invalid/: no inputs
        const meta = JSON.parse(readFileSync(`${base}.json`, "utf8")) as { inputs: Tensor[]; outputs: Tensor[]; samples: number; sample_input_bytes: number; sample_output_bytes: number };
        const model: BenchModel = {
          file: rel, path: path.join(dir, rel), samples: `${base}.inputs.bin`, sampleLength: meta.sample_input_bytes, sampleCount: meta.samples, raw: true, reference: null,
        };
        const [input] = meta.inputs, [output] = meta.outputs;
        if (meta.inputs.length !== 1) model.skipped = `${meta.inputs.length} inputs; the benchmark feeds one`;
        else if (input.dtype !== "uint8" && input.dtype !== "int8") model.skipped = `${input.dtype} input; the benchmark feeds 8-bit inputs`;
        else if (!["uint8", "int8", "float32"].includes(output.dtype)) model.skipped = `${output.dtype} output 0`;
        else if (existsSync(`${base}.ref.bin`)) {
          const ref = new Uint8Array(readFileSync(`${base}.ref.bin`));
          const out0 = new Uint8Array(output.bytes * meta.samples);
          for (let k = 0; k < meta.samples; k++) out0.set(ref.subarray(k * meta.sample_output_bytes, k * meta.sample_output_bytes + output.bytes), k * output.bytes);
          model.reference = { name: "ref.bin", against: "TF reference", data: decodeValues(out0, output.dtype) };
        }
        found.push(model);
      }
    }
  };
  walk("");
  return found.sort((a, b) => a.file.localeCompare(b.file));
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const loadBefore = os.loadavg()[0];
  const dataDir = path.resolve(process.env.QUANTLITE_DATA ?? "../shared");
  const wanted = (file: string) => options.models.length === 0 || options.models.some((m) => file.includes(m));
  let benchModels: BenchModel[];
  let samples: { file: string; rows: number; elementsPerRow: number } | null = null;
  if (options.modelsDir !== null) {
    benchModels = thirdpartyModels(options.modelsDir).filter((m) => wanted(m.file));
  } else {
    const modelsDir = path.join(dataDir, "models");
    const samplesFile = path.join(dataDir, "golden", "samples.u8.bin");
    if (!existsSync(modelsDir) || !existsSync(samplesFile)) {
      console.error(`bench: needs ${modelsDir} and ${samplesFile} (set QUANTLITE_DATA)`);
      process.exit(1);
    }
    const samplesMeta = JSON.parse(readFileSync(path.join(dataDir, "golden", "samples.json"), "utf8")) as { n: number; height: number; width: number; channels: number };
    samples = { file: samplesFile, rows: samplesMeta.n, elementsPerRow: samplesMeta.height * samplesMeta.width * samplesMeta.channels };
    benchModels = readdirSync(modelsDir)
      .filter((f) => f.endsWith(".tflite"))
      .filter(wanted)
      .sort()
      .map((file) => {
        const golden = goldenFor(path.join(dataDir, "golden"), file);
        return {
          file, path: path.join(modelsDir, file), samples: samplesFile, sampleLength: samples!.elementsPerRow, sampleCount: samples!.rows, raw: false,
          reference: golden && { name: golden.name, against: `golden ${golden.name}`, data: golden.data },
        };
      });
  }
  const runtimes = findRuntimes();
  if (runtimes.length === 0) { console.error("bench: no runtime to measure"); process.exit(1); }
  log(`bench: ${benchModels.length} models × ${runtimes.map((r) => r.label).join(", ")} × ${options.engines.join(", ")}`);

  const { inspectModel } = await import("../js/index.js");
  const quantliteWasm = path.join(ROOT, "build", "quantlite.wasm");
  const tfliteWasm = path.join(tfliteWasmDir(), `${TFLITE_VARIANT}.wasm`);
  const tfliteGlue = path.join(tfliteWasmDir(), `${TFLITE_VARIANT}.js`);

  const models: ModelResult[] = [];
  for (const bench of benchModels) {
    const { file, path: modelPath, samples: samplesFile, sampleLength, sampleCount, raw: rawSamples, reference: golden } = bench;
    const bytes = new Uint8Array(readFileSync(modelPath));
    const summary = inspectModel(bytes);
    const model: ModelResult = {
      file, ...(bench.skipped ? { skipped: bench.skipped } : {}),
      ...(options.modelsDir !== null ? { inputs: { file: samplesFile, rows: sampleCount, bytesPerRow: sampleLength } } : {}),
      fileBytes: bytes.length, macs: summary.totalMacs, inputDtype: summary.inputs[0]?.dtype ?? "?", golden: golden?.name ?? null, runtimes: [],
    };
    models.push(model);
    if (bench.skipped) {
      log(`  ${file}: skipped (${bench.skipped})`);
      continue;
    }
    for (const runtime of runtimes) {
      const entry: ModelRuntimeResult = { runtime: runtime.version, engines: {}, ratios: {}, outputs: {} };
      model.runtimes.push(entry);
      const engines = options.engines;
      for (const e of engines) entry.engines[e] = {};
      // cold starts, interleaved so that a slow moment of the machine does not hit one engine only
      const colds: Partial<Record<EngineName, ColdResult[]>> = {};
      for (let rep = 0; rep < options.cold; rep++) {
        for (const e of engines) {
          if (entry.engines[e]!.error) continue;
          log(`  ${runtime.label}  ${file}  ${ENGINE_LABELS[e]}: cold start ${rep + 1}/${options.cold}`);
          const task: ColdTask = { kind: "cold", engine: e, model: modelPath, samples: samplesFile, sampleLength, ...(rawSamples ? { rawSamples } : {}) };
          try {
            (colds[e] ??= []).push(runChild<ColdResult>(runtime, task));
          } catch (err) {
            entry.engines[e]!.error = (err as Error).message;
            log((err as Error).message);
          }
        }
      }
      for (const e of engines) {
        const c = colds[e];
        if (c?.length) {
          entry.engines[e]!.cold = {
            importMs: median(c.map((x) => x.importMs)), loadMs: median(c.map((x) => x.loadMs)), firstRunMs: median(c.map((x) => x.firstRunMs)),
            totalMs: median(c.map((x) => x.totalMs)), samples: c.map((x) => x.totalMs),
          };
        }
      }
      // quantlite SIMD and TFLite-wasm run interleaved in one process (ratios of the same
      // moments of a noisy machine); the ≈60× slower scalar build runs on its own.
      const live = engines.filter((e) => !entry.engines[e]!.error);
      const groups: EngineName[][] = [live.filter((e) => e !== "scalar"), live.filter((e) => e === "scalar")];
      for (const group of groups) {
        if (group.length === 0) continue;
        const runs = group.includes("scalar") ? options.scalarRuns : options.runs;
        log(`  ${runtime.label}  ${file}  ${group.map((e) => ENGINE_LABELS[e]).join(" + ")}: steady, ${runs} runs${group.length > 1 ? " each, interleaved" : ""}`);
        const task: SteadyTask = {
          kind: "steady", engines: group, model: modelPath, samples: samplesFile, sampleLength, sampleCount, runs, warmupMs: options.warmupMs,
          ...(rawSamples ? { rawSamples } : {}), ...(options.heap ? {} : { heap: false }),
        };
        try {
          const results = runChild<(SteadyResult | { error: string })[]>(runtime, task);
          group.forEach((e, j) => {
            const r = results[j];
            if ("error" in r) {
              entry.engines[e]!.error = r.error;
              log(r.error);
            } else {
              entry.engines[e]!.steady = r;
            }
          });
        } catch (err) {
          for (const e of group) entry.engines[e]!.error = (err as Error).message;
          log((err as Error).message);
        }
      }
      const simd = entry.engines.simd, scalar = entry.engines.scalar, tfl = entry.engines.tflite;
      if (simd?.steady && tfl?.steady) {
        entry.ratios.simdVsTfliteMedian = simd.steady.medianMs / tfl.steady.medianMs;
        entry.ratios.simdVsTfliteMin = simd.steady.minMs / tfl.steady.minMs;
      }
      if (simd?.cold && tfl?.cold) entry.ratios.simdVsTfliteCold = simd.cold.totalMs / tfl.cold.totalMs;
      if (simd?.steady && scalar?.steady) entry.ratios.scalarVsSimdMedian = scalar.steady.medianMs / simd.steady.medianMs;
      const out = (r?: EngineResult) => (r?.steady ? decodeOutputs(r.steady) : null);
      const [oSimd, oScalar, oTfl] = [out(simd), out(scalar), out(tfl)];
      const rowLength = (simd ?? scalar ?? tfl)?.steady?.outputLength ?? 0;
      if (oSimd && golden) entry.outputs.simd = compare(oSimd, golden.data.subarray(0, oSimd.length), rowLength, golden.against);
      if (oScalar && oSimd) entry.outputs.scalar = compare(oScalar, oSimd, rowLength, "quantlite SIMD");
      else if (oScalar && golden) entry.outputs.scalar = compare(oScalar, golden.data.subarray(0, oScalar.length), rowLength, golden.against);
      if (oTfl && oSimd) entry.outputs.tflite = compare(oTfl, oSimd, rowLength, "quantlite SIMD");
    }
    if (options.profile) {
      model.profile = [];
      for (const runtime of runtimes) {
        log(`  ${runtime.label}  ${file}: profile, ${options.profileRepeats} repeats`);
        const task: ProfileTask = {
          kind: "profile", model: modelPath, samples: samplesFile, sampleLength, repeats: options.profileRepeats, warmupMs: options.warmupMs, ...(rawSamples ? { rawSamples } : {}),
        };
        try {
          model.profile.push({ runtime: runtime.version, peakGmacs: null, result: runChild<ProfileResult>(runtime, task) });
        } catch (err) {
          log((err as Error).message);
        }
      }
    }
  }
  const peaks: Record<string, number | null> = {};
  if (options.profile) {
    for (const runtime of runtimes) {
      log(`  ${runtime.label}: dot_i16x8_s peak (bench/kernels.js)`);
      peaks[runtime.version] = measurePeak(runtime.bin);
    }
    for (const m of models) for (const p of m.profile ?? []) p.peakGmacs = peaks[p.runtime] ?? null;
  }

  const report = {
    date: new Date().toISOString(),
    machine: {
      cpu: os.cpus()[0]?.model ?? "?", cores: os.cpus().length, platform: `${os.platform()} ${os.arch()}`,
      /** 1-minute load average before and after: other work on the machine makes medians noisy. */
      loadAverage: [loadBefore, os.loadavg()[0]],
    },
    data: dataDir,
    samples,
    options: { runs: options.runs, scalarRuns: options.scalarRuns, coldRepeats: options.cold, warmupMs: options.warmupMs },
    runtimes: runtimes.map((r) => ({ node: r.version, v8: r.v8, bin: r.bin, ...(options.profile ? { dotPeakGmacs: peaks[r.version] } : {}) })),
    wasm: {
      quantlite: { file: path.relative(ROOT, quantliteWasm), bytes: existsSync(quantliteWasm) ? statSync(quantliteWasm).size : null },
      tflite: {
        package: `@tensorflow/tfjs-tflite@${tfliteVersion()}`, file: `${TFLITE_VARIANT}.wasm`, bytes: statSync(tfliteWasm).size,
        glueJsBytes: statSync(tfliteGlue).size,
      },
    },
    models,
    elapsedSeconds: (performance.now() - started) / 1000,
  };

  if (options.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  console.log(formatReport(report, runtimes));
  if (options.profile) {
    for (const m of models) {
      if (!m.profile?.length) continue;
      const runs: RuntimeProfile[] = m.profile.map((p) => ({ runtime: `node ${p.runtime}`, peakGmacs: p.peakGmacs, result: p.result }));
      console.log(formatProfile(m.file, m.macs, runs));
    }
  }
}

const kb = (n: number | null | undefined) => (n === null || n === undefined ? "—" : n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(2)} MiB` : `${(n / 1024).toFixed(1)} KiB`);
const ms = (n: number | undefined, d = 2) => (n === undefined ? "—" : n.toFixed(d));
const ratio = (n: number | undefined) => (n === undefined ? "" : `${n.toFixed(2)}×`);

function formatReport(report: {
  machine: { cpu: string; cores: number; loadAverage: number[] };
  options: { runs: number; scalarRuns: number; coldRepeats: number };
  samples: { rows: number } | null;
  wasm: { quantlite: { bytes: number | null }; tflite: { package: string; file: string; bytes: number; glueJsBytes: number } };
  models: ModelResult[];
  elapsedSeconds: number;
}, runtimes: Runtime[]): string {
  const lines: string[] = [];
  lines.push(`quantlite benchmark — ${report.machine.cpu}, ${report.machine.cores} cores, one thread per engine`);
  lines.push(`runtimes: ${runtimes.map((r) => `node ${r.version} (V8 ${r.v8}, ${r.bin})`).join("; ")}`);
  lines.push(
    `wasm: quantlite.wasm ${report.wasm.quantlite.bytes?.toLocaleString("en-US") ?? "?"} B; TFLite ${report.wasm.tflite.file} ${report.wasm.tflite.bytes.toLocaleString("en-US")} B ` +
      `(+ ${report.wasm.tflite.glueJsBytes.toLocaleString("en-US")} B Emscripten glue; ${report.wasm.tflite.package}, XNNPACK, numThreads 1)`,
  );
  lines.push(
    `inputs: ${report.samples ? `the ${report.samples.rows} rows of samples.u8.bin` : "the rows of each model's NAME.inputs.bin; outputs: output 0"}; steady = ${report.options.runs} timed runs after warm-up, quantlite SIMD and TFLite-wasm interleaved in one process (scalar: ${report.options.scalarRuns}, on its own); ` +
      `cold = median of ${report.options.coldRepeats} fresh processes (import + load + first run)`,
  );
  lines.push("");
  const head = [
    "model", "runtime", "engine", "cold ms", "import", "load", "1st run", "min ms", "median ms", "arena", "wasm mem", "heap B/inf",
    "median ratio", "cold ratio", "outputs",
  ];
  const rows: string[][] = [head];
  for (const m of report.models) {
    if (m.skipped) rows.push([m.file.replace(/\.tflite$/, ""), "", "", ...Array<string>(11).fill(""), `skipped: ${m.skipped}`]);
    let firstOfModel = true;
    for (const rt of m.runtimes) {
      let firstOfRuntime = true;
      for (const [e, r] of Object.entries(rt.engines) as [EngineName, EngineResult][]) {
        const c = r.cold, s = r.steady;
        let medianRatio = "", coldRatio = "";
        if (e === "simd") {
          const { simdVsTfliteMedian: med, simdVsTfliteMin: min, simdVsTfliteCold: cold } = rt.ratios;
          medianRatio = med === undefined ? "" : `${ratio(med)} TFLite (min ${ratio(min)})`;
          coldRatio = cold === undefined ? "" : `${ratio(cold)} TFLite`;
        }
        if (e === "scalar") medianRatio = rt.ratios.scalarVsSimdMedian === undefined ? "" : `${ratio(rt.ratios.scalarVsSimdMedian)} SIMD`;
        const cmp = rt.outputs[e];
        const outputs = r.error
          ? "ERROR (see stderr)"
          : cmp
            ? `vs ${cmp.against}: ${cmp.identicalRows}/${cmp.rows} rows equal, max|Δ| ${Number.isInteger(cmp.maxAbsDiff) ? cmp.maxAbsDiff : cmp.maxAbsDiff.toPrecision(3)}, top-1 ${cmp.top1Agree}/${cmp.rows}`
            : "";
        const heap = s && s.heapAllocPerRun !== null ? `${Math.round(s.heapAllocPerRun)}${s.gcDuringRuns! > 0 ? "*" : ""} (${Math.round(s.heapFloorPerRun!)})` : "—";
        rows.push([
          firstOfModel ? m.file.replace(/\.tflite$/, "") : "", firstOfRuntime ? `node ${rt.runtime}` : "", ENGINE_LABELS[e],
          ms(c?.totalMs, 0), ms(c?.importMs, 0), ms(c?.loadMs, 0), ms(c?.firstRunMs, 1),
          ms(s?.minMs), ms(s?.medianMs), kb(s?.arenaBytes), kb(s?.memoryBytes), heap, medianRatio, coldRatio, outputs,
        ]);
        firstOfModel = false;
        firstOfRuntime = false;
      }
    }
  }
  lines.push(formatTable(rows, [0, 1, 2, 12, 13, 14]));
  lines.push("");
  lines.push("median/cold ratio: quantlite SIMD ÷ TFLite-wasm, of medians (and of mins); below 1 = quantlite faster. Scalar row: scalar ÷ SIMD medians.");
  lines.push(
    "heap B/inf: JS heap growth per inference over 200 untimed inferences in a plain loop (scalar: as many as timed), after 200 others that let V8's compilers finish, " +
      "the least of 5 such loops, each after a full GC (scalar: one; * a GC ran during it: an underestimate); " +
      "in parentheses the same measurement of the loop calling a function that does nothing (what the measuring itself shows).",
  );
  lines.push("wasm mem: quantlite's memory in use (arena, packed weights, parameters); TFLite's whole wasm memory.");
  const [before, after] = report.machine.loadAverage;
  lines.push(
    `total ${report.elapsedSeconds.toFixed(0)} s; 1-minute load average ${before.toFixed(2)} at start, ${after.toFixed(2)} at end ` +
      "(the benchmark adds ≈1; more means other work competed for the 2 cores: trust min over median)",
  );
  return lines.join("\n");
}

await main();
