// SPACE_TO_BATCH_ND: input [N, S1..SM, rest] zero-padded (with the zero point) and cut into
// blocks B1..BM; output batch (s·N + n), s the row-major index of the offset (o1..oM) in the block,
// holds input[n, p1·B1 + o1 - padStart1, …]. The output is filled with the zero point, then one
// strided copy per offset moves the part that falls inside the input.
import type { GraphOp } from "../graph/graph.js";
import { type OpDefinition, expectCounts, fail, input } from "./context.js";
import { type Move, type MovePlan, constantInts, expectOutputShape, movingOp, stridesOf } from "./strided-copy.js";

/** Every offset (o1..oM) within a block of `block`, in row-major order. */
export function blockOffsets(block: number[]): number[][] {
  let offsets: number[][] = [[]];
  for (const b of block) offsets = offsets.flatMap((o) => Array.from({ length: b }, (_, i) => [...o, i]));
  return offsets;
}

/** First and last p with 0 ≤ p·b + o - before < size and p < count, or null. */
export function blockRange(p: { b: number; o: number; before: number; size: number; count: number }): [number, number] | null {
  const first = Math.max(0, Math.ceil((p.before - p.o) / p.b));
  const last = Math.min(p.count - 1, Math.floor((p.size - 1 + p.before - p.o) / p.b));
  return first <= last ? [first, last] : null;
}

export function blockParams(op: GraphOp, rank: number): { block: number[]; pairs: number[][] } {
  const block = constantInts(op, op.inputs[1], "block shape");
  const flat = constantInts(op, op.inputs[2], "paddings or crops");
  const m = block.length;
  if (m < 1 || m > rank - 1 || flat.length !== 2 * m || block.some((b) => b < 1) || flat.some((v) => v < 0)) fail(op, `block [${block}] and [${flat}] do not fit rank ${rank}`);
  return { block, pairs: block.map((_, i) => [flat[2 * i], flat[2 * i + 1]]) };
}

/** The input, block, paddings and output shape of a SPACE_TO_BATCH_ND. */
function geometry(op: GraphOp) {
  expectCounts(op, 3);
  const x = input(op, 0);
  const { block, pairs } = blockParams(op, x.shape.length);
  const m = block.length;
  const n = x.shape[0];
  const outSpatial = block.map((b, i) => {
    const padded = x.shape[i + 1] + pairs[i][0] + pairs[i][1];
    if (padded % b !== 0) fail(op, `padded size ${padded} is not a multiple of block ${b}`);
    return padded / b;
  });
  const rest = x.shape.slice(m + 1);
  const shape = [n * block.reduce((a, b) => a * b, 1), ...outSpatial, ...rest];
  return { x, block, pairs, n, outSpatial, rest, shape };
}

/** The output shape when block and paddings are constants (after folding). */
export function blockShaper(geometryOf: (op: GraphOp) => { shape: number[] }) {
  return (op: GraphOp) => (op.inputs[1]?.data && op.inputs[2]?.data ? [geometryOf(op).shape] : null);
}

const plan = (op: GraphOp): MovePlan => {
  const { x, block, pairs, n, outSpatial, rest, shape } = geometry(op);
  expectOutputShape(op, 0, shape);
  const xs = stridesOf(x.shape), ys = stridesOf(shape);
  const inner = rest.reduce((a, b) => a * b, 1);
  const moves: Move[] = [];
  blockOffsets(block).forEach((offset, s) => {
    const ranges = offset.map((o, i) => blockRange({ b: block[i], o, before: pairs[i][0], size: x.shape[i + 1], count: outSpatial[i] }));
    if (ranges.some((r) => r === null)) return;
    const r = ranges as [number, number][];
    moves.push({
      input: 0, output: 0,
      inOffset: r.reduce((sum, [first], i) => sum + (first * block[i] + offset[i] - pairs[i][0]) * xs[i + 1], 0),
      outOffset: s * n * ys[0] + r.reduce((sum, [first], i) => sum + first * ys[i + 1], 0),
      dims: [n, ...r.map(([first, last]) => last - first + 1), inner],
      inStrides: [xs[0], ...block.map((b, i) => b * xs[i + 1]), 1],
      outStrides: [ys[0], ...block.map((_, i) => ys[i + 1]), 1],
    });
  });
  return { moves, fillZeroPoint: true };
};

export const spaceToBatchNd: OpDefinition = { ...movingOp(4, plan), outputShapes: blockShaper(geometry) };
