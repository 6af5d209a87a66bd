// ARG_MAX / ARG_MIN along one axis.
// in: (outer, axisSize, inner) of int8 (type 0), float32 (1) or int32 (2)
// out: (outer, inner) of int32 (outputBytes 4) or int64 (8): the index of the largest (smallest)
// value; ties go to the first index, as TFLite's reference compares with std::greater (less).

@unmanaged
export class ArgMinMaxParams {
  input: i32; output: i32; outer: i32; axisSize: i32; inner: i32; type: i32; isMax: i32; outputBytes: i32;
}

// @ts-ignore: decorator
@inline
function valueAt(type: i32, input: usize, i: i32): f64 {
  if (type == 0) return <f64>load<i8>(input + <usize>i);
  if (type == 1) return <f64>load<f32>(input + (<usize>i << 2));
  return <f64>load<i32>(input + (<usize>i << 2));
}

export function arg_min_max(paramsPtr: usize): void {
  const p = changetype<ArgMinMaxParams>(paramsPtr);
  const inner = p.inner, axisSize = p.axisSize, type = p.type, isMax = p.isMax != 0;
  const input = <usize>p.input, output = <usize>p.output;
  for (let o = 0; o < p.outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * axisSize * inner + j;
      let best = valueAt(type, input, base);
      let bestIndex = 0;
      for (let i = 1; i < axisSize; i++) {
        const v = valueAt(type, input, base + i * inner);
        if (isMax ? v > best : v < best) {
          best = v;
          bestIndex = i;
        }
      }
      const at = o * inner + j;
      if (p.outputBytes == 8) store<i64>(output + (<usize>at << 3), <i64>bestIndex);
      else store<i32>(output + (<usize>at << 2), bestIndex);
    }
  }
}
