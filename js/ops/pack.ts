// PACK: N inputs of one shape stacked along a new axis of the output.
import { fail, input, options } from "./context.js";
import { expectOutputShape, movingOp } from "./strided-copy.js";

export const pack = movingOp(4, (op) => {
  const o = options(op, "PackOptions");
  const n = op.inputs.length;
  if (n < 1 || n !== o.valuesCount || op.outputs.length !== 1) fail(op, `needs ${o.valuesCount} inputs and one output`);
  const shape = input(op, 0).shape;
  const axis = o.axis < 0 ? o.axis + shape.length + 1 : o.axis;
  if (axis < 0 || axis > shape.length) fail(op, `axis ${o.axis} is outside rank ${shape.length + 1}`);
  for (let k = 1; k < n; k++) if (input(op, k).shape.join() !== shape.join()) fail(op, `input ${k} is not of shape [${shape}]`);
  expectOutputShape(op, 0, [...shape.slice(0, axis), n, ...shape.slice(axis)]);
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis).reduce((a, b) => a * b, 1);
  return {
    moves: Array.from({ length: n }, (_, k) => ({
      input: k, output: 0, inOffset: 0, outOffset: k * inner, dims: [outer, inner], inStrides: [inner, 1], outStrides: [n * inner, 1],
    })),
  };
});
