// quantize(): the TFLite quantization spec on a generated float model, a round trip through
// quantlite's int8 kernels, and the typed errors for bad input.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError, Model, ModelError } from "../js/index.js";
import { BuiltinOp, builtinOpName } from "../js/tflite/builtin-ops.js";
import { readModel } from "../js/tflite/read.js";
import type { ModelDef, TensorDef } from "../js/tflite/types.js";
import { writeModel } from "../js/tflite/write.js";
import { METADATA_NAME, quantize, type QuantizeOptions, type QuantizeResult, quantizeModelDef } from "../js/quantize/quantize.js";
import { VERSION } from "../js/version.js";
import { floatClassifierDef, floatInputs } from "./float-model.js";
import { makeBmp, randomImage } from "./image-builder.js";
import { buildModel } from "./model-builder.js";
import { readData } from "./data.js";

const FLOAT_DEF = floatClassifierDef();
const FLOAT = writeModel(FLOAT_DEF);
const CALIBRATION = floatInputs(100, 16, 1);
const HELD_OUT = floatInputs(100, 16, 2);

const cache = new Map<string, Promise<QuantizeResult>>();
function quantized(options: QuantizeOptions = {}): Promise<QuantizeResult> {
  const key = JSON.stringify(options);
  if (!cache.has(key)) cache.set(key, quantize(FLOAT, CALIBRATION, { inputType: "float32", date: new Date("2025-01-01T00:00:00Z"), ...options }));
  return cache.get(key)!;
}

const opName = (def: ModelDef, k: number) => builtinOpName(def.operatorCodes[def.subgraphs[0].operators[k].opcodeIndex].builtinCode);
const tensorNamed = (def: ModelDef, name: string) => def.subgraphs[0].tensors.find((t) => t.name === name)!;

function int8Values(def: ModelDef, t: TensorDef): Int8Array {
  const b = def.buffers[t.buffer];
  return new Int8Array(b.buffer, b.byteOffset, b.length);
}

function floatValues(def: ModelDef, t: TensorDef): Float32Array {
  return new Float32Array(def.buffers[t.buffer].slice().buffer);
}

test("weights: int8, symmetric per channel in [−127, 127], zero point 0, dimension 0 (conv, FC) or 3 (depthwise)", async () => {
  const def = readModel((await quantized()).model);
  for (const [name, dim] of [["conv1/weights", 0], ["dw/weights", 3], ["project/weights", 0], ["logits/weights", 0]] as const) {
    const t = tensorNamed(def, name);
    const f = tensorNamed(FLOAT_DEF, name);
    const q = t.quantization!;
    assert.is(t.type, "int8", name);
    assert.is(q.quantizedDimension, dim, name);
    assert.is(q.scale.length, t.shape[dim], `${name}: one scale per channel`);
    assert.ok(q.zeroPoint.every((z) => z === 0), `${name}: zero points 0`);
    const values = int8Values(def, t);
    const original = floatValues(FLOAT_DEF, f);
    const inner = t.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    const maxAbs = new Array(q.scale.length).fill(0);
    const maxQ = new Array(q.scale.length).fill(0);
    values.forEach((v, i) => {
      const c = Math.floor(i / inner) % t.shape[dim];
      assert.ok(v >= -127 && v <= 127, `${name}: ${v} outside [−127, 127]`);
      maxAbs[c] = Math.max(maxAbs[c], Math.abs(original[i]));
      maxQ[c] = Math.max(maxQ[c], Math.abs(v));
      assert.ok(Math.abs(q.scale[c] * v - original[i]) <= q.scale[c] / 2 + 1e-7, `${name}: element ${i} off by more than half a step`);
    });
    q.scale.forEach((s, c) => {
      assert.is(s, Math.fround(maxAbs[c] / 127), `${name}: scale of channel ${c} = max|w| / 127`);
      assert.is(maxQ[c], 127, `${name}: channel ${c} uses the full range`);
    });
  }
});

test("--per-tensor: one weight scale per filter, biases with one scale", async () => {
  const def = readModel((await quantized({ perTensor: true })).model);
  for (const name of ["conv1/weights", "dw/weights", "project/weights", "logits/weights"]) {
    assert.is(tensorNamed(def, name).quantization!.scale.length, 1, name);
  }
  assert.is(tensorNamed(def, "conv1/bias").quantization!.scale.length, 1);
});

test("biases: int32, scale = float32(input scale × weight scale[c]), zero point 0, values rounded", async () => {
  const def = readModel((await quantized()).model);
  const ops = def.subgraphs[0].operators;
  for (const op of ops) {
    const type = builtinOpName(def.operatorCodes[op.opcodeIndex].builtinCode);
    if (!["CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"].includes(type)) continue;
    const [x, w, b] = op.inputs.map((i) => def.subgraphs[0].tensors[i]);
    assert.is(b.type, "int32");
    const sIn = x.quantization!.scale[0];
    const q = b.quantization!;
    assert.ok(q.zeroPoint.every((z) => z === 0));
    q.scale.forEach((s, c) => assert.is(s, Math.fround(Math.fround(sIn) * w.quantization!.scale[c]), `${b.name}: scale ${c}`));
    const values = new Int32Array(def.buffers[b.buffer].slice().buffer);
    const original = floatValues(FLOAT_DEF, tensorNamed(FLOAT_DEF, b.name));
    values.forEach((v, c) => assert.is(v, Math.sign(original[c] / q.scale[c]) * Math.round(Math.abs(original[c] / q.scale[c])), `${b.name}[${c}]`));
  }
});

test("activations: TFLite's asymmetric int8 rule; SOFTMAX 1/256 and −128; pool, pad, reshape, concat keep their input's parameters; RELU6 within [0, 6]", async () => {
  const { model, report } = await quantized();
  const def = readModel(model);
  const params = (name: string) => {
    const q = (tensorNamed(def, `${name}_int8`) ?? tensorNamed(def, name)).quantization!;
    return { scale: q.scale[0], zeroPoint: q.zeroPoint[0] };
  };
  // Every activation follows the rule from its reported (used) range.
  for (const t of report.tensors) {
    if (t.name === "probabilities") continue;
    assert.equal(params(t.name), { scale: t.scale, zeroPoint: t.zeroPoint }, t.name);
  }
  const sm = params("probabilities");
  assert.equal(sm, { scale: 1 / 256, zeroPoint: -128 });
  for (const [from, to] of [["add", "pad"], ["pad", "maxpool"], ["pad", "avgpool"], ["maxpool", "concat"], ["avgpool", "concat"], ["mean", "reshape"]]) {
    assert.equal(params(to), params(from), `${to} shares ${from}'s parameters`);
  }
  for (const name of ["conv1/Relu6", "dw/Relu6"]) {
    const p = params(name);
    assert.is(p.zeroPoint, -128, `${name}: a RELU6 output starts at 0`);
    assert.ok(p.scale * 255 <= 6 * (1 + 1e-6), `${name}: range ${p.scale * 255} within [0, 6]`);
  }
  // MEAN and ADD have their own parameters.
  assert.not.equal(params("mean"), params("concat"));
  assert.not.equal(params("add"), params("project/BiasAdd"));
});

test("model boundary: uint8 input = QUANTIZE (scale s, zp + 128), float32 output = DEQUANTIZE, int8 needs neither; op versions", async () => {
  const u8 = readModel((await quantized({ inputType: "uint8", outputType: "float32" })).model);
  const sg = u8.subgraphs[0];
  const input = sg.tensors[sg.inputs[0]];
  assert.is(input.type, "uint8");
  assert.is(input.name, "input");
  assert.is(opName(u8, 0), "QUANTIZE");
  const inner = sg.tensors[sg.operators[0].outputs[0]];
  assert.is(inner.type, "int8");
  assert.is(input.quantization!.scale[0], inner.quantization!.scale[0]);
  assert.is(input.quantization!.zeroPoint[0], inner.quantization!.zeroPoint[0] + 128);
  // Float32 inputs in [−1, 1] (the calibration range): scale 2/255, zero point −1 → uint8 127.
  assert.is(input.quantization!.scale[0], Math.fround(2 / 255));
  assert.is(input.quantization!.zeroPoint[0], 127);
  assert.is(opName(u8, sg.operators.length - 1), "DEQUANTIZE");
  assert.is(sg.tensors[sg.outputs[0]].type, "float32");
  assert.is(sg.tensors[sg.outputs[0]].name, "probabilities");

  const i8 = readModel((await quantized({ inputType: "int8", outputType: "int8" })).model);
  assert.is(i8.subgraphs[0].operators.length, FLOAT_DEF.subgraphs[0].operators.length);
  assert.is(i8.subgraphs[0].tensors[i8.subgraphs[0].inputs[0]].type, "int8");
  const out = i8.subgraphs[0].tensors[i8.subgraphs[0].outputs[0]];
  assert.equal([out.type, out.quantization!.scale[0], out.quantization!.zeroPoint[0]], ["int8", 1 / 256, -128]);

  const versions = Object.fromEntries(i8.operatorCodes.map((c) => [builtinOpName(c.builtinCode), c.version]));
  assert.equal(versions, {
    CONV_2D: 3, DEPTHWISE_CONV_2D: 3, ADD: 2, PAD: 2, MAX_POOL_2D: 2, AVERAGE_POOL_2D: 2, CONCATENATION: 2,
    MEAN: 2, RESHAPE: 1, FULLY_CONNECTED: 4, SOFTMAX: 2,
  });
  const f32 = readModel((await quantized({ inputType: "float32", outputType: "uint8" })).model);
  assert.is(f32.subgraphs[0].tensors[f32.subgraphs[0].inputs[0]].type, "float32");
  assert.is(opName(f32, f32.subgraphs[0].operators.length - 1), "QUANTIZE");
  assert.equal(f32.subgraphs[0].tensors[f32.subgraphs[0].outputs[0]].quantization!.zeroPoint, [0]);
});

test("the file records how it was made: description and a metadata entry", async () => {
  const { model, report } = await quantized({ method: "percentile:99.9" });
  const def = readModel(model);
  assert.match(def.description, new RegExp(`quantlite ${VERSION.replace(/\./g, "\\.")} int8`));
  assert.match(def.description, /percentile:99\.9 calibration on 100 samples/);
  const entry = def.metadata.find((m) => m.name === METADATA_NAME)!;
  const json = JSON.parse(new TextDecoder().decode(def.buffers[entry.buffer]));
  assert.is(json.method, "percentile:99.9");
  assert.is(json.samples, 100);
  assert.is(json.producer, `quantlite ${VERSION}`);
  assert.is(json.date, "2025-01-01T00:00:00.000Z");
  assert.is(report.method, "percentile:99.9");
  assert.ok(report.samplesPerSecond > 0);
  const loaded = await Model.load(model);
  assert.is(loaded.description, def.description);
});

test("VERSION matches package.json", async () => {
  const { readFileSync } = await import("node:fs");
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  assert.is(VERSION, pkg.version);
});

/** Top-1 agreement and largest probability difference of the quantized model against the float one. */
async function roundTrip(result: QuantizeResult, inputs: Float32Array[]): Promise<{ agree: number; maxDiff: number; meanDiff: number }> {
  const float = await Model.load(FLOAT);
  const int8 = await Model.load(result.model);
  const out = int8.outputs[0];
  let agree = 0;
  let maxDiff = 0;
  let sumDiff = 0;
  for (const x of inputs) {
    const f = float.run(x) as Float32Array;
    const feed = int8.inputs[0].dtype === "float32" ? x
      : int8.inputs[0].dtype === "uint8" ? Uint8Array.from(x, (v) => Math.round(v * 127.5 + 127.5))
      : Int8Array.from(x, (v) => Math.round(v * 127.5 - 0.5));
    const raw = int8.run(feed) as Int8Array | Uint8Array | Float32Array;
    const q = Array.from(raw, (v) => (out.dtype === "float32" ? v : out.scale * (v - out.zeroPoint)));
    const top = (a: ArrayLike<number>) => Array.from(a).indexOf(Math.max(...Array.from(a)));
    if (top(f) === top(q)) agree++;
    q.forEach((v, i) => {
      maxDiff = Math.max(maxDiff, Math.abs(v - f[i]));
      sumDiff += Math.abs(v - f[i]);
    });
  }
  return { agree: agree / inputs.length, maxDiff, meanDiff: sumDiff / (inputs.length * 10) };
}

for (const method of ["minmax", "mse", "percentile", "entropy"]) {
  test(`round trip (${method}): the int8 model's outputs stay close to the float model's on held-out inputs`, async () => {
    const { agree, maxDiff, meanDiff } = await roundTrip(await quantized({ method }), HELD_OUT);
    assert.ok(agree >= 0.95, `top-1 agreement ${agree}`);
    assert.ok(maxDiff <= 0.15, `largest probability difference ${maxDiff}`);
    assert.ok(meanDiff <= 0.005, `mean probability difference ${meanDiff}`);
  });
}

test("round trip with uint8 / int8 inputs and outputs", async () => {
  for (const [inputType, outputType] of [["uint8", "uint8"], ["int8", "float32"]] as const) {
    const { agree, maxDiff, meanDiff } = await roundTrip(await quantized({ inputType, outputType, inputRange: [-1, 1] }), HELD_OUT);
    assert.ok(meanDiff <= 0.005, `${inputType}/${outputType}: mean probability difference ${meanDiff}`);
    assert.ok(agree >= 0.95, `${inputType}/${outputType}: top-1 agreement ${agree}`);
    assert.ok(maxDiff <= 0.15, `${inputType}/${outputType}: largest probability difference ${maxDiff}`);
  }
});

test("quantizeModelDef alone: ranges in, spec-conformant int8 ModelDef out (no float kernels needed)", async () => {
  const ranges = new Map<number, [number, number]>();
  FLOAT_DEF.subgraphs[0].tensors.forEach((t, i) => { if (t.type === "float32" && t.buffer === 0) ranges.set(i, [-2, 5]); });
  const { def, tensors } = quantizeModelDef(FLOAT_DEF, ranges, { inputType: "int8", outputType: "int8" });
  const conv = tensors.find((t) => t.name === "conv1/Relu6")!;
  assert.equal(conv.observed, [0, 5]); // RELU6 clips [−2, 5]
  assert.is(conv.zeroPoint, -128);
  const model = await Model.load(writeModel(def));
  assert.is(model.run(new Int8Array(16 * 16 * 3)).length, 10);
});

// ---------------------------------------------------------------------------------------
// Bad input

async function rejects<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T, pattern: RegExp): Promise<T> {
  try {
    await promise;
  } catch (e) {
    assert.instance(e, type, `expected ${type.name}, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    assert.match((e as Error).message, pattern);
    return e as T;
  }
  throw new assert.Assertion({ message: "expected a rejection", generated: false, operator: "rejects", expects: "", actual: "" });
}

test("an empty calibration set is an InputError", async () => {
  await rejects(quantize(FLOAT, []), InputError, /calibration set is empty/);
});

test("undecodable images are skipped with a warning and counted; all undecodable is an InputError", async () => {
  const image = makeBmp({ image: randomImage(20, 18, 3), bitCount: 24 });
  const warnings: string[] = [];
  const result = await quantize(FLOAT, [
    { name: "good.bmp", data: image }, { name: "broken.jpg", data: new Uint8Array([0xff, 0xd8, 0xff, 1, 2]) }, { name: "good2.bmp", data: image },
  ], { onWarning: (w) => warnings.push(w) });
  assert.is(result.report.samples, 2);
  assert.equal(result.report.skipped.map((s) => s.name), ["broken.jpg"]);
  assert.ok(warnings.some((w) => /skipped broken\.jpg/.test(w)), warnings.join("\n"));
  assert.ok(warnings.some((w) => /only 2 calibration samples/.test(w)), "fewer than 10 samples warns");
  await rejects(quantize(FLOAT, [{ name: "a.png", data: new Uint8Array(10) }, { name: "b.bmp", data: new Uint8Array([66, 77]) }]), InputError, /all 2 images failed to decode \(first: a\.png/);
});

test("an already-quantized model is a ModelError saying so", async () => {
  const { model } = await quantized();
  await rejects(quantize(model, CALIBRATION), ModelError, /already quantized.*float32 model/);
  const tf2 = readData("models/tf2_mobilenet_v2_1.0_224_ptq.tflite");
  if (tf2 !== null) await rejects(quantize(tf2, CALIBRATION), ModelError, /already quantized/);
});

test("unsupported float ops are a ModelError listing every one", async () => {
  const def = buildModel({
    tensors: [
      { name: "x", type: "float32", shape: [1, 4] }, { name: "t", type: "float32", shape: [1, 4] },
      { name: "l", type: "float32", shape: [1, 4] },
    ],
    ops: [
      { builtinCode: 28 /* TANH */, inputs: [0], outputs: [1], options: null },
      { builtinCode: 14 /* LOGISTIC */, inputs: [1], outputs: [2], options: null },
    ],
    inputs: [0], outputs: [2],
  });
  const e = await rejects(quantize(writeModel(def), [new Float32Array(4)]), ModelError, /cannot quantize this model: TANH cannot be quantized.*LOGISTIC/);
  assert.equal(e.problems.length, 2);
  assert.match(e.problems[0], /^operator 0: TANH/);
});

test("wrong argument types are InputErrors; garbage model bytes a ModelError", async () => {
  await rejects(quantize("model.tflite" as never, []), InputError, /Uint8Array/);
  await rejects(quantize(FLOAT, 5 as never), InputError, /iterable/);
  await rejects(quantize(FLOAT, [new Float32Array(3)]), InputError, /needs 768 values/);
  await rejects(quantize(FLOAT, [new Int8Array(768) as never]), InputError, /Float32Array/);
  await rejects(quantize(FLOAT, CALIBRATION, { method: "kl" }), InputError, /unknown calibration method/);
  await rejects(quantize(FLOAT, CALIBRATION, { count: 0 }), InputError, /count/);
  await rejects(quantize(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), CALIBRATION), ModelError, /not a TFLite model/);
});

test("BuiltinOp codes used by the tests", () => {
  assert.is(builtinOpName(28), "TANH");
  assert.is(builtinOpName(14), "LOGISTIC");
  assert.is(BuiltinOp.QUANTIZE, 114);
});

test.run();
