// Samples in the `quantlite run --input/--output` format (../shared/thirdparty's NAME.inputs.bin and
// NAME.ref.bin, test/fixtures/tflite's files): each sample is every tensor's raw little-endian
// values back to back, in the model's input (or output) order.
import type { TensorData, TensorInfo } from "../js/index.js";

const ARRAYS = { uint8: Uint8Array, int8: Int8Array, float32: Float32Array, int32: Int32Array, int64: BigInt64Array, bool: Uint8Array } as const;

function arrayType(t: TensorInfo) {
  const Type = (ARRAYS as Record<string, (typeof ARRAYS)[keyof typeof ARRAYS] | undefined>)[t.dtype];
  if (Type === undefined) throw new Error(`no array type for ${t.dtype}`);
  return Type;
}

/** Bytes of one tensor in a sample. */
export function tensorBytes(t: TensorInfo): number {
  return t.shape.reduce((a, b) => a * b, 1) * arrayType(t).BYTES_PER_ELEMENT;
}

/** Bytes of one sample of these tensors. */
export function sampleBytes(tensors: TensorInfo[]): number {
  return tensors.reduce((n, t) => n + tensorBytes(t), 0);
}

/** Splits one sample's bytes into a typed array per tensor (copies). */
export function splitSample(bytes: Uint8Array, tensors: TensorInfo[]): TensorData[] {
  let at = 0;
  return tensors.map((t) => {
    const Type = arrayType(t);
    const n = tensorBytes(t);
    const copy = bytes.slice(at, at + n);
    at += n;
    return new Type(copy.buffer, 0, n / Type.BYTES_PER_ELEMENT);
  });
}
