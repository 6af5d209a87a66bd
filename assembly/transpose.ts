// A 4×4 transpose of int32 lanes, shared by the kernels that lay out int16 pairs (two per lane).

/**
 * Rows a, b, c, d of four int32 lanes each → their four columns (lane i of a, b, c, d) stored at
 * dst + i·stride.
 */
// @ts-ignore: decorator
@inline
export function storeTransposed(dst: usize, stride: usize, a: v128, b: v128, c: v128, d: v128): void {
  const ab0 = i32x4.shuffle(a, b, 0, 4, 1, 5);
  const ab1 = i32x4.shuffle(a, b, 2, 6, 3, 7);
  const cd0 = i32x4.shuffle(c, d, 0, 4, 1, 5);
  const cd1 = i32x4.shuffle(c, d, 2, 6, 3, 7);
  v128.store(dst, i32x4.shuffle(ab0, cd0, 0, 1, 4, 5));
  v128.store(dst + stride, i32x4.shuffle(ab0, cd0, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, i32x4.shuffle(ab1, cd1, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, i32x4.shuffle(ab1, cd1, 2, 3, 6, 7));
}
