// The parameter blocks of the byte-moving and per-value kernels that several ops use
// (assembly/kernels/copy.ts, lookup.ts, quantize.ts): field orders mirroring their @unmanaged
// classes, and the kernel calls that run them.
import type { WasmMemory } from "../runtime/memory.js";
import { type KernelCall, storeParams } from "./context.js";

/** CopyBlocksParams: `blocks` blocks of blockBytes from input, outStride apart at output, through `table` unless 0. */
const COPY_BLOCKS_FIELDS = ["input", "output", "blocks", "blockBytes", "outStride", "table"] as const;
/** LookupParams: count values through a 256-entry table (int8 or float32). */
const LOOKUP_FIELDS = ["input", "output", "count", "table"] as const;
/** AddBytesParams: out = in + delta (mod 256). */
const ADD_BYTES_FIELDS = ["input", "output", "count", "delta"] as const;
/** QuantizeParams: float32 → int8 with `scale` as float32 bits (floatBits). */
const QUANTIZE_FIELDS = ["input", "output", "count", "scale", "zeroPoint"] as const;
/** FillParams: count bytes of a repeating 1- or 4-byte pattern. */
const FILL_FIELDS = ["output", "count", "pattern", "patternBytes"] as const;

type Values<F extends readonly string[]> = Record<F[number], number>;

const call = <F extends readonly string[]>(memory: WasmMemory, kernel: string, fields: F, values: Values<F>): KernelCall =>
  ({ kernel, params: storeParams(memory, fields, values) });

export const copyBlocks = (memory: WasmMemory, values: Values<typeof COPY_BLOCKS_FIELDS>) => call(memory, "copy_blocks", COPY_BLOCKS_FIELDS, values);
export const lookupInt8 = (memory: WasmMemory, values: Values<typeof LOOKUP_FIELDS>) => call(memory, "lookup_int8", LOOKUP_FIELDS, values);
export const lookupFloat32 = (memory: WasmMemory, values: Values<typeof LOOKUP_FIELDS>) => call(memory, "lookup_float32", LOOKUP_FIELDS, values);
export const addBytes = (memory: WasmMemory, values: Values<typeof ADD_BYTES_FIELDS>) => call(memory, "add_bytes", ADD_BYTES_FIELDS, values);
export const quantizeFloat32 = (memory: WasmMemory, values: Values<typeof QUANTIZE_FIELDS>) => call(memory, "quantize_float32", QUANTIZE_FIELDS, values);
export const fillPattern = (memory: WasmMemory, values: Values<typeof FILL_FIELDS>) => call(memory, "fill_pattern", FILL_FIELDS, values);
