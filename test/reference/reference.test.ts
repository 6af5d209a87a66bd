// Checks of the reference itself (test/reference/*): hand-computed cases, the Number-based
// 64-bit arithmetic against BigInt, every Prepare-time parameter in
// ../shared/golden/tf1_quant.op_params.json, and every layer of both golden MobileNetV2 dumps
// recomputed from its dumped input, byte for byte.

import { test } from "uvu";
import * as assert from "uvu/assert";
import { multiplyByQuantizedMultiplier as hostMultiplyByQuantizedMultiplier } from "../../js/ops/quantization.js";
import { readData } from "../data.js";
import { Rng } from "../random.js";
import {
  activationRange,
  addParams,
  add,
  averagePool2d,
  computePaddingHeightWidth,
  concatenation,
  conv2d,
  convolutionRealMultiplierFloatProduct,
  dequantize,
  depthwiseConv2d,
  fullyConnected,
  mean,
  meanMultiplier,
  multiplyByQuantizedMultiplier,
  multiplyByQuantizedMultiplierBig,
  pad,
  quantizeFloat,
  quantizeMultiplier,
  requantize,
  roundingDivideByPOT,
  saturatingRoundingDoublingHighMul,
  softmax,
  softmaxParams,
  type FusedActivation,
  type QArray,
  type QParams,
} from "./index.js";
import { readMiniModel, type MiniModel } from "./tflite-mini.js";
import { OP_NAMES, runMiniOp, tensorQ } from "./golden.js";

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

// ---------------------------------------------------------------------------------------
// Fixed-point primitives

test("SaturatingRoundingDoublingHighMul / RoundingDivideByPOT: hand-computed values", () => {
  // 1 * 0.5 = 0.5 rounds up; -1 * 0.5 = -0.5 also rounds up (to 0): the nudge 1 - 2^30 makes
  // negative ties round toward +infinity, not away from zero.
  assert.is(saturatingRoundingDoublingHighMul(1, 1 << 30), 1);
  assert.is(saturatingRoundingDoublingHighMul(-1, 1 << 30), 0);
  assert.is(saturatingRoundingDoublingHighMul(-3, 1 << 30), -1);
  assert.is(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN), INT32_MAX);
  assert.is(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MAX), -INT32_MAX);
  assert.is(saturatingRoundingDoublingHighMul(INT32_MAX, INT32_MAX), INT32_MAX - 1);
  // RoundingDivideByPOT rounds ties away from zero.
  assert.is(roundingDivideByPOT(3, 1), 2);
  assert.is(roundingDivideByPOT(-3, 1), -2);
  assert.is(roundingDivideByPOT(5, 2), 1);
  assert.is(roundingDivideByPOT(6, 2), 2);
  assert.is(roundingDivideByPOT(-6, 2), -2);
  assert.is(roundingDivideByPOT(-5, 2), -1);
  assert.is(roundingDivideByPOT(INT32_MIN, 31), -1);
  assert.is(roundingDivideByPOT(INT32_MAX, 31), 1);
  // Double rounding: 5 * 0.25 = 1.25, but SRDHM(5, 0.5) = round(2.5) = 3, then 3 / 2 = 1.5 -> 2.
  assert.is(multiplyByQuantizedMultiplier(5, 1 << 30, -1), 2);
  // Positive shift: 3 * 2^2 * 0.5 = 6.
  assert.is(multiplyByQuantizedMultiplier(3, 1 << 30, 2), 6);
});

test("MultiplyByQuantizedMultiplier: Number arithmetic equals BigInt on 200k random cases", () => {
  const rng = new Rng(1234);
  const specialX = [0, 1, -1, 2, -2, INT32_MIN, INT32_MAX, INT32_MIN + 1, 1 << 30, -(1 << 30), 32767, -32768, 65535, -65536];
  const specialM = [0, 1, 1 << 30, INT32_MAX, (1 << 30) + 1, 1550200454, 1476160983, 65535, 65536];
  for (let i = 0; i < 200000; i++) {
    const x = i < 2000 ? rng.pick(specialX) : rng.bool(0.5) ? rng.int(-70000, 70000) : rng.u32() | 0;
    const m = i % 3 === 0 ? rng.pick(specialM) : rng.int(1 << 30, INT32_MAX);
    const shift = rng.int(-31, 0);
    const got = multiplyByQuantizedMultiplier(x, m, shift);
    const want = multiplyByQuantizedMultiplierBig(x, m, shift);
    if (got !== want) assert.unreachable(`MBQM(${x}, ${m}, ${shift}) = ${got}, BigInt says ${want}`);
  }
  // Small positive shifts with inputs that do not overflow after the shift.
  for (let i = 0; i < 20000; i++) {
    const shift = rng.int(1, 7);
    const x = rng.int(-(2 ** (31 - shift)) + 1, 2 ** (31 - shift) - 1);
    const m = rng.int(1 << 30, INT32_MAX);
    assert.is(multiplyByQuantizedMultiplier(x, m, shift), multiplyByQuantizedMultiplierBig(x, m, shift));
  }
});

test("the host's MultiplyByQuantizedMultiplier (js/ops/quantization.ts) equals the BigInt model", () => {
  const rng = new Rng(4321);
  const specialX = [0, 1, -1, INT32_MIN, INT32_MAX, INT32_MIN + 1, 1 << 30, -(1 << 30), 32767, -32768, 65535, -65536, 2 ** 40, -(2 ** 33) + 5];
  const specialM = [0, 1, 1 << 30, INT32_MAX, (1 << 30) + 1, 65535, 65536, INT32_MIN];
  for (let i = 0; i < 100000; i++) {
    const x = i < 3000 ? rng.pick(specialX) : rng.bool(0.5) ? rng.int(-70000, 70000) : rng.u32() | 0;
    const m = i % 3 === 0 ? rng.pick(specialM) : rng.int(1 << 30, INT32_MAX);
    const shift = i % 5 === 0 ? rng.int(1, 30) : rng.int(-31, 0);
    const got = hostMultiplyByQuantizedMultiplier(x, m, shift);
    const want = multiplyByQuantizedMultiplierBig(x | 0, m, shift);
    if (got !== want) assert.unreachable(`MBQM(${x}, ${m}, ${shift}) = ${got}, BigInt says ${want}`);
  }
});

test("QuantizeMultiplier: values from the golden README and edge cases", () => {
  assert.equal(quantizeMultiplier(0.011279192796250403), [1550200454, -6]);
  assert.equal(quantizeMultiplier(0.34369551182713726), [1476160983, -1]);
  assert.equal(quantizeMultiplier(0.5), [1 << 30, 0]);
  assert.equal(quantizeMultiplier(1.0), [1 << 30, 1]);
  assert.equal(quantizeMultiplier(0), [0, 0]);
  // q rounds up to 2^31: halve it and bump the exponent.
  assert.equal(quantizeMultiplier(1 - 2 ** -40), [1 << 30, 1]);
  // Below 2^-32 the multiplier is flushed to zero.
  assert.equal(quantizeMultiplier(2 ** -33), [0, 0]);
  assert.equal(quantizeMultiplier(2 ** -32), [1 << 30, -31]);
});

test("CalculateActivationRangeQuantized: float division and round half away from zero", () => {
  const out: QParams = { scale: Math.fround(6 / 255), zeroPoint: 0 };
  assert.equal(activationRange("RELU6", "uint8", out), [0, 255]);
  assert.equal(activationRange("RELU", "int8", { scale: 0.1, zeroPoint: -10 }), [-10, 127]);
  assert.equal(activationRange("RELU6", "int8", { scale: Math.fround(0.1), zeroPoint: -10 }), [-10, 50]);
  assert.equal(activationRange("RELU_N1_TO_1", "int8", { scale: 0.25, zeroPoint: 3 }), [-1, 7]);
  // 6 / 4 = 1.5 -> 2 (half away from zero), -1 / 0.4 = -2.5 -> -3.
  assert.equal(activationRange("RELU6", "uint8", { scale: 4, zeroPoint: 0 }), [0, 2]);
  assert.equal(activationRange("RELU_N1_TO_1", "int8", { scale: 0.4, zeroPoint: 0 }), [-3, 3]);
  assert.equal(activationRange("NONE", "uint8", out), [0, 255]);
});

test("ComputePaddingHeightWidth: SAME puts the odd pixel at the bottom/right", () => {
  const p = computePaddingHeightWidth(2, 2, 1, 1, 224, 224, 3, 3, "SAME");
  assert.equal([p.outHeight, p.outWidth, p.padTop, p.padLeft, p.padHeightOffset, p.padWidthOffset], [112, 112, 0, 0, 1, 1]);
  const q = computePaddingHeightWidth(1, 1, 1, 1, 112, 112, 3, 3, "SAME");
  assert.equal([q.outHeight, q.padTop, q.padHeightOffset], [112, 1, 0]);
  const v = computePaddingHeightWidth(2, 3, 2, 1, 10, 11, 3, 4, "VALID");
  // eff filter h = 5: (10 + 2 - 5) / 2 = 3; w: (11 + 3 - 4) / 3 = 3.
  assert.equal([v.outHeight, v.outWidth, v.padTop, v.padLeft], [3, 3, 0, 0]);
});

// ---------------------------------------------------------------------------------------
// Tiny hand-computed operator cases

test("conv2d: 1x1 uint8 and int8 with known numbers", () => {
  // uint8: (3-2)*(130-128) + (1-2)*(126-128) = 4; + bias 10 = 14; multiplier 0.5*0.25/0.125 = 1
  // (QuantizeMultiplier(1.0) = 2^30, shift 1); + zero point 5 = 19.
  const u = conv2d(
    new Uint8Array([130, 126]),
    [1, 1, 1, 2],
    { scale: 0.5, zeroPoint: 128 },
    new Uint8Array([3, 1]),
    [1, 1, 1, 2],
    { scales: [0.25], zeroPoints: [2] },
    new Int32Array([10]),
    { scale: 0.125, zeroPoint: 5 },
    { padding: "VALID", strideH: 1, strideW: 1 },
  );
  assert.equal(Array.from(u.data), [19]);
  assert.equal(u.shape, [1, 1, 1, 1]);
  // int8 per channel: ch0 = 2*(10+1) + (-1)*(-4+1) = 25, *0.1*0.5/0.25 = 5, +(-3) = 2;
  // ch1 = 0*11 + 3*(-3) = -9, + bias 1 = -8, *0.1*0.25/0.25 = -0.8 -> -1, -3 = -4.
  const s = conv2d(
    new Int8Array([10, -4]),
    [1, 1, 1, 2],
    { scale: 0.1, zeroPoint: -1 },
    new Int8Array([2, -1, 0, 3]),
    [2, 1, 1, 2],
    { scales: [0.5, 0.25], zeroPoints: [0, 0] },
    new Int32Array([0, 1]),
    { scale: 0.25, zeroPoint: -3 },
    { padding: "VALID", strideH: 1, strideW: 1 },
  );
  assert.equal(Array.from(s.data), [2, -4]);
});

test("conv2d: SAME padding skips taps outside the image (= padding with the zero point)", () => {
  // 3x3 input of ones (zp 0), 3x3 filter of ones, scale 1: each output counts the taps inside.
  const r = conv2d(
    new Int8Array(9).fill(1),
    [1, 3, 3, 1],
    { scale: 1, zeroPoint: 0 },
    new Int8Array(9).fill(1),
    [1, 3, 3, 1],
    { scales: [1], zeroPoints: [0] },
    null,
    { scale: 1, zeroPoint: 0 },
    { padding: "SAME", strideH: 1, strideW: 1 },
  );
  assert.equal(Array.from(r.data), [4, 6, 4, 6, 9, 6, 4, 6, 4]);
  const d = depthwiseConv2d(
    new Int8Array(9).fill(1),
    [1, 3, 3, 1],
    { scale: 1, zeroPoint: 0 },
    new Int8Array(18).fill(1),
    [1, 3, 3, 2],
    { scales: [1, 1], zeroPoints: [0, 0] },
    new Int32Array([0, 100]),
    { scale: 1, zeroPoint: 0 },
    { padding: "VALID", strideH: 1, strideW: 1 },
  );
  assert.equal(Array.from(d.data), [9, 109]);
});

test("average pool: uint8 rounds half up, int8 rounds half away from zero", () => {
  const q = { scale: 1, zeroPoint: 0 };
  const opts = { padding: "VALID" as const, strideH: 1, strideW: 1, filterH: 1, filterW: 2 };
  assert.equal(Array.from(averagePool2d(new Int8Array([-3, -2, -1, -2, 3, 2]), [1, 1, 6, 1], q, { ...opts, strideW: 2 }).data), [-3, -2, 3]);
  assert.equal(Array.from(averagePool2d(new Uint8Array([3, 2, 1, 2, 4, 4]), [1, 1, 6, 1], q, { ...opts, strideW: 2 }).data), [3, 2, 4]);
});

test("add: golden-style params, same-shape and broadcast", () => {
  const a = add(new Uint8Array([10, 20]), [1, 2], { scale: 0.5, zeroPoint: 0 }, new Uint8Array([4]), [1], { scale: 0.5, zeroPoint: 0 }, { scale: 0.5, zeroPoint: 0 });
  assert.equal(Array.from(a.data), [14, 24]);
  assert.equal(a.shape, [1, 2]);
  const b = add(new Int8Array([-128, 127]), [2], { scale: 1, zeroPoint: 0 }, new Int8Array([-128, 127]), [2], { scale: 1, zeroPoint: 0 }, { scale: 1, zeroPoint: 0 }, "RELU");
  assert.equal(Array.from(b.data), [0, 127]);
});

test("mean: equal params truncate sum/n; different params use the re-adapted multiplier", () => {
  const q = { scale: 0.5, zeroPoint: -1 };
  // sums: -7 over 2 -> trunc(-3.5) = -3 (raw values, not q - zp).
  const m = mean(new Int8Array([-3, -4]), [1, 1, 2, 1], q, q, { axes: [1, 2], keepDims: true });
  assert.equal(Array.from(m.data), [-3]);
  assert.equal(m.shape, [1, 1, 1, 1]);
  const r = meanMultiplier(0.5, 0.25, 49);
  // QuantizeMultiplier(2) = (2^30, 2); shift = min(5, 32, 33) = 5; 2^35 / 49 = 701219150.4 -> 701219150.
  assert.equal([r.baseMultiplier, r.baseShift, r.multiplier, r.shift], [1 << 30, 2, 701219150, -3]);
  const m2 = mean(new Int8Array([-3, -4]), [1, 1, 2, 1], q, { scale: 0.25, zeroPoint: 2 }, { axes: [1, 2], keepDims: false });
  // (-7 + 2) / 2 * 2 = -5 -> + 2 = -3.
  assert.equal(Array.from(m2.data), [-3]);
  assert.equal(m2.shape, [1, 1]);
});

test("softmax: uniform row and a dominant element", () => {
  const u = softmax(new Int8Array([5, 5, 5, 5]), [1, 4], { scale: 0.1, zeroPoint: 0 }, 1);
  assert.equal(Array.from(u.data), [-64, -64, -64, -64]); // 0.25 * 256 - 128
  const d = softmax(new Uint8Array([255, 0]), [1, 2], { scale: 1, zeroPoint: 0 }, 1);
  assert.equal(Array.from(d.data), [255, 0]);
});

test("quantize / requantize / dequantize", () => {
  // Ties round away from zero: 0.5/1 -> 1, -0.5 -> -1, 2.5 -> 3.
  assert.equal(Array.from(quantizeFloat(new Float32Array([0.5, -0.5, 2.5, -2.5, 1000, -1000]), "int8", { scale: 1, zeroPoint: 0 })), [1, -1, 3, -3, 127, -128]);
  assert.equal(Array.from(quantizeFloat(new Float32Array([0.25, -0.25]), "uint8", { scale: 0.5, zeroPoint: 10 })), [11, 9]);
  assert.equal(Array.from(requantize(new Uint8Array([0, 127, 255]), { scale: 0.5, zeroPoint: 127 }, "int8", { scale: 0.5, zeroPoint: -1 })), [-128, -1, 127]);
  assert.equal(Array.from(requantize(new Int8Array([-128, 0, 127]), { scale: 1, zeroPoint: 0 }, "int8", { scale: 2, zeroPoint: 0 })), [-64, 0, 64]);
  assert.equal(Array.from(dequantize(new Int8Array([-128, 0, 127]), { scale: 0.5, zeroPoint: -1 })), [-63.5, 0.5, 64]);
});

test("pad and concatenation", () => {
  const p = pad(new Int8Array([1, 2]), [1, 1, 2, 1], [[0, 0], [1, 0], [0, 1], [0, 0]], -7);
  assert.equal(p.shape, [1, 2, 3, 1]);
  assert.equal(Array.from(p.data), [-7, -7, -7, 1, 2, -7]);
  const c = concatenation(
    [
      { data: new Uint8Array([1, 2, 3, 4]), shape: [2, 2], q: { scale: 1, zeroPoint: 0 } },
      { data: new Uint8Array([10, 20]), shape: [2, 1], q: { scale: 0.5, zeroPoint: 4 } },
    ],
    -1,
    { scale: 1, zeroPoint: 0 },
  );
  // (10 - 4) * 0.5 = 3, (20 - 4) * 0.5 = 8.
  assert.equal(Array.from(c.data), [1, 2, 3, 3, 4, 8]);
});

test("fully connected: per-tensor uses the float product, per-channel the double product", () => {
  const sIn = Math.fround(0.1);
  const sW = Math.fround(0.3);
  const sOut = Math.fround(0.7);
  const floatReal = convolutionRealMultiplierFloatProduct(sIn, sW, sOut);
  const doubleReal = (sIn * sW) / sOut;
  assert.ok(floatReal !== doubleReal);
  assert.not.equal(quantizeMultiplier(floatReal), quantizeMultiplier(doubleReal));
  const x = new Int8Array([100, -50, 20, 1, 2, 3]);
  const w = new Int8Array([90, 60, -127, 11, 22, 33]);
  // acc = [3460, 660] and [-157, 154]; * 0.042857 = [148.3 -> 127, 28.3 -> 28], [-6.7 -> -7, 6.6 -> 7].
  const perTensor = fullyConnected(x, [2, 3], { scale: sIn, zeroPoint: 0 }, w, [2, 3], { scales: [sW], zeroPoints: [0] }, null, { scale: sOut, zeroPoint: 0 });
  assert.equal(perTensor.shape, [2, 2]);
  assert.equal(Array.from(perTensor.data), [127, 28, -7, 7]);
  const perChannel = fullyConnected(x, [1, 1, 2, 3], { scale: sIn, zeroPoint: 0 }, w, [2, 3], { scales: [sW, sW], zeroPoints: [0, 0] }, new Int32Array([1, -1]), { scale: sOut, zeroPoint: 0 }, { keepNumDims: true });
  assert.equal(perChannel.shape, [1, 1, 2, 2]);
  assert.equal(Array.from(perChannel.data), [127, 28, -7, 7]);
});

// ---------------------------------------------------------------------------------------
// Golden Prepare-time parameters (tf1_quant.op_params.json)

interface LayerEntry {
  op_index: number;
  op_type: string;
  tensor_index: number;
  dtype: string;
  shape: number[];
  scale: number[];
  zero_point: number[];
  offset: number;
  length: number;
}

function readJson<T>(relative: string): T | null {
  const bytes = readData(relative);
  return bytes === null ? null : (JSON.parse(new TextDecoder().decode(bytes)) as T);
}

test("Prepare-time helpers reproduce every operator of tf1_quant.op_params.json", () => {
  const params = readJson<{ ops: Record<string, any>[] }>("golden/tf1_quant.op_params.json");
  const layers = readJson<{ entries: LayerEntry[] }>("golden/tf1_quant.layers.cat.json");
  if (!params || !layers) return;
  const modelBytes = readData("models/mobilenet_v2_1.0_224_quant.tflite");
  const model = modelBytes ? readMiniModel(modelBytes) : null;
  const byTensor = new Map(layers.entries.map((e) => [e.tensor_index, e]));
  const qOf = (tensorIndex: number): QParams => {
    if (model) return tensorQ(model.tensors[tensorIndex]);
    const e = byTensor.get(tensorIndex)!;
    return { scale: Math.fround(e.scale[0]), zeroPoint: e.zero_point[0] };
  };
  const shapeOf = (tensorIndex: number): number[] => (model ? model.tensors[tensorIndex].shape : byTensor.get(tensorIndex)!.shape);
  // The layer index prints scales with 9 significant digits: they parse back to the model's float32.
  if (model) {
    for (const e of layers.entries) {
      assert.is(Math.fround(e.scale[0]), model.tensors[e.tensor_index].quantization!.scale[0], `scale of tensor ${e.tensor_index}`);
    }
  }
  let checked = 0;
  for (const op of params.ops) {
    const where = `op ${op.op_index} ${op.op_type}`;
    if (op.op_type === "CONV_2D" || op.op_type === "DEPTHWISE_CONV_2D") {
      const [iIn, iW] = op.inputs as number[];
      const inQ = qOf(iIn);
      const outQ = qOf(op.output);
      assert.equal(quantizeMultiplier(op.real_multiplier), [op.output_multiplier, op.output_shift], `${where}: QuantizeMultiplier`);
      assert.is(op.input_offset, -inQ.zeroPoint, `${where}: input_offset`);
      assert.is(op.output_offset, outQ.zeroPoint, `${where}: output_offset`);
      assert.equal(activationRange(op.fused_activation as FusedActivation, "uint8", outQ), [op.quantized_activation_min, op.quantized_activation_max], `${where}: activation range`);
      if (model) {
        const w = model.tensors[iW];
        const wQ = tensorQ(w);
        assert.is(op.weights_offset, -wQ.zeroPoint, `${where}: weights_offset`);
        const real = convolutionRealMultiplierFloatProduct(inQ.scale, wQ.scale, outQ.scale);
        assert.is(real, op.real_multiplier, `${where}: real multiplier (float product)`);
        const inShape = shapeOf(iIn);
        const pad = computePaddingHeightWidth(op.stride_h, op.stride_w, 1, 1, inShape[1], inShape[2], w.shape[1], w.shape[2], op.padding);
        assert.equal(
          [pad.padTop, pad.padLeft, pad.padHeightOffset, pad.padWidthOffset],
          [op.pad_top, op.pad_left, op.pad_height_offset, op.pad_width_offset],
          `${where}: padding`,
        );
        const outShape = shapeOf(op.output);
        assert.equal([pad.outHeight, pad.outWidth], [outShape[1], outShape[2]], `${where}: output size`);
      }
      checked++;
    } else if (op.op_type === "ADD") {
      const [a, b] = op.inputs as number[];
      const p = addParams("uint8", qOf(a), qOf(b), qOf(op.output), op.fused_activation);
      assert.equal(
        [p.leftShift, p.input1Offset, p.input2Offset, p.outputOffset, p.input1Multiplier, p.input1Shift, p.input2Multiplier, p.input2Shift, p.outputMultiplier, p.outputShift, p.activationMin, p.activationMax],
        [op.left_shift, op.input1_offset, op.input2_offset, op.output_offset, op.input1_multiplier, op.input1_shift, op.input2_multiplier, op.input2_shift, op.output_multiplier, op.output_shift, op.quantized_activation_min, op.quantized_activation_max],
        `${where}: ArithmeticParams`,
      );
      assert.equal([p.realInput1Multiplier, p.realInput2Multiplier, p.realOutputMultiplier], [op.real_input1_multiplier, op.real_input2_multiplier, op.real_output_multiplier], `${where}: real multipliers`);
      checked++;
    } else if (op.op_type === "AVERAGE_POOL_2D") {
      const inShape = shapeOf(op.inputs[0]);
      const pad = computePaddingHeightWidth(op.stride_h, op.stride_w, 1, 1, inShape[1], inShape[2], op.filter_h, op.filter_w, op.padding);
      assert.equal([pad.padTop, pad.padLeft], [op.pad_top, op.pad_left], `${where}: padding`);
      assert.equal(activationRange(op.fused_activation, "uint8", qOf(op.output)), [op.quantized_activation_min, op.quantized_activation_max], `${where}: activation range`);
      checked++;
    } else if (op.op_type === "SOFTMAX") {
      const p = softmaxParams(op.beta, qOf(op.inputs[0]).scale);
      assert.equal([p.inputMultiplier, p.inputLeftShift, p.diffMin], [op.input_multiplier, op.input_left_shift, op.diff_min], `${where}: SoftmaxParams`);
      assert.equal([p.inputMultiplier, p.inputLeftShift, p.diffMin], [1698960896, 23, -248]);
      checked++;
    } else if (op.op_type === "RESHAPE") {
      checked++;
    } else {
      assert.unreachable(`unexpected op type ${op.op_type}`);
    }
  }
  assert.is(checked, 66);
  // Spelled out for two operators the README cites.
  const op0 = params.ops[0];
  assert.equal([op0.output_multiplier, op0.output_shift], [1550200454, -6]);
  assert.equal(quantizeMultiplier(convolutionRealMultiplierFloatProduct(qOf(0).scale, model ? tensorQ(model.tensors[55]).scale : 0, qOf(56).scale)), model ? [1550200454, -6] : [0, 0]);
  const add9 = addParams("uint8", qOf(72), qOf(66), qOf(73), "NONE");
  assert.equal(
    [add9.input1Multiplier, add9.input1Shift, add9.input2Multiplier, add9.input2Shift, add9.outputMultiplier, add9.outputShift],
    [1073741824, 0, 1475367762, -1, 1995052007, -19],
  );
});

// ---------------------------------------------------------------------------------------
// Golden layers: every operator recomputed from its dumped input(s).

function goldenLayers(prefix: string, modelPath: string, image: string): void {
  const layers = readJson<{ entries: LayerEntry[] }>(`golden/${prefix}.layers.${image}.json`);
  const bin = readData(`golden/${prefix}.layers.${image}.bin`);
  const modelBytes = readData(`models/${modelPath}`);
  if (!layers || !bin || !modelBytes) return;
  const model: MiniModel = readMiniModel(modelBytes);
  const byTensor = new Map(layers.entries.map((e) => [e.tensor_index, e]));
  const get = (tensorIndex: number): QArray => {
    const e = byTensor.get(tensorIndex);
    if (!e) throw new Error(`tensor ${tensorIndex} not in the layer dump`);
    const bytes = bin.subarray(e.offset, e.offset + e.length);
    return e.dtype === "int8" ? new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length) : bytes;
  };
  let checked = 0;
  model.operators.forEach((op, index) => {
    const want = get(op.outputs[0]);
    const got = runMiniOp(model, op, get);
    assert.is(got.length, want.length, `${prefix} op ${index}: length`);
    for (let i = 0; i < want.length; i++) {
      if (got[i] !== want[i]) {
        let diffs = 0;
        for (let j = 0; j < want.length; j++) if (got[j] !== want[j]) diffs++;
        assert.unreachable(`${prefix} op ${index} ${OP_NAMES[op.builtinCode]}: first difference at ${i}: reference ${got[i]}, golden ${want[i]} (${diffs} of ${want.length} differ)`);
      }
    }
    checked++;
  });
  assert.is(checked, model.operators.length);
}

test("golden tf1 (uint8, TFLite reference kernels): every layer of cat.bmp bit-exact", () => {
  goldenLayers("tf1_quant", "mobilenet_v2_1.0_224_quant.tflite", "cat");
});

test("golden tf2 (int8 per-channel, TFLM reference kernels): every layer of cat.bmp bit-exact", () => {
  goldenLayers("tf2_ptq", "tf2_mobilenet_v2_1.0_224_ptq.tflite", "cat");
});

test("golden tf2: grace_hopper.bmp layers bit-exact", () => {
  goldenLayers("tf2_ptq", "tf2_mobilenet_v2_1.0_224_ptq.tflite", "grace_hopper");
});

test.run();
