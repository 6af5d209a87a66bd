// LoadOptions.threads: one inference split between threads must give exactly the bytes of the
// single-threaded run — on both MobileNetV2 models (golden rows, and every layer of one image),
// and on random one-operator CONV_2D / DEPTHWISE_CONV_2D models with awkward shapes (fewer output
// rows than threads, strides, dilations, SAME padding, two images, 1×1 convolutions whose pixel
// count is not a multiple of 4) and ADD models (broadcasts), int8, uint8 and their float32 versions. dispose ends the worker
// threads; bad values and runtimes without threads throw InputError.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError, Model, dequantizeModel } from "../js/index.js";
import { dataPath, readData } from "./data.js";
import { readModel } from "../js/tflite/read.js";
import type { ModelDef, SubgraphDef } from "../js/tflite/types.js";
import { writeModel } from "../js/tflite/write.js";
import * as mb from "./model-builder.js";
import { Rng, pickActivation, randomChannels, randomData, randomQuant, randomScale, type QuantDtype } from "./random.js";

type Typed = Int8Array | Uint8Array | Float32Array | Int32Array;

const asBytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function sameBytes(got: ArrayBufferView, want: ArrayBufferView): string | null {
  const a = asBytes(got);
  const b = asBytes(want);
  if (a.length !== b.length) return `length ${a.length} ≠ ${b.length}`;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `byte ${i}: ${a[i]} ≠ ${b[i]}`;
  return null;
}

const MODELS = [
  { golden: "tf2_ptq", file: "models/tf2_mobilenet_v2_1.0_224_ptq.tflite" },
  { golden: "tf1_quant", file: "models/mobilenet_v2_1.0_224_quant.tflite" },
];
/** A few of the 500 golden rows. */
const ROWS = [0, 137, 251, 499];

for (const { golden, file } of MODELS) {
  test(`${golden}: threads 2 and 3 give the golden rows, byte for byte`, async () => {
    const bytes = readData(file);
    const pixels = readData("golden/inputs.u8.bin");
    const want = readData(`golden/${golden}.outputs.bin`);
    if (!bytes || !pixels || !want) return;
    const single = await Model.load(bytes);
    const inputBytes = product(single.inputs[0].shape);
    const outputBytes = product(single.outputs[0].shape);
    const input = (row: number) => {
      const u8 = pixels.slice(row * inputBytes, (row + 1) * inputBytes);
      return single.inputs[0].dtype === "uint8" ? u8 : Int8Array.from(u8, (v) => v - 128);
    };
    for (const threads of [2, 3]) {
      const model = await Model.load(bytes, { threads });
      assert.is(model.threads, threads);
      try {
        for (const row of ROWS) {
          const out = model.run(input(row));
          assert.is(sameBytes(out, single.run(input(row))), null, `threads ${threads}, row ${row} vs threads 1`);
          assert.is(sameBytes(out, want.subarray(row * outputBytes, (row + 1) * outputBytes)), null, `threads ${threads}, row ${row} vs golden`);
        }
      } finally {
        model.dispose();
      }
    }
  });
}

test("tf2_ptq: every layer for cat with threads 2 equals the reference kernels", async () => {
  const bytes = readData(MODELS[0].file);
  const indexPath = dataPath("golden/tf2_ptq.layers.cat.json");
  const bin = readData("golden/tf2_ptq.layers.cat.bin");
  if (!bytes || !indexPath || !bin) return;
  const { entries } = JSON.parse(readFileSync(indexPath, "utf8")) as { entries: { tensor_index: number; offset: number; length: number; op_index: number }[] };
  const model = await Model.load(bytes, { threads: 2, preserveAllTensors: true });
  try {
    const [input, ...outputs] = entries;
    model.run(bin.slice(input.offset, input.offset + input.length)); // the model's input is uint8
    for (const e of outputs) {
      assert.is(sameBytes(model.tensor(e.tensor_index), bin.subarray(e.offset, e.offset + e.length)), null, `op ${e.op_index}`);
    }
  } finally {
    model.dispose();
  }
});

test("the dequantized (float32) tf2 model: threads 2 gives the bits of threads 1", async () => {
  const bytes = readData(MODELS[0].file);
  const pixels = readData("golden/inputs.u8.bin");
  if (!bytes || !pixels) return;
  const float = dequantizeModel(bytes);
  const input = Float32Array.from(pixels.subarray(0, 224 * 224 * 3), (v) => (v - 127.5) / 127.5);
  const single = await Model.load(float);
  const model = await Model.load(float, { threads: 2 });
  try {
    assert.is(sameBytes(model.run(input), single.run(input)), null);
  } finally {
    model.dispose();
  }
});

// ---- random one-operator models ----------------------------------------------------------------

interface ConvCase {
  what: string;
  bytes: Uint8Array;
  input: Typed;
  /** A second input (ADD). */
  input2?: Typed;
}

function randomWeights(r: Rng, dtype: QuantDtype, n: number): Int8Array | Uint8Array {
  return dtype === "int8" ? r.int8Array(n, -127, 127) : r.uint8Array(n);
}

/** A random conv or depthwise model, its geometry chosen to stress the row split. */
function convCase(r: Rng, dtype: QuantDtype, depthwise: boolean): ConvCase {
  const shape = r.pick(["few rows", "pointwise", "strided", "any"] as const);
  const batch = r.bool(0.25) ? 2 : 1;
  const inC = randomChannels(r, depthwise ? 33 : 24);
  const depthMultiplier = depthwise && r.bool(0.3) ? 2 : 1;
  const outC = depthwise ? inC * depthMultiplier : randomChannels(r, 33);
  let kH = shape === "pointwise" ? 1 : r.pick([1, 2, 3, 3, 5]);
  let kW = shape === "pointwise" ? 1 : r.bool(0.7) ? kH : r.pick([1, 3]);
  const strideH = shape === "pointwise" ? 1 : shape === "strided" ? r.pick([2, 3]) : r.pick([1, 1, 2]);
  const strideW = shape === "pointwise" ? 1 : r.bool(0.8) ? strideH : r.pick([1, 2]);
  const dilationH = shape === "any" && r.bool(0.3) ? 2 : 1;
  const dilationW = dilationH;
  const inH = shape === "few rows" ? r.int(1, 3) : r.int(1, 23);
  const inW = shape === "pointwise" ? r.pick([1, 3, 5, 7, 13]) : r.int(1, 17);
  let padding: "SAME" | "VALID" = shape === "pointwise" ? "VALID" : r.bool(0.6) ? "SAME" : "VALID";
  if ((kH - 1) * dilationH + 1 > inH || (kW - 1) * dilationW + 1 > inW) {
    if (r.bool(0.5)) padding = "SAME";
    else {
      kH = Math.min(kH, Math.floor((inH - 1) / dilationH) + 1);
      kW = Math.min(kW, Math.floor((inW - 1) / dilationW) + 1);
    }
  }
  const out = (size: number, k: number, s: number, d: number) => (padding === "SAME" ? Math.ceil(size / s) : Math.floor((size - (k - 1) * d - 1) / s) + 1);
  const inShape = [batch, inH, inW, inC];
  const outShape = [batch, out(inH, kH, strideH, dilationH), out(inW, kW, strideW, dilationW), outC];
  const filterShape = depthwise ? [1, kH, kW, outC] : [outC, kH, kW, inC];
  const inQ = randomQuant(r, dtype, 1e-3, 2);
  const wScale = randomScale(r, 1e-3, 0.05);
  const perChannel = dtype === "int8";
  const scales = perChannel ? Array.from({ length: outC }, () => Math.fround(wScale * r.logUniform(0.2, 5))) : [wScale];
  const zeroPoints = dtype === "int8" ? scales.map(() => 0) : [r.int(0, 255)];
  const depth = depthwise ? kH * kW : kH * kW * inC;
  const outQ = { scale: Math.fround(inQ.scale * wScale * Math.sqrt(depth) * 40), zeroPoint: dtype === "int8" ? r.int(-20, 20) : r.int(100, 150) };
  const spec = {
    input: { type: dtype, shape: inShape, q: inQ },
    weights: { type: dtype, shape: filterShape, data: randomWeights(r, dtype, product(filterShape)), scales, zeroPoints, quantizedDimension: depthwise ? 3 : 0 },
    bias: r.bool(0.8) ? r.int32Array(outC, -5000, 5000) : null,
    output: { type: dtype, shape: outShape, q: outQ },
    padding, strideH, strideW, dilationH, dilationW, activation: pickActivation(r),
  };
  const bytes = depthwise ? mb.depthwiseModel({ ...spec, depthMultiplier }) : mb.convModel(spec);
  const what = `${depthwise ? "DEPTHWISE_CONV_2D" : "CONV_2D"} ${dtype} ${shape}: in [${inShape}] filter [${filterShape}] out [${outShape}] ` +
    `stride ${strideH}×${strideW} dilation ${dilationH} ${padding}`;
  return { what, bytes, input: randomData(r, dtype, product(inShape)) };
}

/** A random ADD model: the same shapes, or one input broadcast along some dimensions. */
function addCase(r: Rng, dtype: QuantDtype): ConvCase {
  const out = [r.pick([1, 1, 2]), r.int(1, 9), r.int(1, 40), randomChannels(r, 33)];
  const kind = r.pick(["same", "same", "channels", "some", "rank 2"] as const);
  let a = out;
  let b = out;
  if (kind === "channels") b = [1, 1, 1, out[3]];
  if (kind === "some") b = out.map((d) => (r.bool(0.5) ? 1 : d));
  if (kind === "rank 2") [a, b] = [[out[2], out[3]], [out[3]]];
  if (r.bool(0.5)) [a, b] = [b, a];
  const outShape = a.length >= b.length ? a.map((d, i) => Math.max(d, b[i - (a.length - b.length)] ?? 1)) : b.map((d, i) => Math.max(d, a[i - (b.length - a.length)] ?? 1));
  const act = (shape: number[]) => ({ type: dtype, shape, q: randomQuant(r, dtype, 0.01, 1) });
  const bytes = mb.addModel(act(a), act(b), act(outShape), pickActivation(r));
  return { what: `ADD ${dtype} [${a}] + [${b}] → [${outShape}]`, bytes, input: randomData(r, dtype, product(a)), input2: randomData(r, dtype, product(b)) };
}

/**
 * One model running every case side by side: the cases' one-operator graphs merged into one
 * subgraph (inputs and outputs in case order), so that one load per thread count covers them all.
 */
function mergeModels(models: Uint8Array[]): Uint8Array {
  const defs = models.map((bytes) => readModel(bytes));
  const merged: ModelDef = { ...defs[0], description: "merged test model", operatorCodes: [], buffers: [new Uint8Array(0)], metadata: [], associatedFiles: new Map() };
  const subgraph: SubgraphDef = { name: "main", tensors: [], inputs: [], outputs: [], operators: [] };
  for (const def of defs) {
    const [g] = def.subgraphs;
    const tensorBase = subgraph.tensors.length;
    const bufferBase = merged.buffers.length - 1;
    const codeBase = merged.operatorCodes.length;
    merged.buffers.push(...def.buffers.slice(1));
    merged.operatorCodes.push(...def.operatorCodes);
    subgraph.tensors.push(...g.tensors.map((t) => ({ ...t, buffer: t.buffer === 0 ? 0 : t.buffer + bufferBase })));
    const at = (i: number) => (i < 0 ? i : i + tensorBase);
    subgraph.operators.push(...g.operators.map((op) => ({ ...op, opcodeIndex: op.opcodeIndex + codeBase, inputs: op.inputs.map(at), outputs: op.outputs.map(at) })));
    subgraph.inputs.push(...g.inputs.map(at));
    subgraph.outputs.push(...g.outputs.map(at));
  }
  merged.subgraphs = [subgraph];
  return writeModel(merged);
}

/** Runs all cases as one merged model with 1 thread and with each of threadCounts; every output must match. */
async function expectSameAcrossThreads(cases: ConvCase[], threadCounts: number[], convert = (bytes: Uint8Array) => bytes, kernels: "simd" | "scalar" = "simd"): Promise<void> {
  const bytes = convert(mergeModels(cases.map((c) => c.bytes)));
  const single = await Model.load(bytes, { kernels });
  const float = single.inputs[0].dtype === "float32";
  const inputs = cases.flatMap((c) => [c.input, ...(c.input2 ? [c.input2] : [])]).map((x) => (float ? Float32Array.from(x, (v) => v / 37) : x));
  const want = single.runAll(inputs);
  for (const threads of threadCounts) {
    const model = await Model.load(bytes, { threads, kernels });
    try {
      for (const run of ["first", "second"]) {
        const got = model.runAll(inputs);
        cases.forEach((c, k) => assert.is(sameBytes(got[k], want[k]), null, `${c.what}, threads ${threads}, ${run} run`));
      }
    } finally {
      model.dispose();
    }
  }
}

for (const depthwise of [false, true]) {
  for (const dtype of ["int8", "uint8"] as const) {
    const op = depthwise ? "DEPTHWISE_CONV_2D" : "CONV_2D";
    test(`${op} ${dtype}: random awkward shapes, threads 2 and 3 = threads 1`, async () => {
      const rng = new Rng(0x7e4d + (depthwise ? 1 : 0) * 7 + (dtype === "int8" ? 0 : 3));
      await expectSameAcrossThreads(Array.from({ length: 40 }, () => convCase(rng.fork(), dtype, depthwise)), [2, 3]);
    });
  }
}

for (const dtype of ["int8", "uint8"] as const) {
  test(`ADD ${dtype}: random shapes and broadcasts, threads 2 and 3 = threads 1`, async () => {
    const rng = new Rng(0xadd + (dtype === "int8" ? 0 : 1));
    await expectSameAcrossThreads(Array.from({ length: 40 }, () => addCase(rng.fork(), dtype)), [2, 3]);
  });
}

test("float32 CONV_2D, DEPTHWISE_CONV_2D and ADD: random awkward shapes, threads 3 = threads 1", async () => {
  const rng = new Rng(0xf10a7);
  const cases = Array.from({ length: 60 }, (_, i) => (i % 3 === 2 ? addCase(rng.fork(), "int8") : convCase(rng.fork(), "int8", i % 3 === 1)));
  await expectSameAcrossThreads(cases, [3], (bytes) => dequantizeModel(bytes));
});

test("the scalar reference kernels split the same way: threads 2 = threads 1", async () => {
  const rng = new Rng(0x5ca1a);
  const cases = Array.from({ length: 30 }, (_, i) => (i % 3 === 2 ? addCase(rng.fork(), "uint8") : convCase(rng.fork(), "uint8", i % 3 === 1)));
  await expectSameAcrossThreads(cases, [2], undefined, "scalar");
});

test("an output with fewer rows than threads, and a 1×1 convolution of 7 pixels, on 8 threads", async () => {
  const rng = new Rng(99);
  const q = { scale: 0.05, zeroPoint: 3 };
  const weights = (shape: number[], dim: number) => ({
    type: "int8" as const, shape, data: rng.int8Array(product(shape), -127, 127), scales: [0.01], zeroPoints: [0], quantizedDimension: dim,
  });
  const oneRow = mb.convModel({
    input: { type: "int8", shape: [1, 2, 5, 3], q }, weights: weights([4, 3, 3, 3], 0), bias: null,
    output: { type: "int8", shape: [1, 1, 3, 4], q: { scale: 0.3, zeroPoint: 0 } }, padding: "SAME", strideH: 2, strideW: 2,
  });
  const pointwise = mb.convModel({
    input: { type: "int8", shape: [1, 1, 7, 5], q }, weights: weights([9, 1, 1, 5], 0), bias: null,
    output: { type: "int8", shape: [1, 1, 7, 9], q: { scale: 0.2, zeroPoint: -1 } }, padding: "VALID", strideH: 1, strideW: 1,
  });
  await expectSameAcrossThreads([
    { what: "conv to 1 row", bytes: oneRow, input: rng.int8Array(30) },
    { what: "pointwise 7 pixels", bytes: pointwise, input: rng.int8Array(35) },
  ], [2, 8]);
});

// ---- options, errors, lifetime -----------------------------------------------------------------

const TINY = () => {
  const rng = new Rng(5);
  return mb.convModel({
    input: { type: "int8", shape: [1, 8, 8, 4], q: { scale: 0.1, zeroPoint: 0 } },
    weights: { type: "int8", shape: [4, 3, 3, 4], data: rng.int8Array(144, -127, 127), scales: [0.01], zeroPoints: [0], quantizedDimension: 0 },
    bias: null, output: { type: "int8", shape: [1, 8, 8, 4], q: { scale: 0.5, zeroPoint: 0 } }, padding: "SAME", strideH: 1, strideW: 1,
  });
};

test("threads must be an integer from 1 to 64: anything else is an InputError", async () => {
  const bytes = TINY();
  for (const threads of [0, -1, 1.5, 65, Number.NaN, Infinity, "2", [2]]) {
    try {
      await Model.load(bytes, { threads: threads as number });
      assert.unreachable(`threads ${String(threads)} was accepted`);
    } catch (error) {
      assert.instance(error, InputError, `threads ${String(threads)}: ${error}`);
      assert.match((error as Error).message, /threads/);
    }
  }
  const model = await Model.load(bytes, { threads: 1 });
  assert.is(model.threads, 1);
  model.dispose();
});

test("threads need the threads build as wasmModule, and a cross-origin isolated page", async () => {
  const bytes = TINY();
  const { embeddedWasmBytes } = await import("../js/runtime/embedded-module.js");
  const plain = await WebAssembly.compile(embeddedWasmBytes());
  try {
    await Model.load(bytes, { threads: 2, wasmModule: plain });
    assert.unreachable("the single-thread build was accepted for threads");
  } catch (error) {
    assert.instance(error, InputError);
  }
  const g = globalThis as { crossOriginIsolated?: boolean };
  g.crossOriginIsolated = false; // what a browser page without COOP/COEP reports
  try {
    await Model.load(bytes, { threads: 2 });
    assert.unreachable("threads were started without cross-origin isolation");
  } catch (error) {
    assert.instance(error, InputError);
    assert.match((error as Error).message, /threads are not available in this runtime/);
  } finally {
    delete g.crossOriginIsolated;
  }
  // A runtime entry without threads (workerd's) says so through threadsUnavailable.
  class NoThreads extends Model {
    protected static override threadsUnavailable(): string | null {
      return "no threads here";
    }
  }
  try {
    await NoThreads.load(bytes, { threads: 2 });
    assert.unreachable("threads were started where the entry has none");
  } catch (error) {
    assert.instance(error, InputError);
    assert.match((error as Error).message, /no threads here/);
  }
  const single = await NoThreads.load(bytes);
  assert.is(single.threads, 1);
});

test("a model with nothing to split starts no workers", async () => {
  const bytes = mb.softmaxModel({ type: "int8", shape: [1, 10], q: { scale: 0.1, zeroPoint: 0 } }, { type: "int8", shape: [1, 10], q: { scale: 1 / 256, zeroPoint: -128 } }, 1);
  const single = await Model.load(bytes);
  const model = await Model.load(bytes, { threads: 2 });
  assert.is(model.threads, 1);
  const input = new Int8Array([1, 2, 3, 4, 5, -6, 7, 8, 9, 10]);
  assert.is(sameBytes(model.run(input), single.run(input)), null);
  model.dispose();
});

/** OS threads of this process (Linux), or null. */
function osThreads(): number | null {
  if (!existsSync("/proc/self/status")) return null;
  const m = readFileSync("/proc/self/status", "utf8").match(/Threads:\s+(\d+)/);
  return m ? Number(m[1]) : null;
}

test("dispose ends the worker threads; the model cannot run afterwards", async () => {
  const bytes = TINY();
  const model = await Model.load(bytes, { threads: 4 });
  const input = new Int8Array(256).fill(7);
  const out = model.run(input);
  const running = osThreads(); // with the 3 workers (other tests' threads may still be ending)
  model.dispose();
  model.dispose(); // twice is fine
  try {
    model.run(input);
    assert.unreachable("ran after dispose");
  } catch (error) {
    assert.instance(error, InputError);
  }
  if (running !== null) {
    const deadline = Date.now() + 5000;
    while (osThreads()! > running - 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.ok(osThreads()! <= running - 3, `OS threads: ${running} with the workers, ${osThreads()} after dispose`);
  }
  assert.is(out.length, 256);
});

test("a process whose threaded model is not disposed still exits", () => {
  const script = `
    import { Model } from ${JSON.stringify(new URL("../js/index.js", import.meta.url).href)};
    const bytes = new Uint8Array(${JSON.stringify(Array.from(TINY()))});
    const model = await Model.load(bytes, { threads: 2 });
    model.run(new Int8Array(256));
    console.log("ran");`;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 20_000 });
  assert.is(result.error, undefined, String(result.error));
  assert.is(result.status, 0, result.stderr);
  assert.is(result.stdout.trim(), "ran");
});

test.run();
