// Arena planning: every activation tensor gets a byte offset in one arena. Tensors whose
// lifetimes (first write … last read, in op order) overlap never share bytes; the others may,
// placed largest first at the lowest offset that fits, like TFLite's greedy memory planner.
// With preserveAllTensors every tensor keeps its own bytes (for inspecting intermediates).
import type { Graph, GraphTensor } from "./graph.js";

export interface ArenaPlan {
  /** Byte offset of each activation tensor, by tensor index. */
  offsets: Map<number, number>;
  size: number;
}

export const ARENA_ALIGNMENT = 16;

const alignUp = (n: number, alignment: number) => Math.ceil(n / alignment) * alignment;

interface Lifetime {
  tensor: GraphTensor;
  first: number;
  last: number;
}

function lifetimes(graph: Graph): Lifetime[] {
  const byIndex = new Map<number, Lifetime>();
  const touch = (tensor: GraphTensor, step: number) => {
    if (tensor.data !== null) return;
    const life = byIndex.get(tensor.index);
    if (life === undefined) byIndex.set(tensor.index, { tensor, first: step, last: step });
    else { life.first = Math.min(life.first, step); life.last = Math.max(life.last, step); }
  };
  for (const t of graph.inputs) touch(t, -1);
  graph.ops.forEach((op, step) => {
    for (const t of op.inputs) if (t !== null) touch(t, step);
    for (const t of op.outputs) touch(t, step);
  });
  for (const t of graph.outputs) touch(t, graph.ops.length);
  return [...byIndex.values()];
}

/**
 * Above this many activation tensors they are laid out end to end, without sharing: greedy
 * placement compares each tensor with every one placed before it, and a crafted graph of tens
 * of thousands of tensors would take seconds to plan. Real models have a few hundred.
 */
export const MAX_SHARED_TENSORS = 4096;

/** Index of the first placement that starts after `offset` (placements are sorted by start). */
function insertionPoint(placed: { start: number }[], offset: number): number {
  let lo = 0;
  let hi = placed.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (placed[mid].start <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function planArena(graph: Graph, preserveAllTensors = false): ArenaPlan {
  const lives = lifetimes(graph).sort((a, b) => b.tensor.byteSize - a.tensor.byteSize || a.first - b.first);
  const offsets = new Map<number, number>();
  let size = 0;
  if (preserveAllTensors || lives.length > MAX_SHARED_TENSORS) {
    for (const { tensor } of lives) {
      offsets.set(tensor.index, size);
      size += alignUp(tensor.byteSize, ARENA_ALIGNMENT);
    }
    return { offsets, size };
  }
  // Sorted by start, so the placements a tensor's lifetime overlaps are visited in address order.
  const placed: { start: number; end: number; life: Lifetime }[] = [];
  for (const life of lives) {
    const bytes = alignUp(Math.max(life.tensor.byteSize, 1), ARENA_ALIGNMENT);
    let offset = 0;
    for (const p of placed) {
      if (p.life.first > life.last || life.first > p.life.last) continue;
      if (offset + bytes <= p.start) break;
      offset = Math.max(offset, p.end);
    }
    placed.splice(insertionPoint(placed, offset), 0, { start: offset, end: offset + bytes, life });
    offsets.set(life.tensor.index, offset);
    size = Math.max(size, offset + bytes);
  }
  return { offsets, size };
}
