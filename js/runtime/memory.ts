// The model's wasm linear memory as the host lays it out:
//   heap_base … arena (activations, planned) … constants (packed weights, op parameters, tables)
// Constants are appended by a bump allocator while ops are prepared; memory grows on demand up
// to a limit, and never during an inference.
import { ModelError } from "../errors.js";

const PAGE = 65536;

export class WasmMemory {
  private next: number;

  constructor(readonly memory: WebAssembly.Memory, readonly arenaBase: number, readonly arenaSize: number, readonly maxBytes: number) {
    this.next = arenaBase + arenaSize;
    this.ensure(this.next);
  }

  /**
   * Room for load-time work that the next call may overwrite: the arena, which holds nothing until
   * the first inference, when it is large enough; else newly allocated memory.
   */
  temporary(size: number): number {
    return size <= this.arenaSize ? this.arenaBase : this.allocate(size);
  }

  /** Bytes in use: heap base, arena and constants. */
  get usedBytes(): number {
    return this.next;
  }

  get bytes(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }

  private ensure(end: number): void {
    if (end > this.maxBytes) {
      throw new ModelError(`the model needs more than ${end} bytes of memory, over the limit of ${this.maxBytes} (option maxMemoryBytes)`);
    }
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    try {
      this.memory.grow(Math.ceil((end - have) / PAGE));
    } catch {
      throw new ModelError(`the model needs ${end} bytes of memory, more than this runtime can give one WebAssembly instance`);
    }
  }

  /** Reserves size bytes aligned to `alignment` after everything allocated so far. */
  allocate(size: number, alignment = 16): number {
    const ptr = Math.ceil(this.next / alignment) * alignment;
    this.ensure(ptr + size);
    this.next = ptr + size;
    return ptr;
  }

  /** Copies a typed array into newly allocated memory and returns its address. */
  store(data: ArrayBufferView): number {
    const ptr = this.allocate(data.byteLength);
    this.bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), ptr);
    return ptr;
  }
}
