// Seeded pseudo-random numbers for the tests (no Math.random anywhere in tests), and helpers
// for random shapes and quantization parameters.

/** sfc32 generator seeded through splitmix32; deterministic across runtimes. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  bool(pTrue = 0.5): boolean {
    return this.float() < pTrue;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  /** Log-uniform in [lo, hi]. */
  logUniform(lo: number, hi: number): number {
    return Math.exp(Math.log(lo) + this.float() * (Math.log(hi) - Math.log(lo)));
  }

  /** Normal(0, 1) by Box-Muller. */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  int8Array(n: number, lo = -128, hi = 127): Int8Array {
    const a = new Int8Array(n);
    for (let i = 0; i < n; i++) a[i] = this.int(lo, hi);
    return a;
  }

  uint8Array(n: number, lo = 0, hi = 255): Uint8Array {
    const a = new Uint8Array(n);
    for (let i = 0; i < n; i++) a[i] = this.int(lo, hi);
    return a;
  }

  int32Array(n: number, lo: number, hi: number): Int32Array {
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++) a[i] = this.int(lo, hi);
    return a;
  }

  /** Derives an independent generator (for per-case seeding). */
  fork(): Rng {
    return new Rng(this.u32());
  }
}

export type QuantDtype = "int8" | "uint8";

/** Channel counts that exercise vector tails: 1, 3, 7, 17, 33 and a few aligned ones. */
export const AWKWARD_CHANNELS: readonly number[] = [1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 24, 31, 32, 33];

export function randomChannels(rng: Rng, max = 33): number {
  const options = AWKWARD_CHANNELS.filter((c) => c <= max);
  return rng.pick(options);
}

/** A float32 scale, log-uniform over [lo, hi] (orders of magnitude apart by default). */
export function randomScale(rng: Rng, lo = 1e-4, hi = 4): number {
  return Math.fround(rng.logUniform(lo, hi));
}

/** A zero point across the dtype's range, with the edges and the middle over-represented. */
export function randomZeroPoint(rng: Rng, dtype: QuantDtype): number {
  const [lo, hi] = dtype === "int8" ? [-128, 127] : [0, 255];
  const r = rng.float();
  if (r < 0.1) return lo;
  if (r < 0.2) return hi;
  if (r < 0.35) return dtype === "int8" ? 0 : 128;
  return rng.int(lo, hi);
}

export interface RandomQuant {
  scale: number;
  zeroPoint: number;
}

export function randomQuant(rng: Rng, dtype: QuantDtype, scaleLo?: number, scaleHi?: number): RandomQuant {
  return { scale: randomScale(rng, scaleLo, scaleHi), zeroPoint: randomZeroPoint(rng, dtype) };
}

/** Random data of the dtype, optionally restricted to a sub-range. */
export function randomData(rng: Rng, dtype: QuantDtype, n: number): Int8Array | Uint8Array {
  // Sometimes use a narrow band so that outputs do not all saturate.
  if (rng.bool(0.25)) {
    const [lo, hi] = dtype === "int8" ? [-128, 127] : [0, 255];
    const a = rng.int(lo, hi);
    const b = Math.min(hi, a + rng.int(0, 40));
    return dtype === "int8" ? rng.int8Array(n, a, b) : rng.uint8Array(n, a, b);
  }
  return dtype === "int8" ? rng.int8Array(n) : rng.uint8Array(n);
}

/** A random NHWC shape with spatial sizes in [minHW, maxHW]. */
export function randomNHWC(rng: Rng, opts: { maxHW?: number; minHW?: number; maxC?: number; maxBatch?: number } = {}): number[] {
  const minHW = opts.minHW ?? 1;
  const maxHW = opts.maxHW ?? 12;
  return [rng.int(1, opts.maxBatch ?? 1), rng.int(minHW, maxHW), rng.int(minHW, maxHW), randomChannels(rng, opts.maxC ?? 33)];
}

export function pickActivation(rng: Rng): "NONE" | "RELU" | "RELU6" | "RELU_N1_TO_1" {
  return rng.pick(["NONE", "NONE", "RELU", "RELU6", "RELU_N1_TO_1"] as const);
}

/** Weights: int8 symmetric in [-127, 127], uint8 over the full range. */
export function randomWeights(rng: Rng, dtype: QuantDtype, n: number): Int8Array | Uint8Array {
  if (dtype === "int8") return rng.int8Array(n, -127, 127);
  return rng.uint8Array(n, rng.bool(0.2) ? rng.int(0, 100) : 0, 255);
}

/** A filter size that is usually 1 or 3. */
export function kernelSize(rng: Rng): number {
  return rng.pick([1, 1, 2, 3, 3, 3, 4, 5]);
}

/** An output scale that keeps most outputs unsaturated: accumulator spread / ~50, with a
 *  random factor; sometimes small enough to make the real multiplier exceed 1. */
export function outputScaleFor(rng: Rng, productScale: number, accumulationDepth: number): number {
  if (rng.bool(0.08)) return Math.fround(productScale / rng.logUniform(1.05, 6));
  const spread = Math.sqrt(accumulationDepth) * 70 * 70;
  return Math.fround((productScale * spread) / rng.logUniform(15, 120));
}

/**
 * A random CONV_2D or DEPTHWISE_CONV_2D geometry (channels, filter, strides, dilations, padding,
 * fused activation); `onePixel`: the filter covers the whole input (one output pixel).
 */
export function randomConvGeometry(r: Rng, depthwise: boolean, onePixel: boolean, maxHW: number) {
  const batch = !onePixel && r.bool(0.15) ? 2 : 1;
  const inC = randomChannels(r, depthwise ? 33 : 24);
  const depthMultiplier = depthwise ? (r.bool(0.7) ? 1 : r.int(2, 3)) : 1;
  const outC = depthwise ? inC * depthMultiplier : randomChannels(r, 33);
  let kH = kernelSize(r);
  let kW = r.bool(0.7) ? kH : kernelSize(r);
  const strideH = r.pick([1, 1, 1, 2, 2, 3]);
  const strideW = r.bool(0.8) ? strideH : r.pick([1, 2, 3]);
  const dilationH = !onePixel && r.bool(0.15) ? 2 : 1;
  const dilationW = onePixel ? 1 : r.bool(0.8) ? dilationH : r.pick([1, 2]);
  const inH = onePixel ? kH : r.int(1, maxHW);
  const inW = onePixel ? kW : r.int(1, maxHW);
  let padding: "SAME" | "VALID" = !onePixel && r.bool(0.5) ? "SAME" : "VALID";
  if ((kH - 1) * dilationH + 1 > inH || (kW - 1) * dilationW + 1 > inW) {
    if (r.bool(0.5)) padding = "SAME";
    else {
      kH = Math.min(kH, Math.floor((inH - 1) / dilationH) + 1);
      kW = Math.min(kW, Math.floor((inW - 1) / dilationW) + 1);
    }
  }
  const activation = pickActivation(r);
  return { batch, inC, outC, depthMultiplier, kH, kW, strideH, strideW, dilationH, dilationW, inH, inW, padding, activation };
}

