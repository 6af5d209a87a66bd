// The linear memory of the wasm instance that decodes one image: a bump allocator over it, under a
// limit on the bytes really allocated. A decode that would pass the limit ends in an ImageError
// that names the limit and the image, never in a trap or "corrupt".
import { ImageError } from "../../errors.js";

const PAGE = 65536;

export class DecoderMemory {
  private next: number;
  /** Memory below this may hold an earlier decode's bytes (a reused instance); above it is fresh, zero. */
  private readonly dirtyEnd: number;

  /** `base`: first free byte of the instance; `limitBytes`: most this decode may allocate. */
  constructor(readonly memory: WebAssembly.Memory, base: number, readonly limitBytes: number, readonly what: string) {
    this.next = base;
    this.dirtyEnd = memory.buffer.byteLength;
  }

  /** Bytes allocated so far, from address 0 (the instance's own data included). */
  get usedBytes(): number {
    return this.next;
  }

  /** A fresh view of the whole memory (views go stale when the memory grows). */
  get bytes(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }

  /** Reserves `size` bytes, zeroed, aligned to `alignment`; `purpose` names them in the error. */
  allocate(size: number, purpose: string, alignment = 16): number {
    const ptr = Math.ceil(this.next / alignment) * alignment;
    const end = ptr + size;
    if (end > this.limitBytes) {
      throw new ImageError(
        `${this.what}: decoding needs more than ${Math.ceil(end / 1048576)} MiB (${purpose}), over the limit of ${Math.floor(this.limitBytes / 1048576)} MiB (option limits.maxMemoryMB)`,
      );
    }
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      try {
        this.memory.grow(Math.ceil((end - have) / PAGE));
      } catch {
        throw new ImageError(`${this.what}: decoding needs ${Math.ceil(end / 1048576)} MiB (${purpose}), more than this runtime gives one WebAssembly instance`);
      }
    }
    if (ptr < this.dirtyEnd) new Uint8Array(this.memory.buffer, ptr, Math.min(end, this.dirtyEnd) - ptr).fill(0);
    this.next = end;
    return ptr;
  }

  /** Copies bytes into newly allocated memory and returns their address. */
  store(data: Uint8Array, purpose: string, alignment = 16): number {
    const ptr = this.allocate(data.byteLength, purpose, alignment);
    this.bytes.set(data, ptr);
    return ptr;
  }
}
