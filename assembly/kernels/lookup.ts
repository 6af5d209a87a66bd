// Per-value maps of 8-bit tensors through a 256-entry table the host computed once per model:
// requantization between 8-bit parameters (QUANTIZE int8↔uint8/int8, CONCATENATION rescaling)
// and DEQUANTIZE to float32.
// in: (count) int8   table: (256) int8 or float32, indexed by the byte value   out: (count)

export function lookup_int8(input: usize, output: usize, count: i32, table: usize): void {
  for (let i = 0; i < count; i++) {
    store<u8>(output + <usize>i, load<u8>(table + <usize>load<u8>(input + <usize>i)));
  }
}

export function lookup_float32(input: usize, output: usize, count: i32, table: usize): void {
  for (let i = 0; i < count; i++) {
    store<f32>(output + (<usize>i << 2), load<f32>(table + (<usize>load<u8>(input + <usize>i) << 2)));
  }
}
