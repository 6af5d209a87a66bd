// Calibration observers against brute-force computations on the raw values.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError } from "../js/errors.js";
import { histogramQuantile, parseMethod, TensorObserver } from "../js/quantize/observers.js";
import { asymmetricParams } from "../js/quantize/quantize.js";
import { Rng } from "./random.js";

/** Batches of values whose range grows from batch to batch (forces re-binning). */
function growingBatches(rng: Rng, batches: number, size: number, make: (rng: Rng, b: number) => number): Float32Array[] {
  return Array.from({ length: batches }, (_, b) => Float32Array.from({ length: size }, () => make(rng, b)));
}

function allValues(batches: Float32Array[]): Float64Array {
  const all = new Float64Array(batches.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of batches) { all.set(b, at); at += b.length; }
  return all.sort();
}

test("min/max, count and non-finite values match a direct pass", () => {
  const rng = new Rng(1);
  for (const histogram of [false, true]) {
    const o = new TensorObserver(histogram, 256);
    const batches = growingBatches(rng, 7, 1000, (r, b) => r.normal() * (1 + b));
    batches[3][5] = NaN;
    batches[4][0] = Infinity;
    batches[4][1] = -Infinity;
    for (const b of batches) o.observe(b);
    const finite = allValues(batches).filter(Number.isFinite);
    assert.is(o.count, finite.length);
    assert.is(o.nonFinite, 3);
    assert.is(o.min, finite[0]);
    assert.is(o.max, finite[finite.length - 1]);
    if (histogram) assert.is(o.counts!.reduce((a, b) => a + b, 0), finite.length);
  }
});

test("the histogram grows by exact re-binning: counts equal a direct binning on the final grid", () => {
  // Values on a coarse lattice stay away from bin edges, so direct binning is unambiguous.
  const rng = new Rng(2);
  const o = new TensorObserver(true, 64);
  const batches = growingBatches(rng, 9, 500, (r, b) => Math.round((r.float() * 2 - 0.7) * (b + 1) * 2 ** b * 64) / 64 + 1 / 4096);
  batches.unshift(new Float32Array(10).fill(0.5)); // a first batch holding one value
  for (const b of batches) o.observe(b);
  const expected = new Float64Array(64);
  for (const v of allValues(batches)) {
    const bin = Math.min(63, Math.max(0, Math.floor((v - o.origin) / o.width)));
    expected[bin]++;
  }
  let moved = 0;
  for (let i = 0; i < 64; i++) moved += Math.abs(expected[i] - o.counts![i]);
  assert.ok(moved <= 2, `${moved} values in another bin than a direct binning puts them`);
  assert.ok(o.origin <= o.min && o.origin + 64 * o.width > o.max, "the grid covers every value");
  // At least half of the bins span the data (the width at most doubles past the minimum).
  assert.ok((o.max - o.min) / o.width >= 32 - 2, `data spans ${(o.max - o.min) / o.width} bins of 64`);
});

test("percentiles are within one bin of the exact order statistics", () => {
  const rng = new Rng(3);
  const o = new TensorObserver(true);
  const batches = growingBatches(rng, 10, 2000, (r, b) => r.normal() * (b < 5 ? 1 : 2) + 0.5);
  for (const b of batches) o.observe(b);
  const sorted = allValues(batches);
  // The p-quantile lies between order statistics ⌈pn⌉−1 and ⌈pn⌉ (0-based), within a bin.
  const between = (p: number, v: number) => {
    const k = Math.ceil(p * sorted.length);
    const a = sorted[Math.max(0, k - 1)];
    const b = sorted[Math.min(sorted.length - 1, k)];
    return v >= a - 1.01 * o.width && v <= b + 1.01 * o.width;
  };
  for (const p of [0.001, 0.01, 0.5, 0.9, 0.999, 0.9999]) {
    const estimate = histogramQuantile(o, p);
    assert.ok(between(p, estimate), `p=${p}: ${estimate} (bin ${o.width})`);
  }
  const [lo, hi] = o.range({ method: "percentile", percentile: 99 });
  assert.ok(between(0.99, hi));
  assert.ok(between(0.01, lo));
  assert.equal(o.range({ method: "minmax" }), [sorted[0], sorted[sorted.length - 1]]);
});

/** The real mean squared error of quantizing the values with TFLite's int8 rule on [lo, hi]. */
function quantizationMse(values: Float64Array, lo: number, hi: number): number {
  const { scale, zeroPoint } = asymmetricParams(lo, hi);
  let sum = 0;
  for (const v of values) {
    const q = Math.max(-128, Math.min(127, Math.round(v / scale) + zeroPoint));
    const e = v - scale * (q - zeroPoint);
    sum += e * e;
  }
  return sum / values.length;
}

test("mse: the chosen range's real quantization error is within 3 % of a brute-force grid search", () => {
  const rng = new Rng(4);
  const cases: [string, (r: Rng) => number][] = [
    ["gaussian", (r) => r.normal() * 2],
    ["relu of a gaussian", (r) => Math.max(0, r.normal())],
    ["heavy tail", (r) => r.normal() * (r.float() < 0.01 ? 20 : 1)],
    ["skewed", (r) => Math.exp(r.normal()) - 0.5],
  ];
  for (const [name, draw] of cases) {
    const o = new TensorObserver(true);
    const batches = growingBatches(rng, 4, 5000, draw);
    for (const b of batches) o.observe(b);
    const values = allValues(batches);
    const [lo, hi] = o.range({ method: "mse" });
    const chosen = quantizationMse(values, lo, hi);
    let best = Infinity;
    const steps = 60;
    for (let i = 0; i <= steps; i++) {
      const a = Math.min(0, o.min) * (i / steps);
      for (let j = 1; j <= steps; j++) {
        const b = Math.max(0, o.max) * (j / steps);
        if (b - a > 0) best = Math.min(best, quantizationMse(values, a, b));
      }
    }
    assert.ok(chosen <= best * 1.03, `${name}: mse range [${lo}, ${hi}] has error ${chosen}, a grid search finds ${best}`);
    assert.ok(chosen <= quantizationMse(values, o.min, o.max) * 1.03, `${name}: no worse than minmax`);
  }
});

/**
 * TensorRT's entropy calibration written directly on a |x| histogram of the raw values: the KL
 * divergence of every candidate threshold (bins levels..bins), and the threshold per bin.
 */
function bruteForceKl(values: Float64Array, bins: number, levels: number): { kl: Float64Array; top: number } {
  const top = Math.max(...values.map(Math.abs));
  const hist = new Float64Array(bins);
  for (const v of values) hist[Math.min(bins - 1, Math.floor((Math.abs(v) / top) * bins))]++;
  hist[0] = hist[1];
  const kls = new Float64Array(bins + 1).fill(Infinity);
  for (let i = levels; i <= bins; i++) {
    const p = Array.from(hist.subarray(0, i));
    for (let k = i; k < bins; k++) p[i - 1] += hist[k];
    const q = new Array(i).fill(0);
    for (let g = 0; g < levels; g++) {
      const start = Math.floor((g * i) / levels);
      const end = Math.floor(((g + 1) * i) / levels);
      let sum = 0;
      let nonzero = 0;
      for (let k = start; k < end; k++) { sum += hist[k]; if (p[k] !== 0) nonzero++; }
      for (let k = start; k < end; k++) q[k] = p[k] !== 0 ? sum / nonzero : 0;
    }
    const ps = p.reduce((a, b) => a + b, 0);
    const qs = q.reduce((a, b) => a + b, 0);
    let kl = 0;
    for (let k = 0; k < i; k++) if (p[k] > 0) kl += (p[k] / ps) * Math.log((p[k] / ps) / Math.max(q[k] / qs, 1e-10));
    kls[i] = kl;
  }
  return { kl: kls, top };
}

test("entropy: the threshold equals a direct implementation of TensorRT's KL search on the same bins", () => {
  const rng = new Rng(5);
  for (const [name, draw, signed] of [
    ["gaussian", (r: Rng) => r.normal() * 3, true],
    ["skewed signed", (r: Rng) => Math.exp(r.normal()) - 1.2, true],
    ["relu6-like with a spike at 6", (r: Rng) => { const u = r.float(); return u < 0.4 ? 0 : u < 0.42 ? 6 : Math.min(6, Math.abs(r.normal()) * 1.5); }, false],
  ] as const) {
    const o = new TensorObserver({ magnitudes: true }, 512);
    const batches = growingBatches(rng, 3, 20000, draw);
    // The largest |x| in the first batch: the |x| bins are then exactly the direct ones.
    let [bb, bi] = [0, 0];
    batches.forEach((b, k) => b.forEach((v, i) => { if (Math.abs(v) > Math.abs(batches[bb][bi])) [bb, bi] = [k, i]; }));
    [batches[0][0], batches[bb][bi]] = [batches[bb][bi], batches[0][0]];
    for (const b of batches) o.observe(b);
    const values = allValues(batches);
    const [lo, hi] = o.range({ method: "entropy" });
    const { kl, top } = bruteForceKl(values, 512, signed ? 128 : 256);
    const best = kl.indexOf(Math.min(...kl));
    const expected = (best / 512) * top;
    assert.ok(Math.abs(hi - Math.min(expected, o.max)) <= (1.01 / 512) * top, `${name}: threshold ${hi}, direct ${expected}`);
    if (signed) assert.ok(Math.abs(lo - Math.max(o.min, -expected)) <= (1.01 / 512) * top, `${name}: lower ${lo}, direct ${-expected}`);
    else assert.is(lo, 0);
  }
});

test("parseMethod accepts the four methods and rejects anything else with InputError", () => {
  assert.equal(parseMethod("minmax"), { method: "minmax" });
  assert.equal(parseMethod("mse"), { method: "mse" });
  assert.equal(parseMethod("entropy"), { method: "entropy" });
  assert.equal(parseMethod("percentile"), { method: "percentile", percentile: 99.99 });
  assert.equal(parseMethod("percentile:99.9"), { method: "percentile", percentile: 99.9 });
  for (const bad of ["", "kl", "minmax:3", "percentile:40", "percentile:101", "percentile:x", "mse:1:2"]) {
    assert.throws(() => parseMethod(bad), (e: unknown) => e instanceof InputError, bad);
  }
});

test("asymmetricParams follows TFLite: range nudged to 0, scale (max−min)/255, zero point rounded and clamped", () => {
  assert.equal(asymmetricParams(-1, 1), { scale: Math.fround(2 / 255), zeroPoint: -1 });
  assert.equal(asymmetricParams(0, 6), { scale: Math.fround(6 / 255), zeroPoint: -128 });
  assert.equal(asymmetricParams(2, 6), { scale: Math.fround(6 / 255), zeroPoint: -128 }); // nudged to [0, 6]
  assert.equal(asymmetricParams(-4, -1), { scale: Math.fround(4 / 255), zeroPoint: 127 }); // nudged to [-4, 0]
  const p = asymmetricParams(-3.3, 7.1);
  assert.is(p.scale, Math.fround(10.4 / 255));
  assert.is(p.zeroPoint, Math.round(-128 + 3.3 / p.scale));
  assert.equal(asymmetricParams(0, 0), { scale: Math.fround(1 / 255), zeroPoint: -128 });
});

test.run();
