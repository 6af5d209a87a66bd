// STRIDED_SLICE with every mask (begin, end, ellipsis, new axis, shrink axis) and `offset`, as
// TFLite's strided_slice.cc resolves them: the ellipsis and new axes become an "effective" input
// shape, then each effective dimension gets a start, an end and a stride (possibly negative).
import type { GraphOp } from "../graph/graph.js";
import type { StridedSliceOptions } from "../tflite/types.js";
import { expectCounts, fail, input, options } from "./context.js";
import { constantInts, expectOutputShape, movingOp, stridesOf } from "./strided-copy.js";

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

type Masks = Pick<StridedSliceOptions, "beginMask" | "endMask" | "ellipsisMask" | "newAxisMask" | "shrinkAxisMask" | "offset">;

/**
 * The strided copy (over the effective dimensions, in elements) and the output shape of a strided
 * slice of an input of `shape`; `fail` reports what does not fit.
 */
export function resolveStridedSlice(shape: number[], begin: number[], end: number[], strides: number[], o: Masks, fail: (message: string) => never) {
  const count = begin.length;
  if (end.length !== count || strides.length !== count) fail("begin, end and strides differ in length");
  const bit = (mask: number, i: number) => (mask & (1 << i)) !== 0;

  let addedAxes = 0;
  for (let i = 0; i < count; i++) if (!bit(o.ellipsisMask, i) && bit(o.newAxisMask, i)) addedAxes++;
  const inputRank = shape.length;
  const rank = inputRank + addedAxes;
  let ellipsis = 0, newAxis = 0, ellipsisStart = rank, expanded = 0;
  for (let i = 0; i < rank;) {
    if (bit(o.ellipsisMask, i)) {
      ellipsisStart = i;
      const ellipsisEnd = Math.max(i + 1, Math.min(i + 1 + addedAxes + inputRank - count, rank));
      expanded = ellipsisEnd - ellipsisStart - 1;
      for (; i < ellipsisEnd; i++) ellipsis |= 1 << i;
      continue;
    }
    if (bit(o.newAxisMask, i - expanded)) newAxis |= 1 << i;
    i++;
  }

  // Per effective dimension: its input dimension (-1 for a new axis), size, start, end, stride, shrink.
  const xs = stridesOf(shape);
  const dims: number[] = [], inStrides: number[] = [], outShape: number[] = [];
  let inOffset = 0, addedEllipsis = 0, added = 0;
  for (let i = 0; i < rank; i++) {
    let start = 0, stop = 0, stride = 1, beginAll = false, endAll = false, shrink = false, axis = i - added;
    if (bit(ellipsis, i)) {
      addedEllipsis = Math.max(0, i - ellipsisStart);
      beginAll = endAll = true;
    } else if (bit(newAxis, i)) {
      stop = 1;
      axis = -1;
      added++;
    } else if (i >= count + expanded) {
      beginAll = endAll = true;
    } else {
      const k = i - addedEllipsis;
      [start, stop, stride] = [begin[k], end[k], strides[k]];
      beginAll = bit(o.beginMask, k);
      endAll = bit(o.endMask, k);
      shrink = bit(o.shrinkAxisMask, k);
    }
    if (stride === 0) fail("a stride is 0");
    const size = axis < 0 ? 1 : shape[axis];
    if (start < 0) start += size;
    start = stride > 0 ? clamp(start, 0, size) : clamp(start, -1, size - 1);
    if (beginAll) start = stride > 0 ? 0 : size - 1;
    if (shrink) {
      stop = start + 1;
    } else {
      if (o.offset) stop += start;
      if (stop < 0) stop += size;
      stop = stride > 0 ? clamp(stop, 0, size) : clamp(stop, -1, size - 1);
      if (endAll) stop = stride > 0 ? size : -1;
    }
    const length = Math.max(0, Math.ceil((stop - start) / stride));
    if (!shrink) outShape.push(length);
    dims.push(length);
    inStrides.push(axis < 0 ? 0 : stride * xs[axis]);
    if (axis >= 0 && length > 0) inOffset += start * xs[axis];
  }
  if (rank > 5) fail("supports up to 5 dimensions including new axes");
  return { move: { input: 0, output: 0, inOffset, outOffset: 0, dims, inStrides, outStrides: stridesOf(dims) }, outShape };
}

export const stridedSlice = movingOp(8, (op: GraphOp) => {
  expectCounts(op, 4);
  const x = input(op, 0);
  const begin = constantInts(op, op.inputs[1], "begin");
  const end = constantInts(op, op.inputs[2], "end");
  const strides = constantInts(op, op.inputs[3], "strides");
  const { move, outShape } = resolveStridedSlice(x.shape, begin, end, strides, options(op, "StridedSliceOptions"), (message) => fail(op, message));
  expectOutputShape(op, 0, outShape);
  return { moves: [move] };
});
