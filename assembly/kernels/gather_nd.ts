// GATHER_ND: indices (count, depth) → out (count, slice): slice k starts in `input` at
// Σ_d index[k][d] · stride_d, with `table` holding (size_d, strideBytes_d) int32 pairs per d.
import { copySlice, indexAt } from "./gather";

@unmanaged
export class GatherNdParams {
  input: i32; indices: i32; output: i32; count: i32; depth: i32; sliceBytes: i32; indexBytes: i32; table: i32;
}

export function gather_nd(paramsPtr: usize): void {
  const p = changetype<GatherNdParams>(paramsPtr);
  const depth = p.depth, sliceBytes = p.sliceBytes, table = <usize>p.table;
  let to = <usize>p.output;
  for (let k = 0; k < p.count; k++) {
    let offset: usize = 0;
    let valid = true;
    for (let d = 0; d < depth; d++) {
      const index = indexAt(<usize>p.indices, p.indexBytes, k * depth + d);
      valid = valid && index >= 0 && index < load<i32>(table + (<usize>d << 3));
      offset += <usize>index * <usize>load<i32>(table + (<usize>d << 3), 4);
    }
    copySlice(to, <usize>p.input + offset, sliceBytes, valid);
    to += <usize>sliceBytes;
  }
}
