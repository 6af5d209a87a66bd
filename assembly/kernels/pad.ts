// PAD with a constant, any element size (int8: the output zero point; float32: 0).
// in: (D0, D1, D2, D3) elements of elementSize bytes   out: (D0+b0+a0, …, D3+b3+a3)
// The host fills the output with the constant pattern first (fill_bytes), then this copies rows.

@unmanaged
export class PadParams {
  input: i32; output: i32; elementSize: i32;
  dim0: i32; dim1: i32; dim2: i32; dim3: i32;
  before0: i32; before1: i32; before2: i32; before3: i32;
  outDim1: i32; outDim2: i32; outDim3: i32;
}

export function pad_ref(paramsPtr: usize): void {
  const p = changetype<PadParams>(paramsPtr);
  const rowBytes = <usize>(p.dim3 * p.elementSize);
  let input = <usize>p.input;
  for (let i0 = 0; i0 < p.dim0; i0++) {
    for (let i1 = 0; i1 < p.dim1; i1++) {
      for (let i2 = 0; i2 < p.dim2; i2++) {
        const outIndex = (((i0 + p.before0) * p.outDim1 + i1 + p.before1) * p.outDim2 + i2 + p.before2) * p.outDim3 + p.before3;
        memory.copy(<usize>p.output + <usize>(outIndex * p.elementSize), input, rowBytes);
        input += rowBytes;
      }
    }
  }
}
