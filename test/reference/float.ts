// Plain float64 reference of TensorFlow Lite's float32 operators (reference_ops::Conv,
// DepthwiseConv, FullyConnected, Add, Mean, AveragePool, MaxPool, Softmax, Pad, Concatenation):
// the same arithmetic in double precision, so the float32 kernels are checked against the exact
// values up to float64 rounding. Inputs are float32 values; results are Float64Array, NHWC.
import { broadcastShape } from "./kernels.js";
import { computePaddingHeightWidth, type FusedActivation, type PaddingType } from "./params.js";

export interface F64Tensor {
  data: Float64Array;
  shape: number[];
  /**
   * Dot-product ops: the largest Σ|x·w| + |bias| over the outputs, the size of the terms a
   * float32 sum rounds. When the largest output is far smaller (cancellation, or an activation
   * clamping most outputs to 0), no float32 summation can be accurate relative to it.
   */
  terms?: number;
}

type Values = ArrayLike<number>;

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The fused activation as a clamp in real numbers (NONE: none). */
export function activate(x: number, activation: FusedActivation = "NONE"): number {
  switch (activation) {
    case "NONE": return x;
    case "RELU": return Math.max(x, 0);
    case "RELU6": return Math.min(Math.max(x, 0), 6);
    case "RELU_N1_TO_1": return Math.min(Math.max(x, -1), 1);
    default: throw new Error(`activation ${activation as string}`);
  }
}

export interface ConvOptions {
  padding: PaddingType;
  strideH: number;
  strideW: number;
  dilationH?: number;
  dilationW?: number;
  activation?: FusedActivation;
}

/** CONV_2D: input [N,H,W,Cin], filter [Cout,KH,KW,Cin], bias [Cout] or null. */
export function conv2d(input: Values, inShape: readonly number[], filter: Values, filterShape: readonly number[], bias: Values | null, opts: ConvOptions): F64Tensor {
  const [batches, inH, inW, inC] = inShape;
  const [outC, kH, kW] = filterShape;
  const dilH = opts.dilationH ?? 1;
  const dilW = opts.dilationW ?? 1;
  const pad = computePaddingHeightWidth(opts.strideH, opts.strideW, dilH, dilW, inH, inW, kH, kW, opts.padding);
  const out = new Float64Array(batches * pad.outHeight * pad.outWidth * outC);
  let o = 0;
  let terms = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < pad.outHeight; oy++) {
      for (let ox = 0; ox < pad.outWidth; ox++) {
        for (let oc = 0; oc < outC; oc++) {
          let acc = 0;
          let size = bias ? Math.abs(bias[oc]) : 0;
          for (let ky = 0; ky < kH; ky++) {
            const iy = oy * opts.strideH - pad.padTop + ky * dilH;
            if (iy < 0 || iy >= inH) continue;
            for (let kx = 0; kx < kW; kx++) {
              const ix = ox * opts.strideW - pad.padLeft + kx * dilW;
              if (ix < 0 || ix >= inW) continue;
              const inBase = ((b * inH + iy) * inW + ix) * inC;
              const fBase = ((oc * kH + ky) * kW + kx) * inC;
              for (let ic = 0; ic < inC; ic++) {
                acc += input[inBase + ic] * filter[fBase + ic];
                size += Math.abs(input[inBase + ic] * filter[fBase + ic]);
              }
            }
          }
          terms = Math.max(terms, size);
          out[o++] = activate(acc + (bias ? bias[oc] : 0), opts.activation);
        }
      }
    }
  }
  return { data: out, shape: [batches, pad.outHeight, pad.outWidth, outC], terms };
}

/** DEPTHWISE_CONV_2D: input [N,H,W,Cin], filter [1,KH,KW,Cin·M]; output channel c reads input channel c / M. */
export function depthwiseConv2d(input: Values, inShape: readonly number[], filter: Values, filterShape: readonly number[], bias: Values | null, opts: ConvOptions): F64Tensor {
  const [batches, inH, inW, inC] = inShape;
  const [, kH, kW, outC] = filterShape;
  const m = outC / inC;
  const dilH = opts.dilationH ?? 1;
  const dilW = opts.dilationW ?? 1;
  const pad = computePaddingHeightWidth(opts.strideH, opts.strideW, dilH, dilW, inH, inW, kH, kW, opts.padding);
  const out = new Float64Array(batches * pad.outHeight * pad.outWidth * outC);
  let o = 0;
  let terms = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < pad.outHeight; oy++) {
      for (let ox = 0; ox < pad.outWidth; ox++) {
        for (let oc = 0; oc < outC; oc++) {
          const ic = Math.floor(oc / m);
          let acc = 0;
          let size = bias ? Math.abs(bias[oc]) : 0;
          for (let ky = 0; ky < kH; ky++) {
            const iy = oy * opts.strideH - pad.padTop + ky * dilH;
            if (iy < 0 || iy >= inH) continue;
            for (let kx = 0; kx < kW; kx++) {
              const ix = ox * opts.strideW - pad.padLeft + kx * dilW;
              if (ix < 0 || ix >= inW) continue;
              const term = input[((b * inH + iy) * inW + ix) * inC + ic] * filter[(ky * kW + kx) * outC + oc];
              acc += term;
              size += Math.abs(term);
            }
          }
          terms = Math.max(terms, size);
          out[o++] = activate(acc + (bias ? bias[oc] : 0), opts.activation);
        }
      }
    }
  }
  return { data: out, shape: [batches, pad.outHeight, pad.outWidth, outC], terms };
}

/** FULLY_CONNECTED: input (…, K) as rows of K, filter [Cout, K] → [rows, Cout]. */
export function fullyConnected(input: Values, filter: Values, filterShape: readonly number[], bias: Values | null, activation: FusedActivation = "NONE"): F64Tensor {
  const [outC, depth] = filterShape;
  const rows = input.length / depth;
  const out = new Float64Array(rows * outC);
  let terms = 0;
  for (let r = 0; r < rows; r++) {
    for (let oc = 0; oc < outC; oc++) {
      let acc = 0;
      let size = bias ? Math.abs(bias[oc]) : 0;
      for (let k = 0; k < depth; k++) {
        acc += input[r * depth + k] * filter[oc * depth + k];
        size += Math.abs(input[r * depth + k] * filter[oc * depth + k]);
      }
      terms = Math.max(terms, size);
      out[r * outC + oc] = activate(acc + (bias ? bias[oc] : 0), activation);
    }
  }
  return { data: out, shape: [rows, outC], terms };
}

/** ADD with numpy-style broadcasting. */
export function add(a: Values, aShape: readonly number[], b: Values, bShape: readonly number[], activation: FusedActivation = "NONE"): F64Tensor {
  const shape = broadcastShape(aShape, bShape);
  const rank = shape.length;
  const index = (s: readonly number[], coords: number[]) => {
    let i = 0;
    const lead = rank - s.length;
    for (let d = 0; d < s.length; d++) i = i * s[d] + (s[d] === 1 ? 0 : coords[lead + d]);
    return i;
  };
  const n = product(shape);
  const out = new Float64Array(n);
  const coords = new Array<number>(rank).fill(0);
  for (let i = 0; i < n; i++) {
    let rest = i;
    for (let d = rank - 1; d >= 0; d--) {
      coords[d] = rest % shape[d];
      rest = Math.floor(rest / shape[d]);
    }
    out[i] = activate(a[index(aShape, coords)] + b[index(bShape, coords)], activation);
  }
  return { data: out, shape };
}

/** MEAN over axes 1 and 2 of [N,H,W,C]. */
export function mean(input: Values, inShape: readonly number[], keepDims: boolean): F64Tensor {
  const [batches, h, w, c] = inShape;
  const out = new Float64Array(batches * c);
  for (let b = 0; b < batches; b++) {
    for (let ch = 0; ch < c; ch++) {
      let sum = 0;
      for (let i = 0; i < h * w; i++) sum += input[(b * h * w + i) * c + ch];
      out[b * c + ch] = sum / (h * w);
    }
  }
  return { data: out, shape: keepDims ? [batches, 1, 1, c] : [batches, c] };
}

export interface PoolOptions {
  padding: PaddingType;
  strideH: number;
  strideW: number;
  filterH: number;
  filterW: number;
  activation?: FusedActivation;
}

/** AVERAGE_POOL_2D / MAX_POOL_2D over windows clipped to the image. */
export function pool2d(kind: "avg" | "max", input: Values, inShape: readonly number[], opts: PoolOptions): F64Tensor {
  const [batches, inH, inW, c] = inShape;
  const pad = computePaddingHeightWidth(opts.strideH, opts.strideW, 1, 1, inH, inW, opts.filterH, opts.filterW, opts.padding);
  const out = new Float64Array(batches * pad.outHeight * pad.outWidth * c);
  let o = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < pad.outHeight; oy++) {
      for (let ox = 0; ox < pad.outWidth; ox++) {
        const y0 = oy * opts.strideH - pad.padTop;
        const x0 = ox * opts.strideW - pad.padLeft;
        for (let ch = 0; ch < c; ch++) {
          let acc = kind === "max" ? -Infinity : 0;
          let count = 0;
          for (let y = Math.max(0, y0); y < Math.min(inH, y0 + opts.filterH); y++) {
            for (let x = Math.max(0, x0); x < Math.min(inW, x0 + opts.filterW); x++) {
              const v = input[((b * inH + y) * inW + x) * c + ch];
              acc = kind === "max" ? Math.max(acc, v) : acc + v;
              count++;
            }
          }
          out[o++] = activate(kind === "max" ? acc : acc / count, opts.activation);
        }
      }
    }
  }
  return { data: out, shape: [batches, pad.outHeight, pad.outWidth, c] };
}

/** SOFTMAX over the last axis: exp(beta·(x - max)) / Σ. */
export function softmax(input: Values, shape: readonly number[], beta: number): F64Tensor {
  const depth = shape[shape.length - 1];
  const out = new Float64Array(input.length);
  for (let r = 0; r < input.length / depth; r++) {
    let max = -Infinity;
    for (let c = 0; c < depth; c++) max = Math.max(max, input[r * depth + c]);
    let sum = 0;
    for (let c = 0; c < depth; c++) sum += out[r * depth + c] = Math.exp(beta * (input[r * depth + c] - max));
    for (let c = 0; c < depth; c++) out[r * depth + c] /= sum;
  }
  return { data: out, shape: [...shape] };
}

/** PAD with zeros. */
export function pad(input: Values, shape: readonly number[], paddings: readonly (readonly [number, number])[]): F64Tensor {
  const outShape = shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const out = new Float64Array(product(outShape));
  const rank = shape.length;
  const coords = new Array<number>(rank).fill(0);
  for (let i = 0; i < input.length; i++) {
    let rest = i;
    for (let d = rank - 1; d >= 0; d--) {
      coords[d] = rest % shape[d];
      rest = Math.floor(rest / shape[d]);
    }
    let o = 0;
    for (let d = 0; d < rank; d++) o = o * outShape[d] + coords[d] + paddings[d][0];
    out[o] = input[i];
  }
  return { data: out, shape: outShape };
}

/** CONCATENATION along `axis` (negative counts from the end). */
export function concatenation(inputs: readonly { data: Values; shape: readonly number[] }[], axisIn: number): F64Tensor {
  const rank = inputs[0].shape.length;
  const axis = axisIn < 0 ? axisIn + rank : axisIn;
  const outShape = [...inputs[0].shape];
  outShape[axis] = inputs.reduce((n, t) => n + t.shape[axis], 0);
  const outer = product(outShape.slice(0, axis));
  const inner = product(outShape.slice(axis + 1));
  const out = new Float64Array(product(outShape));
  let o = 0;
  for (let i = 0; i < outer; i++) {
    for (const t of inputs) {
      const block = t.shape[axis] * inner;
      for (let j = 0; j < block; j++) out[o++] = t.data[i * block + j];
    }
  }
  return { data: out, shape: outShape };
}

/** max |x| over the tensor. */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

/** max|a − b| / max|b| over the tensor (0 when both are all zero). */
export function maxNormalisedError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    maxDiff = Number.isNaN(diff) ? Infinity : Math.max(maxDiff, diff);
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
  }
  return maxDiff === 0 ? 0 : maxDiff / maxRef;
}
