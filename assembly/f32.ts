// Shared float32 pieces of the float kernels (scalar and v128, the same operations in the same
// order, so each v128 kernel gives its scalar reference's bits): fused-activation clamps,
// partial stores, the 4×8 dot micro-kernel of CONV_2D and FULLY_CONNECTED, and expf.
// Activation bounds come from the host as TFLite's CalculateActivationRange gives them
// (NONE: ±FLT_MAX, RELU: [0, FLT_MAX], RELU6: [0, 6], RELU_N1_TO_1: [-1, 1]); a clamp is
// min(max(x, lo), hi) with wasm's f32.min/max.

// @ts-ignore: decorator
@inline
export function clampF32(x: f32, lo: f32, hi: f32): f32 {
  return min<f32>(max<f32>(x, lo), hi);
}

// @ts-ignore: decorator
@inline
export function clampF32x4(x: v128, lo: v128, hi: v128): v128 {
  return f32x4.min(f32x4.max(x, lo), hi);
}

/** Stores lanes 0 … n-1 of v at ptr (n ≥ 4 stores all four). */
// @ts-ignore: decorator
@inline
export function storeLanes(ptr: usize, v: v128, n: i32): void {
  if (n >= 4) {
    v128.store(ptr, v);
  } else if (n >= 2) {
    v128.store64_lane(ptr, v, 0);
    if (n == 3) v128.store32_lane(ptr, v, 2, 8);
  } else if (n == 1) {
    v128.store32_lane(ptr, v, 0);
  }
}

// ---- the 4×8 micro-kernel ------------------------------------------------------------------
// Packed weights of a dot-product op (CONV_2D: k = (ky·KW + kx)·Cin + ic; FULLY_CONNECTED: k):
// tiles of 8 output channels, (ceil(Cout/8), K, 8) float32, zero padded (js/ops/weights.ts
// packTilesF32). Every output is acc = Σ_k x[k]·w[k] in ascending k from +0, then
// clamp(acc + bias), as TFLite's float reference kernels compute it.

/** Packed weight k of output channel oc. */
// @ts-ignore: decorator
@inline
export function tileWeight(filter: usize, depth: i32, oc: i32, k: i32): f32 {
  return load<f32>(filter + (<usize>(((oc >> 3) * depth + k) * 8 + (oc & 7)) << 2));
}

/**
 * Rows r0…r3 (K contiguous floats each) against every 8-channel tile: out row p gets the Cout
 * outputs of row p; only the first n rows (1…4) are stored, rowStride bytes apart.
 */
export function dotRows4(
  r0: usize, r1: usize, r2: usize, r3: usize, n: i32, depth: i32,
  filter: usize, bias: usize, outC: i32, activationMin: f32, activationMax: f32, out: usize, rowStride: usize,
): void {
  const lo = f32x4.splat(activationMin);
  const hi = f32x4.splat(activationMax);
  const tileBytes = <usize>depth << 5;
  let w0 = filter;
  for (let oc = 0; oc < outC; oc += 8) {
    let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
    let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
    let w = w0;
    const end = <usize>depth << 2;
    for (let at: usize = 0; at < end; at += 4) {
      const wa = v128.load(w);
      const wb = v128.load(w, 16);
      const x0 = v128.load32_splat(r0 + at);
      c00 = f32x4.add(c00, f32x4.mul(x0, wa));
      c01 = f32x4.add(c01, f32x4.mul(x0, wb));
      const x1 = v128.load32_splat(r1 + at);
      c10 = f32x4.add(c10, f32x4.mul(x1, wa));
      c11 = f32x4.add(c11, f32x4.mul(x1, wb));
      const x2 = v128.load32_splat(r2 + at);
      c20 = f32x4.add(c20, f32x4.mul(x2, wa));
      c21 = f32x4.add(c21, f32x4.mul(x2, wb));
      const x3 = v128.load32_splat(r3 + at);
      c30 = f32x4.add(c30, f32x4.mul(x3, wa));
      c31 = f32x4.add(c31, f32x4.mul(x3, wb));
      w += 32;
    }
    const ba = v128.load(bias + (<usize>oc << 2));
    const bb = v128.load(bias + (<usize>oc << 2), 16);
    const m = outC - oc;
    const o = out + (<usize>oc << 2);
    storeTile(o, clampF32x4(f32x4.add(c00, ba), lo, hi), clampF32x4(f32x4.add(c01, bb), lo, hi), m);
    if (n > 1) storeTile(o + rowStride, clampF32x4(f32x4.add(c10, ba), lo, hi), clampF32x4(f32x4.add(c11, bb), lo, hi), m);
    if (n > 2) storeTile(o + 2 * rowStride, clampF32x4(f32x4.add(c20, ba), lo, hi), clampF32x4(f32x4.add(c21, bb), lo, hi), m);
    if (n > 3) storeTile(o + 3 * rowStride, clampF32x4(f32x4.add(c30, ba), lo, hi), clampF32x4(f32x4.add(c31, bb), lo, hi), m);
    w0 += tileBytes;
  }
}

/** The first m (≥ 1) of 8 channels a (0–3), b (4–7) at ptr. */
// @ts-ignore: decorator
@inline
function storeTile(ptr: usize, a: v128, b: v128, m: i32): void {
  if (m >= 8) {
    v128.store(ptr, a);
    v128.store(ptr, b, 16);
  } else {
    storeLanes(ptr, a, m);
    if (m > 4) storeLanes(ptr + 16, b, m - 4);
  }
}

// ---- expf ----------------------------------------------------------------------------------
// exp(x) = 2^n · e^r, n = round(x·log2 e), r = x - n·ln 2 in two parts (Cody–Waite; n·C1 is
// exact), e^r by Cephes' degree-7 polynomial on [-ln2/2, ln2/2] (relative error ≈ 1e-7);
// 2^n as two factors 2^(n>>1) · 2^(n - (n>>1)), so that results down to the subnormals are
// rounded once. x is clamped to [-103.97, 88.72] (beyond: 0 and +∞); NaN stays NaN.

const EXP_LO: f32 = -103.972084;
const EXP_HI: f32 = 88.7228394;
const LOG2E: f32 = 1.44269504;
const C1: f32 = 0.693359375;
const C2: f32 = -2.12194440e-4;
const P0: f32 = 1.9875691500e-4;
const P1: f32 = 1.3981999507e-3;
const P2: f32 = 8.3334519073e-3;
const P3: f32 = 4.1665795894e-2;
const P4: f32 = 1.6666665459e-1;
const P5: f32 = 5.0000001201e-1;

export function expf(x: f32): f32 {
  x = min<f32>(max<f32>(x, EXP_LO), EXP_HI);
  const n = nearest<f32>(x * LOG2E);
  let r = x - n * C1;
  r = r - n * C2;
  let p = P0 * r + P1;
  p = p * r + P2;
  p = p * r + P3;
  p = p * r + P4;
  p = p * r + P5;
  const y = p * (r * r) + r + <f32>1;
  const k = <i32>n;
  const k1 = k >> 1;
  return y * reinterpret<f32>((k1 + 127) << 23) * reinterpret<f32>((k - k1 + 127) << 23);
}

/** expf on four lanes, lane for lane the same operations. */
// @ts-ignore: decorator
@inline
export function expf4(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(EXP_LO)), f32x4.splat(EXP_HI));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(C1)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(C2)));
  let p = f32x4.add(f32x4.mul(f32x4.splat(P0), r), f32x4.splat(P1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P4));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P5));
  const y = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1));
  const k = i32x4.trunc_sat_f32x4_s(n);
  const k1 = i32x4.shr_s(k, 1);
  const bias = i32x4.splat(127);
  const s1 = i32x4.shl(i32x4.add(k1, bias), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(k, k1), bias), 23);
  return f32x4.mul(f32x4.mul(y, s1), s2);
}
