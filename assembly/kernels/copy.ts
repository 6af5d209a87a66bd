// Byte moves: RESHAPE (one block), CONCATENATION (strided blocks, optionally requantized through
// a 256-entry table) and constant fills for PAD.
// copy_blocks: `blocks` blocks of blockBytes, contiguous at in, spaced outStride apart at out.

export function copy_blocks(input: usize, output: usize, blocks: i32, blockBytes: i32, outStride: i32, table: usize): void {
  for (let i = 0; i < blocks; i++) {
    const from = input + <usize>(i * blockBytes);
    const to = output + <usize>(i * outStride);
    if (table == 0) {
      memory.copy(to, from, <usize>blockBytes);
    } else {
      for (let j = 0; j < blockBytes; j++) store<u8>(to + <usize>j, load<u8>(table + <usize>load<u8>(from + <usize>j)));
    }
  }
}

/** Fills count bytes at out with a repeating pattern of patternBytes (1 or 4) bytes. */
export function fill_pattern(output: usize, count: i32, pattern: u32, patternBytes: i32): void {
  if (patternBytes == 1) {
    memory.fill(output, <u8>pattern, <usize>count);
    return;
  }
  for (let i = 0; i + 4 <= count; i += 4) store<u32>(output + <usize>i, pattern);
}
