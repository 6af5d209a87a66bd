// The typed arrays run and runAll take and give, one per dtype a graph input or output may have,
// and the types that map a dtype name to its array.
import { InputError } from "./errors.js";

/** The JavaScript array of each dtype run and runAll take and give (uint8 is a Uint8Array of the real values). */
export const TENSOR_ARRAYS = { uint8: Uint8Array, int8: Int8Array, float32: Float32Array, int32: Int32Array, int64: BigInt64Array } as const satisfies Record<keyof TensorArrays, unknown>;

/** A dtype a graph input or output may have. */
export type TensorDtype = keyof typeof TENSOR_ARRAYS;

/** The typed array of each dtype, as a type. */
export interface TensorArrays {
  uint8: Uint8Array;
  int8: Int8Array;
  float32: Float32Array;
  int32: Int32Array;
  int64: BigInt64Array;
}

/** The typed array of a dtype: `TensorArrayOf<"float32">` is `Float32Array`; `TensorArrayOf<TensorDtype>` is `TensorData`. */
export type TensorArrayOf<D extends TensorDtype> = TensorArrays[D];

/** One tensor's values: the typed array of its dtype. */
export type TensorData = TensorArrayOf<TensorDtype>;

/**
 * `data` typed as the array of `dtype`, after checking that it is one (InputError otherwise). For
 * outputs that run and runAll return as new arrays, whose dtype TypeScript cannot know:
 * `const scores = expectDtype(model.run(input), "float32")` is a Float32Array, checked, not cast.
 */
export function expectDtype<D extends TensorDtype>(data: TensorData, dtype: D): TensorArrayOf<D> {
  const Expected = TENSOR_ARRAYS[dtype];
  if (Expected === undefined) throw new InputError(`unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(TENSOR_ARRAYS).join(", ")})`);
  if (data instanceof Expected) return data as TensorArrayOf<D>;
  throw new InputError(`expected ${dtype} data (a ${Expected.name}), got ${typeName(data)}`);
}

/** For error messages: the class of an object (Float32Array, Array, Object), or the value itself (undefined, 3). */
export function typeName(value: unknown): string {
  return value === null || typeof value !== "object" ? String(value) : (value.constructor?.name ?? "object");
}
