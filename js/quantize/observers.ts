// Streaming statistics of one activation tensor over a calibration set, in bounded memory,
// and the clipping ranges the calibration methods derive from them.
//
// A TensorObserver always keeps the exact minimum and maximum, and the histograms its method
// needs: of the values (percentile, mse) and of |x| (entropy), each a fixed number of
// equal-width bins (2048 by default). The first batch sets the range; when a later batch falls
// outside it, the bin width is multiplied by a power of two and the origin moved by a whole
// number of new bins, so every old bin falls entirely into one new bin and the re-binning is
// exact (no count is split or approximated). A histogram then always covers the data seen with
// at least half of its bins' resolution.
//
// Methods (all give a range [lo, hi] that still has to be nudged to include 0):
// - minmax: the exact minimum and maximum;
// - percentile:P: the P-th and (100 − P)-th percentiles (interpolated within a bin);
// - mse: the range whose asymmetric 8-bit quantization has the least expected squared error
//   over the histogram (rounding error Δ²/12 inside, squared clipping distance outside);
// - entropy: TensorRT's KL-divergence threshold search (on |x| with 128 levels for signed
//   tensors, on x with 256 levels for non-negative ones; the zero bin discounted).
import { InputError } from "../errors.js";

export type CalibrationMethod = "minmax" | "percentile" | "mse" | "entropy";

export interface MethodSpec {
  method: CalibrationMethod;
  /** percentile only: the upper percentile kept, in (50, 100]. */
  percentile?: number;
}

export const DEFAULT_PERCENTILE = 99.99;
export const DEFAULT_BINS = 2048;

/** Parses "minmax", "percentile", "percentile:99.9", "mse" or "entropy". */
export function parseMethod(text: string): MethodSpec {
  const [name, arg, ...rest] = text.trim().split(":");
  const bad = () => new InputError(`unknown calibration method "${text}" (expected minmax, percentile[:P], mse or entropy)`);
  if (rest.length > 0) throw bad();
  switch (name) {
    case "minmax":
    case "mse":
    case "entropy":
      if (arg !== undefined) throw bad();
      return { method: name };
    case "percentile": {
      const p = arg === undefined ? DEFAULT_PERCENTILE : Number(arg);
      if (!(p > 50 && p <= 100)) throw new InputError(`percentile must be in (50, 100], got ${arg}`);
      return { method: "percentile", percentile: p };
    }
    default:
      throw bad();
  }
}

export function methodName(spec: MethodSpec): string {
  return spec.method === "percentile" ? `percentile:${spec.percentile ?? DEFAULT_PERCENTILE}` : spec.method;
}

/** Which histograms a method needs: of the values (percentile, mse), of |x| (entropy), none (minmax). */
export function neededHistograms(spec: MethodSpec): { values: boolean; magnitudes: boolean } {
  return { values: spec.method === "percentile" || spec.method === "mse", magnitudes: spec.method === "entropy" };
}

/**
 * Equal-width bins that grow exactly: bin i covers [origin + i·width, origin + (i+1)·width).
 * Growing multiplies the width by a power of two k and moves the origin by a whole number m of
 * new bins, so old bin i lands entirely in new bin m + ⌊i/k⌋.
 */
export class Histogram {
  counts: Float64Array;
  origin = 0;
  width = 0;
  private empty = true;

  constructor(readonly bins: number) {
    this.counts = new Float64Array(bins);
  }

  /** Makes the bins cover [lo, hi], re-binning exactly if they have to grow. */
  cover(lo: number, hi: number): void {
    const B = this.bins;
    if (this.empty) {
      this.empty = false;
      let width = (hi - lo) / B;
      // A single value: a tiny width around it, which later batches grow as needed.
      if (!(width > 0)) width = Math.max(Math.abs(lo), Math.abs(hi), 1e-30) * 2 ** -20;
      this.origin = lo;
      this.width = width * (1 + 2 ** -20); // keeps hi inside the last bin despite rounding
      return;
    }
    const { origin, width } = this;
    if (lo >= origin && hi < origin + B * width) return;
    const newLo = Math.min(lo, origin);
    const newHi = Math.max(hi, origin + B * width);
    for (let factor = 2; ; factor *= 2) {
      const w = width * factor;
      const shift = Math.max(0, Math.ceil((origin - newLo) / w));
      const start = origin - shift * w;
      if (shift + Math.ceil(B / factor) <= B && start <= lo && start + B * w > newHi) {
        const counts = new Float64Array(B);
        const old = this.counts;
        for (let i = 0; i < B; i++) if (old[i] !== 0) counts[shift + Math.floor(i / factor)] += old[i];
        this.counts = counts;
        this.origin = start;
        this.width = w;
        return;
      }
    }
  }

  /** Counts the finite values (or their magnitudes), which must lie inside the covered range. */
  add(values: ArrayLike<number>, magnitudes: boolean): void {
    const counts = this.counts;
    const origin = this.origin;
    const inverse = 1 / this.width;
    const last = this.bins - 1;
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      if (x - x !== 0) continue; // NaN or ±Infinity
      const v = magnitudes ? Math.abs(x) : x;
      let bin = Math.floor((v - origin) * inverse);
      if (bin < 0) bin = 0; else if (bin > last) bin = last; // rounding at the edges
      counts[bin]++;
    }
  }
}

export interface ObserverHistograms {
  /** A histogram of the values (percentile, mse). */
  values?: boolean;
  /** A histogram of |x| from 0 (entropy). */
  magnitudes?: boolean;
}

export class TensorObserver {
  /** Exact extremes of the finite values seen (Infinity / -Infinity before any). */
  min = Infinity;
  max = -Infinity;
  /** Finite values seen. */
  count = 0;
  /** NaN and ±Infinity values seen (ignored). */
  nonFinite = 0;
  readonly values: Histogram | null;
  readonly magnitudes: Histogram | null;

  /** `true` keeps both histograms, `false` neither. */
  constructor(histograms: ObserverHistograms | boolean = true, readonly bins: number = DEFAULT_BINS) {
    if (!Number.isInteger(bins) || bins < 16 || bins % 2 !== 0) throw new InputError(`histogram bins must be an even integer ≥ 16, got ${bins}`);
    const want = typeof histograms === "boolean" ? { values: histograms, magnitudes: histograms } : histograms;
    this.values = want.values ? new Histogram(bins) : null;
    this.magnitudes = want.magnitudes ? new Histogram(bins) : null;
  }

  /** Bin counts of the value histogram (null without one). */
  get counts(): Float64Array | null {
    return this.values?.counts ?? null;
  }
  get origin(): number {
    return this.values?.origin ?? 0;
  }
  get width(): number {
    return this.values?.width ?? 0;
  }

  /** Adds a batch of values (any length). */
  observe(values: ArrayLike<number>): void {
    let lo = Infinity;
    let hi = -Infinity;
    let finite = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v >= lo && v <= hi) { finite++; continue; } // common case, and false for NaN
      if (v - v !== 0) continue; // NaN or ±Infinity
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      finite++;
    }
    this.nonFinite += values.length - finite;
    if (finite === 0) return;
    this.count += finite;
    if (lo < this.min) this.min = lo;
    if (hi > this.max) this.max = hi;
    if (this.values !== null) {
      this.values.cover(lo, hi);
      this.values.add(values, false);
    }
    if (this.magnitudes !== null) {
      this.magnitudes.cover(0, Math.max(-lo, hi));
      this.magnitudes.add(values, true);
    }
  }

  /** The range [lo, hi] the method chooses (before nudging to include 0). */
  range(spec: MethodSpec): [number, number] {
    if (this.count === 0) return [0, 0];
    if (spec.method === "minmax" || this.min === this.max) return [this.min, this.max];
    const need = (h: Histogram | null) => {
      if (h === null) throw new InputError(`the ${spec.method} method needs a histogram this observer does not keep`);
      return h;
    };
    switch (spec.method) {
      case "percentile": need(this.values); return percentileRange(this, spec.percentile ?? DEFAULT_PERCENTILE);
      case "mse": need(this.values); return mseRange(this);
      case "entropy": return entropyRange(this, need(this.magnitudes));
    }
  }
}

/** The value below which `fraction` of the histogram's mass lies (linear within a bin). */
export function histogramQuantile(o: TensorObserver, fraction: number): number {
  const counts = o.counts!;
  const target = fraction * o.count;
  let cumulative = 0;
  for (let i = 0; i < counts.length; i++) {
    const next = cumulative + counts[i];
    if (next >= target && counts[i] > 0) {
      const within = (target - cumulative) / counts[i];
      const value = o.origin + (i + within) * o.width;
      return Math.min(Math.max(value, o.min), o.max);
    }
    cumulative = next;
  }
  return o.max;
}

function percentileRange(o: TensorObserver, percentile: number): [number, number] {
  const upper = histogramQuantile(o, percentile / 100);
  const lower = o.min >= 0 ? o.min : histogramQuantile(o, 1 - percentile / 100);
  return [Math.min(lower, upper), Math.max(lower, upper)];
}

/** Bins of the histogram: centres and counts, with the exact extremes as outer bounds. */
function binCentres(o: TensorObserver): { centres: Float64Array; counts: Float64Array } {
  const counts = o.counts!;
  const centres = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) centres[i] = o.origin + (i + 0.5) * o.width;
  return { centres, counts };
}

/**
 * Expected squared error of quantizing the histogram to 256 levels on [a, b]: bins inside pay
 * the rounding error Δ²/12, bins outside the squared distance to the clip edge (plus their own
 * spread w²/12). Candidates are bin edges (every `stride`-th), with a ≤ 0 ≤ b; prefix sums of
 * n, n·c and n·c² make each candidate O(1).
 */
function mseRange(o: TensorObserver): [number, number] {
  const { centres, counts } = binCentres(o);
  const B = counts.length;
  const n = new Float64Array(B + 1);
  const nc = new Float64Array(B + 1);
  const ncc = new Float64Array(B + 1);
  for (let i = 0; i < B; i++) {
    n[i + 1] = n[i] + counts[i];
    nc[i + 1] = nc[i] + counts[i] * centres[i];
    ncc[i + 1] = ncc[i] + counts[i] * centres[i] * centres[i];
  }
  const w2 = (o.width * o.width) / 12;
  const edge = (i: number) => o.origin + i * o.width;
  // Clip error of bins [i, j) against the point p: Σ n (c - p)² + n w²/12.
  const clip = (i: number, j: number, p: number) =>
    ncc[j] - ncc[i] - 2 * p * (nc[j] - nc[i]) + p * p * (n[j] - n[i]) + (n[j] - n[i]) * w2;
  // Lower candidates: edges i in [0, zeroBin] (a = min(edge, 0)); upper: edges j in [zeroBin, B].
  const zeroEdge = Math.min(Math.max(Math.ceil(-o.origin / o.width), 0), B);
  const stride = Math.max(1, Math.floor(B / 512));
  const lows: number[] = [];
  const highs: number[] = [];
  for (let i = 0; i <= zeroEdge; i += stride) lows.push(i);
  if (lows[lows.length - 1] !== zeroEdge) lows.push(zeroEdge);
  for (let j = B; j >= zeroEdge; j -= stride) highs.push(j);
  if (highs[highs.length - 1] !== zeroEdge) highs.push(zeroEdge);
  let best = Infinity;
  let bestRange: [number, number] = [o.min, o.max];
  for (const i of lows) {
    const a = Math.min(edge(i), 0);
    const below = clip(0, i, a);
    for (const j of highs) {
      const b = Math.max(edge(j), 0);
      if (!(b > a)) continue;
      const delta = (b - a) / 255;
      const error = below + clip(j, B, b) + (n[j] - n[i]) * delta * delta / 12;
      if (error < best) {
        best = error;
        bestRange = [i === 0 ? Math.min(o.min, 0) : a, j === B ? Math.max(o.max, 0) : b];
      }
    }
  }
  return [Math.max(bestRange[0], Math.min(o.min, 0)), Math.min(bestRange[1], Math.max(o.max, 0))];
}

/**
 * TensorRT-style entropy calibration on the histogram of |x| (bins from 0). For each threshold
 * bin count i from L to the last non-empty bin, the reference distribution P is the first i
 * bins with everything beyond folded into bin i−1; Q is the first i bins merged into L levels
 * and spread back uniformly over the bins where P is non-empty; the threshold with the least
 * KL(P‖Q) wins. L = 128 for signed tensors (symmetric range), 256 for non-negative ones.
 */
function entropyRange(o: TensorObserver, magnitudes: Histogram): [number, number] {
  const signed = o.min < 0;
  const levels = signed ? 128 : 256;
  const hist = magnitudes.counts.slice();
  let NB = hist.length;
  while (NB > levels && hist[NB - 1] === 0) NB--;
  if (NB <= levels) return [o.min, o.max];
  // The bin at 0 holds every exact zero (ReLU outputs: often half of all values); left as it is
  // it decides the KL on its own, so it gets its neighbour's count (as NVIDIA's
  // pytorch-quantization does).
  hist[0] = hist[1];
  let bestKl = Infinity;
  let bestI = NB;
  const p = new Float64Array(NB);
  const q = new Float64Array(NB);
  let tail = 0;
  for (let k = levels; k < NB; k++) tail += hist[k];
  for (let i = levels; i <= NB; i++) {
    // P: the first i bins, the outliers added to the last one.
    let total = 0;
    for (let k = 0; k < i; k++) p[k] = hist[k];
    p[i - 1] += tail;
    for (let k = 0; k < i; k++) total += p[k];
    if (i < NB) tail -= hist[i];
    if (total === 0) continue;
    // Q: hist[0, i) in `levels` groups, each spread over the bins where P is non-empty.
    for (let g = 0; g < levels; g++) {
      const start = Math.floor((g * i) / levels);
      const end = Math.floor(((g + 1) * i) / levels);
      let sum = 0;
      let nonEmpty = 0;
      for (let k = start; k < end; k++) {
        sum += hist[k];
        if (p[k] !== 0) nonEmpty++;
      }
      const share = nonEmpty === 0 ? 0 : sum / nonEmpty;
      for (let k = start; k < end; k++) q[k] = p[k] !== 0 ? share : 0;
    }
    const kl = klDivergence(p, q, i, total);
    if (kl < bestKl) {
      bestKl = kl;
      bestI = i;
    }
  }
  const threshold = magnitudes.origin + bestI * magnitudes.width;
  return signed ? [Math.max(o.min, -threshold), Math.min(o.max, threshold)] : [o.min, Math.min(o.max, threshold)];
}

/** KL(P‖Q) over the first n bins after normalising both and smoothing Q's empty bins. */
function klDivergence(p: Float64Array, q: Float64Array, n: number, pTotal: number): number {
  let qTotal = 0;
  for (let k = 0; k < n; k++) qTotal += q[k];
  if (qTotal === 0) return Infinity;
  const eps = 1e-10;
  let kl = 0;
  for (let k = 0; k < n; k++) {
    if (p[k] === 0) continue;
    const pk = p[k] / pTotal;
    const qk = Math.max(q[k] / qTotal, eps);
    kl += pk * Math.log(pk / qk);
  }
  return kl;
}
