// Constant folding: an operator whose outputs follow from constants and shapes alone (SHAPE of any
// tensor, arithmetic on constant int32 shape tensors, …) runs once at load, in JavaScript; its
// outputs become constants and the operator leaves the graph. Operators that write a graph
// output always stay, so that every output has memory.
import type { Graph, GraphOp, GraphTensor } from "./graph.js";

/** The bytes of each output of `op` when they can be computed now, else null. */
export type Folder = (op: GraphOp) => Uint8Array[] | null;

/** True when every present input of the op is a constant. */
export function constantInputs(op: GraphOp): boolean {
  return op.inputs.every((t) => t === null || t.data !== null);
}

/** The graph with every foldable operator evaluated, in execution order (later ops see earlier results). */
export function foldConstants(graph: Graph, folderOf: (type: string) => Folder | undefined): Graph {
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
      ops.push(op);
      continue;
    }
    op.outputs.forEach((t, k) => {
      const constant = { ...t, data: results[k] };
      replaced.set(t.index, constant);
      tensors[t.index] = constant;
    });
  }
  return { ...graph, tensors, ops };
}
