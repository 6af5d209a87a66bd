// Crafted hostile models and images, one per weakness found while fuzzing (test/fuzz/), each
// checked to end quickly in a typed error or a correct result, with bounded memory.
import { deflateSync, inflateSync } from "node:zlib";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ImageError, Model, ModelError, decodeImage } from "../js/index.js";
import { MAX_SHARED_TENSORS } from "../js/graph/plan.js";
import { writeModel } from "../js/tflite/write.js";
import { BuiltinOp } from "../js/tflite/builtin-ops.js";
import { concat, makePng, pngChunk } from "./image-builder.js";
import { CASE_TIME_LIMIT_MS } from "./fuzz/outcome.js";
import { type TensorSpec, buildModel, dequantizeModel } from "./model-builder.js";
import { Rng } from "./random.js";

async function loadError(bytes: Uint8Array, options = {}): Promise<ModelError> {
  try {
    await Model.load(bytes, options);
  } catch (error) {
    assert.instance(error, ModelError, String(error));
    return error as ModelError;
  }
  throw new Error("the model loaded, but it should have been rejected");
}

/** `count` RESHAPEs in a row, each copying a [1, 4] int8 tensor into the next. */
function reshapeChain(count: number): Uint8Array {
  const tensors: TensorSpec[] = Array.from({ length: count + 1 }, () => ({ type: "int8", shape: [1, 4], scale: 0.5, zeroPoint: 0 }));
  const ops = Array.from({ length: count }, (_, i) => ({ builtinCode: BuiltinOp.RESHAPE, inputs: [i], outputs: [i + 1], options: null }));
  return writeModel(buildModel({ tensors, ops, inputs: [0], outputs: [count] }));
}

test("a graph of 30,000 operators loads and runs within the time limit (the arena planner is not quadratic there)", async () => {
  const bytes = reshapeChain(30_000);
  const start = performance.now();
  const model = await Model.load(bytes);
  const input = new Rng(1).int8Array(4);
  assert.equal(model.run(input), input);
  const ms = performance.now() - start;
  assert.ok(ms < CASE_TIME_LIMIT_MS, `${ms.toFixed(0)} ms`);
  assert.is(model.arenaBytes, 30_001 * 16, "laid out end to end");
});

test("graphs up to MAX_SHARED_TENSORS activations still share arena memory", async () => {
  const model = await Model.load(reshapeChain(MAX_SHARED_TENSORS - 1));
  assert.is(model.arenaBytes, 32, "two alternating 16-byte slots");
});

test("a tensor of 2^28 float32 values is refused by the memory limit before anything is allocated", async () => {
  const shape = [2 ** 28];
  const bytes = writeModel(buildModel({
    tensors: [{ type: "float32", shape }, { type: "float32", shape }],
    ops: [{ builtinCode: BuiltinOp.RESHAPE, inputs: [0], outputs: [1], options: null }],
    inputs: [0],
    outputs: [1],
  }));
  const rss = process.memoryUsage.rss();
  const start = performance.now();
  assert.match((await loadError(bytes)).message, /over the limit of 268435456/);
  assert.ok(performance.now() - start < 500);
  assert.ok(process.memoryUsage.rss() - rss < 64 * 2 ** 20, "resident memory grew by more than 64 MiB");
  const tooLarge = await loadError(writeModel(buildModel({ tensors: [{ type: "int8", shape: [2 ** 16, 2 ** 13] }], ops: [], inputs: [0], outputs: [0] })));
  assert.match(tooLarge.message, /too large/);
});

test("maxMemoryBytes is enforced to the byte", async () => {
  const bytes = reshapeChain(3);
  const { memoryBytes } = await Model.load(bytes);
  assert.is((await Model.load(bytes, { maxMemoryBytes: memoryBytes })).memoryBytes, memoryBytes);
  assert.match((await loadError(bytes, { maxMemoryBytes: memoryBytes - 1 })).message, new RegExp(`over the limit of ${memoryBytes - 1}`));
});

test("DEQUANTIZE refuses a scale whose dequantized values overflow float32", async () => {
  const bytes = dequantizeModel({ type: "int8", shape: [1, 4], q: { scale: 3.4e38, zeroPoint: 0 } });
  assert.match((await loadError(bytes)).message, /DEQUANTIZE.*overflow float32/);
  const model = await Model.load(dequantizeModel({ type: "int8", shape: [1, 4], q: { scale: 1e36, zeroPoint: 0 } }));
  assert.ok((model.run(new Int8Array([-128, -1, 0, 127])) as Float32Array).every(Number.isFinite));
});

/** A 1x1 RGB PNG whose image data is `data`, deflated. */
function pngWithImageData(data: Uint8Array): Uint8Array {
  const png = makePng({ width: 1, height: 1, colorType: 2, depth: 8, samples: [1, 2, 3] });
  const ihdrEnd = 8 + 12 + 13;
  return concat([png.subarray(0, ihdrEnd), pngChunk("IDAT", deflateSync(data)), pngChunk("IEND", new Uint8Array(0))]);
}

test("PNG: image data inflating far beyond the declared size is refused without inflating it (zlib bomb)", () => {
  const bomb = pngWithImageData(new Uint8Array(64 * 2 ** 20)); // 64 MiB of zeros in ~64 KB
  const before = process.memoryUsage().arrayBuffers;
  assert.throws(() => decodeImage(bomb), (e: unknown) => e instanceof ImageError && /inflates to more than the 4 bytes/.test(e.message));
  assert.ok(process.memoryUsage().arrayBuffers - before < 8 * 2 ** 20, "inflated the bomb");
  // Exactly the 4 bytes a 1x1 RGB image needs (filter byte and one pixel) decode; one more does not.
  assert.equal(Array.from(decodeImage(pngWithImageData(new Uint8Array([0, 1, 2, 3]))).data), [1, 2, 3]);
  assert.throws(() => decodeImage(pngWithImageData(new Uint8Array([0, 1, 2, 3, 4]))), (e: unknown) => e instanceof ImageError);
});

test("PNG: a short zlib stream is refused for interlaced images too", () => {
  const samples = Array.from(new Rng(2).uint8Array(9 * 9 * 3));
  const png = makePng({ width: 9, height: 9, colorType: 2, depth: 8, samples, interlaced: true });
  const idatLength = new DataView(png.buffer).getUint32(33);
  const data = png.subarray(41, 41 + idatLength);
  // The same stream, ended early but cleanly: it inflates without error to fewer bytes.
  const short = concat([png.subarray(0, 33), pngChunk("IDAT", deflateSync(inflateSync(data).subarray(0, 100))), pngChunk("IEND", new Uint8Array(0))]);
  assert.throws(() => decodeImage(short), (e: unknown) => e instanceof ImageError && /truncated: 100 of/.test(e.message));
});

test.run();
