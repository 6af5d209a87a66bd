// CAST between int8, uint8 (stored as int8 = uint8 - 128), bool (bytes 0 / 1), int32, int64 and
// float32, as C++'s static_cast on x86: integers wrap to narrower types, float → integer
// truncates (a value out of the int32 range, or NaN, gives INT32_MIN, and INT64_MIN for int64),
// anything → bool is (value != 0).
// in: (count) of type `from`   out: (count) of type `to`   (types: js/ops/cast.ts CAST_TYPES)

@unmanaged
export class CastParams {
  input: i32; output: i32; count: i32; from: i32; to: i32;
}

const INT8 = 0;
const UINT8 = 1;
const BOOL = 2;
const INT32 = 3;
const INT64 = 4;
const FLOAT32 = 5;

/** cvttss2si: truncation, or the smallest value of the width when out of range or NaN. */
// @ts-ignore: decorator
@inline
function truncate(x: f32, wide: bool): i64 {
  const limit: f32 = wide ? 9.22337204e18 : 2147483648;
  if (x > -limit && x < limit) return <i64>x;
  return wide ? i64.MIN_VALUE : <i64>i32.MIN_VALUE;
}

export function cast(paramsPtr: usize): void {
  const p = changetype<CastParams>(paramsPtr);
  const from = p.from, to = p.to;
  const inputBytes = from == INT32 || from == FLOAT32 ? 4 : from == INT64 ? 8 : 1;
  const outputBytes = to == INT32 || to == FLOAT32 ? 4 : to == INT64 ? 8 : 1;
  for (let i = 0; i < p.count; i++) {
    const source = <usize>p.input + <usize>(i * inputBytes);
    const target = <usize>p.output + <usize>(i * outputBytes);
    let value: i64 = 0;
    let real: f32 = 0;
    if (from == INT8) value = <i64>load<i8>(source);
    else if (from == UINT8) value = <i64>load<i8>(source) + 128;
    else if (from == BOOL) value = load<u8>(source) != 0 ? 1 : 0;
    else if (from == INT32) value = <i64>load<i32>(source);
    else if (from == INT64) value = load<i64>(source);
    else real = load<f32>(source);
    if (to == FLOAT32) {
      store<f32>(target, from == FLOAT32 ? real : <f32>value);
      continue;
    }
    if (from == FLOAT32) value = to == BOOL ? <i64>(real != 0) : truncate(real, to == INT64);
    if (to == INT8) store<i8>(target, <i8>value);
    else if (to == UINT8) store<u8>(target, <u8>value ^ 0x80);
    else if (to == BOOL) store<u8>(target, value != 0 ? 1 : 0);
    else if (to == INT32) store<i32>(target, <i32>value);
    else store<i64>(target, value);
  }
}
