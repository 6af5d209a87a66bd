// Byte moves: RESHAPE (one block), CONCATENATION (strided blocks, optionally requantized through
// a 256-entry table) and constant fills for PAD.
// copy_blocks: `blocks` blocks of blockBytes, contiguous at input, spaced outStride apart at
// output, through `table` (256 bytes indexed by the byte value) unless it is 0.

@unmanaged
export class CopyBlocksParams {
  input: i32; output: i32; blocks: i32; blockBytes: i32; outStride: i32; table: i32;
}

export function copy_blocks(paramsPtr: usize): void {
  const p = changetype<CopyBlocksParams>(paramsPtr);
  const input = <usize>p.input, output = <usize>p.output, table = <usize>p.table;
  const blockBytes = p.blockBytes, outStride = p.outStride;
  for (let i = 0; i < p.blocks; i++) {
    const from = input + <usize>(i * blockBytes);
    const to = output + <usize>(i * outStride);
    if (table == 0) {
      memory.copy(to, from, <usize>blockBytes);
    } else {
      for (let j = 0; j < blockBytes; j++) store<u8>(to + <usize>j, load<u8>(table + <usize>load<u8>(from + <usize>j)));
    }
  }
}

@unmanaged
export class FillParams {
  output: i32; count: i32; pattern: u32; patternBytes: i32;
}

/** Fills count bytes at output with a repeating pattern of patternBytes (1 or 4) bytes. */
export function fill_pattern(paramsPtr: usize): void {
  const p = changetype<FillParams>(paramsPtr);
  if (p.patternBytes == 1) {
    memory.fill(p.output, <u8>p.pattern, <usize>p.count);
    return;
  }
  for (let i = 0; i + 4 <= p.count; i += 4) store<u32>(<usize>p.output + <usize>i, p.pattern);
}

/** XORs `count` bytes at ptr with 0x80: uint8 ↔ int8 storage (x - 128) of graph inputs and outputs. */
export function flip_sign_bits(ptr: usize, count: i32): void {
  const bit = i8x16.splat(-128);
  let i = 0;
  for (; i + 16 <= count; i += 16) v128.store(ptr + <usize>i, v128.xor(v128.load(ptr + <usize>i), bit));
  for (; i < count; i++) store<u8>(ptr + <usize>i, load<u8>(ptr + <usize>i) ^ 0x80);
}

@unmanaged
export class AddBytesParams {
  input: i32; output: i32; count: i32; delta: i32;
}

/** out[i] = in[i] + delta (mod 256), 16 bytes at a time: an 8-bit map that is a shift of every value. */
export function add_bytes(paramsPtr: usize): void {
  const p = changetype<AddBytesParams>(paramsPtr);
  const input = <usize>p.input, output = <usize>p.output, count = p.count, delta = p.delta;
  const d = i8x16.splat(<i8>delta);
  let i = 0;
  for (; i + 16 <= count; i += 16) v128.store(output + <usize>i, i8x16.add(v128.load(input + <usize>i), d));
  for (; i < count; i++) store<u8>(output + <usize>i, load<u8>(input + <usize>i) + <u8>delta);
}
