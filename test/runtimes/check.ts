// The cross-runtime checks (`npm run test:runtimes`): the same code runs in Node 20, Node 22,
// Deno, Bun, workerd and Chromium, each through a thin runner that hands it the quantlite entry
// that runtime resolves (default, workerd or browser) and a way to read the shared data. This
// file imports nothing at run time, so a browser can load it as it is.
//
// Checks, per model (TF2 int8 and TF1 uint8 MobileNetV2):
// - ROWS rows of golden/inputs.u8.bin give outputs byte-identical to TensorFlow Lite's
//   reference outputs (golden/<model>.outputs.bin);
// - classify(cat.bmp) ranks "Egyptian cat" first;
// - undecodable image bytes throw an ImageError;
// - with LoadOptions.threads 2, golden rows again where the runtime has threads, else InputError.
// The report carries a SHA-256 of every output and classification, so the orchestrator can
// also check that all runtimes computed the very same bytes.
import type * as Quantlite from "../../js/index.js";

export type QuantliteApi = Pick<typeof Quantlite, "Model" | "classify" | "ImageError">;

/** Reads bytes [start, end) of a file under the data directory (the whole file without a range). */
export type ReadData = (path: string, start?: number, end?: number) => Promise<Uint8Array>;

export const INPUT_BYTES = 224 * 224 * 3;
export const CLASSES = 1001;
/** 24 rows spread over the 500 golden images. */
export const ROWS = Array.from({ length: 24 }, (_, k) => k * 21);
export const INPUTS = "golden/inputs.u8.bin";
export const CAT = "images/samples/cat.bmp";
export const MODELS = [
  { key: "tf2", file: "models/tf2_mobilenet_v2_1.0_224_ptq.tflite", golden: "golden/tf2_ptq.outputs.bin" },
  { key: "tf1", file: "models/mobilenet_v2_1.0_224_quant.tflite", golden: "golden/tf1_quant.outputs.bin" },
] as const;

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

export interface RuntimeReport {
  runtime: string;
  version: string;
  /** Which quantlite entry the runner imported. */
  entry: string;
  checks: CheckResult[];
  /** SHA-256 (hex) of every output row and classification, in order. */
  digest: string;
  /** Wall time of the checks in the runtime (0 where its clock does not move, deployed workerd). */
  ms: number;
}

export interface DataRange {
  path: string;
  start?: number;
  end?: number;
}

/** Every piece of data runChecks reads: a runner without a file system is handed these, packed. */
export function dataRanges(): DataRange[] {
  const ranges: DataRange[] = [{ path: CAT }];
  for (const row of ROWS) ranges.push({ path: INPUTS, start: row * INPUT_BYTES, end: (row + 1) * INPUT_BYTES });
  for (const m of MODELS) {
    ranges.push({ path: m.file });
    for (const row of ROWS) ranges.push({ path: m.golden, start: row * CLASSES, end: (row + 1) * CLASSES });
  }
  return ranges;
}

const rangeKey = (r: DataRange) => `${r.path}:${r.start ?? ""}:${r.end ?? ""}`;

/**
 * The packed form of ranges: u32 (little-endian) header length, a JSON header listing each
 * range's key, offset and length, then the bytes. `pack` takes the ranges' bytes in order.
 */
export function pack(ranges: DataRange[], parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  let offset = 0;
  const index = ranges.map((r, k) => {
    const entry = { key: rangeKey(r), offset, length: parts[k].length };
    offset += parts[k].length;
    return entry;
  });
  const header = new TextEncoder().encode(JSON.stringify(index));
  const out = new Uint8Array(4 + header.length + offset);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 4);
  let at = 4 + header.length;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A ReadData over packed bytes. */
export function unpack(packed: Uint8Array): ReadData {
  const headerLength = new DataView(packed.buffer, packed.byteOffset).getUint32(0, true);
  const index: { key: string; offset: number; length: number }[] = JSON.parse(new TextDecoder().decode(packed.subarray(4, 4 + headerLength)));
  const base = 4 + headerLength;
  const entries = new Map(index.map((e) => [e.key, packed.subarray(base + e.offset, base + e.offset + e.length)]));
  return async (path, start, end) => {
    const bytes = entries.get(rangeKey({ path, start, end }));
    if (bytes === undefined) throw new Error(`not in the packed data: ${path} [${start}, ${end})`);
    return bytes;
  };
}

async function sha256Hex(parts: Uint8Array[]): Promise<string> {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

function firstDifference(a: Uint8Array, b: Uint8Array): string {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return `class ${i}: ${a[i]} vs golden ${b[i]}`;
  return "none";
}

/** Runs every check; failures are recorded, never thrown. */
export async function runChecks(api: QuantliteApi, read: ReadData, about: { runtime: string; version: string; entry: string }): Promise<RuntimeReport> {
  const started = performance.now();
  const checks: CheckResult[] = [];
  const digestParts: Uint8Array[] = [];
  const attempt = async (name: string, body: () => Promise<string>) => {
    try {
      checks.push({ name, ok: true, detail: await body() });
    } catch (error) {
      checks.push({ name, ok: false, detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  };
  const cat = await read(CAT);
  const inputs = await Promise.all(ROWS.map((row) => read(INPUTS, row * INPUT_BYTES, (row + 1) * INPUT_BYTES)));
  for (const m of MODELS) {
    let loaded: Quantlite.Model;
    try {
      loaded = await api.Model.load(await read(m.file));
      checks.push({ name: `${m.key}: load`, ok: true, detail: `${loaded.ops.length} ops, arena ${loaded.arenaBytes} B` });
    } catch (error) {
      checks.push({ name: `${m.key}: load`, ok: false, detail: String(error) });
      continue;
    }
    await attempt(`${m.key}: ${ROWS.length} golden rows byte-identical`, async () => {
      const bad: string[] = [];
      for (let k = 0; k < ROWS.length; k++) {
        const golden = await read(m.golden, ROWS[k] * CLASSES, (ROWS[k] + 1) * CLASSES);
        const out = loaded.run(inputs[k]);
        const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
        digestParts.push(bytes.slice());
        if (bytes.length !== golden.length || bytes.some((v, i) => v !== golden[i])) bad.push(`row ${ROWS[k]} (${firstDifference(bytes, golden)})`);
      }
      if (bad.length > 0) throw new Error(`${bad.length} rows differ: ${bad.slice(0, 3).join("; ")}`);
      return `${ROWS.length}/${ROWS.length} identical`;
    });
    await attempt(`${m.key}: classify(cat.bmp) = Egyptian cat`, async () => {
      const top = api.classify(loaded, cat, { top: 5 });
      digestParts.push(new TextEncoder().encode(JSON.stringify(top)));
      if (top[0]?.label !== "Egyptian cat") throw new Error(`top-1 is ${JSON.stringify(top[0]?.label)}`);
      return `${top[0].label} ${top[0].score.toFixed(4)}`;
    });
    await attempt(`${m.key}: bad image → ImageError`, async () => {
      try {
        api.classify(loaded, new Uint8Array([0x42, 0x4d, 1, 2, 3]));
      } catch (error) {
        if (error instanceof api.ImageError && error.name === "ImageError") return error.name;
        throw error;
      }
      throw new Error("no error thrown");
    });
    loaded.dispose();
  }
  // LoadOptions.threads: where threads exist (not workerd, not a page without cross-origin
  // isolation) two threads must give the golden bytes; elsewhere loading throws InputError.
  await attempt("threads: 2 → golden rows (InputError where there are none)", async () => {
    const m = MODELS[0];
    const expected = about.runtime !== "workerd" && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
    let threaded: Quantlite.Model;
    try {
      threaded = await api.Model.load(await read(m.file), { threads: 2 });
    } catch (error) {
      if (!expected && error instanceof Error && error.name === "InputError") return error.message;
      throw error;
    }
    try {
      if (!expected) throw new Error("threads started where none were expected");
      for (let k = 0; k < 4; k++) {
        const golden = await read(m.golden, ROWS[k] * CLASSES, (ROWS[k] + 1) * CLASSES);
        const out = threaded.run(inputs[k]);
        const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
        if (bytes.some((v, i) => v !== golden[i])) throw new Error(`row ${ROWS[k]} differs (${firstDifference(bytes, golden)})`);
      }
      return `4/4 rows identical on ${threaded.threads} threads`;
    } finally {
      threaded.dispose();
    }
  });
  return { ...about, checks, digest: await sha256Hex(digestParts), ms: Math.round(performance.now() - started) };
}
