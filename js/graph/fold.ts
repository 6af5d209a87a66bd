// Constant folding: an operator whose outputs follow from constants and shapes alone (SHAPE of any
// tensor, arithmetic on constant int32 shape tensors, …) runs once at load, in JavaScript; its
// outputs become constants and the operator leaves the graph. Operators that write a graph
// output always stay, so that every output has memory.
import type { Graph, GraphOp, GraphTensor } from "./graph.js";

/** The bytes of each output of `op` when they can be computed now, else null. */
export type Folder = (op: GraphOp) => Uint8Array[] | null;

/**
 * The shape of each output of `op` from its inputs' (now known) shapes and constants, else null;
 * asked only of ops with an input that folding made constant or gave another shape, or with an
 * output declared without dimensions. A model converted with dynamic shapes may store stale ones
 * (a dilated convolution's SPACE_TO_BATCH_ND output as [1,1,1,3]), and SSD models declare
 * TFLite_Detection_PostProcess's outputs as []; TFLite resizes them when it runs, quantlite at load.
 */
export type Shaper = (op: GraphOp) => number[][] | null;

/** True when every present input of the op is a constant. */
export function constantInputs(op: GraphOp): boolean {
  return op.inputs.every((t) => t === null || t.data !== null);
}

/**
 * The graph with every foldable operator evaluated, in execution order (later ops see earlier
 * results), and the outputs of the others given the shapes `shaperOf` infers where they differ.
 */
export function foldConstants(graph: Graph, folderOf: (type: string) => Folder | undefined, shaperOf: (type: string) => Shaper | undefined = () => undefined): Graph {
  const graphOutputs = new Set(graph.outputs.map((t) => t.index));
  const tensors: GraphTensor[] = [...graph.tensors];
  const replaced = new Map<number, GraphTensor>();
  const current = (t: GraphTensor | null) => (t === null ? null : replaced.get(t.index) ?? t);
  const ops: GraphOp[] = [];
  for (const original of graph.ops) {
    const op: GraphOp = { ...original, inputs: original.inputs.map(current) };
    const folder = folderOf(op.type);
    const results = folder !== undefined && !op.outputs.some((t) => graphOutputs.has(t.index)) ? folder(op) : null;
    if (results === null) {
      const inputsChanged = op.inputs.some((t, k) => t !== original.inputs[k]);
      const undeclared = op.outputs.some((t) => t.shape.length === 0);
      const shapes = inputsChanged || undeclared ? shaperOf(op.type)?.(op) ?? null : null;
      if (shapes !== null) op.outputs = op.outputs.map((t, k) => (shapes[k] === undefined || sameShape(shapes[k], t.shape) ? t : reshaped(t, shapes[k])));
      op.outputs.forEach((t) => {
        if (t === graph.tensors[t.index]) return;
        replaced.set(t.index, t);
        tensors[t.index] = t;
      });
      ops.push(op);
      continue;
    }
    op.outputs.forEach((t, k) => {
      const constant = { ...t, data: results[k] };
      replaced.set(t.index, constant);
      tensors[t.index] = constant;
    });
  }
  return { ...graph, tensors, ops, inputs: graph.inputs, outputs: graph.outputs.map((t) => replaced.get(t.index) ?? t) };
}

const sameShape = (a: number[], b: number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** The tensor with another shape (same dtype). */
function reshaped(t: GraphTensor, shape: number[]): GraphTensor {
  const elementCount = shape.reduce((a, b) => a * b, 1);
  const elementBytes = t.elementCount > 0 ? t.byteSize / t.elementCount : 0;
  return { ...t, shape, elementCount, byteSize: elementCount * elementBytes };
}
