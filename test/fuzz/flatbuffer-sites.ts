// Where the structure of a .tflite flatbuffer lies, so that the fuzzer can corrupt structure
// rather than only data: the positions of offsets (fields and vector elements), tables, vtables
// and vector lengths. A best-effort walk over the layout shared with js/tflite/read.ts; it skips
// whatever does not make sense (it runs on intact files, before they are mutated).
import {
  BUFFER, type Layout, METADATA, MODEL, OPERATOR, OPERATOR_CODE, QUANTIZATION, SUBGRAPH, TENSOR,
} from "../../js/tflite/read.js";

export interface FlatbufferSites {
  /** Positions of uoffset values (table fields, vector elements, the root offset). */
  offsets: number[];
  /** Positions of tables (their soffset to the vtable). */
  tables: number[];
  /** Positions of vtables. */
  vtables: number[];
  /** Positions of vector lengths. */
  vectorLengths: number[];
}

/** What an offset field points to: a vector of tables, one table, or a scalar vector / string. */
type Target = { tables: Schema } | { table: Schema } | "vector";

interface Schema {
  layout: Layout;
  children: Record<string, Target>;
}

const leaf = (layout: Layout): Schema => ({ layout, children: {} });
const QUANTIZATION_SCHEMA: Schema = {
  layout: QUANTIZATION,
  children: { min: "vector", max: "vector", scale: "vector", zeroPoint: "vector" },
};
const SUBGRAPH_SCHEMA: Schema = {
  layout: SUBGRAPH,
  children: {
    tensors: { tables: { layout: TENSOR, children: { shape: "vector", name: "vector", quantization: { table: QUANTIZATION_SCHEMA } } } },
    inputs: "vector",
    outputs: "vector",
    operators: { tables: { layout: OPERATOR, children: { inputs: "vector", outputs: "vector", builtinOptions: { table: leaf({}) } } } },
    name: "vector",
  },
};
const MODEL_SCHEMA: Schema = {
  layout: MODEL,
  children: {
    operatorCodes: { tables: { layout: OPERATOR_CODE, children: { customCode: "vector" } } },
    subgraphs: { tables: SUBGRAPH_SCHEMA },
    description: "vector",
    buffers: { tables: { layout: BUFFER, children: { data: "vector" } } },
    metadata: { tables: { layout: METADATA, children: { name: "vector" } } },
  },
};

export function flatbufferSites(bytes: Uint8Array): FlatbufferSites {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const inside = (pos: number, size: number) => pos >= 0 && pos + size <= bytes.length;
  const sites: FlatbufferSites = { offsets: [], tables: [], vtables: [], vectorLengths: [] };

  const follow = (pos: number): number | null => {
    if (!inside(pos, 4)) return null;
    sites.offsets.push(pos);
    const target = pos + view.getUint32(pos, true);
    return inside(target, 4) ? target : null;
  };
  const vector = (at: number): { start: number; length: number } | null => {
    const pos = follow(at);
    if (pos === null) return null;
    sites.vectorLengths.push(pos);
    return { start: pos + 4, length: view.getUint32(pos, true) };
  };
  const table = (pos: number, schema: Schema): void => {
    const vtable = pos - view.getInt32(pos, true);
    if (!inside(vtable, 4)) return;
    sites.tables.push(pos);
    sites.vtables.push(vtable);
    const vtableSize = view.getUint16(vtable, true);
    for (const [name, target] of Object.entries(schema.children)) {
      const slot = 4 + 2 * schema.layout[name];
      if (slot + 2 > vtableSize || !inside(vtable + slot, 2)) continue;
      const field = view.getUint16(vtable + slot, true);
      if (field === 0) continue;
      if (target === "vector") {
        vector(pos + field);
      } else if ("table" in target) {
        const child = follow(pos + field);
        if (child !== null) table(child, target.table);
      } else {
        const elements = vector(pos + field);
        if (elements === null) continue;
        for (let i = 0; i < elements.length && inside(elements.start + 4 * i, 4); i++) {
          const child = follow(elements.start + 4 * i);
          if (child !== null) table(child, target.tables);
        }
      }
    }
  };
  const root = follow(0);
  if (root !== null) table(root, MODEL_SCHEMA);
  return sites;
}
