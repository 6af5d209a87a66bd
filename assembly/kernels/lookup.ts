// Per-value maps of 8-bit tensors through a 256-entry table the host computed once per model:
// requantization between 8-bit parameters (QUANTIZE int8↔uint8/int8, CONCATENATION rescaling)
// and DEQUANTIZE to float32.
// in: (count) int8   table: (256) int8 or float32, indexed by the byte value   out: (count)

@unmanaged
export class LookupParams {
  input: i32; output: i32; count: i32; table: i32;
}

export function lookup_int8(paramsPtr: usize): void {
  const p = changetype<LookupParams>(paramsPtr);
  const input = <usize>p.input, output = <usize>p.output, table = <usize>p.table;
  for (let i = 0; i < p.count; i++) {
    store<u8>(output + <usize>i, load<u8>(table + <usize>load<u8>(input + <usize>i)));
  }
}

export function lookup_float32(paramsPtr: usize): void {
  const p = changetype<LookupParams>(paramsPtr);
  const input = <usize>p.input, output = <usize>p.output, table = <usize>p.table;
  for (let i = 0; i < p.count; i++) {
    store<f32>(output + (<usize>i << 2), load<f32>(table + (<usize>load<u8>(input + <usize>i) << 2)));
  }
}
