// The hybrid (dynamic-range) kernels of assembly/kernels/hybrid.ts: hybrid_conv (v128) against
// hybrid_conv_ref on random CONV_2D-, DEPTHWISE_CONV_2D- and FULLY_CONNECTED-shaped cases with
// awkward depths and random per-image offsets, byte for byte including guard bytes; and
// hybrid_quantize against TFLite's Symmetric/AsymmetricQuantizeFloats written out in JavaScript.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { floatBits, storeParams } from "../js/ops/context.js";
import { CONV_FIELDS, QUANTIZE_FIELDS } from "../js/ops/hybrid.js";
import { Lab } from "./kernel-cases.js";
import { Rng } from "./random.js";
import { roundHalfAwayFromZero } from "./reference/fixedpoint.js";

const GUARD = 32;
const DEPTHS = [1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 70];

function floats(rng: Rng, n: number, range: number): Float32Array {
  return Float32Array.from({ length: n }, () => (rng.float() * 2 - 1) * range);
}

test("hybrid_conv: v128 equals the scalar kernel", async () => {
  const lab = await Lab.create();
  const rng = new Rng(2105);
  for (let i = 0; i < 120; i++) {
    const kind = rng.pick(["conv", "depthwise", "fully_connected"] as const);
    const batches = rng.int(1, 3);
    const inC = kind === "fully_connected" ? rng.pick(DEPTHS) : rng.pick([1, 3, 8, 9, 17, 33]);
    const multiplier = kind === "depthwise" ? rng.pick([1, 2, 3]) : 0;
    const outC = kind === "depthwise" ? inC * multiplier : rng.pick([1, 3, 8, 17]);
    const k = kind === "fully_connected" ? 1 : rng.pick([1, 2, 3]);
    const stride = kind === "fully_connected" ? 1 : rng.pick([1, 2]);
    const dilation = kind !== "fully_connected" && rng.bool(0.2) ? 2 : 1;
    const inH = kind === "fully_connected" ? 1 : rng.int(1, 6), inW = kind === "fully_connected" ? 1 : rng.int(1, 6);
    const pad = kind === "fully_connected" ? 0 : rng.int(0, k - 1);
    const outH = Math.max(1, Math.floor((inH + 2 * pad - (k - 1) * dilation - 1) / stride) + 1);
    const outW = Math.max(1, Math.floor((inW + 2 * pad - (k - 1) * dilation - 1) / stride) + 1);
    const depth = kind === "depthwise" ? 1 : inC;
    const filterCount = kind === "depthwise" ? k * k * outC : outC * k * k * inC;
    const outputBytes = 4 * batches * outH * outW * outC;
    const fields = {
      input: lab.store(rng.int8Array(batches * inH * inW * inC)),
      scales: lab.store(floats(rng, batches, 1)),
      offsets: lab.store(Int32Array.from({ length: batches }, () => rng.pick([0, -128, 127, rng.int(-128, 127)]))),
      batches, inputHeight: inH, inputWidth: inW, inputChannels: inC,
      filter: lab.store(rng.int8Array(filterCount)), outputHeight: outH, outputWidth: outW, outputChannels: outC,
      filterHeight: k, filterWidth: k, strideHeight: stride, strideWidth: stride, dilationHeight: dilation, dilationWidth: dilation,
      padTop: pad, padLeft: pad, depth, depthMultiplier: multiplier,
      channelStride: kind === "depthwise" ? 1 : k * k * inC, tapStride: kind === "depthwise" ? outC : inC,
      channelScales: lab.store(floats(rng, outC, 0.1)), bias: lab.store(floats(rng, outC, 1)),
      activationMin: floatBits(rng.pick([-3.4028234663852886e38, -1, 0])), activationMax: floatBits(rng.pick([3.4028234663852886e38, 1, 6])),
    };
    const outRef = lab.output(outputBytes, GUARD);
    const outSimd = lab.output(outputBytes, GUARD);
    lab.kernels.hybrid_conv_ref(storeParams(lab.memory, CONV_FIELDS, { ...fields, output: outRef }));
    lab.kernels.hybrid_conv(storeParams(lab.memory, CONV_FIELDS, { ...fields, output: outSimd }));
    const want = lab.read(outRef, outputBytes + GUARD);
    const got = lab.read(outSimd, outputBytes + GUARD);
    for (let b = 0; b < want.length; b++) {
      if (got[b] !== want[b] || (b >= outputBytes && want[b] !== 0x5a)) {
        assert.unreachable(`case ${i} (${kind}, depth ${depth}, ${inH}×${inW}, k ${k}): byte ${b} of ${outputBytes}: ${got[b]} vs ${want[b]}`);
      }
    }
  }
});

/** SymmetricQuantizeFloats / AsymmetricQuantizeFloats (tensor_utils portable), in f32 / f64 as there. */
function quantizeRow(values: Float32Array, asymmetric: boolean): { q: Int8Array; scale: number; offset: number } {
  const f = Math.fround;
  let lo = values[0], hi = values[0];
  for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const q = new Int8Array(values.length);
  if (!asymmetric) {
    const range = Math.max(Math.abs(lo), Math.abs(hi));
    if (range === 0) return { q, scale: 1, offset: 0 };
    const inverse = f(127 / range);
    values.forEach((v, i) => { q[i] = Math.min(127, Math.max(-127, roundHalfAwayFromZero(f(v * inverse)))); });
    return { q, scale: f(range / 127), offset: 0 };
  }
  const rmin = Math.min(0, lo), rmax = Math.max(0, hi);
  if (rmin === rmax) return { q, scale: 1, offset: 0 };
  const s = (rmax - rmin) / 255;
  const zero = 128 + Math.abs(rmin / s) < 127 + Math.abs(rmax / s) ? -128 - rmin / s : 127 - rmax / s;
  const offset = zero <= -128 ? -128 : zero >= 127 ? 127 : roundHalfAwayFromZero(zero);
  const scale = f(s);
  const inverse = f(1 / scale);
  values.forEach((v, i) => { q[i] = Math.min(127, Math.max(-128, roundHalfAwayFromZero(f(offset + f(v * inverse))))); });
  return { q, scale, offset };
}

test("hybrid_quantize: TFLite's symmetric and asymmetric quantization", async () => {
  const lab = await Lab.create();
  const rng = new Rng(4711);
  for (let i = 0; i < 60; i++) {
    const rows = rng.int(1, 4);
    const size = rng.pick(DEPTHS);
    const asymmetric = rng.bool(0.5);
    const values = floats(rng, rows * size, rng.pick([1e-3, 1, 4, 300]));
    if (rng.bool(0.3)) values.fill(0, 0, size);
    if (rng.bool(0.3)) for (let j = 0; j < values.length; j++) values[j] = Math.abs(values[j]);
    const output = lab.output(rows * size);
    const scales = lab.output(4 * rows);
    const offsets = lab.output(4 * rows);
    lab.kernels.hybrid_quantize(storeParams(lab.memory, QUANTIZE_FIELDS, {
      input: lab.store(values), rows, size, output, scales, offsets, asymmetric: asymmetric ? 1 : 0,
    }));
    const q = new Int8Array(lab.read(output, rows * size).buffer);
    const gotScales = new Float32Array(lab.read(scales, 4 * rows).buffer);
    const gotOffsets = new Int32Array(lab.read(offsets, 4 * rows).buffer);
    for (let r = 0; r < rows; r++) {
      const want = quantizeRow(values.subarray(r * size, (r + 1) * size), asymmetric);
      assert.equal([...q.subarray(r * size, (r + 1) * size)], [...want.q], `case ${i} row ${r} values`);
      assert.is(gotScales[r], want.scale, `case ${i} row ${r} scale`);
      assert.is(gotOffsets[r], want.offset, `case ${i} row ${r} offset`);
    }
  }
});

test.run();
