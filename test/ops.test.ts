// Randomized single-operator tests: each case builds a one-op .tflite model, runs it with
// quantlite and compares every output byte with the independent TypeScript reference of
// TFLite's integer arithmetic (test/reference). A failure names the op, the case seed and
// parameters, and the first differing element with both values.
//
// QUANTLITE_OPS_CASES scales the number of cases (default 2, about 2,000 models and a few
// seconds; e.g. 20 for a soak run).
// QUANTLITE_OPS_SEED changes the base seed (default 20240601).

import { test } from "uvu";
import * as assert from "uvu/assert";
import { Model } from "../js/index.js";
import * as mb from "./model-builder.js";
import {
  AWKWARD_CHANNELS, Rng, outputScaleFor, pickActivation, randomChannels, randomConvGeometry, randomData, randomQuant, randomScale,
  randomWeights, randomZeroPoint, type QuantDtype,
} from "./random.js";
import * as ref from "./reference/index.js";

type Typed = Int8Array | Uint8Array | Float32Array | Int32Array;
type QArray = Int8Array | Uint8Array;

const CASE_FACTOR = Number(process.env.QUANTLITE_OPS_CASES ?? "2");
const BASE_SEED = Number(process.env.QUANTLITE_OPS_SEED ?? "20240601");

function cases(n: number): number {
  return Math.max(1, Math.round(n * CASE_FACTOR));
}

/** A generator per test, independent of the other tests. */
function rngFor(name: string): Rng {
  let h = BASE_SEED >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return new Rng(h);
}

function brief(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (ArrayBuffer.isView(v)) return `<${(v as Typed).constructor.name}(${(v as Typed).length})>`;
    if (Array.isArray(v) && v.length > 12) return [...v.slice(0, 12), `…(${v.length})`];
    if (typeof v === "number" && !Number.isInteger(v)) return Number(v.toPrecision(9));
    return v;
  });
}

function coords(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(0);
  let rest = index;
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = rest % shape[d];
    rest = Math.floor(rest / shape[d]);
  }
  return out;
}

/** Exact comparison; fails with the op, the case and the first differing element. */
function expectSame(label: string, params: unknown, actual: Typed, expected: Typed, shape: readonly number[]): void {
  const where = `${label} ${brief(params)}`;
  if (actual.constructor !== expected.constructor) {
    assert.unreachable(`${where}: quantlite returned ${actual.constructor.name}, reference is ${expected.constructor.name}`);
  }
  if (actual.length !== expected.length) {
    assert.unreachable(`${where}: quantlite returned ${actual.length} values, reference ${expected.length} (shape [${shape}])`);
  }
  let first = -1;
  let count = 0;
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (first >= 0) {
    assert.unreachable(
      `${where}: first difference at index ${first} [${coords(first, shape)}] of shape [${shape}]: ` +
        `quantlite ${actual[first]}, reference ${expected[first]} (${count} of ${expected.length} differ)`,
    );
  }
}

/** Loads the model, checks the output shape/dtype, runs it, compares output 0. */
async function check(
  label: string,
  params: unknown,
  bytes: Uint8Array,
  inputs: Typed[],
  expected: Typed,
  expectedShape: readonly number[],
): Promise<void> {
  let model: Model;
  try {
    model = await Model.load(bytes);
  } catch (e) {
    assert.unreachable(`${label} ${brief(params)}: Model.load failed: ${(e as Error).message}`);
    return;
  }
  try {
    assert.equal(model.outputs[0].shape, [...expectedShape], `${label} ${brief(params)}: output shape`);
    let outputs: Typed[];
    try {
      outputs = model.runAll(inputs) as Typed[];
    } catch (e) {
      assert.unreachable(`${label} ${brief(params)}: run failed: ${(e as Error).message}`);
      return;
    }
    expectSame(label, params, outputs[0], expected, expectedShape);
  } finally {
    model.dispose();
  }
}

const DTYPES: readonly QuantDtype[] = ["int8", "uint8"];

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

interface ConvLikeCase {
  params: Record<string, unknown>;
  bytes: Uint8Array;
  input: QArray;
  expected: ref.QTensor;
}

/**
 * A random CONV_2D or DEPTHWISE_CONV_2D model and its expected output; with `onePixel`, a CONV_2D
 * whose filter covers its whole input (one output pixel: the fully connected kernel's case).
 */
function convCase(rng: Rng, dtype: QuantDtype, perChannel: boolean, depthwise: boolean, onePixel = false): ConvLikeCase {
  const seed = rng.u32();
  const r = new Rng(seed);
  const { batch, inC, outC, depthMultiplier, kH, kW, strideH, strideW, dilationH, dilationW, inH, inW, padding, activation } =
    randomConvGeometry(r, depthwise, onePixel, 14);
  const inShape = [batch, inH, inW, inC];
  const filterShape = depthwise ? [1, kH, kW, outC] : [outC, kH, kW, inC];
  const inQ = randomQuant(r, dtype, 1e-3, 2);
  const baseW = randomScale(r, 1e-4, 0.5);
  const channels = perChannel ? outC : 1;
  const wScales = Array.from({ length: channels }, () => (perChannel ? Math.fround(baseW * r.logUniform(0.05, 20)) : baseW));
  const wZero = dtype === "int8" ? new Array<number>(channels).fill(0) : [randomZeroPoint(r, "uint8")];
  const depth = depthwise ? kH * kW : kH * kW * inC;
  const outQ = { scale: outputScaleFor(r, inQ.scale * baseW, depth), zeroPoint: randomZeroPoint(r, dtype) };
  const input = randomData(r, dtype, product(inShape));
  const filter = randomWeights(r, dtype, product(filterShape));
  const biasRange = 2 ** r.int(0, 17);
  const bias = r.bool(0.85) ? r.int32Array(outC, -biasRange, biasRange) : null;
  const opts = { padding, strideH, strideW, dilationH, dilationW, activation };
  const filterQ = { scales: wScales, zeroPoints: wZero };
  const expected = (depthwise ? ref.depthwiseConv2d : ref.conv2d)(input, inShape, inQ, filter, filterShape, filterQ, bias, outQ, opts);
  const spec = {
    input: { type: dtype, shape: inShape, q: inQ },
    weights: { type: dtype, shape: filterShape, data: filter, scales: wScales, zeroPoints: wZero, quantizedDimension: depthwise ? 3 : 0 },
    bias,
    output: { type: dtype, shape: expected.shape, q: outQ },
    ...opts,
  };
  const bytes = depthwise ? mb.depthwiseModel({ ...spec, depthMultiplier }) : mb.convModel(spec);
  const params = { seed, dtype, perChannel, inShape, filterShape, ...opts, depthMultiplier, inQ, outQ, wScales, wZero, bias: bias !== null };
  return { params, bytes, input, expected };
}

const CONV_VARIANTS: { dtype: QuantDtype; perChannel: boolean; n: number }[] = [
  { dtype: "int8", perChannel: true, n: 45 },
  { dtype: "int8", perChannel: false, n: 15 },
  { dtype: "uint8", perChannel: false, n: 40 },
];

for (const depthwise of [false, true]) {
  const op = depthwise ? "DEPTHWISE_CONV_2D" : "CONV_2D";
  for (const v of CONV_VARIANTS) {
    const name = `${op} ${v.dtype} ${v.perChannel ? "per-channel" : "per-tensor"}`;
    test(name, async () => {
      const rng = rngFor(name);
      for (let i = 0; i < cases(v.n); i++) {
        const c = convCase(rng, v.dtype, v.perChannel, depthwise);
        await check(`${op} case ${i}`, c.params, c.bytes, [c.input], c.expected.data, c.expected.shape);
      }
    });
  }
}

for (const v of CONV_VARIANTS) {
  const name = `CONV_2D one output pixel, filter = input ${v.dtype} ${v.perChannel ? "per-channel" : "per-tensor"}`;
  test(name, async () => {
    const rng = rngFor(name);
    for (let i = 0; i < cases(Math.ceil(v.n / 3)); i++) {
      const c = convCase(rng, v.dtype, v.perChannel, false, true);
      await check(`CONV_2D one pixel case ${i}`, c.params, c.bytes, [c.input], c.expected.data, c.expected.shape);
    }
  });
}

// ---------------------------------------------------------------------------------------
// FULLY_CONNECTED

const FC_VARIANTS: { dtype: QuantDtype; perChannel: boolean; n: number }[] = [
  { dtype: "int8", perChannel: true, n: 35 },
  { dtype: "int8", perChannel: false, n: 25 },
  { dtype: "uint8", perChannel: false, n: 30 },
];

for (const v of FC_VARIANTS) {
  const name = `FULLY_CONNECTED ${v.dtype} ${v.perChannel ? "per-channel" : "per-tensor"}`;
  test(name, async () => {
    const rng = rngFor(name);
    for (let i = 0; i < cases(v.n); i++) {
      const seed = rng.u32();
      const r = new Rng(seed);
      const depth = r.pick([1, 2, 3, 7, 8, 16, 17, 33, 64, 100, 257]);
      const units = r.pick([...AWKWARD_CHANNELS, 64, 100]);
      const batches = r.int(1, 4);
      const fourD = r.bool(0.25);
      const keepNumDims = fourD && r.bool(0.5);
      const inShape = fourD ? [1, 1, batches, depth] : [batches, depth];
      const filterShape = [units, depth];
      const inQ = randomQuant(r, v.dtype, 1e-3, 2);
      const baseW = randomScale(r, 1e-4, 0.5);
      const channels = v.perChannel ? units : 1;
      const wScales = Array.from({ length: channels }, () => (v.perChannel ? Math.fround(baseW * r.logUniform(0.05, 20)) : baseW));
      const wZero = v.dtype === "int8" ? new Array<number>(channels).fill(0) : [randomZeroPoint(r, "uint8")];
      const outQ = { scale: outputScaleFor(r, inQ.scale * baseW, depth), zeroPoint: randomZeroPoint(r, v.dtype) };
      const activation = pickActivation(r);
      const input = randomData(r, v.dtype, product(inShape));
      const filter = randomWeights(r, v.dtype, product(filterShape));
      const biasRange = 2 ** r.int(0, 17);
      const bias = r.bool(0.85) ? r.int32Array(units, -biasRange, biasRange) : null;
      const filterQ = { scales: wScales, zeroPoints: wZero };
      const expected = ref.fullyConnected(input, inShape, inQ, filter, filterShape, filterQ, bias, outQ, { activation, keepNumDims });
      const bytes = mb.fullyConnectedModel({
        input: { type: v.dtype, shape: inShape, q: inQ },
        weights: { type: v.dtype, shape: filterShape, data: filter, scales: wScales, zeroPoints: wZero, quantizedDimension: 0 },
        bias,
        output: { type: v.dtype, shape: expected.shape, q: outQ },
        activation,
        keepNumDims,
      });
      const params = { seed, dtype: v.dtype, inShape, filterShape, keepNumDims, activation, inQ, outQ, wScales, wZero, bias: bias !== null };
      await check(`FULLY_CONNECTED case ${i}`, params, bytes, [input], expected.data, expected.shape);
    }
  });
}

// ---------------------------------------------------------------------------------------
// ADD

for (const dtype of DTYPES) {
  const name = `ADD ${dtype} (same shape and broadcasting)`;
  test(name, async () => {
    const rng = rngFor(name);
    for (let i = 0; i < cases(45); i++) {
      const seed = rng.u32();
      const r = new Rng(seed);
      const outShape = [r.int(1, 2), r.int(1, 9), r.int(1, 9), randomChannels(r)];
      let aShape = [...outShape];
      let bShape = [...outShape];
      const mode = r.pick(["same", "same", "broadcast", "broadcast", "lower-rank"]);
      if (mode === "broadcast") {
        aShape = outShape.map((d) => (r.bool(0.3) ? 1 : d));
        bShape = outShape.map((d, k) => (aShape[k] !== 1 && r.bool(0.5) ? 1 : d));
      } else if (mode === "lower-rank") {
        bShape = outShape.slice(r.int(1, 3)).map((d) => (r.bool(0.2) ? 1 : d));
      }
      if (r.bool(0.5)) [aShape, bShape] = [bShape, aShape];
      const aQ = randomQuant(r, dtype, 1e-3, 4);
      const bQ = r.bool(0.2) ? { ...aQ } : randomQuant(r, dtype, 1e-3, 4);
      const outQ = { scale: Math.fround(Math.max(aQ.scale, bQ.scale) * r.logUniform(0.3, 4)), zeroPoint: randomZeroPoint(r, dtype) };
      const activation = pickActivation(r);
      const a = randomData(r, dtype, product(aShape));
      const b = randomData(r, dtype, product(bShape));
      const expected = ref.add(a, aShape, aQ, b, bShape, bQ, outQ, activation);
      const bytes = mb.addModel(
        { type: dtype, shape: aShape, q: aQ },
        { type: dtype, shape: bShape, q: bQ },
        { type: dtype, shape: expected.shape, q: outQ },
        activation,
      );
      const params = { seed, dtype, aShape, bShape, aQ, bQ, outQ, activation };
      await check(`ADD case ${i}`, params, bytes, [a, b], expected.data, expected.shape);
    }
  });
}

// ---------------------------------------------------------------------------------------
// MEAN over axes [1, 2]

for (const dtype of DTYPES) {
  const name = `MEAN ${dtype} (equal and different quantization, keep_dims)`;
  test(name, async () => {
    const rng = rngFor(name);
    for (let i = 0; i < cases(45); i++) {
      const seed = rng.u32();
      const r = new Rng(seed);
      const inShape = [r.int(1, 2), r.int(1, 12), r.int(1, 12), randomChannels(r)];
      const axes = r.bool(0.85) ? [1, 2] : [2, 1];
      const keepDims = r.bool(0.5);
      const inQ = randomQuant(r, dtype, 1e-3, 2);
      const sameQ = r.bool(0.35);
      const outQ = sameQ ? { ...inQ } : { scale: Math.fround(inQ.scale * r.logUniform(0.25, 4)), zeroPoint: randomZeroPoint(r, dtype) };
      const input = randomData(r, dtype, product(inShape));
      const expected = ref.mean(input, inShape, inQ, outQ, { axes, keepDims });
      const bytes = mb.meanModel({ type: dtype, shape: inShape, q: inQ }, { type: dtype, shape: expected.shape, q: outQ }, axes, keepDims);
      const params = { seed, dtype, inShape, axes, keepDims, sameQ, inQ, outQ };
      await check(`MEAN case ${i}`, params, bytes, [input], expected.data, expected.shape);
    }
  });
}

// ---------------------------------------------------------------------------------------
// AVERAGE_POOL_2D / MAX_POOL_2D

for (const kind of ["avg", "max"] as const) {
  for (const dtype of DTYPES) {
    const op = kind === "avg" ? "AVERAGE_POOL_2D" : "MAX_POOL_2D";
    const name = `${op} ${dtype}`;
    test(name, async () => {
      const rng = rngFor(name);
      for (let i = 0; i < cases(35); i++) {
        const seed = rng.u32();
        const r = new Rng(seed);
        const inShape = [r.int(1, 2), r.int(1, 13), r.int(1, 13), randomChannels(r)];
        let filterH = r.int(1, 4);
        let filterW = r.bool(0.7) ? filterH : r.int(1, 4);
        const strideH = r.int(1, 3);
        const strideW = r.bool(0.8) ? strideH : r.int(1, 3);
        const padding: "SAME" | "VALID" = r.bool(0.5) ? "SAME" : "VALID";
        if (padding === "VALID") {
          filterH = Math.min(filterH, inShape[1]);
          filterW = Math.min(filterW, inShape[2]);
        }
        // Whole-image pooling (7x7 VALID as in MobileNet) now and then.
        if (r.bool(0.1)) {
          filterH = inShape[1];
          filterW = inShape[2];
        }
        const activation = pickActivation(r);
        const q = randomQuant(r, dtype, 1e-3, 1);
        const input = randomData(r, dtype, product(inShape));
        const opts = { padding, strideH, strideW, filterH, filterW, activation };
        const expected = (kind === "avg" ? ref.averagePool2d : ref.maxPool2d)(input, inShape, q, opts);
        const bytes = mb.poolModel({
          kind,
          input: { type: dtype, shape: inShape, q },
          output: { type: dtype, shape: expected.shape, q },
          ...opts,
        });
        const params = { seed, dtype, inShape, ...opts, q };
        await check(`${op} case ${i}`, params, bytes, [input], expected.data, expected.shape);
      }
    });
  }
}

// ---------------------------------------------------------------------------------------
// SOFTMAX

for (const dtype of DTYPES) {
  const name = `SOFTMAX ${dtype}`;
  test(name, async () => {
    const rng = rngFor(name);
    for (let i = 0; i < cases(35); i++) {
      let seed: number;
      let inShape: number[];
      let inQ: ref.QParams;
      let beta: number;
      let input: QArray;
      let expected: ref.QTensor;
      // TFLite aborts (TFLITE_CHECK) when a row's sum of exps reaches 512: draw again.
      for (;;) {
        seed = rng.u32();
        const r = new Rng(seed);
        const depth = r.pick([1, 2, 3, 5, 10, 16, 17, 33, 100, 1001]);
        inShape = r.bool(0.7) ? [r.int(1, 4), depth] : [1, r.int(1, 3), r.int(1, 3), depth];
        inQ = randomQuant(r, dtype, 1e-3, 1);
        beta = r.bool(0.7) ? 1 : Math.fround(r.logUniform(0.1, 4));
        input = randomData(r, dtype, product(inShape));
        try {
          expected = ref.softmax(input, inShape, inQ, beta);
          break;
        } catch (e) {
          if (!(e instanceof ref.SoftmaxRangeError)) throw e;
        }
      }
      const outQ = ref.softmaxOutputQuant(dtype);
      const bytes = mb.softmaxModel({ type: dtype, shape: inShape, q: inQ }, { type: dtype, shape: inShape, q: outQ }, beta);
      const params = { seed, dtype, inShape, inQ, beta };
      await check(`SOFTMAX case ${i}`, params, bytes, [input], expected.data, expected.shape);
    }
  });
}

// ---------------------------------------------------------------------------------------
// QUANTIZE / DEQUANTIZE

for (const dtype of DTYPES) {
  const name = `QUANTIZE float32 -> ${dtype}`;
  test(name, async () => {
    const rng = rngFor(name);
    for (let i = 0; i < cases(30); i++) {
      const seed = rng.u32();
      const r = new Rng(seed);
      const shape = [1, r.int(1, 6), r.int(1, 6), randomChannels(r)];
      // Power-of-two scales make exact .5 ties reachable.
      const pow2 = r.bool(0.3);
      const outQ = { scale: pow2 ? 2 ** r.int(-8, 2) : randomScale(r, 1e-3, 2), zeroPoint: randomZeroPoint(r, dtype) };
      const n = product(shape);
      const input = new Float32Array(n);
      for (let k = 0; k < n; k++) {
        const q = r.int(-140, 140);
        input[k] = r.bool(0.3) ? (q + 0.5) * outQ.scale : r.bool(0.5) ? q * outQ.scale : r.normal() * 80 * outQ.scale;
      }
      const expected = ref.quantizeFloat(input, dtype, outQ);
      const bytes = mb.quantizeModel({ type: "float32", shape }, { type: dtype, shape, q: outQ });
      const params = { seed, shape, outQ, out: dtype };
      await check(`QUANTIZE case ${i}`, params, bytes, [input], expected, shape);
    }
  });
}

const REQUANTIZE_VARIANTS: [QuantDtype, QuantDtype][] = [
  ["uint8", "int8"],
  ["int8", "uint8"],
  ["int8", "int8"],
];

for (const [from, to] of REQUANTIZE_VARIANTS) {
  const name = `QUANTIZE ${from} -> ${to}`;
  test(name, async () => {
    const rng = rngFor(name);
    for (let i = 0; i < cases(30); i++) {
      const seed = rng.u32();
      const r = new Rng(seed);
      const shape = [1, r.int(1, 8), r.int(1, 8), randomChannels(r)];
      const inQ = randomQuant(r, from, 1e-3, 2);
      let outQ: ref.QParams;
      const mode = r.int(0, 3);
      if (mode === 0 && from !== to) {
        // The image-input case: same scale, zero points 128 apart (the xor 0x80 fast path).
        const zp = from === "uint8" ? inQ.zeroPoint - 128 : inQ.zeroPoint + 128;
        outQ = { scale: inQ.scale, zeroPoint: Math.max(to === "int8" ? -128 : 0, Math.min(to === "int8" ? 127 : 255, zp)) };
      } else if (mode === 1) {
        outQ = { scale: inQ.scale, zeroPoint: randomZeroPoint(r, to) };
      } else {
        outQ = { scale: Math.fround(inQ.scale * r.logUniform(0.2, 5)), zeroPoint: randomZeroPoint(r, to) };
      }
      const input = randomData(r, from, product(shape));
      const expected = ref.requantize(input, inQ, to, outQ);
      const bytes = mb.quantizeModel({ type: from, shape, q: inQ }, { type: to, shape, q: outQ });
      const params = { seed, shape, inQ, outQ, from, to };
      await check(`QUANTIZE case ${i}`, params, bytes, [input], expected, shape);
    }
  });
}

for (const dtype of DTYPES) {
  const name = `DEQUANTIZE ${dtype} -> float32`;
  test(name, async () => {
    const rng = rngFor(name);
    for (let i = 0; i < cases(20); i++) {
      const seed = rng.u32();
      const r = new Rng(seed);
      const shape = [1, r.int(1, 8), r.int(1, 8), randomChannels(r)];
      const q = randomQuant(r, dtype, 1e-5, 10);
      const input = randomData(r, dtype, product(shape));
      const expected = ref.dequantize(input, q);
      const bytes = mb.dequantizeModel({ type: dtype, shape, q });
      await check(`DEQUANTIZE case ${i}`, { seed, shape, q, dtype }, bytes, [input], expected, shape);
    }
  });
}

// ---------------------------------------------------------------------------------------
// PAD / CONCATENATION / RESHAPE

for (const dtype of DTYPES) {
  const name = `PAD ${dtype}`;
  test(name, async () => {
    const rng = rngFor(name);
    for (let i = 0; i < cases(25); i++) {
      const seed = rng.u32();
      const r = new Rng(seed);
      const rank = r.pick([4, 4, 4, 3, 2]);
      const shape = [r.int(1, 2), r.int(1, 7), r.int(1, 7), randomChannels(r)].slice(4 - rank);
      const paddings = shape.map((_, d) => [rank === 4 && d === 0 && r.bool(0.8) ? 0 : r.int(0, 2), rank === 4 && d === 0 && r.bool(0.8) ? 0 : r.int(0, 3)] as [number, number]);
      const q = randomQuant(r, dtype, 1e-3, 1);
      const input = randomData(r, dtype, product(shape));
      const expected = ref.pad(input, shape, paddings, q.zeroPoint);
      const bytes = mb.padModel({ type: dtype, shape, q }, paddings);
      await check(`PAD case ${i}`, { seed, dtype, shape, paddings, q }, bytes, [input], expected.data, expected.shape);
    }
  });
}

for (const dtype of DTYPES) {
  const name = `CONCATENATION ${dtype}`;
  test(name, async () => {
    const rng = rngFor(name);
    for (let i = 0; i < cases(30); i++) {
      const seed = rng.u32();
      const r = new Rng(seed);
      const rank = r.pick([4, 4, 4, 2, 3]);
      const base = [r.int(1, 2), r.int(1, 6), r.int(1, 6), randomChannels(r, 17)].slice(4 - rank);
      const axisPos = r.int(0, rank - 1);
      const axis = r.bool(0.25) ? axisPos - rank : axisPos;
      const count = r.int(2, 3);
      const outQ = randomQuant(r, dtype, 1e-3, 1);
      // int8 needs equal quantization (TFLite checks it); uint8 may rescale each input.
      const rescale = dtype === "uint8" && r.bool(0.6);
      const inputs: ref.ConcatInput[] = [];
      for (let k = 0; k < count; k++) {
        const shape = [...base];
        shape[axisPos] = randomChannels(r, 9);
        const q = rescale && r.bool(0.75) ? randomQuant(r, dtype, outQ.scale / 4, outQ.scale * 4) : { ...outQ };
        inputs.push({ data: randomData(r, dtype, product(shape)), shape, q });
      }
      const expected = ref.concatenation(inputs, axis, outQ);
      const bytes = mb.concatenationModel(
        inputs.map((t) => ({ type: dtype, shape: [...t.shape], q: t.q })),
        { type: dtype, shape: expected.shape, q: outQ },
        axis,
      );
      const params = { seed, dtype, axis, shapes: inputs.map((t) => t.shape), qs: inputs.map((t) => t.q), outQ };
      await check(`CONCATENATION case ${i}`, params, bytes, inputs.map((t) => t.data), expected.data, expected.shape);
    }
  });
}

for (const dtype of DTYPES) {
  const name = `RESHAPE ${dtype}`;
  test(name, async () => {
    const rng = rngFor(name);
    for (let i = 0; i < cases(10); i++) {
      const seed = rng.u32();
      const r = new Rng(seed);
      const shape = [1, r.int(1, 5), r.int(1, 5), randomChannels(r)];
      const n = product(shape);
      const newShape = r.pick([[1, n], [n], [1, 1, 1, n], [shape[1] * shape[2], shape[3]], [1, shape[1], shape[2] * shape[3]]]);
      const q = randomQuant(r, dtype, 1e-3, 1);
      const input = randomData(r, dtype, n);
      const expected = ref.reshape(input, newShape);
      const bytes = mb.reshapeModel({ type: dtype, shape, q }, newShape);
      await check(`RESHAPE case ${i}`, { seed, dtype, shape, newShape }, bytes, [input], expected.data, expected.shape);
    }
  });
}

test.run();
