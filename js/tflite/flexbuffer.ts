// FlexBuffers, the schema-less format custom operators keep their custom_options in: a reader for
// a root map of scalars (what TFLite_Detection_PostProcess and its kin store), following
// flatbuffers' flexbuffers.h: GetRoot, Map::operator[] (a binary search of the sorted keys, as
// bsearch does it), AsInt32 / AsFloat / AsBool and IsNull for an absent key. Every read is
// bounds-checked; what the reader cannot make sense of is a short ModelError.
import { ModelError } from "../errors.js";

const TYPE_NULL = 0;
const TYPE_INT = 1;
const TYPE_UINT = 2;
const TYPE_FLOAT = 3;
const TYPE_INDIRECT_INT = 6;
const TYPE_INDIRECT_UINT = 7;
const TYPE_INDIRECT_FLOAT = 8;
const TYPE_MAP = 9;
const TYPE_BOOL = 26;

/** One value of the map: an integer (as a bigint, exact to 64 bits) or a float; null: none / not a scalar. */
type Scalar = { kind: "int"; value: bigint } | { kind: "float"; value: number } | null;

export class FlexMap {
  private constructor(private readonly entries: Map<string, Scalar | "other">) {}

  /** The root of `bytes`, which must be a map. */
  static read(bytes: Uint8Array, what = "custom options"): FlexMap {
    const reader = new Reader(bytes, what);
    if (bytes.length < 3) reader.fail("are too short for a FlexBuffer");
    const rootWidth = bytes[bytes.length - 1];
    const rootType = bytes[bytes.length - 2];
    const rootAt = bytes.length - 2 - rootWidth;
    if (![1, 2, 4, 8].includes(rootWidth) || rootAt < 0) reader.fail("have no valid FlexBuffer root");
    if (rootType >> 2 !== TYPE_MAP) reader.fail("are not a FlexBuffer map");
    const map = reader.indirect(rootAt, rootWidth);
    const width = 1 << (rootType & 3);
    const count = reader.uint(map - width, width);
    const keysField = map - 3 * width;
    const keys = reader.indirect(keysField, width);
    const keyWidth = reader.uint(map - 2 * width, width);
    if (![1, 2, 4, 8].includes(keyWidth)) reader.fail("have a map with a bad key width");
    if (count > bytes.length) reader.fail("have a map larger than the buffer");
    reader.check(keys, count * keyWidth);
    reader.check(map, count * width + count);
    const names: string[] = [];
    for (let i = 0; i < count; i++) names.push(reader.key(reader.indirect(keys + i * keyWidth, keyWidth)));
    const entries = new Map<string, Scalar | "other">();
    // Map::operator[] is bsearch over the keys as stored: look every name up the same way, so that
    // keys out of order (which flexbuffers never writes) resolve as TFLite resolves them.
    for (const name of new Set(names)) {
      const i = bsearch(names, name);
      if (i < 0) continue;
      entries.set(name, reader.scalar(map + i * width, width, bytes[map + count * width + i]));
    }
    return new FlexMap(entries);
  }

  /** Whether the key is absent (or holds a null), as flexbuffers' IsNull. */
  isNull(key: string): boolean {
    return (this.entries.get(key) ?? null) === null;
  }

  /** AsInt32: 0 when absent; floats truncate; the low 32 bits of a 64-bit integer. */
  int32(key: string): number {
    const v = this.scalar(key);
    if (v === null) return 0;
    if (v.kind === "int") return Number(BigInt.asIntN(32, v.value));
    return Number.isFinite(v.value) ? Number(BigInt.asIntN(32, BigInt(Math.trunc(v.value)))) : 0;
  }

  /** AsFloat: 0 when absent; float32 of the value. */
  float(key: string): number {
    const v = this.scalar(key);
    if (v === null) return 0;
    return Math.fround(v.kind === "int" ? Number(v.value) : v.value);
  }

  /** AsBool: false when absent; true for any nonzero value. */
  bool(key: string): boolean {
    const v = this.scalar(key);
    return v !== null && (v.kind === "int" ? v.value !== 0n : v.value !== 0);
  }

  private scalar(key: string): Scalar {
    const v = this.entries.get(key) ?? null;
    if (v === "other") throw new ModelError(`custom option ${key} is not a number`);
    return v;
  }
}

/** glibc's bsearch over strcmp-ordered names: the index found, or -1. */
function bsearch(names: string[], name: string): number {
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const order = compareBytes(name, names[mid]);
    if (order < 0) hi = mid;
    else if (order > 0) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** strcmp on Latin-1 strings (the keys are read byte by byte). */
function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

class Reader {
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array, private readonly what: string) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(message: string): never {
    throw new ModelError(`${this.what} ${message}`);
  }

  check(at: number, length: number): void {
    if (!(at >= 0 && length >= 0 && at + length <= this.bytes.length)) this.fail("point outside their buffer");
  }

  uint(at: number, width: number): number {
    return Number(this.uint64(at, width));
  }

  uint64(at: number, width: number): bigint {
    this.check(at, width);
    const v = this.view;
    switch (width) {
      case 1: return BigInt(v.getUint8(at));
      case 2: return BigInt(v.getUint16(at, true));
      case 4: return BigInt(v.getUint32(at, true));
      default: return v.getBigUint64(at, true);
    }
  }

  int64(at: number, width: number): bigint {
    this.check(at, width);
    const v = this.view;
    switch (width) {
      case 1: return BigInt(v.getInt8(at));
      case 2: return BigInt(v.getInt16(at, true));
      case 4: return BigInt(v.getInt32(at, true));
      default: return v.getBigInt64(at, true);
    }
  }

  float(at: number, width: number): number {
    this.check(at, width);
    if (width === 4) return this.view.getFloat32(at, true);
    if (width === 8) return this.view.getFloat64(at, true);
    return this.fail("hold a float of a bad width");
  }

  /** The position an offset field at `at` points to (offsets point backwards). */
  indirect(at: number, width: number): number {
    const target = at - this.uint(at, width);
    this.check(target, 0);
    return target;
  }

  /** A NUL-terminated key. */
  key(at: number): string {
    let end = at;
    while (end < this.bytes.length && this.bytes[end] !== 0) end++;
    if (end >= this.bytes.length) this.fail("have an unterminated key");
    return String.fromCharCode(...this.bytes.subarray(at, end));
  }

  /** A map value of packed type `packed` in a slot of `width` bytes at `at`. */
  scalar(at: number, width: number, packed: number): Scalar | "other" {
    const type = packed >> 2;
    const ownWidth = 1 << (packed & 3);
    switch (type) {
      case TYPE_NULL: return null;
      case TYPE_INT: return { kind: "int", value: this.int64(at, width) };
      case TYPE_UINT:
      case TYPE_BOOL: return { kind: "int", value: this.uint64(at, width) };
      case TYPE_FLOAT: return { kind: "float", value: this.float(at, width) };
      case TYPE_INDIRECT_INT: return { kind: "int", value: this.int64(this.indirect(at, width), ownWidth) };
      case TYPE_INDIRECT_UINT: return { kind: "int", value: this.uint64(this.indirect(at, width), ownWidth) };
      case TYPE_INDIRECT_FLOAT: return { kind: "float", value: this.float(this.indirect(at, width), ownWidth) };
      default: return "other";
    }
  }
}
