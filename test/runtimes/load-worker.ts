// `npm run load:worker [-- --requests 2000 --concurrency 16 --max-seconds 600 --seed 1 --wrangler --json]`
// The Cloudflare Worker example (examples/cloudflare-worker) under load, on this machine only:
// its deployable bundle (`wrangler deploy --dry-run`) served by workerd on 127.0.0.1 and a free
// port (with --wrangler: `wrangler dev` instead), then
// 1. every good image is sent once, sequentially: those answers are the reference, and must
//    equal Node's classify() of the same bytes with the model the Worker ships;
// 2. `--requests` requests, `--concurrency` in flight, mix good images (the samples, some
//    imagenet-sample JPEGs, PNG re-encodings; raw, multipart or streamed; and GET /) with
//    garbage (random bytes, truncated files, empty bodies, huge declared dimensions, text,
//    broken forms, wrong methods and paths, oversized uploads).
// Every good answer must equal its reference; every bad one must be a 4xx JSON error with a
// message (the status this kind of garbage gets, see BAD); no answer may be a 5xx or carry a
// stack trace. Prints throughput, p50/p99 latency of good and bad requests, counts by status
// and the violations; exits 1 on any violation or when --max-seconds runs out. The server is
// stopped at the end, on failure, and on Ctrl-C.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { deflateSync } from "node:zlib";
import UPNG from "upng-js";
import { classify, decodeImage, Model } from "../../js/index.js";
import { concat, makeJpeg, PNG_SIGNATURE, pngChunk } from "../image-builder.js";
import { Rng } from "../random.js";
import { DATA_DIR, type LocalServer, ROOT, bundleWranglerProject, log, startWorkerd, startWranglerDev, table } from "./harness.js";

const WORKER_DIR = join(ROOT, "examples/cloudflare-worker");
/** The Worker's limit (src/index.ts MAX_UPLOAD_BYTES). */
const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;
const REQUEST_TIMEOUT_MS = 60_000;
/** How many imagenet-sample JPEGs join the samples, and how many images get a PNG twin. */
const IMAGENET_IMAGES = 16;
const PNG_TWINS = 5;

interface Options {
  requests: number;
  concurrency: number;
  maxSeconds: number;
  seed: number;
  wrangler: boolean;
  json: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { requests: 2000, concurrency: 16, maxSeconds: 600, seed: 1, wrangler: false, json: false };
  const count = (name: string, value: string | undefined, min: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) usage(`${name} needs an integer >= ${min}, got ${value}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--requests") options.requests = count(arg, argv[++i], 1);
    else if (arg === "--concurrency") options.concurrency = count(arg, argv[++i], 1);
    else if (arg === "--max-seconds") options.maxSeconds = count(arg, argv[++i], 1);
    else if (arg === "--seed") options.seed = count(arg, argv[++i], 0);
    else if (arg === "--wrangler") options.wrangler = true;
    else if (arg === "--json") options.json = true;
    else usage(`unknown option ${arg}`);
  }
  return options;
}

function usage(message: string): never {
  console.error(`${message}\nusage: load:worker [--requests 2000] [--concurrency 16] [--max-seconds 600] [--seed 1] [--wrangler] [--json]`);
  process.exit(2);
}

// ---- The requests ----------------------------------------------------------------------------

interface Image {
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** A request, made afresh each time it is sent (forms and streams are single-use). */
interface Plan {
  kind: string;
  good: boolean;
  /** The image whose reference answer a good POST must equal ("GET /" for the usage answer). */
  reference?: string;
  /** The status a bad request must get. */
  status?: number;
  make: () => { path: string; init: RequestInit };
}

const TYPES: Record<string, string> = { ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".bmp": "image/bmp" };

/** The good images: the samples, IMAGENET_IMAGES spread over imagenet-sample, and PNG twins of a few. */
function goodImages(): Image[] {
  const read = (relative: string): Image => ({
    name: relative,
    type: TYPES[extname(relative).toLowerCase()] ?? "application/octet-stream",
    bytes: new Uint8Array(readFileSync(join(DATA_DIR, relative))),
  });
  const samples = readdirSync(join(DATA_DIR, "images/samples")).filter((f) => TYPES[extname(f).toLowerCase()]).sort();
  const imagenet = readdirSync(join(DATA_DIR, "imagenet-sample")).filter((f) => TYPES[extname(f).toLowerCase()]).sort();
  const step = Math.max(1, Math.floor(imagenet.length / IMAGENET_IMAGES));
  const images = [
    ...samples.map((f) => read(`images/samples/${f}`)),
    ...imagenet.filter((_, i) => i % step === 0).slice(0, IMAGENET_IMAGES).map((f) => read(`imagenet-sample/${f}`)),
  ];
  // Lossless PNG re-encodings (upng-js) of a few, of both source formats and odd sizes.
  const twins = ["images/samples/cat.bmp", "images/samples/parrot.jpg", "images/samples/rgb6X4.bmp", ...images.slice(-2).map((i) => i.name)];
  for (const name of twins.slice(0, PNG_TWINS)) {
    const source = images.find((i) => i.name === name);
    if (source === undefined) continue;
    const { width, height, data } = decodeImage(source.bytes);
    const rgba = new Uint8Array(width * height * 4);
    for (let p = 0; p < width * height; p++) rgba.set([data[3 * p], data[3 * p + 1], data[3 * p + 2], 255], 4 * p);
    images.push({ name: `${name}.png`, type: "image/png", bytes: new Uint8Array(UPNG.encode([rgba.buffer], width, height, 0)) });
  }
  return images;
}

/** A POST of body (bytes, text or a form) to path. */
const post = (body: BodyInit | Uint8Array | undefined, type?: string, path = "/") => ({
  path,
  init: { method: "POST", body: body as BodyInit | undefined, headers: type === undefined ? {} : { "content-type": type } } as RequestInit,
});

/** A body sent chunked, without content-length (the Worker cannot check the size up front). */
function streamed(bytes: Uint8Array, chunk = 64 * 1024): RequestInit {
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, (offset += chunk)));
    },
  });
  return { method: "POST", body, duplex: "half" } as RequestInit;
}

function form(field: string, bytes: Uint8Array, type: string, filename = "upload"): FormData {
  const data = new FormData();
  data.append(field, new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), filename);
  return data;
}

/** Ways to send a good image; all must give the same answer. */
const GOOD_VARIANTS: [string, (image: Image) => { path: string; init: RequestInit }][] = [
  ["raw", (i) => post(i.bytes, i.type)],
  ["raw, octet-stream", (i) => post(i.bytes, "application/octet-stream")],
  ["raw, no content-type", (i) => post(i.bytes)],
  ["raw, POST /classify", (i) => post(i.bytes, i.type, "/classify")],
  ["multipart 'image'", (i) => post(form("image", i.bytes, i.type, i.name.split("/").pop()))],
  ["multipart 'file'", (i) => post(form("file", i.bytes, i.type))],
  ["chunked", (i) => ({ path: "/", init: streamed(i.bytes) })],
];

/** A PNG whose header declares width x height, with a few bytes of image data. */
function hugePng(width: number, height: number): Uint8Array {
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, width);
  new DataView(ihdr.buffer).setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return concat([PNG_SIGNATURE, pngChunk("IHDR", ihdr), pngChunk("IDAT", deflateSync(new Uint8Array(64))), pngChunk("IEND", new Uint8Array(0))]);
}

/** A 24-bit BMP whose header declares width x height, followed by a few bytes of pixels. */
function hugeBmp(width: number, height: number): Uint8Array {
  const file = new Uint8Array(54 + 256);
  const view = new DataView(file.buffer);
  file.set([0x42, 0x4d]);
  view.setUint32(2, file.length, true);
  view.setUint32(10, 54, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, width, true);
  view.setInt32(22, height, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, 24, true);
  return file;
}

/** A small real JPEG whose frame header (SOF0) is patched to declare width x height. */
function hugeJpeg(width: number, height: number): Uint8Array {
  const jpeg = makeJpeg(16, 16).slice();
  for (let i = 2; i + 8 < jpeg.length; i++) {
    if (jpeg[i] === 0xff && jpeg[i + 1] === 0xc0) {
      jpeg.set([height >> 8, height & 255, width >> 8, width & 255], i + 5);
      return jpeg;
    }
  }
  throw new Error("makeJpeg wrote no SOF0");
}

const TEXTS = [
  "hello",
  "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
  JSON.stringify({ image: "https://example.com/cat.jpg" }),
  "<!doctype html><title>not an image</title><img src=cat.jpg>",
  '<svg xmlns="http://www.w3.org/2000/svg" width="224" height="224"><circle r="100"/></svg>',
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "lorem ipsum dolor sit amet ".repeat(2000),
];

/**
 * The Worker answers an oversized upload with a 413 without reading it all (at once when its
 * content-length is over the limit, else after the first 16 MiB), and plain workerd then closes
 * the connection while the client is still sending: Node's fetch then often fails with EPIPE
 * instead of returning the 413 (curl gets the 413, and so does Node's fetch through `wrangler
 * dev`'s proxy). Under plain workerd that outcome of these kinds counts as "closed early", not
 * as a violation.
 */
const TOO_LARGE = ["too large, content-length", "too large, chunked"];

/** One oversized upload, shared (16 MiB + 1 byte of a pattern). */
let oversized: Uint8Array | null = null;
const tooLarge = () => (oversized ??= Uint8Array.from({ length: MAX_UPLOAD_BYTES + 1 }, (_, i) => (i * 131) & 255));

/** The kinds of garbage: [kind, status it must get, weight, a request]. */
function badKinds(images: Image[]): [string, number, number, (rng: Rng) => { path: string; init: RequestInit }][] {
  const ofType = (type: string) => images.filter((i) => i.type === type);
  const jpegs = ofType("image/jpeg");
  const pngs = ofType("image/png");
  const bmps = ofType("image/bmp");
  const cut = (rng: Rng, list: Image[]) => {
    const image = rng.pick(list);
    return image.bytes.subarray(0, rng.int(1, image.bytes.length - 2));
  };
  const prefixed = (rng: Rng, magic: ArrayLike<number>) => concat([Uint8Array.from(magic), rng.uint8Array(rng.int(0, 50_000))]);
  return [
    ["random bytes", 422, 3, (rng) => post(rng.uint8Array(rng.int(1, 200_000)), rng.pick(["image/jpeg", "application/octet-stream"]))],
    ["random after JPEG magic", 422, 1, (rng) => post(prefixed(rng, [0xff, 0xd8, 0xff]))],
    ["random after PNG signature", 422, 1, (rng) => post(prefixed(rng, PNG_SIGNATURE))],
    ["random after BMP magic", 422, 1, (rng) => post(prefixed(rng, [0x42, 0x4d]))],
    ["truncated JPEG", 422, 3, (rng) => post(cut(rng, jpegs), "image/jpeg")],
    ["truncated PNG", 422, 1, (rng) => post(cut(rng, pngs), "image/png")],
    ["truncated BMP", 422, 1, (rng) => post(cut(rng, bmps), "image/bmp")],
    ["truncated JPEG, multipart", 422, 1, (rng) => post(form("image", cut(rng, jpegs), "image/jpeg"))],
    ["huge declared PNG", 422, 1, (rng) => post(hugePng(rng.pick([65_535, 100_000, 2 ** 31 - 1]), rng.pick([6000, 65_535, 2 ** 31 - 1])))],
    ["huge declared BMP", 422, 1, (rng) => post(hugeBmp(rng.pick([6000, 60_000, 2 ** 31 - 1]), rng.pick([6000, -60_000, 2 ** 31 - 1])))],
    ["huge declared JPEG", 422, 1, (rng) => post(hugeJpeg(rng.pick([8000, 10_000, 65_535]), rng.pick([8000, 10_000, 65_535])))],
    ["text", 422, 2, (rng) => post(rng.pick(TEXTS), rng.pick(["text/plain", "application/json", "image/png"]))],
    ["empty body", 400, 2, (rng) => post(rng.bool() ? undefined : new Uint8Array(0), rng.pick([undefined, "image/jpeg"]))],
    ["empty multipart file", 400, 1, () => post(form("image", new Uint8Array(0), "image/jpeg"))],
    ["multipart without a file", 400, 1, () => {
      const data = new FormData();
      data.append("image", "not a file");
      return post(data);
    }],
    ["broken multipart", 400, 1, (rng) => post(rng.pick(["garbage", "--x\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nabc", ""]) || "x", "multipart/form-data; boundary=x")],
    ["multipart, garbage file", 422, 1, (rng) => post(form("image", rng.uint8Array(rng.int(1, 20_000)), "image/jpeg"))],
    ["wrong method", 405, 2, (rng) => {
      const method = rng.pick(["PUT", "DELETE", "PATCH", "OPTIONS"]);
      const body = method === "PUT" || method === "PATCH" ? (rng.pick(jpegs).bytes as Uint8Array<ArrayBuffer>) : undefined;
      return { path: "/", init: { method, body } };
    }],
    ["unknown path", 404, 1, (rng) => rng.pick([{ path: "/favicon.ico", init: {} }, post(rng.pick(jpegs).bytes, "image/jpeg", "/upload"), { path: "/../etc/passwd", init: {} }])],
    [TOO_LARGE[0], 413, 0.125, () => post(tooLarge(), "image/jpeg")],
    [TOO_LARGE[1], 413, 0.125, () => ({ path: "/", init: streamed(tooLarge(), 1024 * 1024) })],
  ];
}

/** The load: --requests entries, half good, half garbage, in a seeded random order. */
function makePlan(images: Image[], options: Options): Plan[] {
  const rng = new Rng(options.seed);
  const bad = badKinds(images);
  const totalWeight = bad.reduce((sum, [, , w]) => sum + w, 0);
  const plan: Plan[] = [];
  for (let i = 0; i < options.requests; i++) {
    const requestRng = rng.fork();
    if (rng.bool(0.5)) {
      if (rng.bool(0.04)) {
        plan.push({ kind: "GET / (usage)", good: true, reference: "GET /", make: () => ({ path: "/", init: {} }) });
        continue;
      }
      const image = rng.pick(images);
      const [variant, make] = rng.pick(GOOD_VARIANTS);
      plan.push({ kind: `image, ${variant}`, good: true, reference: image.name, make: () => make(image) });
    } else {
      let r = rng.float() * totalWeight;
      const [kind, status, , make] = bad.find(([, , w]) => (r -= w) < 0) ?? bad[0];
      plan.push({ kind, good: false, status, make: () => make(requestRng) });
    }
  }
  return plan;
}

// ---- Sending and checking ------------------------------------------------------------------

interface Outcome {
  kind: string;
  good: boolean;
  /** HTTP status, or 0 when no answer came (a network error, a timeout). */
  status: number;
  ms: number;
  /** The error message of a bad request's answer. */
  message?: string;
  violation?: string;
}

/** A stack trace, or a source location, in an answer. */
const STACK = /\n\s+at |\bat \S+ \(\S+:\d+:\d+\)|\.(?:ts|js|mjs):\d+:\d+|file:\/\//;

/** The status of an oversized upload that plain workerd refused by closing the connection. */
const CLOSED_EARLY = -1;

async function send(base: string, plan: Plan, references: Map<string, string>, abort: AbortSignal, closeEarlyOk: boolean): Promise<Outcome> {
  const { path, init } = plan.make();
  const started = performance.now();
  const outcome: Outcome = { kind: plan.kind, good: plan.good, status: 0, ms: 0 };
  const fail = (why: string) => ((outcome.violation = why), outcome);
  let text: string;
  let type: string;
  try {
    const response = await fetch(base + path.slice(1), { ...init, signal: AbortSignal.any([abort, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) });
    text = await response.text();
    outcome.status = response.status;
    type = response.headers.get("content-type") ?? "";
  } catch (error) {
    outcome.ms = performance.now() - started;
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    const code = error instanceof Error ? (error.cause as { code?: string } | undefined)?.code : undefined;
    if (closeEarlyOk && TOO_LARGE.includes(plan.kind) && (code === "EPIPE" || code === "ECONNRESET") && !abort.aborted) {
      outcome.status = CLOSED_EARLY;
      return outcome;
    }
    return fail(`no answer: ${error instanceof Error ? error.message : String(error)}${cause}`);
  }
  outcome.ms = performance.now() - started;
  if (outcome.status >= 500) return fail(`HTTP ${outcome.status}: ${text.slice(0, 300)}`);
  if (STACK.test(text)) return fail(`HTTP ${outcome.status} with a stack trace or source location: ${text.slice(0, 300)}`);
  if (!type.startsWith("application/json")) return fail(`HTTP ${outcome.status}, content-type ${JSON.stringify(type)}: ${text.slice(0, 200)}`);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    return fail(`HTTP ${outcome.status}, not JSON: ${text.slice(0, 200)}`);
  }
  if (plan.good) {
    if (outcome.status !== 200) return fail(`HTTP ${outcome.status} for a good request (${plan.reference}): ${text.slice(0, 300)}`);
    const answer = plan.reference === "GET /" ? text : JSON.stringify(body.top);
    if (answer !== references.get(plan.reference!)) return fail(`${plan.reference}: answer differs from the single-request one: ${answer.slice(0, 300)}`);
    return outcome;
  }
  if (outcome.status < 400 || outcome.status > 499) return fail(`HTTP ${outcome.status} (expected ${plan.status}): ${text.slice(0, 300)}`);
  const message = body.error;
  if (typeof message !== "string" || Object.keys(body).length !== 1) return fail(`HTTP ${outcome.status} without an { error } body: ${text.slice(0, 300)}`);
  outcome.message = message;
  if (message.length < 10 || /^internal error$/i.test(message)) return fail(`HTTP ${outcome.status}: unclear message ${JSON.stringify(message)}`);
  if (outcome.status !== plan.status) return fail(`HTTP ${outcome.status}, expected ${plan.status}: ${message}`);
  return outcome;
}

/** The reference answers, one request at a time: the top-5 of every image, and the GET / body. */
async function references(base: string, images: Image[], modelBytes: Uint8Array): Promise<{ references: Map<string, string>; violations: string[]; model: string }> {
  const map = new Map<string, string>();
  const violations: string[] = [];
  const usage = await fetch(base);
  const usageText = await usage.text();
  if (usage.status !== 200) throw new Error(`GET / answered ${usage.status}: ${usageText.slice(0, 500)}`);
  map.set("GET /", usageText);
  const model = await Model.load(modelBytes);
  for (const image of images) {
    const response = await fetch(base, { method: "POST", body: image.bytes as Uint8Array<ArrayBuffer>, headers: { "content-type": image.type }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${image.name}: the single request answered ${response.status}: ${text.slice(0, 500)}`);
    const top = (JSON.parse(text) as { top: unknown[] }).top;
    if (!Array.isArray(top) || top.length < 1 || top.length > 5) throw new Error(`${image.name}: no top-5 in ${text.slice(0, 500)}`);
    map.set(image.name, JSON.stringify(top));
    const local = JSON.stringify(classify(model, image.bytes, { top: 5 }));
    if (local !== JSON.stringify(top)) violations.push(`${image.name}: the Worker's answer ${JSON.stringify(top)} differs from Node's classify ${local}`);
  }
  model.dispose();
  const description = (JSON.parse(usageText) as { model?: { description?: string } }).model?.description ?? "?";
  return { references: map, violations, model: description };
}

// ---- Report --------------------------------------------------------------------------------

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function latency(outcomes: Outcome[]) {
  const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return { count: ms.length, p50: round(percentile(ms, 50)), p99: round(percentile(ms, 99)), max: round(ms.at(-1) ?? NaN) };
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

const statusName = (status: number) => (status === 0 ? "no answer" : status === CLOSED_EARLY ? "closed early" : String(status));

// ---- Main ----------------------------------------------------------------------------------

let server: LocalServer | null = null;
/** The temporary folder of the bundle. */
let work: string | null = null;
let stopping = false;

/** Stops the server and removes the bundle; safe to call more than once. */
async function stopServer(): Promise<void> {
  const running = server;
  server = null;
  await running?.stop();
  if (work !== null) rmSync(work, { recursive: true, force: true });
  work = null;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(130);
    stopping = true;
    log(`${signal}: stopping the server`);
    void stopServer().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  });
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  for (const dir of ["images/samples", "imagenet-sample"]) {
    if (!existsSync(join(DATA_DIR, dir))) throw new Error(`${join(DATA_DIR, dir)} not found (set QUANTLITE_DATA)`);
  }
  const images = goodImages();
  const plan = makePlan(images, options);
  work = mkdtempSync(join(tmpdir(), "quantlite-load-worker-"));
  try {
    let serverName: string;
    if (options.wrangler) {
      log("load:worker: starting `wrangler dev` in examples/cloudflare-worker");
      server = await startWranglerDev(WORKER_DIR);
      serverName = "wrangler dev";
    } else {
      log("load:worker: bundling examples/cloudflare-worker (wrangler deploy --dry-run)");
      const { outdir, summary } = await bundleWranglerProject(WORKER_DIR, join(work, "bundle"));
      log(`  ${summary.trim()}`);
      server = await startWorkerd(outdir);
      const version = spawnSync(join(ROOT, "node_modules", ".bin", "workerd"), ["--version"], { encoding: "utf8" }).stdout.trim();
      serverName = `${version || "workerd"}, the deploy bundle`;
    }
    const base = server.url.endsWith("/") ? server.url : server.url + "/";
    if (!/^http:\/\/127\.0\.0\.1:\d+\/$/.test(base)) throw new Error(`refusing a non-loopback server URL ${base}`);
    log(`load:worker: ${serverName} on ${base}; ${images.length} reference answers, one at a time`);

    // The model the Worker ships (copied by its [build] step), for Node's own answers.
    const modelBytes = new Uint8Array(readFileSync(join(WORKER_DIR, "model/model.tflite")));
    const reference = await references(base, images, modelBytes);

    log(`load:worker: ${options.requests} requests, ${options.concurrency} in flight, at most ${options.maxSeconds} s`);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error(`--max-seconds ${options.maxSeconds} reached`)), options.maxSeconds * 1000);
    const outcomes: Outcome[] = [];
    let next = 0;
    const started = performance.now();
    const progress = setInterval(() => stopping || log(`  ${outcomes.length}/${plan.length} answered`), 10_000);
    await Promise.all(
      Array.from({ length: Math.min(options.concurrency, plan.length) }, async () => {
        while (next < plan.length && !deadline.signal.aborted) {
          const entry = plan[next++];
          outcomes.push(await send(base, entry, reference.references, deadline.signal, !options.wrangler));
        }
      }),
    );
    const wallS = (performance.now() - started) / 1000;
    clearTimeout(timer);
    clearInterval(progress);
    const serverOutput = server.output();
    await stopServer();

    // ---- The verdict
    const violations = [...reference.violations];
    if (deadline.signal.aborted) violations.push(`time cap: --max-seconds ${options.maxSeconds} reached after ${outcomes.length} of ${plan.length} requests`);
    for (const o of outcomes) if (o.violation !== undefined) violations.push(`${o.kind}: ${o.violation}`);
    const good = outcomes.filter((o) => o.good && o.status > 0);
    const bad = outcomes.filter((o) => !o.good && o.status > 0);
    const closedEarly = outcomes.filter((o) => o.status === CLOSED_EARLY).length;
    const kinds = [...new Set(plan.map((p) => p.kind))].sort().map((kind) => {
      const of = outcomes.filter((o) => o.kind === kind);
      return {
        kind,
        good: of[0]?.good ?? plan.find((p) => p.kind === kind)!.good,
        ...latency(of),
        statuses: countBy(of, (o) => statusName(o.status)),
        violations: of.filter((o) => o.violation !== undefined).length,
        message: of.find((o) => o.message !== undefined)?.message,
      };
    });
    const report = {
      server: serverName,
      model: reference.model,
      requests: outcomes.length,
      planned: plan.length,
      concurrency: options.concurrency,
      seed: options.seed,
      images: images.length,
      wallS: Math.round(wallS * 100) / 100,
      requestsPerS: Math.round((outcomes.length / wallS) * 10) / 10,
      goodPerS: Math.round((good.length / wallS) * 10) / 10,
      good: latency(good),
      bad: latency(bad),
      statuses: countBy(outcomes, (o) => statusName(o.status)),
      closedEarly,
      kinds,
      referencesMatchNode: reference.violations.length === 0,
      violationCount: violations.length,
      violations: violations.slice(0, 50),
    };
    if (options.json) {
      console.log(JSON.stringify(report, null, 2));
    } else {
      console.log(`\nexamples/cloudflare-worker under load: ${serverName}, ${report.model}`);
      console.log(`${outcomes.length} requests (${good.length} good, ${bad.length} bad), ${options.concurrency} in flight, seed ${options.seed}, in ${wallS.toFixed(1)} s`);
      console.log(`reference answers: ${images.length} images sent one at a time, ${reference.violations.length === 0 ? "all equal to Node's classify()" : `${reference.violations.length} differ from Node's classify()`}\n`);
      const row = (name: string, l: ReturnType<typeof latency>, perS: number) => [name, String(l.count), perS.toFixed(1), l.p50.toFixed(1), l.p99.toFixed(1), l.max.toFixed(1)];
      console.log(
        table(
          ["requests", "count", "req/s", "p50 ms", "p99 ms", "max ms"],
          [row("good", report.good, report.goodPerS), row("bad", report.bad, bad.length / wallS), row("all", latency(outcomes), report.requestsPerS)],
        ),
      );
      console.log(`\nby status: ${Object.entries(report.statuses).map(([s, n]) => `${s}: ${n}`).join(", ")}`);
      if (closedEarly > 0) {
        console.log(
          `(closed early: ${closedEarly} uploads of more than ${MAX_UPLOAD_BYTES} bytes, refused by the Worker before it had read them; workerd closed the connection mid-upload and Node's fetch failed with EPIPE instead of returning the 413; not violations, see TOO_LARGE)`,
        );
      }
      console.log("");
      console.log(
        table(
          ["kind", "good", "count", "statuses", "p50 ms", "p99 ms", "violations", "message (first)"],
          kinds.map((k) => [
            k.kind,
            k.good ? "yes" : "no",
            String(k.count),
            Object.entries(k.statuses).map(([s, n]) => `${s}×${n}`).join(" "),
            k.p50.toFixed(1),
            k.p99.toFixed(1),
            String(k.violations),
            (k.message ?? "").slice(0, 80),
          ]),
        ),
      );
      if (violations.length > 0) {
        console.log(`\n${violations.length} violations${violations.length > 50 ? " (first 50)" : ""}:`);
        for (const v of violations.slice(0, 50)) console.log(`- ${v.split("\n")[0].slice(0, 300)}`);
        if (/error|exception/i.test(serverOutput)) console.log(`\nserver output (last 2000 characters):\n${serverOutput.slice(-2000)}`);
      } else console.log("\nno violations");
    }
    return violations.length > 0 ? 1 : 0;
  } finally {
    await stopServer();
  }
}

main().then(
  (code) => (process.exitCode = code),
  async (error) => {
    log(`load:worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await stopServer();
    process.exitCode = 1;
  },
);
