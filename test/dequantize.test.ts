// dequantizeModel (js/quantize/dequantize.ts) and `quantlite dequantize`: on a generated int8
// chain (QUANTIZE → CONV_2D → DEPTHWISE_CONV_2D → CONV_2D → ADD → MEAN → FULLY_CONNECTED →
// SOFTMAX → DEQUANTIZE) the float model holds exactly the dequantized weights and biases, equals
// the float64 reference on them, and stays within a few quantization steps of the int8 model;
// on TF2's MobileNetV2 it loads, classifies, agrees with the int8 golden top-1 and round-trips
// through the reader; the two uint8 models still classify their photos.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Model, ModelError, classify, quantizeInput, topK } from "../js/index.js";
import { dequantizeModel, dequantizeModelDef } from "../js/quantize/dequantize.js";
import { BuiltinOp, builtinOpName } from "../js/tflite/builtin-ops.js";
import { readModel } from "../js/tflite/read.js";
import type { ModelDef } from "../js/tflite/types.js";
import { writeModel } from "../js/tflite/write.js";
import { appendZip } from "../js/tflite/zip-write.js";
import { readData } from "./data.js";
import { buildModel, type TensorSpec } from "./model-builder.js";
import { Rng } from "./random.js";
import * as fref from "./reference/float.js";

const CLI = new URL("../js/cli.js", import.meta.url).pathname;
const TF2 = "models/tf2_mobilenet_v2_1.0_224_ptq.tflite";

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function floats(rng: Rng, n: number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal() * scale);
}

/** Symmetric int8 per channel along `dim`, as TFLite's converter quantizes weights. */
function quantizeWeights(w: Float32Array, shape: number[], dim: number) {
  const channels = shape[dim];
  const inner = product(shape.slice(dim + 1));
  const channelOf = (i: number) => Math.floor(i / inner) % channels;
  const maxAbs = new Array<number>(channels).fill(0);
  w.forEach((v, i) => { maxAbs[channelOf(i)] = Math.max(maxAbs[channelOf(i)], Math.abs(v)); });
  const scales = maxAbs.map((m) => Math.fround(m / 127));
  const q = Int8Array.from(w, (v, i) => Math.round(v / scales[channelOf(i)]));
  const real = Float32Array.from(q, (v, i) => scales[channelOf(i)] * v);
  return { q, scales, real };
}

/** Asymmetric int8 parameters for a range (nudged to include 0). */
function activationQuant(values: ArrayLike<number>): { scale: number; zeroPoint: number } {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < values.length; i++) { lo = Math.min(lo, values[i]); hi = Math.max(hi, values[i]); }
  const scale = Math.fround((hi - lo) / 255 || 1e-3);
  return { scale, zeroPoint: Math.max(-128, Math.min(127, Math.round(-128 - lo / scale))) };
}

interface Chain {
  def: ModelDef;
  input: Float32Array;
  /** Float64 reference of the chain on the dequantized weights: logits and probabilities. */
  expected: [fref.F64Tensor, fref.F64Tensor];
  logitsScale: number;
  /** Per constant tensor name: its dequantized values. */
  realWeights: Map<string, Float32Array>;
}

function int8Chain(seed: number): Chain {
  const r = new Rng(seed);
  const [h, w, c0, c1, units] = [r.int(4, 12), r.int(4, 12), 3, r.pick([8, 12, 17]), r.pick([5, 10])];
  const inShape = [1, h, w, c0];
  const act = [1, h, w, c1];
  const input = floats(r, product(inShape), 1);
  const calibration = [input, floats(r, product(inShape), 1)];
  const conv = { padding: "SAME" as const, strideH: 1, strideW: 1 };

  const w1 = quantizeWeights(floats(r, c1 * 9 * c0, 1 / Math.sqrt(9 * c0)), [c1, 3, 3, c0], 0);
  const w2 = quantizeWeights(floats(r, 9 * c1, 1 / 3), [1, 3, 3, c1], 3);
  const w3 = quantizeWeights(floats(r, c1 * c1, 1 / Math.sqrt(c1)), [c1, 1, 1, c1], 0);
  const wf = quantizeWeights(floats(r, units * c1, 2 / Math.sqrt(c1)), [units, c1], 0);
  const biases = [floats(r, c1, 0.2), floats(r, c1, 0.2), floats(r, c1, 0.2), floats(r, units, 0.2)];

  // Activation ranges from the float64 reference on the calibration inputs, with biases rounded
  // as they will be (bias scales depend on the input scales, known layer by layer).
  const xq = activationQuant(calibration.flatMap((x) => [...x]));
  const biasQ = (b: Float32Array, inScale: number, scales: number[]) => {
    const q = Int32Array.from(b, (v, c) => Math.round(v / (inScale * scales[c])));
    return { q, real: Float32Array.from(q, (v, c) => v * inScale * scales[c]) };
  };
  const run = (x: Float32Array, b: { real: Float32Array }[]) => {
    const t1 = fref.conv2d(x, inShape, w1.real, [c1, 3, 3, c0], b[0].real, { ...conv, activation: "RELU6" });
    const t2 = b[1] ? fref.depthwiseConv2d(t1.data, act, w2.real, [1, 3, 3, c1], b[1].real, { ...conv, activation: "RELU6" }) : null;
    const t3 = t2 && b[2] ? fref.conv2d(t2.data, act, w3.real, [c1, 1, 1, c1], b[2].real, conv) : null;
    const t4 = t3 ? fref.add(t3.data, act, t1.data, act) : null;
    const t5 = t4 ? fref.mean(t4.data, act, false) : null;
    const t6 = t5 && b[3] ? fref.fullyConnected(t5.data, wf.real, [units, c1], b[3].real) : null;
    const t7 = t6 ? fref.softmax(t6.data, t6.shape, 1) : null;
    return [t1, t2, t3, t4, t5, t6, t7];
  };
  const b = [biasQ(biases[0], xq.scale, w1.scales)];
  const rangeOf = (k: number, bs: typeof b) => activationQuant(calibration.flatMap((x) => [...run(x, bs)[k]!.data]));
  const q1 = rangeOf(0, b);
  b.push(biasQ(biases[1], q1.scale, w2.scales));
  const q2 = rangeOf(1, b);
  b.push(biasQ(biases[2], q2.scale, w3.scales));
  const q3 = rangeOf(2, b);
  const q4 = rangeOf(3, b);
  const q5 = rangeOf(4, b);
  b.push(biasQ(biases[3], q5.scale, wf.scales));
  const q6 = rangeOf(5, b);
  const outs = run(input, b);

  const i8 = (shape: number[], q: { scale: number; zeroPoint: number }, name?: string): TensorSpec => ({ name, type: "int8", shape, scale: q.scale, zeroPoint: q.zeroPoint });
  const weight = (name: string, shape: number[], wq: ReturnType<typeof quantizeWeights>, dim: number): TensorSpec => ({
    name, type: "int8", shape, scale: wq.scales, zeroPoint: wq.scales.map(() => 0), quantizedDimension: dim, data: wq.q,
  });
  const bias = (name: string, bq: { q: Int32Array }, inScale: number, scales: number[]): TensorSpec => ({
    name, type: "int32", shape: [bq.q.length], scale: scales.map((s) => Math.fround(inScale * s)), zeroPoint: scales.map(() => 0), data: bq.q,
  });
  const tensors: TensorSpec[] = [
    { name: "x", type: "float32", shape: inShape }, i8(inShape, xq),
    weight("w1", [c1, 3, 3, c0], w1, 0), bias("b1", b[0], xq.scale, w1.scales), i8(act, q1),
    weight("w2", [1, 3, 3, c1], w2, 3), bias("b2", b[1], q1.scale, w2.scales), i8(act, q2),
    weight("w3", [c1, 1, 1, c1], w3, 0), bias("b3", b[2], q2.scale, w3.scales), i8(act, q3), i8(act, q4),
    { name: "axis", type: "int32", shape: [2], data: new Int32Array([1, 2]) }, i8([1, c1], q5),
    weight("wf", [units, c1], wf, 0), bias("bf", b[3], q5.scale, wf.scales), i8([1, units], q6, "logits_int8"),
    i8([1, units], { scale: 1 / 256, zeroPoint: -128 }),
    { name: "logits", type: "float32", shape: [1, units] }, { name: "probabilities", type: "float32", shape: [1, units] },
  ];
  const convOptions = { kind: "Conv2DOptions" as const, ...conv, dilationHFactor: 1, dilationWFactor: 1 };
  const def = buildModel({
    tensors,
    ops: [
      { builtinCode: BuiltinOp.QUANTIZE, inputs: [0], outputs: [1], options: { kind: "QuantizeOptions" } },
      { builtinCode: BuiltinOp.CONV_2D, inputs: [1, 2, 3], outputs: [4], options: { ...convOptions, fusedActivation: "RELU6" }, version: 3 },
      { builtinCode: BuiltinOp.DEPTHWISE_CONV_2D, inputs: [4, 5, 6], outputs: [7], options: { kind: "DepthwiseConv2DOptions", ...conv, depthMultiplier: 1, dilationHFactor: 1, dilationWFactor: 1, fusedActivation: "RELU6" }, version: 3 },
      { builtinCode: BuiltinOp.CONV_2D, inputs: [7, 8, 9], outputs: [10], options: { ...convOptions, fusedActivation: "NONE" }, version: 3 },
      { builtinCode: BuiltinOp.ADD, inputs: [10, 4], outputs: [11], options: { kind: "AddOptions", fusedActivation: "NONE", potScaleInt16: true }, version: 2 },
      { builtinCode: BuiltinOp.MEAN, inputs: [11, 12], outputs: [13], options: { kind: "ReducerOptions", keepDims: false }, version: 2 },
      { builtinCode: BuiltinOp.FULLY_CONNECTED, inputs: [13, 14, 15], outputs: [16], options: { kind: "FullyConnectedOptions", fusedActivation: "NONE", weightsFormat: 0, keepNumDims: false, asymmetricQuantizeInputs: false }, version: 4 },
      { builtinCode: BuiltinOp.SOFTMAX, inputs: [16], outputs: [17], options: { kind: "SoftmaxOptions", beta: 1 }, version: 2 },
      { builtinCode: BuiltinOp.DEQUANTIZE, inputs: [16], outputs: [18], options: null, version: 2 },
      { builtinCode: BuiltinOp.DEQUANTIZE, inputs: [17], outputs: [19], options: null, version: 2 },
    ],
    inputs: [0],
    outputs: [18, 19],
    description: "int8 chain",
  });
  const realWeights = new Map<string, Float32Array>([
    ["w1", w1.real], ["w2", w2.real], ["w3", w3.real], ["wf", wf.real],
    ["b1", b[0].real], ["b2", b[1].real], ["b3", b[2].real], ["bf", b[3].real],
  ]);
  return { def, input, expected: [outs[5]!, outs[6]!], logitsScale: q6.scale, realWeights };
}

function opTypes(def: ModelDef): string[] {
  return def.subgraphs[0].operators.map((op) => builtinOpName(def.operatorCodes[op.opcodeIndex].builtinCode));
}

test("a generated int8 chain: exact float weights, the float64 reference, and the int8 outputs within a few steps", async () => {
  const rng = new Rng(913);
  let worstLogits = 0;
  let worstProbabilities = 0;
  for (let i = 0; i < 12; i++) {
    const seed = rng.u32();
    const chain = int8Chain(seed);
    const int8Bytes = writeModel(chain.def);
    const floatBytes = dequantizeModel(int8Bytes);
    assert.equal(floatBytes, dequantizeModel(chain.def), "bytes and ModelDef give the same file");

    const def = readModel(floatBytes);
    assert.equal(opTypes(def), ["CONV_2D", "DEPTHWISE_CONV_2D", "CONV_2D", "ADD", "MEAN", "FULLY_CONNECTED", "SOFTMAX"]);
    const sg = def.subgraphs[0];
    assert.equal(sg.inputs.map((t) => sg.tensors[t].name), ["x"]);
    assert.equal(sg.outputs.map((t) => sg.tensors[t].name), ["logits", "probabilities"]);
    for (const t of sg.tensors) {
      assert.is(t.type, t.name === "axis" ? "int32" : "float32", `tensor ${t.name}`);
      if (t.type === "float32") assert.is(t.quantization, null, `tensor ${t.name} is not quantized`);
      const real = chain.realWeights.get(t.name);
      if (real) assert.equal(new Float32Array(def.buffers[t.buffer].slice().buffer), real, `${t.name}: scale[c] × q (bias: q × s_in × s_w[c])`);
    }
    assert.is(def.buffers.length, 1 + 9, "no int8 weight buffers are left");

    const int8 = await Model.load(int8Bytes);
    const [int8Logits, int8Probabilities] = int8.runAll([chain.input]) as Float32Array[];
    for (const kernels of ["simd", "scalar"] as const) {
      const float = await Model.load(floatBytes, { kernels });
      const [logits, probabilities] = float.runAll([chain.input]) as Float32Array[];
      const where = `case ${i} (seed ${seed}, ${kernels})`;
      assert.ok(fref.maxNormalisedError(logits, chain.expected[0].data) <= 1e-5, `${where}: logits against the float64 reference`);
      assert.ok(fref.maxNormalisedError(probabilities, chain.expected[1].data) <= 1e-5, `${where}: probabilities against the float64 reference`);
      const logitSteps = Math.max(...logits.map((v, k) => Math.abs(v - int8Logits[k]))) / chain.logitsScale;
      const probabilitySteps = Math.max(...probabilities.map((v, k) => Math.abs(v - int8Probabilities[k]))) * 256;
      worstLogits = Math.max(worstLogits, logitSteps);
      worstProbabilities = Math.max(worstProbabilities, probabilitySteps);
      assert.ok(logitSteps <= 4, `${where}: logits differ from the int8 model's by ${logitSteps.toFixed(2)} steps`);
      assert.ok(probabilitySteps <= 4, `${where}: probabilities differ from the int8 model's by ${probabilitySteps.toFixed(2)} steps of 1/256`);
      float.dispose();
    }
    int8.dispose();
  }
  console.log(`  float vs int8: logits within ${worstLogits.toFixed(2)} steps, probabilities within ${worstProbabilities.toFixed(2)}/256`);
});

test("dequantize refuses models it cannot turn into float", () => {
  const { def } = int8Chain(1);
  assert.throws(() => dequantizeModelDef({ ...def, subgraphs: [def.subgraphs[0], def.subgraphs[0]] }), (e: Error) => e instanceof ModelError && /one subgraph/.test(e.message));
  const sg = def.subgraphs[0];
  const raw = { ...def, subgraphs: [{ ...sg, tensors: sg.tensors.map((t, i) => (i === 4 ? { ...t, quantization: null } : t)) }] };
  assert.throws(() => dequantizeModelDef(raw), (e: Error) => e instanceof ModelError && /int8 activation without quantization/.test(e.message));
});

test("quantlite dequantize writes the float model; a missing --out is a usage error", () => {
  const dir = mkdtempSync(join(tmpdir(), "quantlite-dequantize-"));
  try {
    const int8Path = join(dir, "int8.tflite");
    const floatPath = join(dir, "float.tflite");
    const { def } = int8Chain(2);
    writeFileSync(int8Path, writeModel(def));
    execFileSync(process.execPath, [CLI, "dequantize", "--model", int8Path, "--out", floatPath], { stdio: "pipe" });
    assert.equal(new Uint8Array(readFileSync(floatPath)), dequantizeModel(def));
    let status = 0;
    try {
      execFileSync(process.execPath, [CLI, "dequantize", "--model", int8Path], { stdio: "pipe" });
    } catch (e) {
      status = (e as { status: number }).status;
    }
    assert.is(status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("TF2 MobileNetV2 dequantized: loads, classifies cat.bmp, agrees with the int8 golden top-1, round-trips", async () => {
  const int8Bytes = readData(TF2);
  const cat = readData("images/samples/cat.bmp");
  const samples = readData("golden/samples.u8.bin");
  const golden = readData("golden/tf2_ptq.samples.json");
  if (!int8Bytes || !cat || !samples || !golden) return;
  const floatBytes = dequantizeModel(int8Bytes);

  // (d) the reader gives the float model back, and writing that again gives the same bytes.
  const def = readModel(floatBytes);
  assert.is(def.subgraphs[0].operators.length, 66);
  assert.not.ok(opTypes(def).includes("QUANTIZE") || opTypes(def).includes("DEQUANTIZE"));
  assert.ok(def.subgraphs[0].tensors.every((t) => t.type === "float32" || t.type === "int32"));
  assert.equal([...def.associatedFiles.keys()], ["imagenet_labels.txt"]);
  assert.match(def.description, /\(pixel − 127\.5\) \/ 127\.5/);
  assert.equal(appendZip(writeModel(def), def.associatedFiles), floatBytes);

  // (a) it loads: float32 in, float32 out, labels packed.
  const model = await Model.load(floatBytes);
  assert.equal(model.inputs.map((t) => [t.dtype, t.shape]), [["float32", [1, 224, 224, 3]]]);
  assert.equal(model.outputs.map((t) => [t.name, t.dtype, t.shape]), [["Identity", "float32", [1, 1001]]]);
  assert.is(model.labels?.length, 1001);

  // (b) classify: the float32 input is fed as (pixel − 127.5) / 127.5.
  const top = classify(model, cat, { top: 3 });
  assert.is(top[0].label, "Egyptian cat");
  assert.ok(top[0].score > 0.5 && top[0].score <= 1, `score ${top[0].score}`);

  // (c) the 11 golden samples: top-1 as the int8 model's golden top-1 on at least 10.
  const want = JSON.parse(new TextDecoder().decode(golden)).top1 as number[];
  const size = 224 * 224 * 3;
  const got = want.map((_, k) => {
    const x = quantizeInput(samples.subarray(k * size, (k + 1) * size), { dtype: "float32", scale: 0, zeroPoint: 0 });
    return topK(model.run(x) as Float32Array, 1)[0];
  });
  const agree = got.filter((c, k) => c === want[k]).length;
  console.log(`  float MobileNetV2: top-1 agrees with the int8 golden top-1 on ${agree}/11 samples`);
  assert.ok(agree >= 10, `top-1 ${JSON.stringify(got)} vs golden ${JSON.stringify(want)}`);
  model.dispose();
});

for (const [file, image, label] of [
  ["models/mobilenet_v2_1.0_224_quant.tflite", "parrot.jpg", "macaw"],
  ["models/mobilenet_v2_1.0_224_inat_bird_quant.tflite", "owl.jpg", "Athene cunicularia (Burrowing Owl)"],
] as const) {
  test(`the uint8 model ${file.split("/")[1]} dequantized classifies ${image} as "${label}"`, async () => {
    const int8Bytes = readData(file);
    const imageBytes = readData(`images/samples/${image}`);
    if (!int8Bytes || !imageBytes) return;
    const model = await Model.load(dequantizeModel(int8Bytes));
    assert.is(model.inputs[0].dtype, "float32");
    assert.is(classify(model, imageBytes, { top: 1 })[0].label, label);
    model.dispose();
  });
}

test.run();
