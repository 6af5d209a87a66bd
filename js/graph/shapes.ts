// Output shapes that ops decide themselves: TFLite resizes some outputs in the op's Prepare
// (TFLite_Detection_PostProcess's four outputs are declared without a shape in SSD models), so
// the file's shapes are replaced before the arena is planned.
import type { Graph, GraphOp } from "./graph.js";

const ELEMENT_BYTES: Record<string, number> = { float32: 4, int32: 4, uint8: 1, int8: 1, int16: 2, int64: 8, bool: 1, float16: 2, float64: 8 };

/** Gives every output of an op with an `outputShapes` rule that shape (the tensor objects are shared, so every reader sees it). */
export function resolveOutputShapes(graph: Graph, rule: (type: string) => ((op: GraphOp) => number[][]) | undefined): void {
  for (const op of graph.ops) {
    const shapesOf = rule(op.type);
    if (shapesOf === undefined) continue;
    shapesOf(op).forEach((shape, k) => {
      const t = op.outputs[k];
      if (t === undefined) return;
      t.shape = shape;
      t.elementCount = shape.reduce((n, d) => n * d, 1);
      t.byteSize = t.elementCount * ELEMENT_BYTES[t.dtype];
    });
  }
}
