// CONCATENATION along any axis: N inputs of equal rank that agree except on the axis.
// int8 inputs must share the output's quantization (as TFLite requires); uint8 inputs with other
// parameters are rescaled as TFLite's ConcatenationWithScaling does (float). float32, int32,
// int64 and bool values are copied.
import { copyBlocks } from "./byte-kernels.js";
import { type OpDefinition, expectShape, fail, kernelSteps, options, output } from "./context.js";
import { constantInputs } from "../graph/fold.js";
import { byteTable, roundHalfAwayFromZero } from "./quantization.js";
import { type Move, dataAddress, normalizeAxis, planOutputs } from "./strided-copy.js";

const ELEMENT_BYTES: Record<string, number> = { int8: 1, uint8: 1, bool: 1, float32: 4, int32: 4, int64: 8 };

export const concatenation: OpDefinition = {
  maxVersion: 4,
  prepare(ctx) {
    const { op, memory } = ctx;
    if (op.inputs.length < 1 || op.outputs.length !== 1) fail(op, "needs at least one input and exactly one output");
    const opts = options(op, "ConcatenationOptions");
    if (opts.fusedActivation !== "NONE") fail(op, `fused activation ${opts.fusedActivation} is not supported`);
    const y = output(op, 0, ["int8", "uint8", "float32", "int32", "int64", "bool"]);
    const rank = y.shape.length;
    const axis = opts.axis < 0 ? opts.axis + rank : opts.axis;
    if (axis < 0 || axis >= rank) fail(op, `axis ${opts.axis} is outside rank ${rank}`);
    const elementSize = ELEMENT_BYTES[y.dtype];
    const outer = y.shape.slice(0, axis).reduce((a, b) => a * b, 1);
    const innerAfterAxis = y.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const outStride = y.shape[axis] * innerAfterAxis * elementSize;

    let axisTotal = 0;
    const pieces = op.inputs.map((x, k) => {
      if (x === null) fail(op, `input ${k} is missing`);
      if (x.dtype !== y.dtype) fail(op, `input ${k} is ${x.dtype} but the output is ${y.dtype}`);
      if (x.shape.length !== rank || x.shape.some((d, i) => i !== axis && d !== y.shape[i])) {
        fail(op, `input ${k} has shape [${x.shape}], which does not fit output [${y.shape}] along axis ${axis}`);
      }
      let table = 0;
      if ((y.dtype === "int8" || y.dtype === "uint8") && (x.scale[0] !== y.scale[0] || x.zeroPoint[0] !== y.zeroPoint[0])) {
        if (y.dtype === "int8") fail(op, `int8 input ${k} must have the output's scale and zero point`);
        const scale = Math.fround(x.scale[0] * Math.fround(1 / y.scale[0]));
        const bias = Math.fround(-x.zeroPoint[0] * scale);
        table = memory.store(byteTable(x, y, (q) => roundHalfAwayFromZero(Math.fround(Math.fround(q * scale) + bias)) + y.zeroPoint[0]));
      }
      const blockBytes = x.shape[axis] * innerAfterAxis * elementSize;
      const piece = { from: dataAddress(ctx, x), to: ctx.address(y) + axisTotal * innerAfterAxis * elementSize, blockBytes, table };
      axisTotal += x.shape[axis];
      return piece;
    });
    expectShape(op, y, y.shape.map((d, i) => (i === axis ? axisTotal : d)), "output");
    return kernelSteps(ctx, pieces.map((p) => copyBlocks(memory, { input: p.from, output: p.to, blocks: outer, blockBytes: p.blockBytes, outStride, table: p.table })));
  },
  /** Constant inputs of the output's dtype and quantization (int32 shape pieces, …) fold. */
  fold(op) {
    const y = op.outputs[0];
    if (!constantInputs(op) || op.outputs.length !== 1 || op.inputs.length < 1) return null;
    const opts = options(op, "ConcatenationOptions");
    if (opts.fusedActivation !== "NONE") return null;
    const axis = normalizeAxis(op, opts.axis, y.shape.length);
    const outer = y.shape.slice(0, axis).reduce((a, b) => a * b, 1);
    const inner = y.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    let at = 0;
    const moves: Move[] = [];
    for (const [k, x] of op.inputs.entries()) {
      if (x === null || x.dtype !== y.dtype || x.scale[0] !== y.scale[0] || x.zeroPoint[0] !== y.zeroPoint[0]) return null;
      if (x.shape.length !== y.shape.length || x.shape.some((d, i) => i !== axis && d !== y.shape[i])) fail(op, `input ${k} has shape [${x.shape}], which does not fit output [${y.shape}]`);
      const size = x.shape[axis] * inner;
      moves.push({ input: k, output: 0, inOffset: 0, outOffset: at * inner, dims: [outer, size], inStrides: [size, 1], outStrides: [y.shape[axis] * inner, 1] });
      at += x.shape[axis];
    }
    if (at !== y.shape[axis]) fail(op, `inputs add up to ${at} along axis ${axis}, not ${y.shape[axis]}`);
    return planOutputs(op, { moves });
  },
};
