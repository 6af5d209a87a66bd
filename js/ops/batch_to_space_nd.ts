// BATCH_TO_SPACE_ND: input batch (s·N + n), s the row-major index of the offset (o1..oM) in the
// block B1..BM, goes to output[n, p1·B1 + o1 - cropStart1, …] where that is inside the cropped
// output; one strided copy per offset.
import type { GraphOp } from "../graph/graph.js";
import { type OpDefinition, expectCounts, fail, input } from "./context.js";
import { blockOffsets, blockParams, blockRange, blockShaper } from "./space_to_batch_nd.js";
import { type Move, type MovePlan, expectOutputShape, movingOp, stridesOf } from "./strided-copy.js";

/** The input, block, crops and output shape of a BATCH_TO_SPACE_ND. */
function geometry(op: GraphOp) {
  expectCounts(op, 3);
  const x = input(op, 0);
  const { block, pairs } = blockParams(op, x.shape.length);
  const m = block.length;
  const blocks = block.reduce((a, b) => a * b, 1);
  if (x.shape[0] % blocks !== 0) fail(op, `batch ${x.shape[0]} is not a multiple of ${blocks}`);
  const n = x.shape[0] / blocks;
  const outSpatial = block.map((b, i) => x.shape[i + 1] * b - pairs[i][0] - pairs[i][1]);
  if (outSpatial.some((d) => d < 0)) fail(op, "crops exceed the input");
  const rest = x.shape.slice(m + 1);
  return { x, block, pairs, n, outSpatial, rest, shape: [n, ...outSpatial, ...rest] };
}

const plan = (op: GraphOp): MovePlan => {
  const { x, block, pairs, n, outSpatial, rest, shape } = geometry(op);
  expectOutputShape(op, 0, shape);
  const xs = stridesOf(x.shape), ys = stridesOf(shape);
  const inner = rest.reduce((a, b) => a * b, 1);
  const moves: Move[] = [];
  blockOffsets(block).forEach((offset, s) => {
    const ranges = offset.map((o, i) => blockRange({ b: block[i], o, before: pairs[i][0], size: outSpatial[i], count: x.shape[i + 1] }));
    if (ranges.some((r) => r === null)) return;
    const r = ranges as [number, number][];
    moves.push({
      input: 0, output: 0,
      inOffset: s * n * xs[0] + r.reduce((sum, [first], i) => sum + first * xs[i + 1], 0),
      outOffset: r.reduce((sum, [first], i) => sum + (first * block[i] + offset[i] - pairs[i][0]) * ys[i + 1], 0),
      dims: [n, ...r.map(([first, last]) => last - first + 1), inner],
      inStrides: [xs[0], ...block.map((_, i) => xs[i + 1]), 1],
      outStrides: [ys[0], ...block.map((b, i) => b * ys[i + 1]), 1],
    });
  });
  return { moves };
};

export const batchToSpaceNd: OpDefinition = { ...movingOp(4, plan), outputShapes: blockShaper(geometry) };
