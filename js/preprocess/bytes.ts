// Encoded image bytes in whatever binary container the caller has, seen as one Uint8Array over
// the same memory. Kinds are told apart by their toStringTag, not instanceof, so that buffers and
// views from another realm (a worker, a vm context) pass too.
import { InputError } from "../errors.js";

/** Encoded image bytes: any view of an ArrayBuffer (Uint8Array, a Node Buffer, a DataView, a view at an offset) or a whole buffer. */
export type ImageBytes = ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

/** The bytes of a view or buffer as a Uint8Array over the same memory (no copy), honouring byteOffset and byteLength. */
export function toBytes(bytes: ImageBytes): Uint8Array {
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = toStringTag(bytes);
  if (tag === "ArrayBuffer" || tag === "SharedArrayBuffer") return new Uint8Array(bytes as ArrayBuffer);
  throw new InputError(`expected image bytes as an ArrayBuffer or a view of one (Uint8Array, Buffer, DataView…), got ${describe(bytes)}`);
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
