// API misuse: wrong inputs, disposed models, many models in one process, calls interleaved with
// loads, buffers changed after the call. Each must give a typed error or the right answer, and
// no model may see another's data.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { InputError, Model, type TensorData, classify, dequantizeModel, inspectModel } from "../js/index.js";
import { dataPath } from "./data.js";
import { writeModel } from "../js/tflite/write.js";
import { readData } from "./data.js";
import { randomChain } from "./fuzz/chains.js";
import { randomInput } from "./fuzz/models.js";
import { addModel } from "./model-builder.js";
import { Rng } from "./random.js";

const TF2 = "models/tf2_mobilenet_v2_1.0_224_ptq.tflite";
const SAMPLE_BYTES = 224 * 224 * 3;
const CLASSES = 1001;

function throwsInputError(call: () => unknown, pattern: RegExp, what: string): void {
  assert.throws(call, (e: unknown) => e instanceof InputError && pattern.test(e.message), what);
}

function randomInputs(model: Model, rng: Rng): TensorData[] {
  return model.inputs.map((t) => randomInput(rng, t));
}

/** `count` random chain models (as in the fuzzer) with one input set each. */
function chainModels(count: number, seed: number): { bytes: Uint8Array; rng: Rng }[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => ({ bytes: writeModel(randomChain(rng).def), rng: rng.fork() }));
}

/** The golden sample rows: input pixels and the tf2 model's outputs, or null without the data. */
function goldenSamples(): { pixels: Uint8Array; outputs: Uint8Array; model: Uint8Array } | null {
  const model = readData(TF2);
  const pixels = readData("golden/samples.u8.bin");
  const outputs = readData("golden/tf2_ptq.samples.bin");
  return model && pixels && outputs ? { model, pixels, outputs } : null;
}

const row = (data: Uint8Array, size: number, r: number) => data.subarray(r * size, (r + 1) * size);

test("wrong input count, length or dtype on a two-input model: InputError, and the model keeps working", async () => {
  const a = { type: "int8" as const, shape: [1, 3, 5], q: { scale: 0.1, zeroPoint: 2 } };
  const model = await Model.load(addModel(a, a, { ...a, q: { scale: 0.2, zeroPoint: -1 } }));
  const x = new Rng(3).int8Array(15);
  const want = model.runAll([x, x]);
  throwsInputError(() => model.run(x), /2 inputs; use runAll/, "run on two inputs");
  throwsInputError(() => model.runAll([x]), /expected 2 input arrays, got 1/, "one array");
  throwsInputError(() => model.runAll(x as unknown as TensorData[]), /expected 2 input arrays/, "a typed array for the list");
  throwsInputError(() => model.runAll([x, new Uint8Array(15)]), /input 1 .* expected a Int8Array, got Uint8Array/, "uint8 for int8");
  throwsInputError(() => model.runAll([x, new Int8Array(16)]), /needs 15 values/, "one value too many");
  throwsInputError(() => model.runAll([x, Array.from(x) as unknown as Int8Array]), /expected a Int8Array, got Array/, "a plain array");
  throwsInputError(() => model.runAll([x, undefined as unknown as Int8Array]), /got undefined/, "undefined");
  // A view into a larger buffer at an odd offset is a fine input.
  const shared = new Int8Array(new SharedArrayBuffer(64), 7, 15);
  shared.set(x);
  assert.equal(model.runAll([shared, x]), want);
});

test("inputs are not modified by a run, and outputs are copies the next run does not change", async () => {
  const rng = new Rng(4);
  const [{ bytes }] = chainModels(1, 11);
  const model = await Model.load(bytes);
  const inputs = randomInputs(model, rng);
  const copies = inputs.map((t) => t.slice());
  const first = model.runAll(inputs);
  assert.equal(inputs, copies);
  const kept = first.map((t) => t.slice());
  model.runAll(randomInputs(model, rng));
  assert.equal(first, kept);
});

test("run and runAll into caller arrays: filled and returned, the same values; wrong arrays give InputError", async () => {
  const rng = new Rng(5);
  for (const { bytes } of chainModels(6, 12)) {
    const model = await Model.load(bytes);
    const inputs = randomInputs(model, rng);
    const want = model.runAll(inputs);
    const outputs = want.map((t) => new (t.constructor as new (n: number) => TensorData)(t.length).fill(7 as never));
    const got = model.runAll(inputs, outputs);
    got.forEach((t, k) => assert.ok(t === outputs[k], `output ${k} is the caller's array`));
    assert.equal(got, want);
    if (model.inputs.length === 1 && model.outputs.length === 1) {
      const out = outputs[0].fill(3 as never);
      assert.ok(model.run(inputs[0], out) === out);
      assert.equal(out, want[0]);
    }
    const wrongLength = new (want[0].constructor as new (n: number) => TensorData)(want[0].length + 1);
    throwsInputError(() => model.runAll(inputs, [wrongLength, ...outputs.slice(1)]), /output 0 .* needs \d+ values/, "one value too many");
    const wrongType = want[0] instanceof Float32Array ? new Int32Array(want[0].length) : new Float32Array(want[0].length);
    throwsInputError(() => model.runAll(inputs, [wrongType, ...outputs.slice(1)]), /output 0 .* expected a/, "another dtype");
    throwsInputError(() => model.runAll(inputs, []), /expected \d+ output arrays, got 0/, "no arrays");
    assert.equal(model.runAll(inputs), want, "the model keeps working");
  }
});

test("a disposed model refuses every call with InputError; disposing twice is harmless", async () => {
  const [{ bytes }] = chainModels(1, 12);
  const model = await Model.load(bytes);
  const inputs = randomInputs(model, new Rng(5));
  model.dispose();
  model.dispose();
  throwsInputError(() => model.runAll(inputs), /disposed/, "runAll");
  throwsInputError(() => model.tensor(model.outputs[0].index), /disposed/, "tensor");
  assert.ok(model.inputs.length > 0, "the description stays readable");
});

test("tensor(): indices that are not activation tensors give InputError", async () => {
  const [{ bytes }] = chainModels(1, 13);
  const model = await Model.load(bytes);
  for (const index of [-1, 1.5, NaN, 1e9]) throwsInputError(() => model.tensor(index), /not an activation tensor/, `tensor(${index})`);
});

test("changing the model bytes after load changes nothing; an unaligned view loads the same model", async () => {
  const rng = new Rng(6);
  for (const { bytes, rng: inputRng } of chainModels(10, 14)) {
    const copy = bytes.slice();
    const model = await Model.load(copy);
    const inputs = randomInputs(model, inputRng);
    const want = model.runAll(inputs);
    copy.fill(0xa5);
    assert.equal(model.runAll(inputs), want);
    const offset = rng.int(1, 15);
    const view = new Uint8Array(bytes.length + offset).subarray(offset);
    view.set(bytes);
    assert.equal((await Model.load(view)).runAll(inputs), want);
  }
});

test("50 models loaded at once each give the answer they give alone", async () => {
  const golden = goldenSamples();
  const chains = chainModels(golden ? 45 : 50, 15);
  const alone: TensorData[][] = [];
  const inputs: TensorData[][] = [];
  for (const { bytes, rng } of chains) {
    const model = await Model.load(bytes);
    inputs.push(randomInputs(model, rng));
    alone.push(model.runAll(inputs[inputs.length - 1]));
    model.dispose();
  }
  const models = await Promise.all(chains.map(({ bytes }) => Model.load(bytes)));
  const real = golden ? await Promise.all(Array.from({ length: 5 }, () => Model.load(golden.model))) : [];
  // Interleaved: every model runs three times, in a shuffled order.
  const count = models.length + real.length;
  const order = Array.from({ length: 3 * count }, (_, i) => i % count);
  const shuffle = new Rng(16);
  for (let i = order.length - 1; i > 0; i--) {
    const j = shuffle.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  for (const k of order) {
    if (k < models.length) assert.equal(models[k].runAll(inputs[k]), alone[k], `chain model ${k}`);
    else {
      const r = (k - models.length) * 2; // each real model gets its own golden rows
      assert.equal(Array.from(real[k - models.length].run(row(golden!.pixels, SAMPLE_BYTES, r)) as Uint8Array), Array.from(row(golden!.outputs, CLASSES, r)));
    }
  }
});

test("overlapping async calls on one model, interleaved with loads, match the sequential results", async () => {
  const golden = goldenSamples();
  const cat = readData("images/samples/cat.bmp");
  const parrot = readData("images/samples/parrot.jpg");
  if (!golden || !cat || !parrot) return;
  const model = await Model.load(golden.model);
  const images = [cat, parrot];
  const sequential = images.map((image) => classify(model, image, { top: 3 }));
  const rows = [0, 3, 7].map((r) => Array.from(model.run(row(golden.pixels, SAMPLE_BYTES, r)) as Uint8Array));
  const chains = chainModels(6, 17);
  const tasks: Promise<unknown>[] = [];
  for (let i = 0; i < 12; i++) {
    tasks.push((async () => {
      await Promise.resolve();
      assert.equal(classify(model, images[i % 2], { top: 3 }), sequential[i % 2], `classify ${i}`);
    })());
    tasks.push((async () => {
      const other = await Model.load(chains[i % chains.length].bytes);
      const r = [0, 3, 7][i % 3];
      assert.equal(Array.from(model.run(row(golden.pixels, SAMPLE_BYTES, r)) as Uint8Array), rows[i % 3], `run ${i}`);
      other.dispose();
    })());
  }
  await Promise.all(tasks);
  assert.equal(Array.from(model.run(row(golden.pixels, SAMPLE_BYTES, 0)) as Uint8Array), Array.from(row(golden.outputs, CLASSES, 0)));
});

test("model files in any binary container: a pooled Node Buffer, a view at an offset, a DataView, an ArrayBuffer", async () => {
  const golden = goldenSamples();
  const path = dataPath(TF2);
  if (!golden || !path) return;
  // readFileSync's Buffer of a small file lies in Node's shared pool; a 3.5 MB one does not, so
  // the model is also copied into the middle of a larger buffer.
  const padded = new Uint8Array(golden.model.length + 24);
  padded.set(golden.model, 7);
  const containers: [string, ArrayBuffer | ArrayBufferView][] = [
    ["Buffer", readFileSync(path)],
    ["Buffer at an offset", Buffer.from(padded.buffer, 7, golden.model.length)],
    ["Uint8Array at an offset", padded.subarray(7, 7 + golden.model.length)],
    ["DataView", new DataView(padded.buffer, 7, golden.model.length)],
    ["ArrayBuffer", golden.model.slice().buffer],
  ];
  const expected = row(golden.outputs, CLASSES, 0);
  for (const [what, bytes] of containers) {
    const model = await Model.load(bytes);
    assert.equal(Array.from(model.run(row(golden.pixels, SAMPLE_BYTES, 0)) as Uint8Array), Array.from(expected), what);
    model.dispose();
    assert.is(inspectModel(bytes).ops.length, 68, `inspectModel, ${what}`);
  }
  assert.equal(dequantizeModel(Buffer.from(padded.buffer, 7, golden.model.length)), dequantizeModel(golden.model), "dequantizeModel of a Buffer");
  let error: unknown;
  try {
    await Model.load("model.tflite" as unknown as Uint8Array);
  } catch (thrown) {
    error = thrown;
  }
  assert.ok(error instanceof InputError && /not the string "model\.tflite" \(in Node, loadModelFile of quantlite\/node/.test(error.message), String(error));
});

test("classify: bad options, labels that do not fit and a disposed model give InputError", async () => {
  const golden = goldenSamples();
  const cat = readData("images/samples/cat.bmp");
  if (!golden || !cat) return;
  const model = await Model.load(golden.model);
  throwsInputError(() => classify(model, cat, { top: 1.5 }), /top must be a positive integer/, "top 1.5");
  throwsInputError(() => classify(model, cat, { maxResults: 2.5 }), /maxResults must be a positive integer/, "maxResults 2.5");
  throwsInputError(() => classify(model, cat, { maxResults: 1, top: 2 }), /top is an alias of maxResults/, "maxResults and top differ");
  throwsInputError(() => classify(model, cat, { scoreThreshold: "0.5" as unknown as number }), /scoreThreshold must be a number/, "a string threshold");
  throwsInputError(() => classify(model, cat, { scoreThreshold: NaN }), /scoreThreshold must be a number/, "a NaN threshold");
  throwsInputError(() => classify(model, cat, { categoryAllowlist: "macaw" as unknown as string[] }), /categoryAllowlist must be an array of label strings/, "a string allowlist");
  throwsInputError(() => classify(model, cat, { categoryDenylist: [1] as unknown as string[] }), /categoryDenylist must be an array of label strings/, "numbers in the denylist");
  throwsInputError(() => classify(model, cat, { categoryAllowlist: [], categoryDenylist: [] }), /cannot be used together/, "both lists");
  throwsInputError(() => classify(model, cat, { tpo: 3 } as unknown as { top: number }), /unknown classify option "tpo"; did you mean "top"\?/, "a misspelt option");
  throwsInputError(() => classify(model, cat, { constructor: 3 } as unknown as { top: number }), /unknown classify option "constructor"/, "an Object.prototype name");
  throwsInputError(() => classify(model, cat, { crop: 0 }), /crop fraction/, "crop 0");
  throwsInputError(() => classify(model, cat, { crop: 2 }), /crop fraction/, "crop 2");
  throwsInputError(() => classify(model, cat, { labels: ["a", "b"] }), /2 lines.*1001 classes/, "too few labels");
  throwsInputError(() => classify(model, cat, { limits: { maxPixels: -1 } }), /maxPixels must be a positive number/, "negative limit");
  throwsInputError(() => classify(model, "cat.bmp" as unknown as Uint8Array), /expected image bytes as an ArrayBuffer or a view of one .*got string/, "a file name");
  model.dispose();
  throwsInputError(() => classify(model, cat), /disposed/, "disposed model");
});

test.run();
