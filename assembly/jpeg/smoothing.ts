// Progressive block smoothing, as libjpeg-turbo 2.1.5's jdcoefct.c decompress_smooth_data does it
// (djpeg's default for progressive files whose low-frequency coefficients are not fully known).
//
// jpeg_smooth_row(prevPrev, prev, cur, next, nextNext, blocks, quant, coefBits, out)
//   prevPrev..nextNext: five block rows (64 × i16 natural order per block, 128 bytes apart) of one
//     component: the row being smoothed (cur) and the rows libjpeg uses as its neighbours two and
//     one above and below (the host passes the same row twice where libjpeg clamps);
//   blocks: the component's width_in_blocks (blocks 0..blocks-1 are smoothed);
//   quant: i32[64] natural order, the component's latched quantization table;
//   coefBits: i32[10], libjpeg's latched coef_bits of coefficients 0..9 (current or previous scan);
//   out: `blocks` blocks: copies of cur's blocks where each of the first 9 AC coefficients (and, when
//     no AC data is known at all, the DC) that is still 0 and not fully refined gets libjpeg's
//     estimate from the DC values of the 5×5 neighbourhood.
// Columns slide through five registers exactly as libjpeg's DC01..DC25 do (this matters for rows
// of two blocks, where libjpeg's right-hand neighbours are not simply clamped).

const BLOCK_BYTES: usize = 128;

/** DC of block `column` of the row at `row`. */
@inline
function dcAt(row: usize, column: i32): i32 {
  return i32(load<i16>(row + usize(column) * BLOCK_BYTES));
}

/**
 * libjpeg's estimate of a coefficient with quantizer q from num = Q00 × (weighted DC sum), kept
 * below 1 << al when the coefficient's low bits are still unknown (al > 0).
 */
@inline
function estimate(num: i64, q: i64, al: i32): i32 {
  let pred: i32;
  if (num >= 0) {
    pred = i32(((q << 7) + num) / (q << 8));
    if (al > 0 && pred >= 1 << al) pred = (1 << al) - 1;
  } else {
    pred = i32(((q << 7) - num) / (q << 8));
    if (al > 0 && pred >= 1 << al) pred = (1 << al) - 1;
    pred = -pred;
  }
  return pred;
}

/** Replaces coefficient `pos` of the block at `block` by its estimate if it is 0 and `al` != 0. */
@inline
function refine(block: usize, pos: usize, al: i32, weighted: i32, q00: i64, q: i64): void {
  const at = block + (pos << 1);
  if (al != 0 && load<i16>(at) == 0) store<i16>(at, i16(estimate(q00 * i64(weighted), q, al)));
}

export function jpeg_smooth_row(
  prevPrev: usize,
  prev: usize,
  cur: usize,
  next: usize,
  nextNext: usize,
  blocks: i32,
  quant: usize,
  coefBits: usize,
  out: usize,
): void {
  const q00 = i64(load<i32>(quant));
  const q01 = i64(load<i32>(quant + 4 * 1));
  const q10 = i64(load<i32>(quant + 4 * 8));
  const q20 = i64(load<i32>(quant + 4 * 16));
  const q11 = i64(load<i32>(quant + 4 * 9));
  const q02 = i64(load<i32>(quant + 4 * 2));
  const q03 = i64(load<i32>(quant + 4 * 3));
  const q12 = i64(load<i32>(quant + 4 * 10));
  const q21 = i64(load<i32>(quant + 4 * 17));
  const q30 = i64(load<i32>(quant + 4 * 24));
  // The host only smooths when these are nonzero (jdcoefct.c smoothing_ok); never divide by 0.
  const usable = q00 > 0 && q01 > 0 && q10 > 0 && q20 > 0 && q11 > 0 && q02 > 0 && q03 > 0 && q12 > 0 && q21 > 0 && q30 > 0;
  const bits1 = load<i32>(coefBits + 4 * 1);
  const bits2 = load<i32>(coefBits + 4 * 2);
  const bits3 = load<i32>(coefBits + 4 * 3);
  const bits4 = load<i32>(coefBits + 4 * 4);
  const bits5 = load<i32>(coefBits + 4 * 5);
  const bits6 = load<i32>(coefBits + 4 * 6);
  const bits7 = load<i32>(coefBits + 4 * 7);
  const bits8 = load<i32>(coefBits + 4 * 8);
  const bits9 = load<i32>(coefBits + 4 * 9);
  // DC interpolation only when no AC coefficient data is known at all
  const changeDc =
    bits1 == -1 && bits2 == -1 && bits3 == -1 && bits4 == -1 && bits5 == -1 && bits6 == -1 && bits7 == -1 && bits8 == -1 && bits9 == -1;
  const lastColumn = blocks - 1;
  // columns of the five register positions (libjpeg initialises all of them to column 0)
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  let c4 = 0;
  let c5 = 0;
  for (let n = 0; n < blocks; n++) {
    const block = out + usize(n) * BLOCK_BYTES;
    memory.copy(block, cur + usize(n) * BLOCK_BYTES, BLOCK_BYTES);
    if (n == 0 && n < lastColumn) c4 = 1;
    if (n + 1 < lastColumn) c5 = n + 2;
    if (usable) {
      // d[row][position]: DC01..DC05 from prevPrev, ..., DC21..DC25 from nextNext
      const d01 = dcAt(prevPrev, c1), d02 = dcAt(prevPrev, c2), d03 = dcAt(prevPrev, c3), d04 = dcAt(prevPrev, c4), d05 = dcAt(prevPrev, c5);
      const d06 = dcAt(prev, c1), d07 = dcAt(prev, c2), d08 = dcAt(prev, c3), d09 = dcAt(prev, c4), d10 = dcAt(prev, c5);
      const d11 = dcAt(cur, c1), d12 = dcAt(cur, c2), d13 = dcAt(cur, c3), d14 = dcAt(cur, c4), d15 = dcAt(cur, c5);
      const d16 = dcAt(next, c1), d17 = dcAt(next, c2), d18 = dcAt(next, c3), d19 = dcAt(next, c4), d20 = dcAt(next, c5);
      const d21 = dcAt(nextNext, c1), d22 = dcAt(nextNext, c2), d23 = dcAt(nextNext, c3), d24 = dcAt(nextNext, c4), d25 = dcAt(nextNext, c5);
      if (changeDc) {
        // Gaussian-like kernel that keeps the DC averages
        refine(block, 1, bits1,
          -d01 - d02 + d04 + d05 - 3 * d06 + 13 * d07 - 13 * d09 + 3 * d10 - 3 * d11 + 38 * d12 - 38 * d14 + 3 * d15 -
          3 * d16 + 13 * d17 - 13 * d19 + 3 * d20 - d21 - d22 + d24 + d25, q00, q01);
        refine(block, 8, bits2,
          -d01 - 3 * d02 - 3 * d03 - 3 * d04 - d05 - d06 + 13 * d07 + 38 * d08 + 13 * d09 - d10 + d16 - 13 * d17 -
          38 * d18 - 13 * d19 + d20 + d21 + 3 * d22 + 3 * d23 + 3 * d24 + d25, q00, q10);
        refine(block, 16, bits3,
          d03 + 2 * d07 + 7 * d08 + 2 * d09 - 5 * d12 - 14 * d13 - 5 * d14 + 2 * d17 + 7 * d18 + 2 * d19 + d23, q00, q20);
        refine(block, 9, bits4, -d01 + d05 + 9 * d07 - 9 * d09 - 9 * d17 + 9 * d19 + d21 - d25, q00, q11);
        refine(block, 2, bits5,
          2 * d07 - 5 * d08 + 2 * d09 + d11 + 7 * d12 - 14 * d13 + 7 * d14 + d15 + 2 * d17 - 5 * d18 + 2 * d19, q00, q02);
        refine(block, 3, bits6, d07 - d09 + 2 * d12 - 2 * d14 + d17 - d19, q00, q03);
        refine(block, 10, bits7, d07 - 3 * d08 + d09 - d17 + 3 * d18 - d19, q00, q12);
        refine(block, 17, bits8, d07 - d09 - 3 * d12 + 3 * d14 + d17 - d19, q00, q21);
        refine(block, 24, bits9, d07 + 2 * d08 + d09 - d17 - 2 * d18 - d19, q00, q30);
        // the DC itself (its coef_bits is known to be >= 0, so no clamp)
        const dc =
          -2 * d01 - 6 * d02 - 8 * d03 - 6 * d04 - 2 * d05 - 6 * d06 + 6 * d07 + 42 * d08 + 6 * d09 - 6 * d10 -
          8 * d11 + 42 * d12 + 152 * d13 + 42 * d14 - 8 * d15 - 6 * d16 + 6 * d17 + 42 * d18 + 6 * d19 - 6 * d20 -
          2 * d21 - 6 * d22 - 8 * d23 - 6 * d24 - 2 * d25;
        store<i16>(block, i16(estimate(q00 * i64(dc), q00, 0)));
      } else {
        // JPEG standard K.8 on a 5×5 window
        refine(block, 1, bits1, -7 * d11 + 50 * d12 - 50 * d14 + 7 * d15, q00, q01);
        refine(block, 8, bits2, -7 * d03 + 50 * d08 - 50 * d18 + 7 * d23, q00, q10);
        refine(block, 16, bits3, -d03 + 13 * d08 - 24 * d13 + 13 * d18 - d23, q00, q20);
        refine(block, 9, bits4,
          d10 + d16 - 10 * d17 + 10 * d19 - d02 - d20 + d22 - d24 + d04 - d06 + 10 * d07 - 10 * d09, q00, q11);
        refine(block, 2, bits5, -d11 + 13 * d12 - 24 * d13 + 13 * d14 - d15, q00, q02);
      }
    }
    c1 = c2;
    c2 = c3;
    c3 = c4;
    c4 = c5;
  }
}
