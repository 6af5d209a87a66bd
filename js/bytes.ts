// Bytes (an image or a model file) in whatever binary container the caller has, seen as one plain
// Uint8Array over the same memory: a Node Buffer becomes a Uint8Array view, so that its slice()
// copies as Uint8Array's does (Buffer's slice is a view of the whole pooled buffer). Kinds are told apart by their toStringTag, not instanceof, so that buffers and
// views from another realm (a worker, a vm context) pass too.
import { InputError } from "./errors.js";

/** Encoded image bytes: any view of an ArrayBuffer (Uint8Array, a Node Buffer, a DataView, a view at an offset) or a whole buffer. */
export type ImageBytes = ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

/** Any of them: what every function that takes a file's bytes accepts. */
export type Bytes = ImageBytes;

/**
 * The bytes of a view or buffer as a Uint8Array over the same memory (no copy), honouring
 * byteOffset and byteLength; `what` names them in the error for anything else.
 */
export function toBytes(bytes: Bytes, what = "image bytes"): Uint8Array {
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = toStringTag(bytes);
  if (tag === "ArrayBuffer" || tag === "SharedArrayBuffer") return new Uint8Array(bytes as ArrayBuffer);
  throw new InputError(`expected ${what} as an ArrayBuffer or a view of one (Uint8Array, Buffer, DataView…), got ${describe(bytes)}`);
}

export function toStringTag(value: unknown): string {
  return Object.prototype.toString.call(value).slice(8, -1);
}

/** What a value is, for an error message. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  return toStringTag(value) === "Object" ? `an object with keys ${Object.keys(value).slice(0, 5).join(", ") || "(none)"}` : toStringTag(value);
}
