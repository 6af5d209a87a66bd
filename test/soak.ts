// npm run soak -- [--inferences N] [--cycles M]
// Long runs on the TF2 MobileNetV2 model in one process: N inferences on one loaded model, which
// must all give the same output (the golden one for the cat sample) while wasm memory and RSS
// stay flat; then M load / run / dispose cycles, whose memory must not grow either. Prints a
// table of memory at the start, middle and end of each phase; exits with 1 if outputs differ or
// memory grows. Run with --expose-gc (npm run soak does) so that measurements follow a full GC.
import { parseArgs } from "node:util";
import { Model } from "../js/index.js";
import { readData } from "./data.js";

const { values } = parseArgs({
  options: {
    inferences: { type: "string", default: "10000" },
    cycles: { type: "string", default: "1000" },
  },
});
const INFERENCES = Number(values.inferences);
const CYCLES = Number(values.cycles);
const MODEL = "models/tf2_mobilenet_v2_1.0_224_ptq.tflite";
const SAMPLE = 1; // cat.bmp in golden/samples.json
/** Growth from the middle to the end of a phase that still counts as flat. */
const FLAT_RSS_MIB = 32;

const modelBytes = readData(MODEL);
const pixels = readData("golden/samples.u8.bin");
const golden = readData("golden/tf2_ptq.samples.bin");
if (modelBytes === null || pixels === null || golden === null) {
  console.error("soak: needs shared/models and shared/golden (set QUANTLITE_DATA)");
  process.exit(1);
}
const input = pixels.subarray(SAMPLE * 224 * 224 * 3, (SAMPLE + 1) * 224 * 224 * 3);
const want = golden.subarray(SAMPLE * 1001, (SAMPLE + 1) * 1001);

const gc = (globalThis as { gc?: () => void }).gc;
const MiB = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/** The model's wasm memory. Model keeps its instance private; the soak looks anyway, to see it never grows. */
function wasmBytes(model: Model): number {
  return (model as unknown as { live: { kernels: { memory: WebAssembly.Memory } } }).live.kernels.memory.buffer.byteLength;
}

interface Sample {
  point: string;
  done: number;
  msEach: number;
  wasm: number | null;
  rss: number;
  heap: number;
  external: number;
}

function sample(point: string, done: number, msEach: number, wasm: number | null): Sample {
  gc?.();
  const { rss, heapUsed, external } = process.memoryUsage();
  return { point, done, msEach, wasm, rss, heap: heapUsed, external };
}

function printTable(title: string, samples: Sample[]): void {
  console.log(title);
  console.log("  point     done   ms each   wasm MiB    RSS MiB   heap MiB   external MiB");
  for (const s of samples) {
    const cells = [s.point.padEnd(6), String(s.done).padStart(7), s.msEach.toFixed(1).padStart(9), (s.wasm === null ? "-" : MiB(s.wasm)).padStart(10),
      MiB(s.rss).padStart(10), MiB(s.heap).padStart(10), MiB(s.external).padStart(14)];
    console.log(`  ${cells.join(" ")}`);
  }
}

const same = (a: ArrayLike<number | bigint>, b: ArrayLike<number | bigint>) => a.length === b.length && Array.prototype.every.call(a, (v, i) => v === b[i]);
let ok = true;

// Phase 1: inferences on one model.
const model = await Model.load(modelBytes);
const inferences: Sample[] = [sample("start", 0, 0, wasmBytes(model))];
let differing = 0;
let phaseStart = performance.now();
for (let i = 1; i <= INFERENCES; i++) {
  if (!same(model.run(input), want)) differing++;
  if (i === Math.ceil(INFERENCES / 2) || i === INFERENCES) {
    inferences.push(sample(i === INFERENCES ? "end" : "middle", i, (performance.now() - phaseStart) / i, wasmBytes(model)));
  }
}
model.dispose();
printTable(`${INFERENCES} inferences on one model: ${differing === 0 ? "all outputs equal the golden output" : `${differing} outputs DIFFER`}`, inferences);
const wasmFlat = inferences.every((s) => s.wasm === inferences[0].wasm);
ok &&= differing === 0 && wasmFlat;

// Phase 2: load / run / dispose cycles.
const cycles: Sample[] = [sample("start", 0, 0, null)];
let wrong = 0;
phaseStart = performance.now();
for (let i = 1; i <= CYCLES; i++) {
  const m = await Model.load(modelBytes);
  if (!same(m.run(input), want)) wrong++;
  m.dispose();
  if (i === Math.ceil(CYCLES / 2) || i === CYCLES) cycles.push(sample(i === CYCLES ? "end" : "middle", i, (performance.now() - phaseStart) / i, null));
}
printTable(`${CYCLES} load / run / dispose cycles: ${wrong === 0 ? "all outputs equal the golden output" : `${wrong} outputs DIFFER`}`, cycles);
ok &&= wrong === 0;

const growth = (samples: Sample[]) => (samples[samples.length - 1].rss - samples[Math.min(1, samples.length - 1)].rss) / 2 ** 20;
for (const [phase, samples] of [["inferences", inferences], ["cycles", cycles]] as const) {
  const grown = growth(samples);
  const flat = grown <= FLAT_RSS_MIB;
  console.log(`${phase}: RSS ${grown >= 0 ? "+" : ""}${grown.toFixed(1)} MiB from middle to end (${flat ? "flat" : "GROWING"})`);
  ok &&= flat;
}
if (!wasmFlat) console.log("inferences: wasm memory changed during inference");
if (gc === undefined) console.log("(run with --expose-gc for measurements after a full GC)");
process.exitCode = ok ? 0 : 1;
