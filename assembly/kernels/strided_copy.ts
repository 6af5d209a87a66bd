// The byte moves of the data-movement ops (TRANSPOSE, STRIDED_SLICE, SLICE, PACK, UNPACK, SPLIT,
// SPLIT_V, TILE, SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND, DEPTH_TO_SPACE, SPACE_TO_DEPTH), which the
// host describes as one N-d strided copy each (js/ops/strided-copy.ts):
//   output[Σ i_d·outStride_d] = input[Σ i_d·inStride_d]   for every i < dims (rank ≤ 8)
// of elementBytes-byte elements (1, 2, 4 or 8); strides in bytes, possibly negative or 0.
// strided_copy copies an innermost dimension that is contiguous on both sides as one run
// (memory.copy); strided_copy_ref moves every element on its own.

const MAX_RANK = 8;

@unmanaged
export class StridedCopyParams {
  input: i32; output: i32; elementBytes: i32; rank: i32;
  // then dims[8], inStrides[8], outStrides[8]
}

const DIMS: usize = 16;
const IN_STRIDES: usize = DIMS + 4 * MAX_RANK;
const OUT_STRIDES: usize = IN_STRIDES + 4 * MAX_RANK;

function copyLevel(p: usize, level: i32, from: usize, to: usize, runs: bool): void {
  const at = <usize>level << 2;
  const n = load<i32>(p + DIMS + at);
  const inStride = <usize>load<i32>(p + IN_STRIDES + at);
  const outStride = <usize>load<i32>(p + OUT_STRIDES + at);
  const elementBytes = load<i32>(p, 8);
  if (level + 1 < load<i32>(p, 12)) {
    for (let i = 0; i < n; i++) {
      copyLevel(p, level + 1, from, to, runs);
      from += inStride;
      to += outStride;
    }
    return;
  }
  if (runs && inStride == <usize>elementBytes && outStride == <usize>elementBytes) {
    memory.copy(to, from, <usize>(n * elementBytes));
    return;
  }
  for (let i = 0; i < n; i++) {
    if (elementBytes == 1) store<u8>(to, load<u8>(from));
    else if (elementBytes == 2) store<u16>(to, load<u16>(from));
    else if (elementBytes == 4) store<u32>(to, load<u32>(from));
    else store<u64>(to, load<u64>(from));
    from += inStride;
    to += outStride;
  }
}

export function strided_copy(paramsPtr: usize): void {
  const p = changetype<StridedCopyParams>(paramsPtr);
  copyLevel(paramsPtr, 0, <usize>p.input, <usize>p.output, true);
}

export function strided_copy_ref(paramsPtr: usize): void {
  const p = changetype<StridedCopyParams>(paramsPtr);
  copyLevel(paramsPtr, 0, <usize>p.input, <usize>p.output, false);
}
