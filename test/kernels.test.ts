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
import { type Case, Lab, addCase, convCase, depthwiseCase, fullyConnectedCase, kernel, meanCase, softmaxCase } from "./kernel-cases.js";
import {
  DOUBLED_BLOCK_BYTES, type FilterWeights, REQUANT_HEADER_BYTES, accumulatorBounds, foldInputOffset, kernelRequant, maxInputMagnitude,
  storeConvFilter, storeDepthwiseFilter, storeFullyConnectedFilter, weightSums,
} from "../js/ops/weights.js";
import { quantizeMultiplier } from "../js/ops/quantization.js";
import { AWKWARD_CHANNELS, Rng } from "./random.js";
import { embeddedRelaxedWasmBytes, embeddedWasmBytes, relaxedSimdUsable } from "../js/runtime/embedded-module.js";

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

/** Per channel c, Σ w (or Σ |w|) over w = centred[c·channelStride + i·weightStride], i < count (plain JavaScript). */
function sumsOf(centred: Int16Array, channels: number, count: number, channelStride: number, weightStride: number, abs = false): Int32Array {
  return Int32Array.from({ length: channels }, (_, c) => {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += (abs ? Math.abs : Number)(centred[c * channelStride + i * weightStride]);
    return sum;
  });
}

function absSumsOf(centred: Int16Array, channels: number, count: number, channelStride: number, weightStride: number): Int32Array {
  return sumsOf(centred, channels, count, channelStride, weightStride, true);
}

/**
 * n random 8-bit weights of `channels` channels: int8 with zero point 0, uint8 with one zero point,
 * int8 with a zero point per channel (centred values up to ±255), or small int8.
 */
function weights(rng: Rng, n: number, channels: number): FilterWeights {
  const kind = rng.pick(["int8", "uint8", "per-channel", "small"]);
  if (kind === "uint8") return { data: Uint8Array.from({ length: n }, () => rng.int(0, 255)), signed: false, zeroPoints: [rng.int(0, 255)] };
  const range = kind === "small" ? 20 : 127;
  const data = new Uint8Array(Int8Array.from({ length: n }, () => rng.int(-range - (kind === "small" ? 0 : 1), range)).buffer);
  return { data, signed: true, zeroPoints: kind === "per-channel" ? Array.from({ length: channels }, () => rng.int(-128, 127)) : [0] };
}

/** Weights minus their channel's zero point, int16, in their own layout; `channelOf` maps a weight's index to its channel. */
function centredOf(w: FilterWeights, channelOf: (i: number) => number): Int16Array {
  const values = w.signed ? new Int8Array(w.data.buffer, w.data.byteOffset, w.data.length) : w.data;
  return Int16Array.from(values, (v, i) => v - w.zeroPoints[w.zeroPoints.length === 1 ? 0 : channelOf(i)]);
}

/** centredOf for (channels, count) rows: CONV_2D and FULLY_CONNECTED filters. */
const rowsCentred = (w: FilterWeights, count: number) => centredOf(w, (i) => Math.floor(i / count));
/** centredOf for (count, channels): DEPTHWISE_CONV_2D filters. */
const tapsCentred = (w: FilterWeights, channels: number) => centredOf(w, (i) => i % channels);

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
      weights: weights(rng, outputChannels * kh * kw * inputChannels, outputChannels), bias: bias(rng, outputChannels),
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
      input: new Int8Array(0) as Int8Array, weights: weights(rng, outputChannels * inputChannels, outputChannels), bias: bias(rng, outputChannels),
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
      weights: weights(rng, kh * kw * outputChannels, outputChannels), bias: bias(rng, outputChannels),
      ...requant(rng, outputChannels),
    };
    check(lab, depthwiseCase(lab, spec), () => ({ n, ...spec }));
  }
});

test("depthwise_conv2d 3×3: v128 = reference (row loops at strides 1 and 2 with a column off the image on either side, other geometries)", async () => {
  // The undilated 3×3 path with depth multiplier 1: narrow rows (widths 1–3, a single output
  // column), SAME- and VALID-like padding, a zero-point column before the first pixel's patch or
  // after the last one's, and the geometries it leaves to the general path: stride 3, two columns
  // of padding before the patch or past it.
  const rng = rngFor("depthwise3x3");
  const seen: Record<string, number> = {};
  for (const stride of [1, 2]) for (const side of ["left", "right", "both sides", "neither side", "one column"]) seen[`stride ${stride}, ${side}`] = 0;
  seen["general path"] = 0;
  for (let n = 0; n < cases(300); n++) {
    const lab = await Lab.create();
    const strideWidth = rng.pick([1, 1, 2, 2, 3]);
    const strideHeight = rng.bool(0.8) ? Math.min(strideWidth, 2) : rng.pick([1, 2]);
    const [batches, inputHeight, inputWidth, inputChannels] = [rng.int(1, 3), rng.int(1, 8), rng.pick([1, 2, 3, rng.int(4, 14)]), channels(rng)];
    const rows = axis(rng, inputHeight, 3, strideHeight, 1);
    const cols = rng.bool(0.1) ? { padBefore: 2, out: Math.floor((inputWidth + 2) / strideWidth) } : axis(rng, inputWidth, 3, strideWidth, 1);
    if (rows.out < 1 || cols.out < 1) continue;
    const lastColumn = (cols.out - 1) * strideWidth - cols.padBefore + 2;
    if (strideWidth > 2 || cols.padBefore > 1 || lastColumn > inputWidth) seen["general path"]++;
    else {
      const right = lastColumn === inputWidth;
      seen[`stride ${strideWidth}, ${cols.padBefore === 1 ? (right ? "both sides" : "left") : right ? "right" : "neither side"}`]++;
      if (cols.out === 1) seen[`stride ${strideWidth}, one column`]++;
    }
    const spec = {
      batches, inputHeight, inputWidth, inputChannels, inputOffset: rng.int(-127, 128),
      filterHeight: 3, filterWidth: 3, depthMultiplier: 1, strideHeight, strideWidth, dilationHeight: 1, dilationWidth: 1,
      padTop: rows.padBefore, padLeft: cols.padBefore, outputHeight: rows.out, outputWidth: cols.out,
      input: rng.int8Array(batches * inputHeight * inputWidth * inputChannels),
      weights: weights(rng, 9 * inputChannels, inputChannels), bias: bias(rng, inputChannels),
      ...requant(rng, inputChannels),
    };
    check(lab, depthwiseCase(lab, spec), () => ({ n, ...spec }));
  }
  for (const [kind, count] of Object.entries(seen)) assert.ok(count > 0, `no 3×3 depthwise case had ${kind}`);
});

test("fully_connected: v128 = reference on random shapes (both requantization modes, constant channels)", async () => {
  const rng = rngFor("fully_connected");
  const seen = { general: 0, doubled: 0, constant: 0, uint8: 0, "per-channel zero points": 0 };
  for (let n = 0; n < cases(200); n++) {
    const lab = await Lab.create();
    const depth = rng.pick([...AWKWARD_CHANNELS, 64, 100, 257, 1280]);
    const outputChannels = channels(rng);
    const batches = rng.pick([1, 1, 2, 3]);
    const spec = {
      batches, depth, outputChannels, inputOffset: rng.int(-255, 255), input: rng.int8Array(batches * depth),
      weights: weights(rng, outputChannels * depth, outputChannels), bias: bias(rng, outputChannels), ...requant(rng, outputChannels),
    };
    const c = fullyConnectedCase(lab, spec);
    seen[c.requantMode === 1 ? "doubled" : "general"]++;
    seen.constant += c.constantChannels;
    if (!spec.weights.signed) seen.uint8++;
    if (spec.weights.zeroPoints.length > 1) seen["per-channel zero points"]++;
    check(lab, c, () => ({ n, ...spec }));
  }
  for (const [what, count] of Object.entries(seen)) assert.ok(count > 0, `no fully_connected case had ${what}`);
});

test("vector requantization = scalar over the int32 range, every shift", async () => {
  // One input value that is 0 after the offset, so every accumulator is its bias and any int32
  // reaches the requantization: through FULLY_CONNECTED and a 1×1 CONV_2D (8-channel blocks: the
  // int16 step where a block's shifts are within 7 of each other, else the general one).
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
      const weights: FilterWeights = {
        data: Uint8Array.from({ length: channels }, () => rng.int(0, 255)), signed: false, zeroPoints: Array.from({ length: channels }, () => rng.int(0, 255)),
      };
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

test("conv2d and depthwise_conv2d: every requantization step (general, doubled f64 / int16 / integer, clamped or not)", async () => {
  // kernelRequant picks, per op, the general table or doubled accumulators, and per block of 8
  // channels of the latter an f64, int16 or general integer step; the kernels skip the rounding of
  // negative results when activationMin ≥ outputOffset. Cover every combination and count them,
  // and for depthwise_conv2d (whose 3×3 kernel has a loop per doubled step, clamped or not) every pair.
  const rng = rngFor("requant-steps");
  const seen = { general: 0, f64: 0, int16: 0, integer: 0, constant: 0, clamped: 0, unclamped: 0 };
  const seenDepthwise: Record<string, number> = {};
  for (const kind of ["f64", "int16", "integer"]) for (const c of ["clamped", "unclamped"]) seenDepthwise[`${kind} ${c}`] = 0;
  const tally = (
    lab: Lab, bias: Int32Array, multipliers: Int32Array, shifts: Int32Array, channels: number, bounds: Float64Array, allowF64: boolean,
    outputOffset: number, range: [number, number], depthwise: boolean,
  ) => {
    const r = kernelRequant({ kernels: lab.kernels, memory: lab.memory }, bias, multipliers, shifts, channels, bounds, outputOffset, allowF64, range);
    seen.constant += r.constantChannels.length;
    if (r.mode === 0) { seen.general++; return; }
    for (let block = 0; block < Math.ceil(multipliers.length / 8); block++) { // blocks of real channels
      const kind = r.table[(REQUANT_HEADER_BYTES + block * DOUBLED_BLOCK_BYTES) / 4 + 40];
      const step = kind === -2 ? "f64" : kind >= 0 ? "int16" : "integer";
      seen[step]++;
      if (depthwise) seenDepthwise[`${step} ${range[0] >= outputOffset ? "clamped" : "unclamped"}`]++;
    }
  };
  for (let n = 0; n < cases(120); n++) {
    const lab = await Lab.create();
    const allowF64 = rng.bool(0.6);
    const channelsOut = rng.pick([8, 13, 16, 24, 40]);
    const inputChannels = rng.pick([3, 8, 16, 17, 32]);
    const multipliers = Int32Array.from({ length: channelsOut }, () => {
      const r = rng.float();
      // Many trailing zero bits make ties possible, which keeps a block off the f64 step.
      return r < 0.1 ? 2 ** 30 : r < 0.2 ? ((rng.int(2 ** 17, 2 ** 18 - 1) | 1) << 13) : rng.int(2 ** 30, 2 ** 31 - 1);
    });
    // Shifts that leave most outputs unsaturated (accumulators are around 2^11·√K), so that every
    // rounding shows; sometimes spread wide, sometimes positive (the general table).
    const close = rng.bool(0.6);
    const depthScale = Math.round(11 + Math.log2(Math.sqrt(rng.bool() ? inputChannels : 9)));
    const base = -Math.max(1, depthScale - rng.int(5, 8));
    const shifts = Int32Array.from({ length: channelsOut }, () => (close ? Math.min(-1, base - rng.int(0, 5)) : rng.int(-20, rng.bool(0.1) ? 1 : -1)));
    const outputOffset = rng.int(-128, 127);
    const clampedOut = rng.bool(0.5);
    const requant = {
      multipliers, shifts, outputOffset, allowF64,
      activationMin: clampedOut ? Math.min(127, outputOffset + rng.int(0, 3)) : Math.max(-128, outputOffset - rng.int(1, 100)),
      activationMax: 127,
    };
    if (requant.activationMin >= outputOffset) seen.clamped++; else seen.unclamped++;
    const biasRange = rng.pick([1 << 8, 1 << 12, 1 << 14, 1 << 29]);
    const biases = Int32Array.from({ length: channelsOut }, () => rng.int(-biasRange, biasRange));
    // "Dead" channels: a huge bias and a tiny multiplier, one output for every input.
    for (let c = 0; c < channelsOut; c++) {
      if (!rng.bool(0.15)) continue;
      biases[c] = (rng.bool() ? 1 : -1) * rng.int(2 ** 26, 2 ** 28);
      shifts[c] = -rng.int(18, 24);
    }
    const inputOffset = rng.int(-127, 128);
    if (rng.bool()) {
      const [h, w] = [rng.int(1, 9), rng.int(1, 9)];
      const filter = weights(rng, channelsOut * inputChannels, channelsOut);
      tally(lab, biases, multipliers, shifts, channelsOut, accumulatorBounds(biases, absSumsOf(rowsCentred(filter, inputChannels), channelsOut, inputChannels, inputChannels, 1),
        maxInputMagnitude(inputOffset)), allowF64, outputOffset, [requant.activationMin, requant.activationMax], false);
      const spec = {
        batches: 1, inputHeight: h, inputWidth: w, inputChannels, inputOffset, filterHeight: 1, filterWidth: 1, outputChannels: channelsOut,
        strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1, padTop: 0, padLeft: 0, outputHeight: h, outputWidth: w,
        input: rng.int8Array(h * w * inputChannels), weights: filter, bias: biases, ...requant,
      };
      check(lab, convCase(lab, spec), () => ({ n, ...spec }));
      // The same products as h·w rows of a fully connected layer (its kernel doubles the activations, not the weights).
      check(lab, fullyConnectedCase(lab, { ...spec, batches: h * w, depth: inputChannels }), () => ({ n, ...spec, fullyConnected: { batches: h * w, depth: inputChannels } }));
    } else {
      const [h, w, stride] = [rng.int(1, 9), rng.int(1, 9), rng.pick([1, 2])];
      const filter = weights(rng, 9 * channelsOut, channelsOut);
      const centred = tapsCentred(filter, channelsOut);
      const folded = foldInputOffset(biases, sumsOf(centred, channelsOut, 9, 1, channelsOut), inputOffset);
      tally(lab, folded, multipliers, shifts, Math.ceil(channelsOut / 16) * 16, accumulatorBounds(folded, absSumsOf(centred, channelsOut, 9, 1, channelsOut), 128),
        allowF64, outputOffset, [requant.activationMin, requant.activationMax], true);
      const out = (size: number) => Math.floor((size + 2 - 3) / stride) + 1;
      const spec = {
        batches: 1, inputHeight: h, inputWidth: w, inputChannels: channelsOut, inputOffset, filterHeight: 3, filterWidth: 3, depthMultiplier: 1,
        strideHeight: stride, strideWidth: stride, dilationHeight: 1, dilationWidth: 1, padTop: 1, padLeft: 1,
        outputHeight: out(h), outputWidth: out(w), input: rng.int8Array(h * w * channelsOut), weights: filter, bias: biases, ...requant,
      };
      check(lab, depthwiseCase(lab, spec), () => ({ n, ...spec }));
    }
  }
  for (const [step, count] of Object.entries(seen)) assert.ok(count > 0, `no case took the ${step} requantization`);
  for (const [step, count] of Object.entries(seenDepthwise)) assert.ok(count > 0, `no depthwise case took the ${step} requantization`);
});

test("doubled requantization at and around every rounding boundary (conv2d tiles and lone pixels, fully_connected, depthwise)", async () => {
  // Inputs equal to the zero point make every accumulator its bias, chosen next to the points
  // where either rounding of TFLite's requantization changes its result: acc·M/2^31 ± 1/2 and
  // the second step's halfway points, for every block step and with and without clamping.
  const rng = rngFor("requant-boundaries");
  const lab = await Lab.create();
  const channels = 24;
  for (let round = 0; round < cases(48); round++) {
    const e = Int32Array.from({ length: channels }, () => rng.int(1, 16));
    const shifts = e.map((v) => -v);
    const multipliers = Int32Array.from({ length: channels }, (_, c) => (c % 11 === 5 ? 2 ** 30 : rng.int(2 ** 30, 2 ** 31 - 1)));
    const bias = Int32Array.from({ length: channels }, (_, c) => {
      const m = multipliers[c];
      // acc·M near (k + 1/2)·2^(31+e) (the combined rounding's boundary) or near (j + 1/2)·2^31 (the first's).
      const target = rng.bool() ? (rng.int(-140, 140) + 0.5) * 2 ** (31 + e[c]) : (rng.int(-(2 ** (e[c] + 7)), 2 ** (e[c] + 7)) + 0.5) * 2 ** 31;
      return Math.max(-(2 ** 29), Math.min(2 ** 29, Math.round(target / m) + rng.int(-2, 2)));
    });
    const outputOffset = rng.int(-128, 127);
    const requant = {
      multipliers, shifts, outputOffset, allowF64: round % 2 === 0,
      activationMin: round % 4 < 2 ? -128 : Math.max(-128, outputOffset), activationMax: 127,
    };
    const inputOffset = rng.int(-127, 128);
    const pixels = rng.pick([1, 5, 7]);
    const input = new Int8Array(pixels * channels).fill(-inputOffset);
    const describe = () => ({ round, e: [...e], multipliers: [...multipliers], bias: [...bias], outputOffset, inputOffset });
    const filter = weights(rng, channels * channels, channels);
    check(lab, convCase(lab, {
      batches: 1, inputHeight: 1, inputWidth: pixels, inputChannels: channels, inputOffset, filterHeight: 1, filterWidth: 1,
      outputChannels: channels, strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1, padTop: 0, padLeft: 0,
      outputHeight: 1, outputWidth: pixels, input, weights: filter, bias, ...requant,
    }), describe);
    check(lab, fullyConnectedCase(lab, {
      batches: pixels, depth: channels, outputChannels: channels, inputOffset, input, weights: filter, bias, ...requant,
    }), describe);
    check(lab, depthwiseCase(lab, {
      batches: 1, inputHeight: 2, inputWidth: pixels, inputChannels: channels, inputOffset, filterHeight: 3, filterWidth: 3,
      depthMultiplier: 1, strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1, padTop: 1, padLeft: 1,
      outputHeight: 2, outputWidth: pixels, input: new Int8Array(2 * pixels * channels).fill(-inputOffset),
      weights: weights(rng, 9 * channels, channels), bias, ...requant,
    }), describe);
  }
});

/** CONV_2D's packed filter (assembly/kernels/conv2d.ts) in plain JavaScript, from (Cout, K) centred weights. */
function packConvFilter(centred: Int16Array, outChannels: number, depth: number, scale: number, constant: number[]): Int16Array {
  const pairs = Math.ceil(depth / 2);
  const packed = new Int16Array(Math.ceil(outChannels / 8) * pairs * 16);
  for (let oc = 0; oc < outChannels; oc++) {
    const factor = constant.includes(oc) ? 0 : scale;
    for (let k = 0; k < depth; k++) packed[((oc >> 3) * pairs + (k >> 1)) * 16 + (oc & 7) * 2 + (k & 1)] = centred[oc * depth + k] * factor;
  }
  return packed;
}

/**
 * FULLY_CONNECTED's packed filter and weight offsets (assembly/kernels/fully_connected.ts) in plain
 * JavaScript, from (Cout, K) 8-bit weights.
 */
function packFullyConnectedFilter(w: FilterWeights, outChannels: number, depth: number, constant: number[]): { packed: Int8Array; offsets: Int32Array } {
  const pairs = Math.ceil(depth / 2);
  const packed = new Int8Array(Math.ceil(outChannels / 8) * pairs * 16);
  const offsets = new Int32Array(Math.ceil(outChannels / 8) * 8);
  const base = w.signed ? 0 : 128;
  const values = w.signed ? new Int8Array(w.data.buffer, w.data.byteOffset, w.data.length) : w.data;
  for (let oc = 0; oc < outChannels; oc++) {
    if (constant.includes(oc)) continue;
    offsets[oc] = base - w.zeroPoints[w.zeroPoints.length === 1 ? 0 : oc];
    for (let k = 0; k < depth; k++) packed[((oc >> 3) * pairs + (k >> 1)) * 16 + (oc & 7) * 2 + (k & 1)] = values[oc * depth + k] - base;
  }
  return { packed, offsets };
}

/** DEPTHWISE_CONV_2D's packed filter (assembly/kernels/depthwise_conv2d.ts) in plain JavaScript, from (taps, C) centred weights. */
function packDepthwiseFilter(centred: Int16Array, taps: number, channels: number, scale: number, constant: number[]): Int16Array {
  const tapPairs = Math.ceil(taps / 2);
  const packed = new Int16Array(Math.ceil(channels / 16) * 2 * tapPairs * 16);
  for (let t = 0; t < taps; t++) {
    for (let c = 0; c < channels; c++) {
      packed[((c >> 3) * tapPairs + (t >> 1)) * 16 + (c & 7) * 2 + (t & 1)] = centred[t * channels + c] * (constant.includes(c) ? 0 : scale);
    }
  }
  return packed;
}

test("load-time weight preparation in wasm = plain JavaScript: packed layouts, weight offsets, sums", async () => {
  const rng = rngFor("packing");
  for (let n = 0; n < cases(60); n++) {
    const lab = await Lab.create(); // no arena: filters go through wasm memory 8 channels at a time
    const prep = { kernels: lab.kernels, memory: lab.memory };
    const channels = rng.pick([...AWKWARD_CHANNELS, 40, 96]);
    const count = rng.pick([1, 2, 3, 9, 16, 27, 75, 144]);
    const scale = rng.pick([1, 2]);
    const w = weights(rng, channels * count, channels);
    const constant = Array.from({ length: channels }, (_, c) => c).filter(() => rng.bool(0.1));
    const read = (at: number, values: number) => new Int16Array(lab.memory.memory.buffer.slice(at, at + values * 2));
    const rows = rowsCentred(w, count);
    const conv = packConvFilter(rows, channels, count, scale, constant);
    assert.equal(read(storeConvFilter(prep, w, channels, count, scale, constant), conv.length), conv, `conv ${channels}×${count}`);
    const fc = packFullyConnectedFilter(w, channels, count, constant);
    const stored = storeFullyConnectedFilter(prep, w, channels, count, constant);
    const bytes = (at: number, n: number) => new Int8Array(lab.memory.memory.buffer.slice(at, at + n));
    assert.equal(bytes(stored.filter, fc.packed.length), fc.packed, `fully connected ${channels}×${count}`);
    assert.equal(new Int32Array(lab.memory.memory.buffer.slice(stored.filterOffsets, stored.filterOffsets + fc.offsets.byteLength)), fc.offsets,
      `fully connected offsets ${channels}`);
    const taps = tapsCentred(w, channels);
    const dw = packDepthwiseFilter(taps, count, channels, scale, constant);
    assert.equal(read(storeDepthwiseFilter(prep, w, count, channels, scale, constant), dw.length), dw, `depthwise ${count}×${channels}`);
    const rowSums = weightSums(prep, w, channels, count, false);
    assert.equal(rowSums.sums, sumsOf(rows, channels, count, count, 1));
    assert.equal(rowSums.absSums, absSumsOf(rows, channels, count, count, 1));
    const tapSums = weightSums(prep, w, channels, count, true);
    assert.equal(tapSums.sums, sumsOf(taps, channels, count, 1, channels));
    assert.equal(tapSums.absSums, absSumsOf(taps, channels, count, 1, channels));
  }
});

test("load-time multipliers in wasm (channel_multipliers) = quantizeMultiplier in JavaScript", async () => {
  const rng = rngFor("multipliers");
  const lab = await Lab.create();
  const f32 = (x: number) => Math.fround(x);
  for (let n = 0; n < cases(40); n++) {
    const channels = rng.pick([1, 7, 33, 200]);
    const perChannel = channels > 1 && rng.bool(0.8);
    // Scales from tiny to huge, exact powers of two, and values just below a power of two (which
    // round up to 2^31 and carry into the shift).
    const scale = () => f32(rng.pick([
      () => 2 ** rng.int(-140, 120) * (1 + rng.float()),
      () => 2 ** rng.int(-40, 40),
      () => 2 ** rng.int(-40, 40) * (1 - 2 ** -24),
      () => rng.float() * 0.05,
    ])());
    const scales = Float32Array.from({ length: perChannel ? channels : 1 }, scale);
    const [inputScale, outputScale] = [scale(), scale()];
    const floatProduct = rng.bool();
    const at = lab.store(scales);
    const out = lab.memory.allocate(8 * channels);
    lab.kernels.channel_multipliers(inputScale, at, perChannel ? 1 : 0, outputScale, floatProduct ? 1 : 0, out, out + 4 * channels, channels);
    const got = new Int32Array(lab.memory.memory.buffer.slice(out, out + 8 * channels));
    for (let c = 0; c < channels; c++) {
      const product = inputScale * scales[perChannel ? c : 0];
      const real = (floatProduct ? Math.fround(product) : product) / outputScale;
      const [m, shift] = quantizeMultiplier(real);
      if (got[c] !== m || got[channels + c] !== shift) {
        assert.unreachable(`real ${real}: wasm (${got[c]}, ${got[channels + c]}), JavaScript (${m}, ${shift})`);
      }
    }
  }
});

test("conv2d: first-layer shapes (small patches gathered with swizzles, edges staged)", async () => {
  const rng = rngFor("conv2d-first");
  for (let n = 0; n < cases(80); n++) {
    const lab = await Lab.create();
    const inputChannels = rng.pick([1, 2, 3, 3, 4, 5]);
    const [kh, kw] = rng.pick([[3, 3], [3, 3], [2, 2], [1, 3], [3, 1], [5, 5], [3, 2]]);
    const stride = rng.pick([1, 2, 2, 3]);
    const [inputHeight, inputWidth] = [rng.int(kh, 20), rng.int(kw, 20)];
    const rows = axis(rng, inputHeight, kh, stride, 1);
    const cols = axis(rng, inputWidth, kw, stride, 1);
    if (rows.out < 1 || cols.out < 1) continue;
    const outputChannels = rng.pick([8, 16, 24, 32, 13]);
    const batches = rng.int(1, 2);
    const spec = {
      batches, inputHeight, inputWidth, inputChannels, inputOffset: rng.int(-127, 128),
      filterHeight: kh, filterWidth: kw, outputChannels, strideHeight: stride, strideWidth: stride, dilationHeight: 1, dilationWidth: 1,
      padTop: rows.padBefore, padLeft: cols.padBefore, outputHeight: rows.out, outputWidth: cols.out,
      input: rng.int8Array(batches * inputHeight * inputWidth * inputChannels),
      weights: weights(rng, outputChannels * kh * kw * inputChannels, outputChannels), bias: bias(rng, outputChannels), ...requant(rng, outputChannels),
    };
    check(lab, convCase(lab, spec), () => ({ n, ...spec }));
  }
});

test("relaxed-SIMD build = plain build, byte for byte (where this runtime has relaxed SIMD)", async () => {
  if (!relaxedSimdUsable()) return;
  const rng = rngFor("relaxed");
  for (let n = 0; n < cases(150); n++) {
    const labs = [await Lab.create("plain"), await Lab.create("relaxed")];
    const outputs: Uint8Array[] = [];
    const channelsOut = rng.pick([8, 13, 16, 24, 40]);
    const spec = (pick: number) => {
      const r = rngFor(`relaxed-${n}`);
      const e = Int32Array.from({ length: channelsOut }, () => r.int(1, 14));
      const multipliers = Int32Array.from({ length: channelsOut }, () => (r.bool(0.1) ? 2 ** 30 : r.int(2 ** 30, 2 ** 31 - 1)));
      const outputOffset = r.int(-128, 127);
      const common = {
        multipliers, shifts: e.map((v) => -v), outputOffset, allowF64: r.bool(0.7),
        activationMin: r.bool() ? -128 : Math.min(127, outputOffset), activationMax: 127,
        bias: Int32Array.from({ length: channelsOut }, () => r.int(-(2 ** r.int(4, 20)), 2 ** 20)), inputOffset: r.int(-127, 128),
      };
      const [h, w] = [r.int(1, 9), r.int(1, 20)];
      if (pick === 2) {
        const depth = r.pick([3, 8, 17, 64, 1280]);
        return { op: "fc" as const, s: {
          ...common, batches: r.int(1, 2), depth, outputChannels: channelsOut, input: r.int8Array(2 * depth),
          weights: weights(r, channelsOut * depth, channelsOut),
        } };
      }
      if (pick === 0) {
        const inputChannels = r.pick([3, 8, 16, 24]);
        return { op: "conv" as const, s: {
          ...common, batches: 1, inputHeight: h, inputWidth: w, inputChannels, filterHeight: 1, filterWidth: 1, outputChannels: channelsOut,
          strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1, padTop: 0, padLeft: 0, outputHeight: h, outputWidth: w,
          input: r.int8Array(h * w * inputChannels), weights: weights(r, channelsOut * inputChannels, channelsOut),
        } };
      }
      return { op: "dw" as const, s: {
        ...common, batches: 1, inputHeight: h, inputWidth: w, inputChannels: channelsOut, filterHeight: 3, filterWidth: 3, depthMultiplier: 1,
        strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1, padTop: 1, padLeft: 1, outputHeight: h, outputWidth: w,
        input: r.int8Array(h * w * channelsOut), weights: weights(r, 9 * channelsOut, channelsOut),
      } };
    };
    const pick = rng.int(0, 2);
    for (const lab of labs) {
      const { op, s } = spec(pick);
      const c = op === "conv" ? convCase(lab, s) : op === "fc" ? fullyConnectedCase(lab, s) : depthwiseCase(lab, s);
      const out = lab.output(c.outputBytes);
      kernel(lab, c.op, true)(c.params(out));
      outputs.push(lab.read(out, c.outputBytes));
    }
    assert.equal(outputs[1], outputs[0], `case ${n}`);
  }
  const bytes = readData("models/mobilenet_v2_1.0_224_quant.tflite");
  if (bytes === null) return;
  const input = new Rng(9).uint8Array(224 * 224 * 3);
  const plain = await Model.load(bytes, { wasmModule: await WebAssembly.compile(embeddedWasmBytes()) });
  const relaxedModel = await Model.load(bytes, { wasmModule: await WebAssembly.compile(await embeddedRelaxedWasmBytes()) });
  assert.equal(relaxedModel.run(input), plain.run(input));
});

test("add: v128 = reference (split path and general path), with and without broadcasting", async () => {
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
    // Input shifts of the split path (e ≤ 10) and beyond it; multipliers with a zero low part L
    // (multiples of 2^(11+e): 2^30, random ones, 0) or with one.
    const shift = () => (extreme ? rng.int(-31, 1) : rng.int(-11, 0));
    const multiplier = () => rng.pick([2 ** 30, 2 ** 30, 2 ** 31 - 1, 0, rng.int(2 ** 30, 2 ** 31 - 1) & -(2 ** rng.int(11, 22)),
      rng.int(2 ** 30, 2 ** 31 - 1), rng.int(2 ** 30, 2 ** 31 - 1), rng.int(2 ** 30, 2 ** 31 - 1)]);
    const offset = () => rng.pick([-255, 255, rng.int(-255, 255), rng.int(-255, 255), rng.int(-255, 255)]);
    const spec = {
      dims, strides1, strides2, input1: rng.int8Array(size(strides1)), input2: rng.int8Array(size(strides2)),
      input1Offset: offset(), input1Multiplier: multiplier(), input1Shift: shift(),
      input2Offset: offset(), input2Multiplier: multiplier(), input2Shift: shift(),
      // The split path takes output shifts -22..-1.
      leftShift: 20, outputMultiplier: rng.pick([2 ** 30, 2 ** 31 - 1, rng.int(2 ** 30, 2 ** 31 - 1)]),
      outputShift: extreme ? rng.int(-31, 10) : rng.pick([-24, -23, -22, -1, 0, rng.int(-23, -1), rng.int(-21, -16)]),
      outputOffset: rng.pick([-128, 127, rng.int(-128, 127)]),
      activationMin: rng.pick([-128, -128, rng.int(-128, 0)]), activationMax: rng.pick([127, 127, rng.int(1, 127)]),
    };
    check(lab, addCase(lab, spec), () => ({ n, ...spec }));
  }
});

test("add: split path exact in every rounding (inputs that nearly cancel, fine output scale)", async () => {
  // With b2 = -b1 and M2/2^e2 close to M1/2^e1 the sum S = s1 + s2 is a few units, so the output
  // (eo 1..4) shows every rounding of s1 and s2; in the other cases a unit of S rarely changes it.
  const rng = rngFor("add-cancel");
  for (let n = 0; n < cases(120); n++) {
    const lab = await Lab.create();
    const count = rng.pick([16, 17, 100, 256, 1000, 4000]);
    // e up to 12 and eo down to 0 cross the split path's limits; some multipliers have a low part
    // L = 0 (or close to it), some a second multiplier equal to the first.
    const e1 = rng.pick([0, 1, 1, 2, 3, rng.int(0, 10), rng.int(0, 10), rng.int(11, 12)]);
    const e2 = Math.min(12, e1 + rng.int(0, 1));
    const m1 = rng.int(2 ** 30, e2 > e1 ? 2 ** 30 + 2 ** 29 : 2 ** 31 - 1) & (rng.bool(0.5) ? -(2 ** (e1 + rng.int(9, 13))) : -1);
    const delta = rng.pick([0, rng.int(-(2 ** rng.int(0, 14)), 2 ** rng.int(0, 14)), rng.int(-(2 ** rng.int(0, 14)), 2 ** rng.int(0, 14))]);
    const m2 = Math.min(2 ** 31 - 1, Math.max(2 ** 30, m1 * 2 ** (e2 - e1) + delta));
    const input1Offset = rng.int(-255, 255);
    const input2Offset = rng.pick([-input1Offset, rng.int(-255, 255)]);
    const input1 = rng.int8Array(count, -127, 127);
    const input2 = Int8Array.from(input1, (x) => (rng.bool(0.9) ? Math.min(127, Math.max(-128, -x - input1Offset - input2Offset)) : rng.int(-128, 127)));
    const [first, second] = rng.bool() ? [0, 1] : [1, 0]; // either input may be the one with the larger scale
    const inputs = [{ data: input1, offset: input1Offset, multiplier: m1, shift: -e1 }, { data: input2, offset: input2Offset, multiplier: m2, shift: -e2 }];
    const spec = {
      dims: [1, 1, 1, count], strides1: [0, 0, 0, 1], strides2: [0, 0, 0, 1],
      input1: inputs[first].data, input1Offset: inputs[first].offset, input1Multiplier: inputs[first].multiplier, input1Shift: inputs[first].shift,
      input2: inputs[second].data, input2Offset: inputs[second].offset, input2Multiplier: inputs[second].multiplier, input2Shift: inputs[second].shift,
      leftShift: 20, outputMultiplier: rng.int(2 ** 30, 2 ** 31 - 1), outputShift: rng.bool(0.1) ? 0 : -rng.int(1, 4),
      outputOffset: rng.int(-128, 127), activationMin: -128, activationMax: 127,
    };
    check(lab, addCase(lab, spec), () => ({ n, ...spec }));
  }
});

test("mean: v128 = reference", async () => {
  const rng = rngFor("mean");
  for (let n = 0; n < cases(120); n++) {
    const lab = await Lab.create();
    const [batches, height, width, ch] = [rng.int(1, 2), rng.int(1, 19), rng.int(1, 19), rng.pick([...AWKWARD_CHANNELS, 48, 64, 65, 1280])];
    const count = height * width;
    const spec = {
      batches, height, width, channels: ch, input: rng.int8Array(batches * count * ch),
      sumOffset: rng.int(-255, 255) * count,
      multiplier: rng.int(0, 2 ** 31 - 1), shift: rng.int(-31, 8), outputOffset: rng.int(-128, 127),
    };
    check(lab, meanCase(lab, spec), () => ({ n, ...spec }));
  }
});

test("softmax: table kernel = reference (multipliers, shifts, diffMin; rows narrower and wider than their depth)", async () => {
  const rng = rngFor("softmax");
  for (let n = 0; n < cases(150); n++) {
    const lab = await Lab.create();
    const rows = rng.int(1, 4);
    // 4096 equal values make the sum of exps 2^31 (its top bit set); 8200 wrap it around.
    const depth = rng.pick([...AWKWARD_CHANNELS, 100, 255, 256, 257, 1001, 1001, 4096, 8200]);
    const inputLeftShift = rng.int(0, 31);
    const hostDiffMin = -Math.floor((31 * 2 ** 26) / 2 ** inputLeftShift);
    const spec = {
      rows, depth, inputMultiplier: rng.pick([2 ** 30, 2 ** 31 - 1, rng.int(2 ** 30, 2 ** 31 - 1)]), inputLeftShift,
      diffMin: rng.pick([hostDiffMin, rng.int(-260, 0), 0, -255]),
      input: new Int8Array(0),
    };
    // Rows span anywhere from one value to the whole int8 range.
    const input = new Int8Array(rows * depth);
    for (let r = 0; r < rows; r++) {
      const lo = rng.int(-128, 127);
      const hi = rng.pick([lo, Math.min(127, lo + rng.int(1, 20)), rng.int(lo, 127), 127]);
      for (let c = 0; c < depth; c++) input[r * depth + c] = depth >= 4096 && rng.bool(0.5) ? hi : rng.int(lo, hi);
    }
    spec.input = input;
    check(lab, softmaxCase(lab, spec), () => ({ n, ...spec }));
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
