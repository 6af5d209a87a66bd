// GATHER and GATHER_ND: copies of slices of `input` picked by int32 or int64 indices
// (indexBytes 4 or 8). An index out of range gives a slice of zero bytes (TFLite fails the
// inference instead).

/** Index k of the indices at `indices`, or -1 when an int64 index does not fit in int32. */
// @ts-ignore: decorator
@inline
export function indexAt(indices: usize, indexBytes: i32, k: i32): i32 {
  if (indexBytes == 4) return load<i32>(indices + (<usize>k << 2));
  const value = load<i64>(indices + (<usize>k << 3));
  return value == <i64><i32>value ? <i32>value : -1;
}

/** Copies `bytes` from `from`, or writes zeros when `valid` is false. */
// @ts-ignore: decorator
@inline
export function copySlice(to: usize, from: usize, bytes: i32, valid: bool): void {
  if (valid) memory.copy(to, from, <usize>bytes);
  else memory.fill(to, 0, <usize>bytes);
}

// GATHER: in (batches, outer, axisSize, inner) and indices (batches, coords) →
// out (batches, outer, coords, inner); innerBytes = inner × the element's bytes.
@unmanaged
export class GatherParams {
  input: i32; indices: i32; output: i32; batches: i32; outer: i32; axisSize: i32; coords: i32; innerBytes: i32; indexBytes: i32;
}

export function gather(paramsPtr: usize): void {
  const p = changetype<GatherParams>(paramsPtr);
  const innerBytes = p.innerBytes, axisSize = p.axisSize, coords = p.coords;
  let to = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    for (let o = 0; o < p.outer; o++) {
      const block = <usize>p.input + <usize>(b * p.outer + o) * <usize>axisSize * <usize>innerBytes;
      for (let i = 0; i < coords; i++) {
        const index = indexAt(<usize>p.indices, p.indexBytes, b * coords + i);
        copySlice(to, block + <usize>index * <usize>innerBytes, innerBytes, index >= 0 && index < axisSize);
        to += <usize>innerBytes;
      }
    }
  }
}
