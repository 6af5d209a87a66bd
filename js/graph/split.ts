// Splitting one operator's work between threads (LoadOptions.threads), on the host only: every
// slice is the same kernel on its own parameter block, a copy of the operator's with pointers and
// sizes changed so that it computes a band of the output. Each output element is computed by
// exactly the same arithmetic as in the whole-tensor call, so the results are identical.
//
// "conv" (CONV_2D, DEPTHWISE_CONV_2D, int8 and float32): output rows [r0, r1) of one image are
//   output + r0 rows, outputHeight = r1 − r0, reading the input from row s = max(0, r0·stride − padTop):
//   input + s rows, inputHeight − s rows, padTop = s − (r0·stride − padTop) ≥ 0. Taps above row s
//   are never needed (the slice's first tap row is r0·stride − padTop), taps below the image are
//   still cut by inputHeight, so the kernels' bounds checks see exactly the original image. With
//   several images each image is sliced on its own (batches = 1 per block). A 1×1 stride-1
//   unpadded convolution is a per-pixel product: it is split by pixels instead (a run of n pixels
//   is a 1×n image), in multiples of 4, the conv kernel's pixel group.
// "elementwise" (ADD, int8 and float32): split along the outermost of its 4 broadcast dimensions
//   that is larger than 1 (the innermost, in runs of 16 elements, when the inputs have one shape):
//   both inputs and the output start later by the slice's offset along that dimension.
// Slices may be empty (fewer rows than parts): they are left out.
import type { SplitSpec } from "../ops/context.js";

/** One kernel call of a slice: the parameter values (in SplitSpec.fields order, by name). */
export type SliceParams = Record<string, number>;

/** Index in [0, total] where part `k` of `parts` begins, rounded to a multiple of `align`. */
function boundary(total: number, parts: number, k: number, align: number): number {
  if (k >= parts) return total;
  return Math.min(total, Math.round((total * k) / parts / align) * align);
}

/**
 * Rough cost of the operator in multiply-accumulates of the int8 conv kernel (depthwise and ADD
 * run fewer per second, float32 about a third as many), to cut it into chunks of similar time.
 */
export function workOf(spec: SplitSpec): number {
  const v = spec.values;
  const float = spec.elementBytes === 4 ? 3 : 1;
  if (spec.kind === "elementwise") return v.dim0 * v.dim1 * v.dim2 * v.dim3 * 50 * float;
  const pixels = v.batches * v.outputHeight * v.outputWidth;
  if (v.depthMultiplier !== undefined) return pixels * v.outputChannels * v.filterHeight * v.filterWidth * 4 * float;
  return pixels * v.outputChannels * v.filterHeight * v.filterWidth * v.inputChannels * float;
}

/** The parameter blocks of each of `parts` slices of the operator (scratch still the original's). */
export function splitWork(spec: SplitSpec, parts: number): SliceParams[][] {
  if (spec.kind === "elementwise") return splitElementwise(spec, parts);
  if (spec.kind !== "conv") throw new Error(`internal: unknown split kind ${spec.kind as string}`);
  const v = spec.values;
  for (const f of ["input", "batches", "inputHeight", "inputWidth", "inputChannels", "output", "outputHeight", "outputWidth",
    "outputChannels", "filterHeight", "filterWidth", "strideHeight", "strideWidth", "padTop", "padLeft", "scratch"]) {
    if (!Number.isInteger(v[f])) throw new Error(`internal: split of ${spec.kernel} needs parameter ${f}`);
  }
  const e = spec.elementBytes;
  const inRow = v.inputWidth * v.inputChannels * e;
  const outRow = v.outputWidth * v.outputChannels * e;
  const slices: SliceParams[][] = Array.from({ length: parts }, () => []);

  const pointwise = v.filterHeight === 1 && v.filterWidth === 1 && v.strideHeight === 1 && v.strideWidth === 1 &&
    v.padTop === 0 && v.padLeft === 0 && v.outputHeight === v.inputHeight && v.outputWidth === v.inputWidth;
  if (pointwise) {
    const pixels = v.batches * v.outputHeight * v.outputWidth;
    for (let k = 0; k < parts; k++) {
      const p0 = boundary(pixels, parts, k, 4);
      const p1 = boundary(pixels, parts, k + 1, 4);
      if (p1 <= p0) continue;
      slices[k].push({
        ...v,
        input: v.input + p0 * v.inputChannels * e, output: v.output + p0 * v.outputChannels * e,
        batches: 1, inputHeight: 1, outputHeight: 1, inputWidth: p1 - p0, outputWidth: p1 - p0,
      });
    }
    return slices;
  }

  for (let k = 0; k < parts; k++) {
    const r0 = boundary(v.outputHeight, parts, k, 1);
    const r1 = boundary(v.outputHeight, parts, k + 1, 1);
    if (r1 <= r0) continue;
    const top = r0 * v.strideHeight - v.padTop; // the slice's first input row (may be above the image)
    const start = Math.max(0, top);
    for (let b = 0; b < v.batches; b++) {
      slices[k].push({
        ...v,
        batches: 1,
        input: v.input + (b * v.inputHeight + start) * inRow,
        inputHeight: v.inputHeight - start,
        padTop: start - top,
        output: v.output + (b * v.outputHeight + r0) * outRow,
        outputHeight: r1 - r0,
      });
    }
  }
  return slices;
}

function splitElementwise(spec: SplitSpec, parts: number): SliceParams[][] {
  const v = spec.values;
  const dims = [v.dim0, v.dim1, v.dim2, v.dim3];
  if (dims.some((d) => !Number.isInteger(d)) || !Number.isInteger(v.input1) || !Number.isInteger(v.input2) || !Number.isInteger(v.output)) {
    throw new Error(`internal: split of ${spec.kernel} needs input1, input2, output and dim0…dim3`);
  }
  const slices: SliceParams[][] = Array.from({ length: parts }, () => []);
  const d = dims.findIndex((n) => n > 1);
  if (d < 0) {
    slices[0].push({ ...v });
    return slices;
  }
  const e = spec.elementBytes;
  const inner = dims.slice(d + 1).reduce((a, b) => a * b, 1); // output elements per step along d
  for (let k = 0; k < parts; k++) {
    const r0 = boundary(dims[d], parts, k, d === 3 ? 16 : 1);
    const r1 = boundary(dims[d], parts, k + 1, d === 3 ? 16 : 1);
    if (r1 <= r0) continue;
    slices[k].push({
      ...v,
      [`dim${d}`]: r1 - r0,
      input1: v.input1 + r0 * v[`input1Stride${d}`] * e,
      input2: v.input2 + r0 * v[`input2Stride${d}`] * e,
      output: v.output + r0 * inner * e,
    });
  }
  return slices;
}
