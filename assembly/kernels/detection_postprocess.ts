// TFLite_Detection_PostProcess (SSD models): decode the box encodings against the anchors, then
// non-maximum suppression, fast (each anchor ranked by its best classes) or regular (per class,
// then merged), as TensorFlow Lite's detection_postprocess.cc does with one thread: the same
// float32/float64 arithmetic, a stable sort of the candidates, libstdc++'s partial_sort for the
// classes of an anchor and inplace_merge (ties: the later class first) between classes.
// boxes: (N, boxStride) uint8 stored as int8, or f32, of which (y, x, h, w) are read;
// scores: (N, C) uint8 stored as int8, or f32, C = numClasses (+ 1 background column first);
// anchors: (N, 4) f32 (y, x, h, w); decoded: (N, 4) f32 (ymin, xmin, ymax, xmax), scratch.
// out: boxes (slots, 4), classes (slots), scores (slots), count (1), all f32; slots no detection
// fills are 0.

@unmanaged
export class DetectionParams {
  boxes: i32; boxStride: i32; boxFloat: i32; boxOffset: i32; boxScale: f32;
  scores: i32; scoreFloat: i32; scoreOffset: i32; scoreScale: f32; scoreZeroTimesScale: f32;
  anchors: i32;
  numBoxes: i32; numClasses: i32; classesWithBackground: i32; labelOffset: i32;
  maxDetections: i32; maxClassesPerDetection: i32; detectionsPerClass: i32; regular: i32;
  scoreThreshold: f32; iouThreshold: f32;
  yScale: f32; xScale: f32; hScale: f32; wScale: f32;
  outBoxes: i32; outClasses: i32; outScores: i32; outCount: i32; outSlots: i32;
  /** Scratch: decoded (N × 16 B); per-anchor score, kept index, kept score, order and its merge temp (max(N, D + detectionsPerClass) × 4 B each). */
  decoded: i32; anchorScores: i32; keepIndices: i32; keepScores: i32; order: i32; orderTemp: i32;
  /** Scratch: best classes per anchor (N × k), the class heap (numClasses), selections, merged (index, score) pairs and their temp. */
  topClasses: i32; classHeap: i32; selected: i32; mergedIndex: i32; mergedScore: i32; tempIndex: i32; tempScore: i32;
  /** The scores as f32: `scores` itself when they are f32, else scratch (N × C × 4 B) filled by dequantizeScores. */
  floatScores: i32;
}

// @ts-ignore: decorator
@inline
function i32At(base: i32, i: i32): i32 {
  return load<i32>(<usize>base + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline
function setI32(base: i32, i: i32, v: i32): void {
  store<i32>(<usize>base + (<usize>i << 2), v);
}

// @ts-ignore: decorator
@inline
function f32At(base: i32, i: i32): f32 {
  return load<f32>(<usize>base + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline
function setF32(base: i32, i: i32, v: f32): void {
  store<f32>(<usize>base + (<usize>i << 2), v);
}

/** Score i of the (N, C) scores as float32 (the input's, or their dequantized copy). */
// @ts-ignore: decorator
@inline
function scoreAt(p: DetectionParams, i: i32): f32 {
  return f32At(p.floatScores, i);
}

/**
 * Quantized scores → floatScores as optimized_ops::Dequantize does on x86 (its NEON path through
 * NEON_2_SSE): blocks of 8 as float(q) · scale + float(-zero point · scale), two roundings; the
 * last count % 8 as float(scale · (q - zero point)), one rounding. Stored values are q - 128.
 */
function dequantizeScores(p: DetectionParams): void {
  const count = p.numBoxes * p.classesWithBackground;
  const blocked = count & ~7;
  for (let i = 0; i < count; i++) {
    const stored = <i32>load<i8>(<usize>p.scores + <usize>i);
    const value: f32 = i < blocked ? <f32>(stored + 128) * p.scoreScale + p.scoreZeroTimesScale : <f32>(stored + p.scoreOffset) * p.scoreScale;
    setF32(p.floatScores, i, value);
  }
}

/** std::max<float> and std::min<float>: the first argument unless the other is strictly beyond it. */
// @ts-ignore: decorator
@inline
function maxOf(a: f32, b: f32): f32 {
  return a < b ? b : a;
}

// @ts-ignore: decorator
@inline
function minOf(a: f32, b: f32): f32 {
  return b < a ? b : a;
}

/**
 * exp(x) in float64, fdlibm's e_exp.c (argument reduction by ln 2, a degree-5 Remez polynomial;
 * error below 1 ulp) instead of Math.exp, whose 2 KB table would not fit the .wasm budget. The
 * reference calls glibc's exp: the two differ in the last bit of the double for about 10 % of
 * arguments, which the float32 the half size is rounded to hides (none of 10^6 random arguments
 * in [-6, 6] gave a different float32).
 */
function exp64(x: f64): f64 {
  const ln2Hi = 6.93147180369123816490e-01, ln2Lo = 1.90821492927058770002e-10, invLn2 = 1.44269504088896338700e+00;
  const P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03, P3 = 6.61375632143793436117e-05;
  const P4 = -1.65339022054652515390e-06, P5 = 4.13813679705723846039e-08;
  if (isNaN(x)) return x;
  if (x > 709.782712893383973096) return Infinity;
  if (x < -745.13321910194110842) return 0;
  const hx = <u32>(reinterpret<u64>(x) >> 32) & 0x7fffffff;
  let k = 0, hi = x, lo = 0.0;
  if (hx > 0x3fd62e42) {
    k = hx < 0x3ff0a2b2 ? (x < 0 ? -1 : 1) : <i32>(invLn2 * x + (x < 0 ? -0.5 : 0.5));
    hi = x - <f64>k * ln2Hi;
    lo = <f64>k * ln2Lo;
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - ((lo - (x * c) / (2 - c)) - hi);
  // y · 2^k in two steps, each factor a normal double for k in [-1075, 1024].
  const half = k >> 1;
  return y * reinterpret<f64>(<u64>(0x3ff + half) << 52) * reinterpret<f64>(<u64>(0x3ff + k - half) << 52);
}

/** Box encodings → (ymin, xmin, ymax, xmax) in `decoded`; quantized ones are first dequantized there in place. */
function decodeBoxes(p: DetectionParams): void {
  let source = p.boxes, stride = p.boxStride;
  if (!p.boxFloat) {
    // DequantizeBoxEncodings: (float(q) - zero point) · scale in float32.
    for (let i = 0; i < p.numBoxes; i++) {
      for (let c = 0; c < 4; c++) setF32(p.decoded, (i << 2) + c, <f32>(<i32>load<i8>(<usize>(p.boxes + i * stride + c)) + p.boxOffset) * p.boxScale);
    }
    source = p.decoded;
    stride = 4;
  }
  const yScale = <f64>p.yScale, xScale = <f64>p.xScale, hScale = <f64>p.hScale, wScale = <f64>p.wScale;
  for (let i = 0; i < p.numBoxes; i++) {
    const at = source + ((i * stride) << 2);
    const y = <f64>f32At(at, 0), x = <f64>f32At(at, 1), h = <f64>f32At(at, 2), w = <f64>f32At(at, 3);
    const anchor = p.anchors + (i << 4);
    const ay = <f64>f32At(anchor, 0), ax = <f64>f32At(anchor, 1), ah = <f64>f32At(anchor, 2), aw = <f64>f32At(anchor, 3);
    const yCenter = <f32>(y / yScale * ah + ay);
    const xCenter = <f32>(x / xScale * aw + ax);
    const halfH = <f32>(0.5 * exp64(h / hScale) * ah);
    const halfW = <f32>(0.5 * exp64(w / wScale) * aw);
    const box = p.decoded + (i << 4);
    setF32(box, 0, yCenter - halfH);
    setF32(box, 1, xCenter - halfW);
    setF32(box, 2, yCenter + halfH);
    setF32(box, 3, xCenter + halfW);
  }
}

function intersectionOverUnion(p: DetectionParams, i: i32, j: i32): f32 {
  const a = p.decoded + (i << 4), b = p.decoded + (j << 4);
  const aYmin = f32At(a, 0), aXmin = f32At(a, 1), aYmax = f32At(a, 2), aXmax = f32At(a, 3);
  const bYmin = f32At(b, 0), bXmin = f32At(b, 1), bYmax = f32At(b, 2), bXmax = f32At(b, 3);
  const areaA: f32 = (aYmax - aYmin) * (aXmax - aXmin);
  const areaB: f32 = (bYmax - bYmin) * (bXmax - bXmin);
  if (areaA <= 0 || areaB <= 0) return 0;
  const height = maxOf(minOf(aYmax, bYmax) - maxOf(aYmin, bYmin), 0);
  const width = maxOf(minOf(aXmax, bXmax) - maxOf(aXmin, bXmin), 0);
  const intersection: f32 = height * width;
  return intersection / (areaA + areaB - intersection);
}

/** order[0..n) = 0..n-1 sorted by values[k] decreasing, stably (a bottom-up merge sort). */
function stableSortDecreasing(values: i32, n: i32, order: i32, temp: i32): void {
  for (let i = 0; i < n; i++) setI32(order, i, i);
  let from = order, to = temp;
  for (let width = 1; width < n; width <<= 1) {
    for (let start = 0; start < n; start += width << 1) {
      const middle = min(start + width, n), end = min(start + (width << 1), n);
      let a = start, b = middle, o = start;
      while (a < middle && b < end) {
        const ia = i32At(from, a), ib = i32At(from, b);
        if (f32At(values, ib) > f32At(values, ia)) { setI32(to, o++, ib); b++; } else { setI32(to, o++, ia); a++; }
      }
      while (a < middle) setI32(to, o++, i32At(from, a++));
      while (b < end) setI32(to, o++, i32At(from, b++));
    }
    const swap = from; from = to; to = swap;
  }
  if (from != order) memory.copy(<usize>order, <usize>from, <usize>n << 2);
}

/**
 * NonMaxSuppressionSingleClassHelper on anchorScores: the anchors at or above the score threshold,
 * best first, each kept unless it overlaps a kept one by more than the IoU threshold (the
 * candidates left are compacted after each pick, which is the reference's "active" flags); their
 * indices in `selected`, at most maxDetections; returns how many.
 */
function suppress(p: DetectionParams, maxDetections: i32): i32 {
  let remaining = 0;
  for (let i = 0; i < p.numBoxes; i++) {
    const score = f32At(p.anchorScores, i);
    if (score >= p.scoreThreshold) {
      setI32(p.keepIndices, remaining, i);
      setF32(p.keepScores, remaining, score);
      remaining++;
    }
  }
  stableSortDecreasing(p.keepScores, remaining, p.order, p.orderTemp);
  const candidates = p.orderTemp;
  for (let i = 0; i < remaining; i++) setI32(candidates, i, i32At(p.keepIndices, i32At(p.order, i)));
  let count = 0;
  while (remaining > 0 && count < maxDetections) {
    const box = i32At(candidates, 0);
    setI32(p.selected, count++, box);
    let left = 0;
    for (let j = 1; j < remaining; j++) {
      const other = i32At(candidates, j);
      if (!(intersectionOverUnion(p, box, other) > p.iouThreshold)) setI32(candidates, left++, other);
    }
    remaining = left;
  }
  return count;
}

// libstdc++'s heap functions on the class heap, comparing classes c by score (base + c), greater first.

// @ts-ignore: decorator
@inline
function before(p: DetectionParams, base: i32, a: i32, b: i32): bool {
  return scoreAt(p, base + a) > scoreAt(p, base + b);
}

function adjustHeap(p: DetectionParams, base: i32, hole: i32, length: i32, value: i32): void {
  const heap = p.classHeap;
  const top = hole;
  let child = hole;
  while (child < (length - 1) / 2) {
    child = 2 * (child + 1);
    if (before(p, base, i32At(heap, child), i32At(heap, child - 1))) child--;
    setI32(heap, hole, i32At(heap, child));
    hole = child;
  }
  if ((length & 1) == 0 && child == (length - 2) / 2) {
    child = 2 * (child + 1);
    setI32(heap, hole, i32At(heap, child - 1));
    hole = child - 1;
  }
  let parent = (hole - 1) / 2;
  while (hole > top && before(p, base, i32At(heap, parent), value)) {
    setI32(heap, hole, i32At(heap, parent));
    hole = parent;
    parent = (hole - 1) / 2;
  }
  setI32(heap, hole, value);
}

/** __pop_heap(first, first + length, result). */
function popHeap(p: DetectionParams, base: i32, length: i32, result: i32): void {
  const value = i32At(p.classHeap, result);
  setI32(p.classHeap, result, i32At(p.classHeap, 0));
  adjustHeap(p, base, 0, length, value);
}

/** std::partial_sort of classes 0..numClasses-1 by score, the best k first. */
function partialSortClasses(p: DetectionParams, base: i32, k: i32): void {
  const heap = p.classHeap;
  const n = p.numClasses;
  for (let c = 0; c < n; c++) setI32(heap, c, c);
  for (let parent = (k - 2) / 2; k >= 2 && parent >= 0; parent--) adjustHeap(p, base, parent, k, i32At(heap, parent));
  for (let i = k; i < n; i++) {
    if (before(p, base, i32At(heap, i), i32At(heap, 0))) popHeap(p, base, k, i);
  }
  for (let length = k - 1; length > 0; length--) popHeap(p, base, length, length);
}

function writeDetection(p: DetectionParams, slot: i32, anchor: i32, label: i32, score: f32): void {
  memory.copy(<usize>p.outBoxes + (<usize>slot << 4), <usize>p.decoded + (<usize>anchor << 4), 16);
  setF32(p.outClasses, slot, <f32>label);
  setF32(p.outScores, slot, score);
}

function fastNms(p: DetectionParams): i32 {
  const k = min(p.maxClassesPerDetection, p.numClasses);
  for (let row = 0; row < p.numBoxes; row++) {
    const base = row * p.classesWithBackground + p.labelOffset;
    // partial_sort with k = 1 keeps the first of the highest scores, as ArgMaxVector does.
    partialSortClasses(p, base, k);
    memory.copy(<usize>p.topClasses + (<usize>(row * k) << 2), <usize>p.classHeap, <usize>k << 2);
    setF32(p.anchorScores, row, scoreAt(p, base + i32At(p.classHeap, 0)));
  }
  const count = suppress(p, p.maxDetections);
  for (let o = 0; o < count; o++) {
    const anchor = i32At(p.selected, o);
    const base = anchor * p.classesWithBackground + p.labelOffset;
    for (let col = 0; col < k; col++) {
      const label = i32At(p.topClasses, anchor * k + col);
      writeDetection(p, p.maxClassesPerDetection * o + col, anchor, label, scoreAt(p, base + label));
    }
  }
  return count;
}

function regularNms(p: DetectionParams): i32 {
  const c = p.classesWithBackground;
  let size = 0;
  for (let col = 0; col < p.numClasses; col++) {
    const column = col + p.labelOffset;
    for (let row = 0; row < p.numBoxes; row++) setF32(p.anchorScores, row, scoreAt(p, row * c + column));
    const count = suppress(p, p.detectionsPerClass);
    if (count == 0) continue;
    // The kept list (best first) and this class's after it, stably sorted: on equal scores the
    // kept entries stay first, as in TFLite 2.21's reference outputs. Then the best maxDetections.
    for (let i = 0; i < count; i++) {
      const anchor = i32At(p.selected, i);
      setI32(p.mergedIndex, size + i, anchor * c + column);
      setF32(p.mergedScore, size + i, f32At(p.anchorScores, anchor));
    }
    stableSortDecreasing(p.mergedScore, size + count, p.order, p.orderTemp);
    size = min(size + count, p.maxDetections);
    for (let o = 0; o < size; o++) {
      const from = i32At(p.order, o);
      setI32(p.tempIndex, o, i32At(p.mergedIndex, from));
      setF32(p.tempScore, o, f32At(p.mergedScore, from));
    }
    memory.copy(<usize>p.mergedIndex, <usize>p.tempIndex, <usize>size << 2);
    memory.copy(<usize>p.mergedScore, <usize>p.tempScore, <usize>size << 2);
  }
  for (let o = 0; o < size; o++) {
    const index = i32At(p.mergedIndex, o);
    const anchor = index / c;
    writeDetection(p, o, anchor, index - anchor * c - p.labelOffset, f32At(p.mergedScore, o));
  }
  return size;
}

export function detection_postprocess(paramsPtr: usize): void {
  const p = changetype<DetectionParams>(paramsPtr);
  memory.fill(<usize>p.outBoxes, 0, <usize>p.outSlots << 4);
  memory.fill(<usize>p.outClasses, 0, <usize>p.outSlots << 2);
  memory.fill(<usize>p.outScores, 0, <usize>p.outSlots << 2);
  decodeBoxes(p);
  if (!p.scoreFloat) dequantizeScores(p);
  const count = p.regular ? regularNms(p) : fastNms(p);
  store<f32>(<usize>p.outCount, <f32>count);
}
