// Every v128 kernel against its scalar reference on random cases: the same parameter block
// (laid out by the host's own packing code, test/kernel-cases.ts), separate output buffers, and
// byte equality of the outputs, including guard bytes after them. Shapes favour channel counts
// that are not multiples of the vector widths; offsets, multipliers and shifts go to the ends of
// the ranges the host can produce.
//
// QUANTLITE_KERNEL_CASES scales the number of cases (default 1); QUANTLITE_KERNEL_SEED changes
// the base seed.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError, Model } from "../js/index.js";
import { readData } from "./data.js";
import { type Case, Lab, addCase, convCase, depthwiseCase, fullyConnectedCase, kernel, meanCase } from "./kernel-cases.js";
import { AWKWARD_CHANNELS, Rng } from "./random.js";

const FACTOR = Number(process.env.QUANTLITE_KERNEL_CASES ?? "1");
const SEED = Number(process.env.QUANTLITE_KERNEL_SEED ?? "7031");
const GUARD = 32;

function cases(n: number): number {
  return Math.max(1, Math.round(n * FACTOR));
}

function rngFor(name: string): Rng {
  let h = SEED >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return new Rng(h);
}

/** Runs the reference and the v128 kernel on one case and asserts identical bytes. */
function check(lab: Lab, c: Case, describe: () => unknown): void {
  const outRef = lab.output(c.outputBytes, GUARD);
  const outSimd = lab.output(c.outputBytes, GUARD);
  const paramsRef = c.params(outRef);
  const paramsSimd = c.params(outSimd);
  kernel(lab, c.op, false)(paramsRef);
  kernel(lab, c.op, true)(paramsSimd);
  const want = lab.read(outRef, c.outputBytes + GUARD);
  const got = lab.read(outSimd, c.outputBytes + GUARD);
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== want[i] || (i >= c.outputBytes && want[i] !== 0x5a)) {
      const where = i < c.outputBytes ? `output byte ${i} of ${c.outputBytes}` : `guard byte ${i - c.outputBytes} after the output`;
      assert.unreachable(`${c.op}: ${where}: v128 ${(got[i] << 24) >> 24}, reference ${(want[i] << 24) >> 24}\n` +
        `case ${JSON.stringify(describe(), (_k, v) => (ArrayBuffer.isView(v) ? `<${(v as Int8Array).length}>` : v))}`);
    }
  }
}

/**
 * Per-channel multipliers and shifts: realistic, or anywhere QuantizeMultiplier can go. The
 * shifts of a case are either close together (so 8-channel blocks take the int16 second step of
 * the vector requantization) or spread out (the general step), in proportions that exercise both.
 */
function requant(rng: Rng, channels: number) {
  const multipliers = new Int32Array(channels);
  const shifts = new Int32Array(channels);
  const style = rng.pick(["close", "close", "uniform", "spread", "extreme"]);
  const base = rng.int(-20, 0);
  for (let c = 0; c < channels; c++) {
    const r = rng.float();
    multipliers[c] = r < 0.05 ? 0 : r < 0.1 ? 2 ** 30 : r < 0.15 ? 2 ** 31 - 1 : rng.int(2 ** 30, 2 ** 31 - 1);
    shifts[c] = style === "uniform" ? base
      : style === "close" ? Math.min(base, -1) - rng.int(0, 6)
      : style === "spread" ? rng.int(-14, 0)
      : rng.int(-31, rng.bool(0.3) ? 30 : 1);
  }
  const lo = rng.bool(0.5) ? -128 : rng.int(-128, 0);
  const hi = rng.bool(0.5) ? 127 : rng.int(Math.max(lo, -10), 127);
  return { multipliers, shifts, outputOffset: rng.int(-128, 127), activationMin: lo, activationMax: hi };
}

function weights(rng: Rng, n: number): Int16Array {
  const range = rng.pick([127, 255, 20]); // int8 weights, uint8 weights minus zero point, small
  return Int16Array.from({ length: n }, () => rng.int(-range, range));
}

function bias(rng: Rng, n: number): Int32Array {
  const range = rng.pick([0, 1 << 12, 1 << 20, 2 ** 31 - 1]);
  return Int32Array.from({ length: n }, () => rng.int(-range - (range ? 1 : 0), range));
}

function channels(rng: Rng): number {
  return rng.pick([...AWKWARD_CHANNELS, 40, 48, 64]);
}

/** An output size and leading padding for one axis (SAME-like or VALID-like). */
function axis(rng: Rng, size: number, filter: number, stride: number, dilation: number) {
  const effective = (filter - 1) * dilation + 1;
  const padBefore = rng.pick([0, 0, 1, Math.floor((effective - 1) / 2)]);
  const padAfter = rng.pick([0, 1, effective - 1 - padBefore]);
  const out = Math.floor((size + padBefore + Math.max(padAfter, 0) - effective) / stride) + 1;
  return { out, padBefore };
}

test("conv2d: v128 = reference on random shapes", async () => {
  const rng = rngFor("conv2d");
  for (let n = 0; n < cases(250); n++) {
    const lab = await Lab.create();
    const [kh, kw] = rng.pick([[1, 1], [1, 1], [3, 3], [3, 3], [5, 5], [2, 3], [1, 3]]);
    const strideHeight = rng.pick([1, 1, 2, 3]);
    const strideWidth = rng.bool(0.8) ? strideHeight : rng.pick([1, 2]);
    const dilationHeight = rng.pick([1, 1, 1, 2]);
    const dilationWidth = rng.bool(0.8) ? dilationHeight : rng.pick([1, 2]);
    const [batches, inputHeight, inputWidth, inputChannels, outputChannels] = [rng.int(1, 2), rng.int(1, 11), rng.int(1, 11), channels(rng), channels(rng)];
    const rows = axis(rng, inputHeight, kh, strideHeight, dilationHeight);
    const cols = axis(rng, inputWidth, kw, strideWidth, dilationWidth);
    if (rows.out < 1 || cols.out < 1) continue;
    const spec = {
      batches, inputHeight, inputWidth, inputChannels, inputOffset: rng.int(-255, 255),
      filterHeight: kh, filterWidth: kw, outputChannels, strideHeight, strideWidth, dilationHeight, dilationWidth,
      padTop: rows.padBefore, padLeft: cols.padBefore, outputHeight: rows.out, outputWidth: cols.out,
      input: rng.int8Array(batches * inputHeight * inputWidth * inputChannels),
      weights: weights(rng, outputChannels * kh * kw * inputChannels), bias: bias(rng, outputChannels),
      ...requant(rng, outputChannels),
    };
    check(lab, convCase(lab, spec), () => ({ n, ...spec }));
  }
});

test("conv2d: 1×1 pointwise over many pixels (every pixel-group remainder)", async () => {
  const rng = rngFor("conv2d-pointwise");
  for (let n = 0; n < cases(60); n++) {
    const lab = await Lab.create();
    const [h, w, inputChannels, outputChannels] = [rng.int(1, 9), rng.int(1, 9), rng.pick([8, 16, 24, 32, 33, 96]), channels(rng)];
    const spec = {
      batches: rng.int(1, 2), inputHeight: h, inputWidth: w, inputChannels, inputOffset: rng.int(-255, 255),
      filterHeight: 1, filterWidth: 1, outputChannels, strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1,
      padTop: 0, padLeft: 0, outputHeight: h, outputWidth: w,
      input: new Int8Array(0) as Int8Array, weights: weights(rng, outputChannels * inputChannels), bias: bias(rng, outputChannels),
      ...requant(rng, outputChannels),
    };
    spec.input = rng.int8Array(spec.batches * h * w * inputChannels);
    check(lab, convCase(lab, spec), () => ({ n, ...spec }));
  }
});

test("depthwise_conv2d: v128 = reference on random shapes", async () => {
  const rng = rngFor("depthwise");
  for (let n = 0; n < cases(250); n++) {
    const lab = await Lab.create();
    const [kh, kw] = rng.pick([[3, 3], [3, 3], [3, 3], [1, 1], [5, 5], [2, 3]]);
    const depthMultiplier = rng.pick([1, 1, 1, 2]);
    const strideHeight = rng.pick([1, 2]);
    const strideWidth = rng.bool(0.8) ? strideHeight : rng.pick([1, 2]);
    const dilationHeight = rng.pick([1, 1, 2]);
    const dilationWidth = rng.bool(0.8) ? dilationHeight : rng.pick([1, 2]);
    const [batches, inputHeight, inputWidth, inputChannels] = [rng.int(1, 2), rng.int(1, 12), rng.int(1, 12), channels(rng)];
    const rows = axis(rng, inputHeight, kh, strideHeight, dilationHeight);
    const cols = axis(rng, inputWidth, kw, strideWidth, dilationWidth);
    if (rows.out < 1 || cols.out < 1) continue;
    const outputChannels = inputChannels * depthMultiplier;
    const spec = {
      batches, inputHeight, inputWidth, inputChannels, inputOffset: rng.int(-127, 128),
      filterHeight: kh, filterWidth: kw, depthMultiplier, strideHeight, strideWidth, dilationHeight, dilationWidth,
      padTop: rows.padBefore, padLeft: cols.padBefore, outputHeight: rows.out, outputWidth: cols.out,
      input: rng.int8Array(batches * inputHeight * inputWidth * inputChannels),
      weights: weights(rng, kh * kw * outputChannels), bias: bias(rng, outputChannels),
      ...requant(rng, outputChannels),
    };
    check(lab, depthwiseCase(lab, spec), () => ({ n, ...spec }));
  }
});

test("fully_connected: v128 = reference on random shapes", async () => {
  const rng = rngFor("fully_connected");
  for (let n = 0; n < cases(150); n++) {
    const lab = await Lab.create();
    const depth = rng.pick([...AWKWARD_CHANNELS, 64, 100, 257]);
    const outputChannels = channels(rng);
    const batches = rng.int(1, 3);
    const spec = {
      batches, depth, outputChannels, inputOffset: rng.int(-255, 255), input: rng.int8Array(batches * depth),
      weights: weights(rng, outputChannels * depth), bias: bias(rng, outputChannels), ...requant(rng, outputChannels),
    };
    check(lab, fullyConnectedCase(lab, spec), () => ({ n, ...spec }));
  }
});

test("vector requantization = scalar over the int32 range, every shift", async () => {
  // One input value that is 0 after the offset, so every accumulator is its bias and any int32
  // reaches the requantization: through FULLY_CONNECTED (general step) and a 1×1 CONV_2D (8-channel
  // blocks: the int16 step where a block's shifts are within 7 of each other, else the general one).
  const rng = rngFor("requant");
  const lab = await Lab.create();
  const edges = [-(2 ** 31), -(2 ** 31) + 1, 2 ** 31 - 1, 2 ** 31 - 2, -1, 0, 1, 2 ** 30, -(2 ** 30), 2 ** 30 - 1, -(2 ** 30) - 1];
  const channels = 64;
  for (let shift = -31; shift <= 30; shift++) {
    for (let round = 0; round < cases(4); round++) {
      const b = Int32Array.from({ length: channels }, (_, i) => {
        if (i < edges.length) return edges[i];
        if (rng.bool(0.4)) return (rng.int(-600, 600) * 2 ** Math.max(-shift, 0) + rng.int(-2, 2)) | 0; // unsaturated outputs
        const magnitude = rng.int(0, 2 ** rng.int(0, 31) - 1);
        return rng.bool() ? -magnitude : magnitude;
      });
      const m = Int32Array.from({ length: channels }, (_, i) => (i % 7 === 0 ? rng.pick([0, 2 ** 30, 2 ** 31 - 1]) : rng.int(2 ** 30, 2 ** 31 - 1)));
      // Uniform shift in even rounds; odd rounds vary it per channel by up to 6 or 9 (mixed steps).
      const spread = round % 2 === 0 ? 0 : rng.pick([6, 9]);
      const shifts = Int32Array.from({ length: channels }, () => Math.max(-31, shift - rng.int(0, spread)));
      const requant = { multipliers: m, shifts, outputOffset: rng.int(-128, 127), activationMin: -128, activationMax: 127 };
      const weights = Int16Array.from({ length: channels }, () => rng.int(-255, 255));
      const input = Int8Array.of(-5);
      const describe = () => ({ shift, round, bias: [...b], multipliers: [...m], shifts: [...shifts], outputOffset: requant.outputOffset });
      check(lab, fullyConnectedCase(lab, { batches: 1, depth: 1, outputChannels: channels, inputOffset: 5, input, weights, bias: b, ...requant }), describe);
      check(lab, convCase(lab, {
        batches: 1, inputHeight: 1, inputWidth: 1, inputChannels: 1, inputOffset: 5, filterHeight: 1, filterWidth: 1,
        outputChannels: channels, strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1, padTop: 0, padLeft: 0,
        outputHeight: 1, outputWidth: 1, input, weights, bias: b, ...requant,
      }), describe);
    }
  }
});

test("add: v128 = reference, with and without broadcasting", async () => {
  const rng = rngFor("add");
  for (let n = 0; n < cases(200); n++) {
    const lab = await Lab.create();
    const dims = [rng.int(1, 2), rng.int(1, 4), rng.int(1, 5), rng.pick([...AWKWARD_CHANNELS, 40, 100, 333])];
    // Each input either has the full dimension or broadcasts it (size 1 → stride 0).
    const strides = (): number[] => {
      const shape = dims.map((d) => (rng.bool(0.25) ? 1 : d));
      const s = [0, 0, 0, 0];
      let stride = 1;
      for (let i = 3; i >= 0; i--) { s[i] = shape[i] === 1 ? 0 : stride; stride *= shape[i]; }
      return s;
    };
    const [strides1, strides2] = rng.bool(0.3) ? [[0, 0, 0, 1], [0, 0, 0, 1]] : [strides(), strides()];
    if (strides1[3] === 1 && strides2[3] === 1 && rng.bool(0.3)) { dims[3] *= dims[0] * dims[1] * dims[2]; dims[0] = dims[1] = dims[2] = 1; strides1.fill(0, 0, 3); strides2.fill(0, 0, 3); }
    const size = (s: number[]) => 1 + s.reduce((a, st, i) => a + st * (dims[i] - 1), 0);
    const extreme = rng.bool(0.2);
    const shift = () => (extreme ? rng.int(-31, 1) : rng.int(-4, 0));
    const spec = {
      dims, strides1, strides2, input1: rng.int8Array(size(strides1)), input2: rng.int8Array(size(strides2)),
      input1Offset: rng.int(-255, 255), input1Multiplier: rng.int(2 ** 30, 2 ** 31 - 1), input1Shift: shift(),
      input2Offset: rng.int(-255, 255), input2Multiplier: rng.int(2 ** 30, 2 ** 31 - 1), input2Shift: shift(),
      leftShift: 20, outputMultiplier: rng.int(2 ** 30, 2 ** 31 - 1), outputShift: extreme ? rng.int(-31, 10) : rng.int(-22, -16),
      outputOffset: rng.int(-128, 127), activationMin: rng.pick([-128, -128, rng.int(-128, 0)]), activationMax: rng.pick([127, 127, rng.int(1, 127)]),
    };
    check(lab, addCase(lab, spec), () => ({ n, ...spec }));
  }
});

test("mean: v128 = reference (both the division and the multiplier path)", async () => {
  const rng = rngFor("mean");
  for (let n = 0; n < cases(120); n++) {
    const lab = await Lab.create();
    const [batches, height, width, ch] = [rng.int(1, 2), rng.int(1, 19), rng.int(1, 19), rng.pick([...AWKWARD_CHANNELS, 48, 64, 65, 1280])];
    const count = height * width;
    const divide = rng.bool() ? 1 : 0;
    const spec = {
      batches, height, width, channels: ch, input: rng.int8Array(batches * count * ch),
      sumOffset: divide ? rng.pick([0, 128 * count]) : rng.int(-255, 255) * count, divide,
      multiplier: rng.int(0, 2 ** 31 - 1), shift: rng.int(-31, 8), outputOffset: rng.int(-128, 127),
    };
    check(lab, meanCase(lab, spec), () => ({ n, ...spec }));
  }
});

test("Model.load: kernels option selects the scalar references with the same results", async () => {
  const bytes = readData("models/mobilenet_v2_1.0_224_quant.tflite");
  if (bytes === null) return;
  const simd = await Model.load(bytes);
  const scalar = await Model.load(bytes, { kernels: "scalar" });
  const input = new Rng(5).uint8Array(224 * 224 * 3);
  assert.equal(scalar.run(input), simd.run(input));
  try {
    await Model.load(bytes, { kernels: "fast" as "simd" });
    assert.unreachable("an unknown kernels option was accepted");
  } catch (e) {
    assert.instance(e, InputError);
  }
});

test.run();
