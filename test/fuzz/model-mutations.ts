// Mutations of a model, at two levels. Def mutations change a decoded ModelDef (shapes, buffer
// indices and lengths, quantization, op codes and versions, options, graph structure) before it
// is written again with writeModel; byte mutations change the .tflite bytes themselves (flips,
// truncation, the header, flatbuffer offsets, vtables, tables and vector lengths). Each returns a
// short description of what it did, for the case name.
import { ACTIVATIONS, OPTIONS_LAYOUTS, PADDINGS, TENSOR_TYPES } from "../../js/tflite/read.js";
import { BuiltinOp } from "../../js/tflite/builtin-ops.js";
import type { BuiltinOptions, ModelDef, OperatorDef, TensorDef } from "../../js/tflite/types.js";
import type { Rng } from "../random.js";
import type { FlatbufferSites } from "./flatbuffer-sites.js";

/** int32 values at and around the edges that validation has to get right. */
const INT32_EDGES = [0, 1, -1, 2, 3, -2, 7, 100, 65536, 2 ** 28, 2 ** 31 - 1, -(2 ** 31)];
const BAD_SCALES = [NaN, Infinity, -Infinity, 0, -0.5, 1e-45, 1e-38, 1e-20, 1e20, 3.4e38, 1, 1 / 256];
const BAD_ZERO_POINTS = [-129, -128, 127, 128, 255, 256, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 40, -(2 ** 52)];
const SUPPORTED_CODES = Object.values(BuiltinOp);

export type DefMutation = (def: ModelDef, rng: Rng) => string;

function tensors(def: ModelDef): TensorDef[] {
  return def.subgraphs[0]?.tensors ?? [];
}

function pickTensor(def: ModelDef, rng: Rng): [TensorDef, number] | null {
  const all = tensors(def);
  if (all.length === 0) return null;
  const index = rng.int(0, all.length - 1);
  return [all[index], index];
}

function pickOp(def: ModelDef, rng: Rng): [OperatorDef, number] | null {
  const ops = def.subgraphs[0]?.operators ?? [];
  if (ops.length === 0) return null;
  const index = rng.int(0, ops.length - 1);
  return [ops[index], index];
}

/** An index that is valid, or just outside, or far outside a list of `length`. */
function pickIndex(rng: Rng, length: number): number {
  return rng.pick([-1, -2, length, length + 1, 2 ** 31 - 1, rng.int(0, Math.max(0, length - 1)), rng.int(0, Math.max(0, length - 1))]);
}

/** Options of a kind with every field at a plain value (strides and sizes 1). */
function plainOptions(kind: BuiltinOptions["kind"]): BuiltinOptions {
  const values: Record<string, unknown> = { kind };
  for (const field of OPTIONS_LAYOUTS[kind].fields) {
    values[field.name] = { padding: "SAME", activation: "NONE", tensorType: "int32", int32: 1, uint8: 0, bool: false, float32: 1, "int32[]": [] }[field.kind];
  }
  return values as unknown as BuiltinOptions;
}

function mutateOptions(op: OperatorDef, rng: Rng): string {
  const kinds = Object.keys(OPTIONS_LAYOUTS) as BuiltinOptions["kind"][];
  if (op.options === null || rng.bool(0.15)) {
    op.options = rng.bool(0.3) ? null : plainOptions(rng.pick(kinds));
    return `options ${op.options?.kind ?? "removed"}`;
  }
  const fields = OPTIONS_LAYOUTS[op.options.kind].fields;
  if (fields.length === 0) return "options without fields";
  const field = rng.pick(fields);
  const values = op.options as unknown as Record<string, unknown>;
  const value = {
    padding: () => rng.pick(PADDINGS),
    activation: () => rng.pick(ACTIVATIONS),
    tensorType: () => rng.pick(TENSOR_TYPES),
    int32: () => rng.pick([...INT32_EDGES, 4, 5, -3, -4]),
    uint8: () => rng.int(0, 255),
    bool: () => !values[field.name],
    float32: () => rng.pick([NaN, Infinity, -Infinity, 0, -1, 1e-30, 1e30, 2]),
    "int32[]": () => Array.from({ length: rng.int(0, 5) }, () => rng.pick(INT32_EDGES)),
  }[field.kind]();
  values[field.name] = value;
  return `${op.options.kind}.${field.name}=${JSON.stringify(value)}`;
}

export const DEF_MUTATIONS: Record<string, DefMutation> = {
  shape(def, rng) {
    const picked = pickTensor(def, rng);
    if (picked === null) return "no tensor";
    const [t, i] = picked;
    const r = rng.int(0, 6);
    if (r === 0 && t.shape.length > 0) t.shape.splice(rng.int(0, t.shape.length - 1), 1);
    else if (r === 1) t.shape.splice(rng.int(0, t.shape.length), 0, rng.pick([0, 1, 2, 2 ** 31 - 1]));
    else if (r === 2) t.shape = [];
    else if (t.shape.length > 0) {
      const k = rng.int(0, t.shape.length - 1);
      t.shape[k] = rng.pick([...INT32_EDGES, t.shape[k] + 1, t.shape[k] - 1, t.shape[k] * 2]);
    }
    return `tensor ${i} shape [${t.shape}]`;
  },
  type(def, rng) {
    const picked = pickTensor(def, rng);
    if (picked === null) return "no tensor";
    picked[0].type = rng.pick(TENSOR_TYPES);
    return `tensor ${picked[1]} ${picked[0].type}`;
  },
  bufferIndex(def, rng) {
    const picked = pickTensor(def, rng);
    if (picked === null) return "no tensor";
    picked[0].buffer = rng.bool(0.3) ? 0 : pickIndex(rng, def.buffers.length);
    return `tensor ${picked[1]} buffer ${picked[0].buffer}`;
  },
  bufferData(def, rng) {
    const k = rng.int(0, def.buffers.length - 1);
    const data = def.buffers[k];
    const length = rng.pick([0, 1, data.length - 1, data.length + 1, data.length * 2, rng.int(0, data.length + 16)]);
    const replaced = new Uint8Array(Math.max(0, length));
    replaced.set(data.subarray(0, replaced.length));
    def.buffers[k] = replaced;
    return `buffer ${k} of ${replaced.length} bytes`;
  },
  /** int32 constants (axes, paddings, shapes, biases) with values at the edges. */
  constantValues(def, rng) {
    const sg = def.subgraphs[0];
    const int32 = (sg?.tensors ?? []).filter((t) => t.type === "int32" && t.buffer > 0 && t.buffer < def.buffers.length && def.buffers[t.buffer].length >= 4);
    if (int32.length === 0) return "no int32 constant";
    const t = rng.pick(int32);
    const values = new Int32Array(def.buffers[t.buffer].slice().buffer, 0, def.buffers[t.buffer].length >> 2);
    const k = rng.int(0, values.length - 1);
    values[k] = rng.pick([...INT32_EDGES, -3, -4, 4, 5, values[k] + 1, values[k] - 1]);
    def.buffers[t.buffer] = new Uint8Array(values.buffer);
    return `"${t.name}"[${k}]=${values[k]}`;
  },
  scale(def, rng) {
    const picked = pickTensor(def, rng);
    if (picked === null) return "no tensor";
    const [t, i] = picked;
    const q = (t.quantization ??= { scale: [], zeroPoint: [], min: [], max: [], quantizedDimension: 0 });
    const r = rng.int(0, 3);
    if (r === 0) q.scale = [];
    else if (r === 1) q.scale = [...q.scale, ...q.scale.slice(0, rng.int(1, 2)), rng.pick(BAD_SCALES)];
    else q.scale = (q.scale.length > 0 ? q.scale : [1]).map((s) => (rng.bool(0.5) ? rng.pick(BAD_SCALES) : s));
    return `tensor ${i} scale [${q.scale.slice(0, 4)}]`;
  },
  zeroPoint(def, rng) {
    const picked = pickTensor(def, rng);
    if (picked === null) return "no tensor";
    const [t, i] = picked;
    const q = (t.quantization ??= { scale: [0.5], zeroPoint: [], min: [], max: [], quantizedDimension: 0 });
    q.zeroPoint = rng.bool(0.2) ? [] : q.scale.map(() => rng.pick(BAD_ZERO_POINTS));
    if (rng.bool(0.2)) q.zeroPoint.push(0);
    return `tensor ${i} zero points [${q.zeroPoint.slice(0, 4)}]`;
  },
  quantizedDimension(def, rng) {
    const picked = pickTensor(def, rng);
    if (picked?.[0].quantization == null) return "no quantized tensor";
    const q = picked[0].quantization;
    q.quantizedDimension = rng.pick([-1, 0, 1, 2, 3, 4, 99, 2 ** 31 - 1]);
    return `tensor ${picked[1]} quantized dimension ${q.quantizedDimension}`;
  },
  opcode(def, rng) {
    if (def.operatorCodes.length === 0) return "no operator code";
    const code = rng.pick(def.operatorCodes);
    const r = rng.int(0, 2);
    if (r === 0) code.builtinCode = rng.bool() ? rng.pick(SUPPORTED_CODES) : rng.int(0, 215);
    else if (r === 1) code.version = rng.pick([0, -1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 99, 2 ** 31 - 1]);
    else [code.builtinCode, code.customCode] = [32, rng.pick(["", "TFLite_Detection_PostProcess", "\u0000\uffff"])];
    return `opcode ${code.builtinCode} v${code.version}${code.customCode === null ? "" : " custom"}`;
  },
  opcodeIndex(def, rng) {
    const picked = pickOp(def, rng);
    if (picked === null) return "no operator";
    picked[0].opcodeIndex = pickIndex(rng, def.operatorCodes.length);
    return `operator ${picked[1]} opcode index ${picked[0].opcodeIndex}`;
  },
  options(def, rng) {
    const picked = pickOp(def, rng);
    return picked === null ? "no operator" : `operator ${picked[1]} ${mutateOptions(picked[0], rng)}`;
  },
  opInputs(def, rng) {
    const picked = pickOp(def, rng);
    if (picked === null) return "no operator";
    const [op, i] = picked;
    const ops = def.subgraphs[0].operators;
    const r = rng.int(0, 5);
    if (r === 0) op.inputs.push(pickIndex(rng, tensors(def).length));
    else if (r === 1) op.inputs.pop();
    else {
      const later = ops.slice(i).flatMap((o) => o.outputs); // includes the op's own outputs: a cycle
      const k = rng.int(0, Math.max(0, op.inputs.length - 1));
      op.inputs[k] = rng.bool(0.4) && later.length > 0 ? rng.pick(later) : pickIndex(rng, tensors(def).length);
    }
    return `operator ${i} inputs [${op.inputs}]`;
  },
  opOutputs(def, rng) {
    const picked = pickOp(def, rng);
    if (picked === null) return "no operator";
    const [op, i] = picked;
    const sg = def.subgraphs[0];
    const r = rng.int(0, 4);
    if (r === 0) op.outputs = [];
    else if (r === 1) op.outputs.push(op.outputs[0] ?? 0); // the same tensor written twice
    else {
      const written = sg.operators.flatMap((o) => o.outputs);
      const constants = sg.tensors.flatMap((t, k) => (t.buffer !== 0 ? [k] : []));
      const choices = [...sg.inputs, ...written, ...constants];
      op.outputs[0] = rng.bool(0.7) && choices.length > 0 ? rng.pick(choices) : pickIndex(rng, sg.tensors.length);
    }
    return `operator ${i} outputs [${op.outputs}]`;
  },
  subgraphInputs(def, rng) {
    const sg = def.subgraphs[0];
    if (sg === undefined) return "no subgraph";
    const constants = sg.tensors.flatMap((t, k) => (t.buffer !== 0 ? [k] : []));
    const written = sg.operators.flatMap((o) => o.outputs);
    const r = rng.int(0, 4);
    if (r === 0) sg.inputs = [];
    else if (r === 1 && constants.length > 0) sg.inputs.push(rng.pick(constants));
    else if (r === 2 && written.length > 0) sg.inputs.push(rng.pick(written));
    else if (r === 3) sg.inputs.push(sg.inputs[0] ?? 0);
    else sg.inputs[0] = pickIndex(rng, sg.tensors.length);
    return `subgraph inputs [${sg.inputs}]`;
  },
  subgraphOutputs(def, rng) {
    const sg = def.subgraphs[0];
    if (sg === undefined) return "no subgraph";
    const r = rng.int(0, 4);
    if (r === 0) sg.outputs = [];
    else if (r === 1) sg.outputs.push(sg.outputs[0] ?? 0);
    else if (r === 2 && sg.inputs.length > 0) sg.outputs.push(rng.pick(sg.inputs));
    else sg.outputs[rng.int(0, sg.outputs.length)] = pickIndex(rng, sg.tensors.length);
    return `subgraph outputs [${sg.outputs}]`;
  },
  opOrder(def, rng) {
    const ops = def.subgraphs[0]?.operators ?? [];
    if (ops.length === 0) return "no operator";
    const a = rng.int(0, ops.length - 1);
    const b = rng.int(0, ops.length - 1);
    const r = rng.int(0, 3);
    if (r === 0) [ops[a], ops[b]] = [ops[b], ops[a]];
    else if (r === 1) ops.reverse();
    else if (r === 2) ops.splice(b, 0, structuredClone(ops[a])); // outputs written twice
    else ops.splice(a, 1); // what it wrote dangles
    return `operators ${["swapped", "reversed", "duplicated", "removed"][r]} (${a}, ${b})`;
  },
  cycle(def, rng) {
    const ops = def.subgraphs[0]?.operators ?? [];
    if (ops.length === 0) return "no operator";
    const last = ops[ops.length - 1];
    const first = ops[rng.int(0, ops.length - 1)];
    first.inputs[0] = last.outputs[0] ?? 0;
    return `operator reads the last output ${first.inputs[0]}`;
  },
  subgraphs(def, rng) {
    if (def.subgraphs.length === 0 || rng.bool(0.3)) def.subgraphs = [];
    else if (rng.bool()) def.subgraphs.push(structuredClone(def.subgraphs[0]));
    else def.subgraphs[0].operators = [];
    return `${def.subgraphs.length} subgraphs`;
  },
  danglingTensor(def, rng) {
    const picked = pickTensor(def, rng);
    if (picked === null) return "no tensor";
    const copy = structuredClone(picked[0]);
    copy.shape = copy.shape.map((d) => (rng.bool(0.3) ? rng.pick(INT32_EDGES) : d));
    tensors(def).push(copy);
    return `unused tensor [${copy.shape}] ${copy.type}`;
  },
};

export type ByteMutation = (bytes: Uint8Array, sites: () => FlatbufferSites, rng: Rng) => [Uint8Array, string];

const U32_EDGES = [0, 1, 2, 3, 4, 0xfffffffc, 0x7fffffff, 0xffffffff, 0x80000000];
const U16_EDGES = [0, 1, 2, 3, 4, 6, 0xfffe, 0xffff, 0x8000];

function withUint32(bytes: Uint8Array, pos: number, value: (old: number) => number): [Uint8Array, string] {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  const old = view.getUint32(pos, true);
  const next = value(old) >>> 0;
  view.setUint32(pos, next, true);
  return [copy, `@${pos} ${old}→${next}`];
}

function withUint16(bytes: Uint8Array, pos: number, value: (old: number) => number): [Uint8Array, string] {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  const old = view.getUint16(pos, true);
  const next = value(old) & 0xffff;
  view.setUint16(pos, next, true);
  return [copy, `@${pos} ${old}→${next}`];
}

export const BYTE_MUTATIONS: Record<string, ByteMutation> = {
  flip(bytes, _sites, rng) {
    const copy = bytes.slice();
    const count = rng.int(1, 8);
    for (let i = 0; i < count; i++) {
      const pos = rng.int(0, copy.length - 1);
      copy[pos] = rng.bool() ? copy[pos] ^ (1 << rng.int(0, 7)) : rng.int(0, 255);
    }
    return [copy, `${count} bytes`];
  },
  truncate(bytes, _sites, rng) {
    const length = rng.bool(0.2) ? rng.int(0, 64) : rng.int(0, bytes.length - 1);
    return [bytes.subarray(0, length), `to ${length} of ${bytes.length}`];
  },
  header(bytes, _sites, rng) {
    const copy = bytes.slice();
    const pos = rng.bool(0.6) ? rng.int(0, 7) : rng.int(0, Math.min(63, copy.length - 1));
    copy[pos] = rng.int(0, 255);
    return [copy, `byte ${pos}`];
  },
  offset(bytes, sites, rng) {
    const { offsets } = sites();
    if (offsets.length === 0) return [bytes, "no offsets"];
    return withUint32(bytes, rng.pick(offsets), (old) =>
      rng.pick([...U32_EDGES, old + 4, old - 4, old + 1, old + rng.int(0, 4096), bytes.length, rng.u32()]));
  },
  vtable(bytes, sites, rng) {
    const { vtables } = sites();
    if (vtables.length === 0) return [bytes, "no vtables"];
    const vtable = rng.pick(vtables);
    const size = new DataView(bytes.buffer, bytes.byteOffset).getUint16(vtable, true);
    const slot = rng.bool(0.4) ? rng.int(0, 1) * 2 : 2 * rng.int(0, Math.max(1, size / 2 - 1));
    if (vtable + slot + 2 > bytes.length) return [bytes, "vtable at the end"];
    return withUint16(bytes, vtable + slot, (old) => rng.pick([...U16_EDGES, old + 2, old - 2, old + 1, rng.int(0, 0xffff)]));
  },
  table(bytes, sites, rng) {
    const { tables } = sites();
    if (tables.length === 0) return [bytes, "no tables"];
    return withUint32(bytes, rng.pick(tables), (old) => rng.pick([0, 4, -4, old + 2, old - 2, old + 8, 0x7fffffff, 0x80000000, rng.u32()]));
  },
  vectorLength(bytes, sites, rng) {
    const { vectorLengths } = sites();
    if (vectorLengths.length === 0) return [bytes, "no vectors"];
    return withUint32(bytes, rng.pick(vectorLengths), (old) => rng.pick([0, old + 1, old - 1, old * 2, 0x3fffffff, 0x7fffffff, 0xffffffff]));
  },
  /** Random bytes over a table's fields: enum values, buffer and opcode indices, options. */
  fields(bytes, sites, rng) {
    const { tables } = sites();
    if (tables.length === 0) return [bytes, "no tables"];
    const copy = bytes.slice();
    const pos = rng.pick(tables) + 4 + rng.int(0, 12);
    const count = rng.int(1, 4);
    for (let i = 0; i < count && pos + i < copy.length; i++) copy[pos + i] = rng.pick([0, 0xff, 0x7f, 0x80, rng.int(0, 255)]);
    return [copy, `${count} bytes @${pos}`];
  },
};
