// A deliberately tiny, independent .tflite reader for the reference's own golden checks: just
// the tensors, buffers, operators and the options of the ops in MobileNetV2. It does not use
// js/tflite (which it is meant to help test). Field ids follow tensorflow/lite/schema/schema.fbs.

export interface MiniQuant {
  scale: number[];
  zeroPoint: number[];
  quantizedDimension: number;
}

export interface MiniTensor {
  name: string;
  type: number; // TensorType enum: 2 int32, 3 uint8, 9 int8, 0 float32
  shape: number[];
  buffer: number;
  quantization: MiniQuant | null;
}

export interface MiniOperator {
  builtinCode: number;
  inputs: number[];
  outputs: number[];
  optionsType: number;
  /** Raw option fields by id (ints/bytes/floats read as their schema types). */
  options: Record<string, number>;
}

export interface MiniModel {
  tensors: MiniTensor[];
  operators: MiniOperator[];
  buffers: Uint8Array[];
  inputs: number[];
  outputs: number[];
}

class Reader {
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u8(p: number): number {
    return this.view.getUint8(p);
  }
  i8(p: number): number {
    return this.view.getInt8(p);
  }
  u16(p: number): number {
    return this.view.getUint16(p, true);
  }
  i32(p: number): number {
    return this.view.getInt32(p, true);
  }
  u32(p: number): number {
    return this.view.getUint32(p, true);
  }
  f32(p: number): number {
    return this.view.getFloat32(p, true);
  }
  i64(p: number): number {
    return Number(this.view.getBigInt64(p, true));
  }
  /** Absolute position of field `id` of the table at `table`, or 0 when absent. */
  field(table: number, id: number): number {
    const vtable = table - this.i32(table);
    const vtSize = this.u16(vtable);
    const slot = 4 + 2 * id;
    if (slot >= vtSize) return 0;
    const off = this.u16(vtable + slot);
    return off === 0 ? 0 : table + off;
  }
  indirect(p: number): number {
    return p + this.u32(p);
  }
  /** [start, length] of the vector referenced at field position p. */
  vector(p: number): [number, number] {
    const v = this.indirect(p);
    return [v + 4, this.u32(v)];
  }
  tables(table: number, id: number): number[] {
    const p = this.field(table, id);
    if (!p) return [];
    const [start, n] = this.vector(p);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.indirect(start + 4 * i));
    return out;
  }
  ints(table: number, id: number): number[] {
    const p = this.field(table, id);
    if (!p) return [];
    const [start, n] = this.vector(p);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.i32(start + 4 * i));
    return out;
  }
  floats(table: number, id: number): number[] {
    const p = this.field(table, id);
    if (!p) return [];
    const [start, n] = this.vector(p);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.f32(start + 4 * i));
    return out;
  }
  longs(table: number, id: number): number[] {
    const p = this.field(table, id);
    if (!p) return [];
    const [start, n] = this.vector(p);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.i64(start + 8 * i));
    return out;
  }
  bytesOf(table: number, id: number): Uint8Array {
    const p = this.field(table, id);
    if (!p) return new Uint8Array(0);
    const [start, n] = this.vector(p);
    return this.bytes.subarray(start, start + n);
  }
  string(table: number, id: number): string {
    return new TextDecoder().decode(this.bytesOf(table, id));
  }
  scalarI32(table: number, id: number, def: number): number {
    const p = this.field(table, id);
    return p ? this.i32(p) : def;
  }
  scalarI8(table: number, id: number, def: number): number {
    const p = this.field(table, id);
    return p ? this.i8(p) : def;
  }
  scalarU8(table: number, id: number, def: number): number {
    const p = this.field(table, id);
    return p ? this.u8(p) : def;
  }
  scalarF32(table: number, id: number, def: number): number {
    const p = this.field(table, id);
    return p ? this.f32(p) : def;
  }
}

/** Option layouts we need: [name, field id, kind]. */
const OPTION_FIELDS: Record<number, [string, number, "i32" | "i8" | "u8" | "f32"][]> = {
  1: [["padding", 0, "i8"], ["strideW", 1, "i32"], ["strideH", 2, "i32"], ["activation", 3, "i8"], ["dilationW", 4, "i32"], ["dilationH", 5, "i32"]],
  2: [["padding", 0, "i8"], ["strideW", 1, "i32"], ["strideH", 2, "i32"], ["depthMultiplier", 3, "i32"], ["activation", 4, "i8"], ["dilationW", 5, "i32"], ["dilationH", 6, "i32"]],
  5: [["padding", 0, "i8"], ["strideW", 1, "i32"], ["strideH", 2, "i32"], ["filterW", 3, "i32"], ["filterH", 4, "i32"], ["activation", 5, "i8"]],
  8: [["activation", 0, "i8"], ["weightsFormat", 1, "i8"], ["keepNumDims", 2, "u8"]],
  9: [["beta", 0, "f32"]],
  11: [["activation", 0, "i8"]],
  27: [["keepDims", 0, "u8"]],
};

const OPTION_DEFAULTS: Record<string, number> = { dilationW: 1, dilationH: 1 };

export function readMiniModel(bytes: Uint8Array): MiniModel {
  const r = new Reader(bytes);
  const root = r.indirect(0);
  const opcodes = r.tables(root, 1).map((t) => Math.max(r.scalarI8(t, 0, 0), r.scalarI32(t, 3, 0)));
  const buffers = r.tables(root, 4).map((t) => r.bytesOf(t, 0));
  const sg = r.tables(root, 2)[0];
  const tensors: MiniTensor[] = r.tables(sg, 0).map((t) => {
    const qp = r.field(t, 4);
    let quantization: MiniQuant | null = null;
    if (qp) {
      const q = r.indirect(qp);
      const scale = r.floats(q, 2);
      if (scale.length > 0) {
        quantization = { scale, zeroPoint: r.longs(q, 3), quantizedDimension: r.scalarI32(q, 6, 0) };
      }
    }
    return {
      shape: r.ints(t, 0),
      type: r.scalarI8(t, 1, 0),
      buffer: r.field(t, 2) ? r.u32(r.field(t, 2)) : 0,
      name: r.string(t, 3),
      quantization,
    };
  });
  const operators: MiniOperator[] = r.tables(sg, 3).map((op) => {
    const optionsType = r.scalarU8(op, 3, 0);
    const options: Record<string, number> = {};
    const optPos = r.field(op, 4);
    const layout = OPTION_FIELDS[optionsType];
    if (optPos && layout) {
      const t = r.indirect(optPos);
      for (const [name, id, kind] of layout) {
        const def = OPTION_DEFAULTS[name] ?? 0;
        options[name] =
          kind === "i32" ? r.scalarI32(t, id, def) : kind === "i8" ? r.scalarI8(t, id, def) : kind === "u8" ? r.scalarU8(t, id, def) : r.scalarF32(t, id, def);
      }
    }
    return { builtinCode: opcodes[r.scalarI32(op, 0, 0)], inputs: r.ints(op, 1), outputs: r.ints(op, 2), optionsType, options };
  });
  return { tensors, operators, buffers, inputs: r.ints(sg, 1), outputs: r.ints(sg, 2) };
}
