// CAST between uint8, int8, bool, int32, int64 and float32: every value converted as C++'s
// static_cast does on x86 (assembly/kernels/cast.ts); quantization parameters play no part.
// Constant inputs fold at load.
import { constantInputs } from "../graph/fold.js";
import type { GraphOp, GraphTensor } from "../graph/graph.js";
import type { TensorType } from "../tflite/types.js";
import { type OpDefinition, expectCounts, expectShape, fail, input, kernelStep, output, storeParams } from "./context.js";
import { floatToInt32 } from "./unary.js";

/** The kernel's type codes. */
const CAST_TYPES: Partial<Record<TensorType, number>> = { int8: 0, uint8: 1, bool: 2, int32: 3, int64: 4, float32: 5 };
const DTYPES = Object.keys(CAST_TYPES) as TensorType[];

/** Field order of CastParams in assembly/kernels/cast.ts. */
const FIELDS = ["input", "output", "count", "from", "to"] as const;

function tensors(op: GraphOp): { x: GraphTensor; y: GraphTensor } {
  expectCounts(op, 1);
  const x = input(op, 0, DTYPES);
  const y = output(op, 0, DTYPES);
  expectShape(op, y, x.shape, "output");
  return { x, y };
}

/** The values of a constant (as in the file: uint8 unshifted), as numbers or bigints. */
function valuesOf(t: GraphTensor, bytes: Uint8Array): ArrayLike<number | bigint> {
  const buffer = bytes.slice().buffer;
  switch (t.dtype) {
    case "int8": return new Int8Array(buffer, 0, t.elementCount);
    case "int32": return new Int32Array(buffer, 0, t.elementCount);
    case "int64": return new BigInt64Array(buffer, 0, t.elementCount);
    case "float32": return new Float32Array(buffer, 0, t.elementCount);
    default: return new Uint8Array(buffer, 0, t.elementCount); // uint8, bool
  }
}

/** One value converted to `to`, as the kernel converts it. */
function convert(v: number | bigint, fromFloat: boolean, to: TensorType): number | bigint {
  if (to === "float32") return Number(v);
  if (to === "bool") return Number(v) !== 0 ? 1 : 0;
  let n: bigint;
  if (fromFloat) {
    const x = v as number;
    n = to === "int64"
      ? (x > -(2 ** 63) && x < 2 ** 63 ? BigInt(Math.trunc(x)) : -(2n ** 63n))
      : BigInt(floatToInt32(x));
  } else {
    n = BigInt(v);
  }
  if (to === "int64") return BigInt.asIntN(64, n);
  if (to === "int32") return Number(BigInt.asIntN(32, n));
  return Number(to === "int8" ? BigInt.asIntN(8, n) : BigInt.asUintN(8, n));
}

export const cast: OpDefinition = {
  maxVersion: 7,
  prepare(ctx) {
    const { op, memory } = ctx;
    const { x, y } = tensors(op);
    if (x.data !== null) fail(op, `input "${x.name}" is a constant, which is not supported here`);
    const params = storeParams(memory, FIELDS, {
      input: ctx.address(x), output: ctx.address(y), count: x.elementCount, from: CAST_TYPES[x.dtype]!, to: CAST_TYPES[y.dtype]!,
    });
    return kernelStep(ctx, "cast", params);
  },
  fold(op) {
    if (!constantInputs(op)) return null;
    const { x, y } = tensors(op);
    const values = valuesOf(x, x.data!);
    const out = new Uint8Array(y.byteSize);
    const target = valuesOf(y, out) as unknown as { [i: number]: number | bigint; buffer: ArrayBufferLike };
    for (let i = 0; i < x.elementCount; i++) target[i] = convert(values[i], x.dtype === "float32", y.dtype);
    return [new Uint8Array(target.buffer)];
  },
};
