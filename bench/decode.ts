// The JPEG decoding benchmark: `npm run bench:decode [-- --rounds N] [--quick]` (--quick: the
// 12 MP photo only, one round).
//
// On 12 MP and 24 MP "phone" photos (bench/photos.ts), for each Node runtime (the machine's and
// Node 22 from the npm package `node`, as bench/run.ts finds them), one child process measures in
// interleaved rounds (the order rotating every round, after an untimed warm-up round):
// (a) full-scale decode: quantlite's decoder, jpeg-js (decodeImage's `decoder: "jpeg-js"`),
//     @jsquash/jpeg (mozjpeg in wasm; only when it is installed) and native `djpeg -dct int`
//     (wall time of the process, writing to /dev/null);
// (b) photo → top-5: classify() on its default path (it picks a DCT scale), classify() with
//     `decoder: "jpeg-js"`, and `djpeg -scale M/8` (wall) + crop, resize and bare inference;
// then (c) in a fresh process per runtime, photo and decoder, the first classify() call alone:
// peak RSS growth (process.resourceUsage().maxRSS before/after) and the growth of V8's external
// memory (wasm memories and array buffers). Progress goes to stderr, markdown tables to stdout.
// QUANTLITE_BENCH_NODES=/path/node,/path/node overrides the runtimes.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Photo, phonePhotos } from "./photos.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const SELF = fileURLToPath(import.meta.url);
const DATA = path.resolve(process.env.QUANTLITE_DATA ?? "../shared");
const MODEL = "mobilenet_v2_1.0_224_quant.tflite";
/** decodeImage's default limit is 16 MP; the 24 MP photo needs more (jpeg-js holds ≈ 30 bytes a pixel). */
const BIG_LIMITS = { maxPixels: 30_000_000, maxMemoryMB: 4096 };
const JSQUASH = "@jsquash/jpeg";

type DecodeEngine = "quantlite" | "jpeg-js" | "jsquash" | "djpeg";
type ClassifyPath = "quantlite" | "jpeg-js" | "djpeg";

interface RoundsTask {
  kind: "rounds";
  photos: Photo[];
  model: string;
  rounds: number;
}

interface FirstTask {
  kind: "first";
  photo: Photo;
  model: string;
  decoder: "quantlite" | "jpeg-js";
}

interface Timing {
  minMs: number;
  medianMs: number;
}

interface PhotoRounds {
  photo: string;
  decode: Partial<Record<DecodeEngine, Timing>>;
  classify: Partial<Record<ClassifyPath, Timing>>;
  /** djpeg path: the two parts of its time. */
  djpegScaleMs: number;
  inferenceMs: number;
  scale: number;
  top5: Record<ClassifyPath, string[]>;
}

interface RoundsResult {
  photos: PhotoRounds[];
  jsquash: string | null;
}

interface FirstResult {
  ms: number;
  maxRssGrowthMiB: number;
  externalGrowthMiB: number;
  maxRssMiB: number;
}

const log = (msg: string) => process.stderr.write(`${msg}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const timing = (xs: number[]): Timing => ({ minMs: Math.min(...xs), medianMs: median(xs) });

/** The smallest M whose M/8-scaled central crop (0.875 of the short side) is still at least the model's input. */
function scaleFor(photo: Photo, inputSize: number): number {
  const short = Math.min(photo.width, photo.height);
  for (let m = 1; m <= 8; m++) if (Math.ceil((short * m) / 8) * 0.875 >= inputSize) return m;
  return 8;
}

/** @jsquash/jpeg's decoder, initialised for Node from its wasm file, or null when it is not installed. */
async function loadJsquash(): Promise<{ decode: (bytes: Uint8Array) => Promise<unknown>; version: string } | null> {
  const require = createRequire(path.join(ROOT, "package.json"));
  let dir: string;
  try {
    dir = path.dirname(require.resolve(`${JSQUASH}/package.json`));
  } catch {
    return null;
  }
  const version = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).version as string;
  // Its glue builds an ImageData, which Node does not have.
  (globalThis as Record<string, unknown>).ImageData ??= class {
    constructor(readonly data: Uint8ClampedArray, readonly width: number, readonly height: number) {}
  };
  const module = (await import(path.join(dir, "decode.js"))) as { default: (b: ArrayBuffer) => Promise<unknown>; init: (m: WebAssembly.Module) => Promise<unknown> };
  await module.init(await WebAssembly.compile(readFileSync(path.join(dir, "codec/dec/mozjpeg_dec.wasm"))));
  return { decode: (bytes) => module.default(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer), version };
}

function djpegMs(args: string[], file: string): { ms: number; stdout: Buffer } {
  const start = performance.now();
  const r = spawnSync("djpeg", [...args, file], { maxBuffer: 1 << 30 });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`djpeg ${args.join(" ")}: ${r.error?.message ?? r.stderr.toString()}`);
  return { ms, stdout: r.stdout };
}

async function roundsChild(task: RoundsTask): Promise<RoundsResult> {
  const { decodeImage, centralCrop, resizeBilinear, quantizeInput, classify, Model } = await import("../js/node.js");
  const model = await Model.load(new Uint8Array(readFileSync(task.model)));
  const input = model.inputs[0];
  const inputSize = input.shape[1];
  const jsquash = await loadJsquash();
  const results: PhotoRounds[] = [];
  for (const photo of task.photos) {
    const bytes = new Uint8Array(readFileSync(photo.path));
    const m = scaleFor(photo, inputSize);
    const decoders: [DecodeEngine, () => unknown][] = [
      ["quantlite", () => decodeImage(bytes, { scale: 1, orientation: "ignore", limits: BIG_LIMITS })],
      ["jpeg-js", () => decodeImage(bytes, { decoder: "jpeg-js", limits: BIG_LIMITS })],
      ["djpeg", () => djpegMs(["-dct", "int", "-outfile", "/dev/null"], photo.path)],
    ];
    if (jsquash) decoders.push(["jsquash", () => jsquash.decode(bytes)]);
    let djpegScaleMs: number[] = [];
    let inferenceMs: number[] = [];
    const top5 = {} as Record<ClassifyPath, string[]>;
    const names = (c: { index: number; label: string | null }[]) => c.map(({ index, label }) => label ?? String(index));
    const classifiers: [ClassifyPath, () => void][] = [
      ["quantlite", () => (top5.quantlite = names(classify(model, bytes)))],
      ["jpeg-js", () => (top5["jpeg-js"] = names(classify(model, bytes, { decoder: "jpeg-js", limits: BIG_LIMITS })))],
      ["djpeg", () => {
        const { ms, stdout } = djpegMs(["-dct", "int", "-scale", `${m}/8`], photo.path);
        const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(stdout.subarray(0, 40).toString("latin1"))!;
        const image = { width: Number(header[1]), height: Number(header[2]), data: new Uint8Array(stdout.subarray(header[0].length)) };
        const rgb = resizeBilinear(centralCrop(image, 0.875), input.shape[2], input.shape[1]).data;
        const tensor = quantizeInput(rgb, { dtype: input.dtype as "uint8" | "int8" | "float32", scale: input.scale, zeroPoint: input.zeroPoint });
        const start = performance.now();
        const output = model.run(tensor);
        inferenceMs.push(performance.now() - start);
        djpegScaleMs.push(ms);
        const order = Array.from(output as ArrayLike<number>, (v, i) => [v, i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, 5);
        top5.djpeg = order.map(([, i]) => (model.labels ? model.labels[i] : String(i)));
      }],
    ];
    const decodeTimes: Partial<Record<DecodeEngine, number[]>> = {};
    const classifyTimes: Partial<Record<ClassifyPath, number[]>> = {};
    for (let round = 0; round <= task.rounds; round++) {
      if (round === 1) [djpegScaleMs, inferenceMs] = [[], []]; // round 0 warms up
      const rotate = <T>(xs: T[]) => xs.map((_, i) => xs[(i + round) % xs.length]);
      for (const [name, run] of rotate(decoders)) {
        const start = performance.now();
        await run();
        if (round > 0) (decodeTimes[name] ??= []).push(performance.now() - start);
      }
      for (const [name, run] of rotate(classifiers)) {
        const start = performance.now();
        run();
        if (round > 0) (classifyTimes[name] ??= []).push(performance.now() - start);
      }
      log(`  ${photo.label} round ${round}${round === 0 ? " (warm-up)" : ""} done`);
    }
    const decode: PhotoRounds["decode"] = {};
    for (const [name, xs] of Object.entries(decodeTimes)) decode[name as DecodeEngine] = timing(xs);
    const classifyTiming: PhotoRounds["classify"] = {};
    for (const [name, xs] of Object.entries(classifyTimes)) classifyTiming[name as ClassifyPath] = timing(xs);
    results.push({ photo: photo.label, decode, classify: classifyTiming, djpegScaleMs: median(djpegScaleMs), inferenceMs: median(inferenceMs), scale: m, top5 });
  }
  return { photos: results, jsquash: jsquash?.version ?? null };
}

async function firstChild(task: FirstTask): Promise<FirstResult> {
  const { classify, Model } = await import("../js/node.js");
  const model = await Model.load(new Uint8Array(readFileSync(task.model)));
  const bytes = new Uint8Array(readFileSync(task.photo.path));
  (globalThis as { gc?: () => void }).gc?.();
  const rssBefore = process.resourceUsage().maxRSS;
  const externalBefore = process.memoryUsage().external;
  const start = performance.now();
  classify(model, bytes, { decoder: task.decoder, limits: BIG_LIMITS });
  const ms = performance.now() - start;
  const externalAfter = process.memoryUsage().external;
  const rssAfter = process.resourceUsage().maxRSS;
  return { ms, maxRssGrowthMiB: (rssAfter - rssBefore) / 1024, externalGrowthMiB: (externalAfter - externalBefore) / 2 ** 20, maxRssMiB: rssAfter / 1024 };
}

interface Runtime {
  bin: string;
  label: string;
}

/** The machine's Node (first on PATH outside node_modules) and npm's Node 22, as bench/run.ts finds them. */
function findRuntimes(): Runtime[] {
  const bins: string[] = [];
  if (process.env.QUANTLITE_BENCH_NODES) bins.push(...process.env.QUANTLITE_BENCH_NODES.split(",").filter(Boolean));
  else {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
      if (!dir || dir.split(path.sep).includes("node_modules")) continue;
      if (existsSync(path.join(dir, "node"))) {
        bins.push(path.join(dir, "node"));
        break;
      }
    }
    if (bins.length === 0) bins.push(process.execPath);
    const npmNode = path.join(ROOT, "node_modules", "node", "bin", "node");
    if (existsSync(npmNode)) bins.push(npmNode);
  }
  const seen = new Set<string>();
  const runtimes: Runtime[] = [];
  for (const bin of bins) {
    const r = spawnSync(bin, ["-p", "process.versions.node + ' V8 ' + process.versions.v8"], { encoding: "utf8" });
    if (r.status !== 0) continue;
    const version = r.stdout.trim();
    if (seen.has(realpathSync(bin)) || seen.has(version)) continue;
    seen.add(realpathSync(bin)).add(version);
    runtimes.push({ bin, label: `node ${version}` });
  }
  return runtimes;
}

function runChild<T>(runtime: Runtime, task: RoundsTask | FirstTask): T {
  const r = spawnSync(runtime.bin, ["--expose-gc", SELF, "--child", JSON.stringify(task)], { encoding: "utf8", maxBuffer: 64 << 20, stdio: ["ignore", "pipe", "inherit"] });
  const line = (r.stdout ?? "").split("\n").find((l) => l.startsWith("@@bench "));
  if (r.status !== 0 || !line) throw new Error(`${runtime.label} ${task.kind} failed (exit ${r.status ?? r.signal})`);
  return JSON.parse(line.slice("@@bench ".length)) as T;
}

function markdown(header: string[], rows: string[][]): string {
  return [header, header.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

const ms = (t?: Timing) => (t ? `${t.medianMs.toFixed(0)} (${t.minMs.toFixed(0)})` : "—");

async function main(argv: string[]): Promise<void> {
  let rounds = 3;
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--rounds") rounds = Number(argv[++i]);
    else if (argv[i] === "--quick") [rounds, quick] = [1, true];
    else throw new Error(`usage: npm run bench:decode -- [--rounds N] [--quick]; unknown ${argv[i]}`);
  }
  const photos = phonePhotos(path.join(DATA, "imagenet-sample"), log).slice(0, quick ? 1 : undefined);
  const model = path.join(DATA, "models", MODEL);
  const runtimes = findRuntimes();
  const rows: Record<"decode" | "classify" | "first", string[][]> = { decode: [], classify: [], first: [] };
  let jsquash: string | null = null;
  for (const runtime of runtimes) {
    log(`bench: ${runtime.label}: ${rounds} rounds after a warm-up`);
    const result = runChild<RoundsResult>(runtime, { kind: "rounds", photos, model, rounds });
    jsquash = result.jsquash;
    for (const p of result.photos) {
      const photo = photos.find((x) => x.label === p.photo)!;
      const d = p.decode;
      const speedup = d.quantlite && d["jpeg-js"] ? `${(d["jpeg-js"].medianMs / d.quantlite.medianMs).toFixed(1)}×` : "—";
      rows.decode.push([runtime.label, `${p.photo} (${(photo.bytes / 2 ** 20).toFixed(1)} MiB)`, ms(d.quantlite), ms(d["jpeg-js"]), speedup, ms(d.jsquash), ms(d.djpeg)]);
      const c = p.classify;
      const agree = p.top5.quantlite.join() === p.top5.djpeg.join() ? "same" : "differs";
      rows.classify.push([runtime.label, p.photo, ms(c.quantlite), ms(c["jpeg-js"]), ms(c.djpeg), p.djpegScaleMs.toFixed(0), p.inferenceMs.toFixed(0), `${p.scale}/8`, `${p.top5.quantlite[0]} (top-5 vs the djpeg path: ${agree}); jpeg-js: ${p.top5["jpeg-js"][0]}`]);
    }
    for (const photo of photos) {
      for (const decoder of ["quantlite", "jpeg-js"] as const) {
        log(`bench: ${runtime.label}: first classify, ${photo.label}, ${decoder}`);
        const f = runChild<FirstResult>(runtime, { kind: "first", photo, model, decoder });
        rows.first.push([runtime.label, photo.label, decoder, f.ms.toFixed(0), f.maxRssGrowthMiB.toFixed(1), f.externalGrowthMiB.toFixed(1), f.maxRssMiB.toFixed(0)]);
      }
    }
  }
  const out = [
    `## JPEG decoding: ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, ${os.platform()} ${os.arch()}; ${rounds} rounds, median (min) ms`,
    "",
    `Photos: ${photos.map((p) => `${p.label} ${p.width}×${p.height}`).join(", ")}; baseline 4:2:0 q90 mosaics of ImageNet photos (bench/photos.ts). @jsquash/jpeg: ${jsquash ?? "not installed, skipped"}.`,
    "",
    "### Full-scale decode",
    "",
    markdown(["runtime", "photo", "quantlite", "jpeg-js", "jpeg-js / quantlite", "@jsquash/jpeg (mozjpeg wasm)", "djpeg (native, process wall)"], rows.decode),
    "",
    `### Photo → top-5 (${MODEL})`,
    "",
    markdown(["runtime", "photo", "classify (quantlite)", "classify (jpeg-js)", "djpeg -scale M/8 path: total", "of which djpeg (wall)", "of which inference", "M/8", "top-1"], rows.classify),
    "",
    "### First classify() in a fresh process",
    "",
    markdown(["runtime", "photo", "decoder", "ms", "peak RSS growth MiB", "external (wasm + buffers) growth MiB", "peak RSS MiB"], rows.first),
  ];
  console.log(out.join("\n"));
}

if (process.argv[2] === "--child") {
  const task = JSON.parse(process.argv[3]) as RoundsTask | FirstTask;
  const result = task.kind === "rounds" ? await roundsChild(task) : await firstChild(task);
  console.log(`@@bench ${JSON.stringify(result)}`);
} else {
  await main(process.argv.slice(2));
}
