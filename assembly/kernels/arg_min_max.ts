// ARG_MAX / ARG_MIN along one axis.
// in: (outer, axisSize, inner) of int8 (type 0), float32 (1) or int32 (2)
// out: (outer, inner) of int32 (outputBytes 4) or int64 (8): the index of the largest (smallest)
// value; ties go to the first index, as TFLite's reference compares with std::greater (less).

@unmanaged
export class ArgMinMaxParams {
  input: i32; output: i32; outer: i32; axisSize: i32; inner: i32; type: i32; isMax: i32; outputBytes: i32;
}

/** The loops for values of type T (one instance per input type). */
function argMinMaxOf<T>(p: ArgMinMaxParams): void {
  const inner = p.inner, axisSize = p.axisSize, isMax = p.isMax != 0, wide = p.outputBytes == 8;
  const step = <usize>inner * sizeof<T>();
  for (let o = 0; o < p.outer; o++) {
    for (let j = 0; j < inner; j++) {
      let at = <usize>p.input + <usize>(o * axisSize * inner + j) * sizeof<T>();
      let best = load<T>(at);
      let bestIndex = 0;
      for (let i = 1; i < axisSize; i++) {
        at += step;
        const v = load<T>(at);
        if (isMax ? v > best : v < best) {
          best = v;
          bestIndex = i;
        }
      }
      const k = <usize>(o * inner + j);
      if (wide) store<i64>(<usize>p.output + (k << 3), <i64>bestIndex);
      else store<i32>(<usize>p.output + (k << 2), bestIndex);
    }
  }
}

export function arg_min_max(paramsPtr: usize): void {
  const p = changetype<ArgMinMaxParams>(paramsPtr);
  if (p.type == 0) argMinMaxOf<i8>(p);
  else if (p.type == 1) argMinMaxOf<f32>(p);
  else argMinMaxOf<i32>(p);
}
