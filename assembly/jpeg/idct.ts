// JPEG inverse DCT: libjpeg-turbo 2.1.5's ISLOW family exactly as the x86-64 djpeg runs it.
// coef: `blocks` blocks of 64 i16 in natural order, NOT dequantized, 128 bytes apart
// quant: 64 i32 (quantval, natural order); the multiplier is its low 16 bits as a signed i16,
//   as jddctmgr.c stores it in ISLOW_MULT_TYPE (short in the SIMD build)
// out: u8; block i writes size×size samples at out + i*size + row*outStride
// size ∈ {1,2,3,4,5,6,7,8,10,12,14}; any other size writes nothing.
//
// Which code djpeg runs per size, and so what this file computes (only differs on corrupt data):
// - 8: jsimd_idct_islow_avx2 (this machine has AVX2). Products coef·multiplier keep their low 16
//   bits (pmullw); when rows 1..7 of the coefficients are all zero, pass 1 is skipped and every
//   row is the dequantized row 0 shifted left by 2 in 16 bits; otherwise in0±in4, in7+in3 and
//   in5+in1 wrap in 16 bits, the rest is exact in 32 bits, each pass rounds, shifts (11, then 18)
//   and saturates to i16; output clamp(x + 128, 0, 255).
// - 4, 2: jsimd_idct_4x4_sse2 / jsimd_idct_2x2_sse2: 16-bit products as above, 32-bit sums that
//   wrap; 4×4 skips pass 1 as islow does when rows 1,2,3,5,6,7 are zero (row 4 is not looked at)
//   and saturates pass 1 to i16; 2×2 has no shortcut and keeps its pass-1 column 0 in 32 bits
//   (shifted left 15 with wrap in pass 2) while columns 1,3,5,7 saturate to i16.
//   Output clamp(x + 128, 0, 255).
// - 1 (jidctred.c) and 3,5,6,7,10,12,14 (jidctint.c): C with 64-bit JLONG: exact products, pass-1
//   results truncated to int, output range_limit[x & 1023] of jdmaster.c's table: clamp(x + 128,
//   0, 255) for x + 128 in [-384, 639], repeating with period 1024 (x + 128 = 640 gives 0, -385 gives 255).
// Sizes 3,5,6,7: pass 1 reads the top-left size×size coefficients and keeps size columns;
// 10,12,14: pass 1 reads all 64 and keeps 8 columns of size rows.
//
// jpeg_idct_ref is scalar code that follows those semantics step by step; jpeg_idct runs v128
// kernels for 8, 4 and 2 (about 31, 11 and 5 ns a block in Node 20, against 235, 125 and 63) and
// the scalar code for the others. Both use a 960-byte static scratch
// area (not reentrant across threads that share one memory; the decoder has its own instance).

const CONST_BITS = 13;
const PASS1_BITS = 2;

// jidctint.c (islow and the scaled sizes)
const FIX_0_077722536 = 637;
const FIX_0_158341681 = 1297;
const FIX_0_170262339 = 1395;
const FIX_0_221231742 = 1812;
const FIX_0_261052384 = 2139;
const FIX_0_273079590 = 2237;
const FIX_0_280143716 = 2295;
const FIX_0_298631336 = 2446;
const FIX_0_309016994 = 2531;
const FIX_0_314692123 = 2578;
const FIX_0_353553391 = 2896;
const FIX_0_366025404 = 2998;
const FIX_0_390180644 = 3196;
const FIX_0_424103948 = 3474;
const FIX_0_437016024 = 3580;
const FIX_0_467085129 = 3826;
const FIX_0_513743148 = 4209;
const FIX_0_541196100 = 4433;
const FIX_0_587785252 = 4815;
const FIX_0_613604268 = 5027;
const FIX_0_642039522 = 5260;
const FIX_0_674957567 = 5529;
const FIX_0_676326758 = 5540;
const FIX_0_707106781 = 5793;
const FIX_0_752406978 = 6164;
const FIX_0_765366865 = 6270;
const FIX_0_790569415 = 6476;
const FIX_0_831253876 = 6810;
const FIX_0_860918669 = 7053;
const FIX_0_881747734 = 7223;
const FIX_0_899976223 = 7373;
const FIX_0_935414347 = 7663;
const FIX_0_951056516 = 7791;
const FIX_1_045510580 = 8565;
const FIX_1_061150426 = 8693;
const FIX_1_105676686 = 9058;
const FIX_1_126980169 = 9232;
const FIX_1_144122806 = 9373;
const FIX_1_175875602 = 9633;
const FIX_1_197448846 = 9810;
const FIX_1_224744871 = 10033;
const FIX_1_260073511 = 10323;
const FIX_1_274162392 = 10438;
const FIX_1_306562965 = 10703;
const FIX_1_334852607 = 10935;
const FIX_1_366025404 = 11190;
const FIX_1_378756276 = 11295;
const FIX_1_396802247 = 11443;
const FIX_1_405321284 = 11512;
const FIX_1_414213562 = 11585;
const FIX_1_478575242 = 12112;
const FIX_1_501321110 = 12299;
const FIX_1_586706681 = 12998;
const FIX_1_690643133 = 13850;
const FIX_1_719280954 = 14084;
const FIX_1_841218003 = 15083;
const FIX_1_847759065 = 15137;
const FIX_1_870828693 = 15326;
const FIX_1_961570560 = 16069;
const FIX_1_982889723 = 16244;
const FIX_2_053119869 = 16819;
const FIX_2_176250899 = 17828;
const FIX_2_373959773 = 19447;
const FIX_2_470602249 = 20239;
const FIX_2_562915447 = 20995;
const FIX_3_072711026 = 25172;
// jidctred.c (4×4, 2×2)
const FIX_0_211164243 = 1730;
const FIX_0_509795579 = 4176;
const FIX_0_601344887 = 4926;
const FIX_0_720959822 = 5906;
const FIX_0_850430095 = 6967;
const FIX_1_061594337 = 8697;
const FIX_1_272758580 = 10426;
const FIX_1_451774981 = 11893;
const FIX_2_172734803 = 17799;
const FIX_3_624509785 = 29692;

const BLOCK_BYTES: usize = 128;
const SCRATCH = memory.data(960, 16);
const DEQUANTIZED = SCRATCH; //          64 i32: one block dequantized (16-bit products for 8, 4, 2)
const WORKSPACE = SCRATCH + 256; //      8 × 14 i32: pass-1 results
const MULTIPLIERS = SCRATCH + 704; //    64 i16: the quant table's multipliers (v128 kernels)
const PASS1_COLUMNS = SCRATCH + 832; //  8 × i16x8: pass-1 results by column, lane = row (v128 8×8)

export function jpeg_idct_ref(coef: usize, quant: usize, blocks: i32, out: usize, outStride: i32, size: i32): void {
  const stride = <usize>outStride;
  for (let i = 0; i < blocks; i++) {
    const block = coef + <usize>i * BLOCK_BYTES;
    const dst = out + <usize>(i * size);
    switch (size) {
      case 1: idct1x1(block, quant, dst); break;
      case 2: idct2x2(block, quant, dst, stride); break;
      case 4: idct4x4(block, quant, dst, stride); break;
      case 8: idct8x8(block, quant, dst, stride); break;
      case 3: case 5: case 6: case 7: case 10: case 12: case 14: scaledIdct(block, quant, dst, stride, size); break;
      default: return;
    }
  }
}

export function jpeg_idct(coef: usize, quant: usize, blocks: i32, out: usize, outStride: i32, size: i32): void {
  if (size != 8 && size != 4 && size != 2) {
    jpeg_idct_ref(coef, quant, blocks, out, outStride, size);
    return;
  }
  storeMultipliers(quant);
  const stride = <usize>outStride;
  for (let i = 0; i < blocks; i++) {
    const block = coef + <usize>i * BLOCK_BYTES;
    const dst = out + <usize>(i * size);
    if (size == 8) idct8x8V(block, dst, stride);
    else if (size == 4) idct4x4V(block, dst, stride);
    else idct2x2V(block, dst, stride);
  }
}

// ---- shared scalar helpers -------------------------------------------------------------------

/** Coefficient `index` times its multiplier, low 16 bits (pmullw). */
// @ts-ignore: decorator
@inline
function dequantize16(coef: usize, quant: usize, index: i32): i32 {
  return <i32><i16>(<i32>load<i16>(coef + (<usize>index << 1)) * <i32><i16>load<i32>(quant + (<usize>index << 2)));
}

/** Dequantizes a whole block with the 16-bit products, into DEQUANTIZED. */
function storeDequantized16(coef: usize, quant: usize): void {
  for (let i = 0; i < 64; i++) store<i32>(DEQUANTIZED + (<usize>i << 2), dequantize16(coef, quant, i));
}

/** True when every coefficient of the given rows (bit r of `rows` = row r) is zero. */
function rowsZero(coef: usize, rows: i32): bool {
  for (let r = 0; r < 8; r++) {
    if (((rows >> r) & 1) == 0) continue;
    for (let c = 0; c < 8; c++) if (load<i16>(coef + <usize>((r * 8 + c) << 1)) != 0) return false;
  }
  return true;
}

// @ts-ignore: decorator
@inline
function saturate16(x: i32): i32 {
  return min(max(x, -32768), 32767);
}

/** packssdw, packsswb, + CENTERJSAMPLE. */
// @ts-ignore: decorator
@inline
function clampSample(x: i32): u8 {
  return <u8>(min(max(x, -128), 127) + 128);
}

/** range_limit[x & RANGE_MASK] of jdmaster.c's table. */
// @ts-ignore: decorator
@inline
function rangeLimit(x: i32): u8 {
  const t = (x + 128) & 1023;
  return <u8>(t < 256 ? t : t < 640 ? 255 : 0);
}

// ---- 1×1 (jidctred.c) --------------------------------------------------------------------------

function idct1x1(coef: usize, quant: usize, out: usize): void {
  const dc = <i32>load<i16>(coef) * <i32><i16>load<i32>(quant);
  store<u8>(out, rangeLimit((dc + 4) >> 3));
}

// ---- 8×8 (jsimd_idct_islow_avx2) ---------------------------------------------------------------

/**
 * One 1-D islow transform of eight i16 values (i32 at src, srcStep bytes apart). Row pass
 * (descale 18): samples to dst (u8, consecutive); column pass (descale 11): i16 values to dst
 * (i32, dstStep bytes apart).
 */
function islow1d(src: usize, srcStep: usize, dst: usize, dstStep: usize, rowPass: bool): void {
  const in0 = load<i32>(src), in1 = load<i32>(src + srcStep), in2 = load<i32>(src + 2 * srcStep);
  const in3 = load<i32>(src + 3 * srcStep), in4 = load<i32>(src + 4 * srcStep), in5 = load<i32>(src + 5 * srcStep);
  const in6 = load<i32>(src + 6 * srcStep), in7 = load<i32>(src + 7 * srcStep);
  // even part
  const tmp3 = in2 * (FIX_0_541196100 + FIX_0_765366865) + in6 * FIX_0_541196100;
  const tmp2 = in2 * FIX_0_541196100 + in6 * (FIX_0_541196100 - FIX_1_847759065);
  const shift = rowPass ? CONST_BITS + PASS1_BITS + 3 : CONST_BITS - PASS1_BITS;
  const tmp0 = (<i32><i16>(in0 + in4) << CONST_BITS) + (1 << (shift - 1));
  const tmp1 = (<i32><i16>(in0 - in4) << CONST_BITS) + (1 << (shift - 1));
  const tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
  // odd part
  const z3 = <i32><i16>(in7 + in3), z4 = <i32><i16>(in5 + in1);
  const z3x = z3 * (FIX_1_175875602 - FIX_1_961570560) + z4 * FIX_1_175875602;
  const z4x = z3 * FIX_1_175875602 + z4 * (FIX_1_175875602 - FIX_0_390180644);
  const odd0 = in7 * (FIX_0_298631336 - FIX_0_899976223) - in1 * FIX_0_899976223 + z3x;
  const odd1 = in5 * (FIX_2_053119869 - FIX_2_562915447) - in3 * FIX_2_562915447 + z4x;
  const odd2 = in3 * (FIX_3_072711026 - FIX_2_562915447) - in5 * FIX_2_562915447 + z3x;
  const odd3 = in1 * (FIX_1_501321110 - FIX_0_899976223) - in7 * FIX_0_899976223 + z4x;
  islowOut(dst, dstStep, 0, (tmp10 + odd3) >> shift, rowPass);
  islowOut(dst, dstStep, 7, (tmp10 - odd3) >> shift, rowPass);
  islowOut(dst, dstStep, 1, (tmp11 + odd2) >> shift, rowPass);
  islowOut(dst, dstStep, 6, (tmp11 - odd2) >> shift, rowPass);
  islowOut(dst, dstStep, 2, (tmp12 + odd1) >> shift, rowPass);
  islowOut(dst, dstStep, 5, (tmp12 - odd1) >> shift, rowPass);
  islowOut(dst, dstStep, 3, (tmp13 + odd0) >> shift, rowPass);
  islowOut(dst, dstStep, 4, (tmp13 - odd0) >> shift, rowPass);
}

// @ts-ignore: decorator
@inline
function islowOut(dst: usize, dstStep: usize, k: i32, x: i32, rowPass: bool): void {
  if (rowPass) store<u8>(dst + <usize>k, clampSample(x));
  else store<i32>(dst + <usize>k * dstStep, saturate16(x));
}

/**
 * Pass 1 of the SIMD islow and 4×4 when the AC rows they read are all zero: each column's
 * dequantized DC shifted left by PASS1_BITS in 16 bits (wrapping), down `rows` workspace rows.
 */
function dcOnlyPass1(rows: i32): void {
  for (let c = 0; c < 8; c++) {
    const dc = <i32><i16>(load<i32>(DEQUANTIZED + (<usize>c << 2)) << PASS1_BITS);
    for (let r = 0; r < rows; r++) store<i32>(WORKSPACE + <usize>((r * 8 + c) << 2), dc);
  }
}

function idct8x8(coef: usize, quant: usize, out: usize, outStride: usize): void {
  storeDequantized16(coef, quant);
  if (rowsZero(coef, 0xfe)) {
    dcOnlyPass1(8);
  } else {
    for (let c = 0; c < 8; c++) islow1d(DEQUANTIZED + (<usize>c << 2), 32, WORKSPACE + (<usize>c << 2), 32, false);
  }
  for (let r = 0; r < 8; r++) islow1d(WORKSPACE + (<usize>r << 5), 4, out + <usize>r * outStride, 0, true);
}

// ---- 4×4 (jsimd_idct_4x4_sse2) -----------------------------------------------------------------

/** One 1-D 4-point transform of in0..in7 but in4 (i32 at src, srcStep apart); outputs as islow1d. */
function reduced4(src: usize, srcStep: usize, dst: usize, dstStep: usize, rowPass: bool): void {
  const in0 = load<i32>(src), in1 = load<i32>(src + srcStep), in2 = load<i32>(src + 2 * srcStep);
  const in3 = load<i32>(src + 3 * srcStep), in5 = load<i32>(src + 5 * srcStep);
  const in6 = load<i32>(src + 6 * srcStep), in7 = load<i32>(src + 7 * srcStep);
  const shift = rowPass ? CONST_BITS + PASS1_BITS + 3 + 1 : CONST_BITS - PASS1_BITS + 1;
  const tmp0 = (in0 << (CONST_BITS + 1)) + (1 << (shift - 1));
  const tmp2 = in2 * FIX_1_847759065 - in6 * FIX_0_765366865;
  const tmp10 = tmp0 + tmp2, tmp12 = tmp0 - tmp2;
  const odd0 = in1 * FIX_1_061594337 - in3 * FIX_2_172734803 + in5 * FIX_1_451774981 - in7 * FIX_0_211164243;
  const odd2 = in1 * FIX_2_562915447 + in3 * FIX_0_899976223 - in5 * FIX_0_601344887 - in7 * FIX_0_509795579;
  islowOut(dst, dstStep, 0, (tmp10 + odd2) >> shift, rowPass);
  islowOut(dst, dstStep, 3, (tmp10 - odd2) >> shift, rowPass);
  islowOut(dst, dstStep, 1, (tmp12 + odd0) >> shift, rowPass);
  islowOut(dst, dstStep, 2, (tmp12 - odd0) >> shift, rowPass);
}

function idct4x4(coef: usize, quant: usize, out: usize, outStride: usize): void {
  storeDequantized16(coef, quant);
  if (rowsZero(coef, 0xee)) {
    dcOnlyPass1(4);
  } else {
    for (let c = 0; c < 8; c++) reduced4(DEQUANTIZED + (<usize>c << 2), 32, WORKSPACE + (<usize>c << 2), 32, false);
  }
  for (let r = 0; r < 4; r++) reduced4(WORKSPACE + (<usize>r << 5), 4, out + <usize>r * outStride, 0, true);
}

// ---- 2×2 (jsimd_idct_2x2_sse2) -----------------------------------------------------------------

function idct2x2(coef: usize, quant: usize, out: usize, outStride: usize): void {
  storeDequantized16(coef, quant);
  // pass 1, columns 0,1,3,5,7: rows 0 (A) and 1 (B) of the workspace, unsaturated
  for (let c = 0; c < 8; c++) {
    if (c == 2 || c == 4 || c == 6) continue;
    const col = DEQUANTIZED + (<usize>c << 2);
    const tmp10 = (load<i32>(col) << (CONST_BITS + 2)) + (1 << (CONST_BITS - PASS1_BITS + 1));
    const tmp0 = load<i32>(col, 32) * FIX_3_624509785 - load<i32>(col, 96) * FIX_1_272758580 +
      load<i32>(col, 160) * FIX_0_850430095 - load<i32>(col, 224) * FIX_0_720959822;
    store<i32>(WORKSPACE + (<usize>c << 2), (tmp10 + tmp0) >> (CONST_BITS - PASS1_BITS + 2));
    store<i32>(WORKSPACE + (<usize>c << 2), (tmp10 - tmp0) >> (CONST_BITS - PASS1_BITS + 2), 32);
  }
  // pass 2: column 0 shifted in 32 bits, the odd columns saturated to i16
  for (let r = 0; r < 2; r++) {
    const row = WORKSPACE + (<usize>r << 5);
    const tmp10 = (load<i32>(row) << (CONST_BITS + 2)) + (1 << (CONST_BITS + PASS1_BITS + 3 + 1));
    const tmp0 = saturate16(load<i32>(row, 4)) * FIX_3_624509785 - saturate16(load<i32>(row, 12)) * FIX_1_272758580 +
      saturate16(load<i32>(row, 20)) * FIX_0_850430095 - saturate16(load<i32>(row, 28)) * FIX_0_720959822;
    const dst = out + <usize>r * outStride;
    store<u8>(dst, clampSample((tmp10 + tmp0) >> (CONST_BITS + PASS1_BITS + 3 + 2)));
    store<u8>(dst, clampSample((tmp10 - tmp0) >> (CONST_BITS + PASS1_BITS + 3 + 2)), 1);
  }
}

// ---- 3,5,6,7,10,12,14 (jidctint.c, 64-bit) -----------------------------------------------------
// Each size is one 1-D transform used by both passes. Column pass: inputs are the exact
// dequantized coefficients of one column (DEQUANTIZE: short × short fits an int), outputs
// (int)(x >> 11) to the workspace. Row pass:
// inputs one workspace row, outputs range_limit[(x >> 18) & 1023]. libjpeg-turbo adds the
// rounding fudge to the DC term (in both passes at the point used here) and, where a term is
// shifted left by PASS1_BITS instead of CONST_BITS in pass 1, the result is the same.

// @ts-ignore: decorator
@inline
function multiply(x: i64, k: i32): i64 {
  return x * <i64>k;
}

/** Input k of a 1-D transform: i32 values srcStep bytes apart. */
// @ts-ignore: decorator
@inline
function input(src: usize, srcStep: usize, k: i32): i64 {
  return <i64>load<i32>(src + <usize>k * srcStep);
}

/** The DC term: shifted to CONST_BITS, plus half of the pass's final descale. */
// @ts-ignore: decorator
@inline
function dcTerm(x: i64, rowPass: bool): i64 {
  return (x << CONST_BITS) + (rowPass ? 1 << (CONST_BITS + PASS1_BITS + 2) : 1 << (CONST_BITS - PASS1_BITS - 1));
}

// @ts-ignore: decorator
@inline
function output(dst: usize, dstStep: usize, k: i32, x: i64, rowPass: bool): void {
  if (rowPass) store<u8>(dst + <usize>k, rangeLimit(<i32>(x >> (CONST_BITS + PASS1_BITS + 3))));
  else store<i32>(dst + <usize>k * dstStep, <i32>(x >> (CONST_BITS - PASS1_BITS)));
}

/** Pass 1 over min(size, 8) columns into a workspace that wide, then pass 2 over `size` rows. */
function scaledIdct(coef: usize, quant: usize, out: usize, outStride: usize, size: i32): void {
  for (let i = 0; i < 64; i++) {
    const product = <i32>load<i16>(coef + (<usize>i << 1)) * <i32><i16>load<i32>(quant + (<usize>i << 2));
    store<i32>(DEQUANTIZED + (<usize>i << 2), product);
  }
  const columns = min(size, 8);
  const rowBytes = <usize>columns << 2;
  for (let c = 0; c < columns; c++) scaled1d(size, DEQUANTIZED + (<usize>c << 2), 32, WORKSPACE + (<usize>c << 2), rowBytes, false);
  for (let r = 0; r < size; r++) scaled1d(size, WORKSPACE + <usize>r * rowBytes, 4, out + <usize>r * outStride, 0, true);
}

function scaled1d(size: i32, src: usize, srcStep: usize, dst: usize, dstStep: usize, rowPass: bool): void {
  switch (size) {
    case 3: idct3(src, srcStep, dst, dstStep, rowPass); break;
    case 5: idct5(src, srcStep, dst, dstStep, rowPass); break;
    case 6: idct6(src, srcStep, dst, dstStep, rowPass); break;
    case 7: idct7(src, srcStep, dst, dstStep, rowPass); break;
    case 10: idct10(src, srcStep, dst, dstStep, rowPass); break;
    case 12: idct12(src, srcStep, dst, dstStep, rowPass); break;
    default: idct14(src, srcStep, dst, dstStep, rowPass);
  }
}

function idct3(src: usize, srcStep: usize, dst: usize, dstStep: usize, rowPass: bool): void {
  const tmp0 = dcTerm(input(src, srcStep, 0), rowPass);
  const tmp12 = multiply(input(src, srcStep, 2), FIX_0_707106781);
  const tmp10 = tmp0 + tmp12;
  const tmp2 = tmp0 - tmp12 - tmp12;
  const odd = multiply(input(src, srcStep, 1), FIX_1_224744871);
  output(dst, dstStep, 0, tmp10 + odd, rowPass);
  output(dst, dstStep, 2, tmp10 - odd, rowPass);
  output(dst, dstStep, 1, tmp2, rowPass);
}

function idct5(src: usize, srcStep: usize, dst: usize, dstStep: usize, rowPass: bool): void {
  let tmp12 = dcTerm(input(src, srcStep, 0), rowPass);
  const in2 = input(src, srcStep, 2), in4 = input(src, srcStep, 4);
  let z1 = multiply(in2 + in4, FIX_0_790569415);
  let z2 = multiply(in2 - in4, FIX_0_353553391);
  let z3 = tmp12 + z2;
  const tmp10 = z3 + z1, tmp11 = z3 - z1;
  tmp12 -= z2 << 2;
  z2 = input(src, srcStep, 1);
  z3 = input(src, srcStep, 3);
  z1 = multiply(z2 + z3, FIX_0_831253876);
  const odd0 = z1 + multiply(z2, FIX_0_513743148);
  const odd1 = z1 - multiply(z3, FIX_2_176250899);
  output(dst, dstStep, 0, tmp10 + odd0, rowPass);
  output(dst, dstStep, 4, tmp10 - odd0, rowPass);
  output(dst, dstStep, 1, tmp11 + odd1, rowPass);
  output(dst, dstStep, 3, tmp11 - odd1, rowPass);
  output(dst, dstStep, 2, tmp12, rowPass);
}

function idct6(src: usize, srcStep: usize, dst: usize, dstStep: usize, rowPass: bool): void {
  const dc = dcTerm(input(src, srcStep, 0), rowPass);
  const c4 = multiply(input(src, srcStep, 4), FIX_0_707106781);
  const sum = dc + c4;
  const tmp11 = dc - c4 - c4;
  const c2 = multiply(input(src, srcStep, 2), FIX_1_224744871);
  const tmp10 = sum + c2, tmp12 = sum - c2;
  const z1 = input(src, srcStep, 1), z2 = input(src, srcStep, 3), z3 = input(src, srcStep, 5);
  const c5 = multiply(z1 + z3, FIX_0_366025404);
  const odd0 = c5 + ((z1 + z2) << CONST_BITS);
  const odd2 = c5 + ((z3 - z2) << CONST_BITS);
  const odd1 = (z1 - z2 - z3) << CONST_BITS;
  output(dst, dstStep, 0, tmp10 + odd0, rowPass);
  output(dst, dstStep, 5, tmp10 - odd0, rowPass);
  output(dst, dstStep, 1, tmp11 + odd1, rowPass);
  output(dst, dstStep, 4, tmp11 - odd1, rowPass);
  output(dst, dstStep, 2, tmp12 + odd2, rowPass);
  output(dst, dstStep, 3, tmp12 - odd2, rowPass);
}

function idct7(src: usize, srcStep: usize, dst: usize, dstStep: usize, rowPass: bool): void {
  let tmp13 = dcTerm(input(src, srcStep, 0), rowPass);
  const z1 = input(src, srcStep, 2), z3 = input(src, srcStep, 6);
  let z2 = input(src, srcStep, 4);
  let tmp10 = multiply(z2 - z3, FIX_0_881747734);
  let tmp12 = multiply(z1 - z2, FIX_0_314692123);
  const tmp11 = tmp10 + tmp12 + tmp13 - multiply(z2, FIX_1_841218003);
  let tmp0 = z1 + z3;
  z2 -= tmp0;
  tmp0 = multiply(tmp0, FIX_1_274162392) + tmp13;
  tmp10 += tmp0 - multiply(z3, FIX_0_077722536);
  tmp12 += tmp0 - multiply(z1, FIX_2_470602249);
  tmp13 += multiply(z2, FIX_1_414213562);
  const o1 = input(src, srcStep, 1), o3 = input(src, srcStep, 3), o5 = input(src, srcStep, 5);
  let odd1 = multiply(o1 + o3, FIX_0_935414347);
  let odd2 = multiply(o1 - o3, FIX_0_170262339);
  let odd0 = odd1 - odd2;
  odd1 += odd2;
  odd2 = multiply(o3 + o5, -FIX_1_378756276);
  odd1 += odd2;
  const c5 = multiply(o1 + o5, FIX_0_613604268);
  odd0 += c5;
  odd2 += c5 + multiply(o5, FIX_1_870828693);
  output(dst, dstStep, 0, tmp10 + odd0, rowPass);
  output(dst, dstStep, 6, tmp10 - odd0, rowPass);
  output(dst, dstStep, 1, tmp11 + odd1, rowPass);
  output(dst, dstStep, 5, tmp11 - odd1, rowPass);
  output(dst, dstStep, 2, tmp12 + odd2, rowPass);
  output(dst, dstStep, 4, tmp12 - odd2, rowPass);
  output(dst, dstStep, 3, tmp13, rowPass);
}

function idct10(src: usize, srcStep: usize, dst: usize, dstStep: usize, rowPass: bool): void {
  const dc = dcTerm(input(src, srcStep, 0), rowPass);
  const in4 = input(src, srcStep, 4);
  const c4 = multiply(in4, FIX_1_144122806), c8 = multiply(in4, FIX_0_437016024);
  const e10 = dc + c4, e11 = dc - c8;
  const tmp22 = dc - ((c4 - c8) << 1);
  const in2 = input(src, srcStep, 2), in6 = input(src, srcStep, 6);
  const c6 = multiply(in2 + in6, FIX_0_831253876);
  const e12 = c6 + multiply(in2, FIX_0_513743148);
  const e13 = c6 - multiply(in6, FIX_2_176250899);
  const tmp20 = e10 + e12, tmp24 = e10 - e12, tmp21 = e11 + e13, tmp23 = e11 - e13;

  const z1 = input(src, srcStep, 1), z2 = input(src, srcStep, 3);
  const z3 = input(src, srcStep, 5), z4 = input(src, srcStep, 7);
  const sum24 = z2 + z4, diff24 = z2 - z4;
  const half = multiply(diff24, FIX_0_309016994);
  const z5 = z3 << CONST_BITS;
  let c = multiply(sum24, FIX_0_951056516);
  let d = z5 + half;
  const tmp10 = multiply(z1, FIX_1_396802247) + c + d;
  const tmp14 = multiply(z1, FIX_0_221231742) - c + d;
  c = multiply(sum24, FIX_0_587785252);
  d = z5 - half - (diff24 << (CONST_BITS - 1));
  const tmp12 = (z1 - diff24 - z3) << CONST_BITS;
  const tmp11 = multiply(z1, FIX_1_260073511) - c - d;
  const tmp13 = multiply(z1, FIX_0_642039522) - c + d;

  output(dst, dstStep, 0, tmp20 + tmp10, rowPass);
  output(dst, dstStep, 9, tmp20 - tmp10, rowPass);
  output(dst, dstStep, 1, tmp21 + tmp11, rowPass);
  output(dst, dstStep, 8, tmp21 - tmp11, rowPass);
  output(dst, dstStep, 2, tmp22 + tmp12, rowPass);
  output(dst, dstStep, 7, tmp22 - tmp12, rowPass);
  output(dst, dstStep, 3, tmp23 + tmp13, rowPass);
  output(dst, dstStep, 6, tmp23 - tmp13, rowPass);
  output(dst, dstStep, 4, tmp24 + tmp14, rowPass);
  output(dst, dstStep, 5, tmp24 - tmp14, rowPass);
}

function idct12(src: usize, srcStep: usize, dst: usize, dstStep: usize, rowPass: bool): void {
  const dc = dcTerm(input(src, srcStep, 0), rowPass);
  const c4 = multiply(input(src, srcStep, 4), FIX_1_224744871);
  const e10 = dc + c4, e11 = dc - c4;
  const in2 = input(src, srcStep, 2);
  const c2 = multiply(in2, FIX_1_366025404);
  const z1 = in2 << CONST_BITS;
  const z2 = input(src, srcStep, 6) << CONST_BITS;
  let e = z1 - z2;
  const tmp21 = dc + e, tmp24 = dc - e;
  e = c2 + z2;
  const tmp20 = e10 + e, tmp25 = e10 - e;
  e = c2 - z1 - z2;
  const tmp22 = e11 + e, tmp23 = e11 - e;

  let o1 = input(src, srcStep, 1), o3 = input(src, srcStep, 3);
  const o5 = input(src, srcStep, 5), o7 = input(src, srcStep, 7);
  let tmp11 = multiply(o3, FIX_1_306562965);
  let tmp14 = multiply(o3, -FIX_0_541196100);
  let tmp10 = o1 + o5;
  let tmp15 = multiply(tmp10 + o7, FIX_0_860918669);
  let tmp12 = tmp15 + multiply(tmp10, FIX_0_261052384);
  tmp10 = tmp12 + tmp11 + multiply(o1, FIX_0_280143716);
  let tmp13 = multiply(o5 + o7, -FIX_1_045510580);
  tmp12 += tmp13 + tmp14 - multiply(o5, FIX_1_478575242);
  tmp13 += tmp15 - tmp11 + multiply(o7, FIX_1_586706681);
  tmp15 += tmp14 - multiply(o1, FIX_0_676326758) - multiply(o7, FIX_1_982889723);
  o1 -= o7;
  o3 -= o5;
  const c9 = multiply(o1 + o3, FIX_0_541196100);
  tmp11 = c9 + multiply(o1, FIX_0_765366865);
  tmp14 = c9 - multiply(o3, FIX_1_847759065);

  output(dst, dstStep, 0, tmp20 + tmp10, rowPass);
  output(dst, dstStep, 11, tmp20 - tmp10, rowPass);
  output(dst, dstStep, 1, tmp21 + tmp11, rowPass);
  output(dst, dstStep, 10, tmp21 - tmp11, rowPass);
  output(dst, dstStep, 2, tmp22 + tmp12, rowPass);
  output(dst, dstStep, 9, tmp22 - tmp12, rowPass);
  output(dst, dstStep, 3, tmp23 + tmp13, rowPass);
  output(dst, dstStep, 8, tmp23 - tmp13, rowPass);
  output(dst, dstStep, 4, tmp24 + tmp14, rowPass);
  output(dst, dstStep, 7, tmp24 - tmp14, rowPass);
  output(dst, dstStep, 5, tmp25 + tmp15, rowPass);
  output(dst, dstStep, 6, tmp25 - tmp15, rowPass);
}

function idct14(src: usize, srcStep: usize, dst: usize, dstStep: usize, rowPass: bool): void {
  const dc = dcTerm(input(src, srcStep, 0), rowPass);
  const in4 = input(src, srcStep, 4);
  const c4 = multiply(in4, FIX_1_274162392), c12 = multiply(in4, FIX_0_314692123), c8 = multiply(in4, FIX_0_881747734);
  const e10 = dc + c4, e11 = dc + c12, e12 = dc - c8;
  const tmp23 = dc - ((c4 + c12 - c8) << 1);
  const in2 = input(src, srcStep, 2), in6 = input(src, srcStep, 6);
  const c6 = multiply(in2 + in6, FIX_1_105676686);
  const e13 = c6 + multiply(in2, FIX_0_273079590);
  const e14 = c6 - multiply(in6, FIX_1_719280954);
  const e15 = multiply(in2, FIX_0_613604268) - multiply(in6, FIX_1_378756276);
  const tmp20 = e10 + e13, tmp26 = e10 - e13;
  const tmp21 = e11 + e14, tmp25 = e11 - e14;
  const tmp22 = e12 + e15, tmp24 = e12 - e15;

  let z1 = input(src, srcStep, 1);
  const z2 = input(src, srcStep, 3), z3 = input(src, srcStep, 5);
  const z4 = input(src, srcStep, 7);
  const z4s = z4 << CONST_BITS;
  let tmp14 = z1 + z3;
  let tmp11 = multiply(z1 + z2, FIX_1_334852607);
  let tmp12 = multiply(tmp14, FIX_1_197448846);
  const tmp10 = tmp11 + tmp12 + z4s - multiply(z1, FIX_1_126980169);
  tmp14 = multiply(tmp14, FIX_0_752406978);
  let tmp16 = tmp14 - multiply(z1, FIX_1_061150426);
  z1 -= z2;
  let tmp15 = multiply(z1, FIX_0_467085129) - z4s;
  tmp16 += tmp15;
  let c = multiply(z2 + z3, -FIX_0_158341681) - z4s;
  tmp11 += c - multiply(z2, FIX_0_424103948);
  tmp12 += c - multiply(z3, FIX_2_373959773);
  c = multiply(z3 - z2, FIX_1_405321284);
  tmp14 += c + z4s - multiply(z3, FIX_1_690643133);
  tmp15 += c + multiply(z2, FIX_0_674957567);
  const tmp13 = (z1 + z4 - z3) << CONST_BITS;

  output(dst, dstStep, 0, tmp20 + tmp10, rowPass);
  output(dst, dstStep, 13, tmp20 - tmp10, rowPass);
  output(dst, dstStep, 1, tmp21 + tmp11, rowPass);
  output(dst, dstStep, 12, tmp21 - tmp11, rowPass);
  output(dst, dstStep, 2, tmp22 + tmp12, rowPass);
  output(dst, dstStep, 11, tmp22 - tmp12, rowPass);
  output(dst, dstStep, 3, tmp23 + tmp13, rowPass);
  output(dst, dstStep, 10, tmp23 - tmp13, rowPass);
  output(dst, dstStep, 4, tmp24 + tmp14, rowPass);
  output(dst, dstStep, 9, tmp24 - tmp14, rowPass);
  output(dst, dstStep, 5, tmp25 + tmp15, rowPass);
  output(dst, dstStep, 8, tmp25 - tmp15, rowPass);
  output(dst, dstStep, 6, tmp26 + tmp16, rowPass);
  output(dst, dstStep, 7, tmp26 - tmp16, rowPass);
}

// ---- v128 kernels (8, 4, 2) --------------------------------------------------------------------
// Lanes follow the SIMD code's: pass 1 on coefficient rows (lane = column), i32x4.dot_i16x8_s on
// interleaved pairs (pmaddwd), i16x8.mul (pmullw), saturating narrows (packssdw, packsswb).

// i16 pairs (a, b) for i32x4.dot_i16x8_s on interleaved (x, y) lanes: a·x + b·y per i32 lane
const ISLOW_EVEN3 = (((FIX_0_541196100) & 0xffff) << 16) | ((FIX_0_541196100 + FIX_0_765366865) & 0xffff); // in2, in6 → tmp3
const ISLOW_EVEN2 = (((FIX_0_541196100 - FIX_1_847759065) & 0xffff) << 16) | ((FIX_0_541196100) & 0xffff); // in2, in6 → tmp2
const ISLOW_Z3 = (((FIX_1_175875602) & 0xffff) << 16) | ((FIX_1_175875602 - FIX_1_961570560) & 0xffff); // z3, z4 → z3
const ISLOW_Z4 = (((FIX_1_175875602 - FIX_0_390180644) & 0xffff) << 16) | ((FIX_1_175875602) & 0xffff); // z3, z4 → z4
const ISLOW_ODD0 = (((-FIX_0_899976223) & 0xffff) << 16) | ((FIX_0_298631336 - FIX_0_899976223) & 0xffff); // in7, in1 → tmp0
const ISLOW_ODD3 = (((FIX_1_501321110 - FIX_0_899976223) & 0xffff) << 16) | ((-FIX_0_899976223) & 0xffff); // in7, in1 → tmp3
const ISLOW_ODD1 = (((-FIX_2_562915447) & 0xffff) << 16) | ((FIX_2_053119869 - FIX_2_562915447) & 0xffff); // in5, in3 → tmp1
const ISLOW_ODD2 = (((FIX_3_072711026 - FIX_2_562915447) & 0xffff) << 16) | ((-FIX_2_562915447) & 0xffff); // in5, in3 → tmp2
const RED4_EVEN = (((-FIX_0_765366865) & 0xffff) << 16) | ((FIX_1_847759065) & 0xffff); // in2, in6 → tmp2
const RED4_ODD2_13 = (((FIX_0_899976223) & 0xffff) << 16) | ((FIX_2_562915447) & 0xffff); // in1, in3 → part of tmp2
const RED4_ODD2_57 = (((-FIX_0_509795579) & 0xffff) << 16) | ((-FIX_0_601344887) & 0xffff); // in5, in7 → rest of tmp2
const RED4_ODD0_13 = (((-FIX_2_172734803) & 0xffff) << 16) | ((FIX_1_061594337) & 0xffff); // in1, in3 → part of tmp0
const RED4_ODD0_57 = (((-FIX_0_211164243) & 0xffff) << 16) | ((FIX_1_451774981) & 0xffff); // in5, in7 → rest of tmp0
const RED2_ODD_13 = (((-FIX_1_272758580) & 0xffff) << 16) | ((FIX_3_624509785) & 0xffff); // in1, in3 → part of tmp0
const RED2_ODD_57 = (((-FIX_0_720959822) & 0xffff) << 16) | ((FIX_0_850430095) & 0xffff); // in5, in7 → rest of tmp0
const CENTER_BYTES = 0x80808080;
/** Every v128 constant of the kernels, 16 bytes each at K_<name> (one load instead of a rebuilt constant). */
const SIMD_CONSTANTS = memory.data<i32>([
  ISLOW_EVEN3, ISLOW_EVEN3, ISLOW_EVEN3, ISLOW_EVEN3,
  ISLOW_EVEN2, ISLOW_EVEN2, ISLOW_EVEN2, ISLOW_EVEN2,
  ISLOW_Z3, ISLOW_Z3, ISLOW_Z3, ISLOW_Z3,
  ISLOW_Z4, ISLOW_Z4, ISLOW_Z4, ISLOW_Z4,
  ISLOW_ODD0, ISLOW_ODD0, ISLOW_ODD0, ISLOW_ODD0,
  ISLOW_ODD3, ISLOW_ODD3, ISLOW_ODD3, ISLOW_ODD3,
  ISLOW_ODD1, ISLOW_ODD1, ISLOW_ODD1, ISLOW_ODD1,
  ISLOW_ODD2, ISLOW_ODD2, ISLOW_ODD2, ISLOW_ODD2,
  RED4_EVEN, RED4_EVEN, RED4_EVEN, RED4_EVEN,
  RED4_ODD2_13, RED4_ODD2_13, RED4_ODD2_13, RED4_ODD2_13,
  RED4_ODD2_57, RED4_ODD2_57, RED4_ODD2_57, RED4_ODD2_57,
  RED4_ODD0_13, RED4_ODD0_13, RED4_ODD0_13, RED4_ODD0_13,
  RED4_ODD0_57, RED4_ODD0_57, RED4_ODD0_57, RED4_ODD0_57,
  RED2_ODD_13, RED2_ODD_13, RED2_ODD_13, RED2_ODD_13,
  RED2_ODD_57, RED2_ODD_57, RED2_ODD_57, RED2_ODD_57,
  CENTER_BYTES, CENTER_BYTES, CENTER_BYTES, CENTER_BYTES,
], 16);
const K_ISLOW_EVEN3: usize = 0;
const K_ISLOW_EVEN2: usize = 16;
const K_ISLOW_Z3: usize = 32;
const K_ISLOW_Z4: usize = 48;
const K_ISLOW_ODD0: usize = 64;
const K_ISLOW_ODD3: usize = 80;
const K_ISLOW_ODD1: usize = 96;
const K_ISLOW_ODD2: usize = 112;
const K_RED4_EVEN: usize = 128;
const K_RED4_ODD2_13: usize = 144;
const K_RED4_ODD2_57: usize = 160;
const K_RED4_ODD0_13: usize = 176;
const K_RED4_ODD0_57: usize = 192;
const K_RED2_ODD_13: usize = 208;
const K_RED2_ODD_57: usize = 224;
const K_CENTER_BYTES: usize = 240;

/** 2^(shift - 1) in every i32 lane for descale shifts 11..20, 16 bytes each. */
const ROUNDINGS = memory.data<i32>([
  1 << 10, 1 << 10, 1 << 10, 1 << 10,
  1 << 11, 1 << 11, 1 << 11, 1 << 11,
  1 << 12, 1 << 12, 1 << 12, 1 << 12,
  1 << 13, 1 << 13, 1 << 13, 1 << 13,
  1 << 14, 1 << 14, 1 << 14, 1 << 14,
  1 << 15, 1 << 15, 1 << 15, 1 << 15,
  1 << 16, 1 << 16, 1 << 16, 1 << 16,
  1 << 17, 1 << 17, 1 << 17, 1 << 17,
  1 << 18, 1 << 18, 1 << 18, 1 << 18,
  1 << 19, 1 << 19, 1 << 19, 1 << 19,
], 16);

// @ts-ignore: decorator
@inline
function rounding(shift: i32): v128 {
  return v128.load(ROUNDINGS + (<usize>(shift - 11) << 4));
}

/** The low 16 bits of each quant value, one i16x8 per coefficient row, into MULTIPLIERS. */
function storeMultipliers(quant: usize): void {
  for (let r: usize = 0; r < 8; r++) {
    const low = v128.load(quant + (r << 5)), high = v128.load(quant + (r << 5), 16);
    v128.store(MULTIPLIERS + (r << 4), i8x16.shuffle(low, high, 0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29));
  }
}

/** Coefficient row r dequantized (16-bit products). */
// @ts-ignore: decorator
@inline
function dequantizedRow(row: v128, r: usize): v128 {
  return i16x8.mul(row, v128.load(MULTIPLIERS + (r << 4)));
}

// @ts-ignore: decorator
@inline
function pairsLow(a: v128, b: v128): v128 {
  return i16x8.shuffle(a, b, 0, 8, 1, 9, 2, 10, 3, 11);
}

// @ts-ignore: decorator
@inline
function pairsHigh(a: v128, b: v128): v128 {
  return i16x8.shuffle(a, b, 4, 12, 5, 13, 6, 14, 7, 15);
}

/** Interleaved (x, y) pairs times the constant's (a, b), summed per pair: pmaddwd. */
// @ts-ignore: decorator
@inline
function dot(pairs: v128, constant: usize): v128 {
  return i32x4.dot_i16x8_s(pairs, v128.load(SIMD_CONSTANTS + constant));
}

/** x >> shift on both halves (rounding already added), narrowed to i16 with saturation. */
// @ts-ignore: decorator
@inline
function descale(low: v128, high: v128, shift: i32): v128 {
  return i16x8.narrow_i32x4_s(i32x4.shr_s(low, shift), i32x4.shr_s(high, shift));
}

/**
 * One half of an islow pass (the AVX2 dodct macro) on eight i16x8 input vectors at src, 16 bytes
 * apart (coefficient rows to dequantize in pass 1, pass-1 columns in pass 2): the lanes 0-3 or
 * 4-7 (`high`) of its eight results, saturated to i16 and transposed. Pass 1: result k is
 * workspace row k, lane = column; its columns 4h..4h+3 go to dst as i16x8 (lane = row), 16 bytes
 * apart from column 0's. Pass 2 (samples): result k is output column k, lane = row; rows
 * 4h..4h+3 are written as samples at dst, dstStride apart from row 0. Halves keep the work within
 * the 16 vector registers.
 */
// @ts-ignore: decorator
@inline
function islowHalfV(src: usize, high: bool, samples: bool, dst: usize, dstStride: usize): void {
  const shift = samples ? CONST_BITS + PASS1_BITS + 3 : CONST_BITS - PASS1_BITS;
  let in0 = v128.load(src), in1 = v128.load(src, 16), in2 = v128.load(src, 32), in3 = v128.load(src, 48);
  let in4 = v128.load(src, 64), in5 = v128.load(src, 80), in6 = v128.load(src, 96), in7 = v128.load(src, 112);
  if (!samples) {
    in0 = dequantizedRow(in0, 0); in1 = dequantizedRow(in1, 1); in2 = dequantizedRow(in2, 2); in3 = dequantizedRow(in3, 3);
    in4 = dequantizedRow(in4, 4); in5 = dequantizedRow(in5, 5); in6 = dequantizedRow(in6, 6); in7 = dequantizedRow(in7, 7);
  }
  const half = rounding(shift);
  // even part
  const p26 = high ? pairsHigh(in2, in6) : pairsLow(in2, in6);
  const tmp3 = dot(p26, K_ISLOW_EVEN3), tmp2 = dot(p26, K_ISLOW_EVEN2);
  const sum04 = i16x8.add(in0, in4), diff04 = i16x8.sub(in0, in4);
  const tmp0 = i32x4.add(i32x4.shl(high ? i32x4.extend_high_i16x8_s(sum04) : i32x4.extend_low_i16x8_s(sum04), CONST_BITS), half);
  const tmp1 = i32x4.add(i32x4.shl(high ? i32x4.extend_high_i16x8_s(diff04) : i32x4.extend_low_i16x8_s(diff04), CONST_BITS), half);
  const tmp10 = i32x4.add(tmp0, tmp3), tmp13 = i32x4.sub(tmp0, tmp3);
  const tmp11 = i32x4.add(tmp1, tmp2), tmp12 = i32x4.sub(tmp1, tmp2);
  // odd part
  const z3 = i16x8.add(in7, in3), z4 = i16x8.add(in5, in1);
  const p34 = high ? pairsHigh(z3, z4) : pairsLow(z3, z4);
  const z3x = dot(p34, K_ISLOW_Z3), z4x = dot(p34, K_ISLOW_Z4);
  const p71 = high ? pairsHigh(in7, in1) : pairsLow(in7, in1);
  const odd0 = i32x4.add(dot(p71, K_ISLOW_ODD0), z3x), odd3 = i32x4.add(dot(p71, K_ISLOW_ODD3), z4x);
  const p53 = high ? pairsHigh(in5, in3) : pairsLow(in5, in3);
  const odd1 = i32x4.add(dot(p53, K_ISLOW_ODD1), z4x), odd2 = i32x4.add(dot(p53, K_ISLOW_ODD2), z3x);
  // final output stage: results 0..7, descaled and saturated in pairs (k, k+1)
  const r01 = i16x8.narrow_i32x4_s(i32x4.shr_s(i32x4.add(tmp10, odd3), shift), i32x4.shr_s(i32x4.add(tmp11, odd2), shift));
  const r23 = i16x8.narrow_i32x4_s(i32x4.shr_s(i32x4.add(tmp12, odd1), shift), i32x4.shr_s(i32x4.add(tmp13, odd0), shift));
  const r45 = i16x8.narrow_i32x4_s(i32x4.shr_s(i32x4.sub(tmp13, odd0), shift), i32x4.shr_s(i32x4.sub(tmp12, odd1), shift));
  const r67 = i16x8.narrow_i32x4_s(i32x4.shr_s(i32x4.sub(tmp11, odd2), shift), i32x4.shr_s(i32x4.sub(tmp10, odd3), shift));
  // transpose the 8 results × 4 lanes: t_j = lane j of results 0..7
  const g0 = pairsLow(r01, r23), h0 = pairsHigh(r01, r23), g1 = pairsLow(r45, r67), h1 = pairsHigh(r45, r67);
  const x0 = pairsLow(g0, h0), y0 = pairsHigh(g0, h0), x1 = pairsLow(g1, h1), y1 = pairsHigh(g1, h1);
  const t0 = i64x2.shuffle(x0, x1, 0, 2), t1 = i64x2.shuffle(x0, x1, 1, 3);
  const t2 = i64x2.shuffle(y0, y1, 0, 2), t3 = i64x2.shuffle(y0, y1, 1, 3);
  if (!samples) {
    const to = dst + (high ? 64 : 0);
    v128.store(to, t0);
    v128.store(to, t1, 16);
    v128.store(to, t2, 32);
    v128.store(to, t3, 48);
    return;
  }
  const center = v128.load(SIMD_CONSTANTS + K_CENTER_BYTES);
  const rows01 = v128.xor(i8x16.narrow_i16x8_s(t0, t1), center), rows23 = v128.xor(i8x16.narrow_i16x8_s(t2, t3), center);
  const to = dst + (high ? 4 * dstStride : 0);
  v128.store64_lane(to, rows01, 0);
  v128.store64_lane(to + dstStride, rows01, 1);
  v128.store64_lane(to + 2 * dstStride, rows23, 0);
  v128.store64_lane(to + 3 * dstStride, rows23, 1);
}

function idct8x8V(coef: usize, out: usize, outStride: usize): void {
  const r0 = v128.load(coef);
  const rows1to7 = v128.or(v128.or(v128.or(v128.load(coef, 16), v128.load(coef, 32)), v128.or(v128.load(coef, 48), v128.load(coef, 64))),
    v128.or(v128.or(v128.load(coef, 80), v128.load(coef, 96)), v128.load(coef, 112)));
  if (v128.any_true(rows1to7)) {
    islowHalfV(coef, false, false, PASS1_COLUMNS, 0);
    islowHalfV(coef, true, false, PASS1_COLUMNS, 0);
  } else {
    const shifted = i16x8.shl(dequantizedRow(r0, 0), PASS1_BITS);
    if (!v128.any_true(i16x8.replace_lane(r0, 0, 0))) {
      // DC only: pass 2 of a row (w, 0, ..., 0) is (w·2^13 + 2^17) >> 18 = (w + 16) >> 5 everywhere
      const fill = i8x16.splat(clampSample((<i32>i16x8.extract_lane_s(shifted, 0) + 16) >> 5));
      for (let r: usize = 0; r < 8; r++) v128.store64_lane(out + r * outStride, fill, 0);
      return;
    }
    // pass 1 skipped: every workspace row is the shifted row 0, so column c is its lane c
    v128.store(PASS1_COLUMNS, i16x8.splat(i16x8.extract_lane_s(shifted, 0)));
    v128.store(PASS1_COLUMNS, i16x8.splat(i16x8.extract_lane_s(shifted, 1)), 16);
    v128.store(PASS1_COLUMNS, i16x8.splat(i16x8.extract_lane_s(shifted, 2)), 32);
    v128.store(PASS1_COLUMNS, i16x8.splat(i16x8.extract_lane_s(shifted, 3)), 48);
    v128.store(PASS1_COLUMNS, i16x8.splat(i16x8.extract_lane_s(shifted, 4)), 64);
    v128.store(PASS1_COLUMNS, i16x8.splat(i16x8.extract_lane_s(shifted, 5)), 80);
    v128.store(PASS1_COLUMNS, i16x8.splat(i16x8.extract_lane_s(shifted, 6)), 96);
    v128.store(PASS1_COLUMNS, i16x8.splat(i16x8.extract_lane_s(shifted, 7)), 112);
  }
  islowHalfV(PASS1_COLUMNS, false, true, out, outStride);
  islowHalfV(PASS1_COLUMNS, true, true, out, outStride);
}

function idct4x4V(coef: usize, out: usize, outStride: usize): void {
  const r0 = v128.load(coef), r1 = v128.load(coef, 16), r2 = v128.load(coef, 32), r3 = v128.load(coef, 48);
  const r5 = v128.load(coef, 80), r6 = v128.load(coef, 96), r7 = v128.load(coef, 112);
  const dq0 = dequantizedRow(r0, 0);
  let d0: v128, d1: v128, d2: v128, d3: v128;
  if (!v128.any_true(v128.or(v128.or(v128.or(r1, r2), r3), v128.or(v128.or(r5, r6), r7)))) {
    d0 = d1 = d2 = d3 = i16x8.shl(dq0, PASS1_BITS);
  } else {
    // pass 1 on all eight columns: rows 0-3 of the workspace, lane = column
    const shift = CONST_BITS - PASS1_BITS + 1;
    const half = rounding(shift);
    const dq1 = dequantizedRow(r1, 1), dq2 = dequantizedRow(r2, 2), dq3 = dequantizedRow(r3, 3);
    const dq5 = dequantizedRow(r5, 5), dq6 = dequantizedRow(r6, 6), dq7 = dequantizedRow(r7, 7);
    const tmp0l = i32x4.add(i32x4.shl(i32x4.extend_low_i16x8_s(dq0), CONST_BITS + 1), half);
    const tmp0h = i32x4.add(i32x4.shl(i32x4.extend_high_i16x8_s(dq0), CONST_BITS + 1), half);
    const tmp2l = dot(pairsLow(dq2, dq6), K_RED4_EVEN);
    const tmp2h = dot(pairsHigh(dq2, dq6), K_RED4_EVEN);
    const tmp10l = i32x4.add(tmp0l, tmp2l), tmp10h = i32x4.add(tmp0h, tmp2h);
    const tmp12l = i32x4.sub(tmp0l, tmp2l), tmp12h = i32x4.sub(tmp0h, tmp2h);
    const p13l = pairsLow(dq1, dq3), p13h = pairsHigh(dq1, dq3), p57l = pairsLow(dq5, dq7), p57h = pairsHigh(dq5, dq7);
    const odd2l = i32x4.add(dot(p13l, K_RED4_ODD2_13), dot(p57l, K_RED4_ODD2_57));
    const odd2h = i32x4.add(dot(p13h, K_RED4_ODD2_13), dot(p57h, K_RED4_ODD2_57));
    const odd0l = i32x4.add(dot(p13l, K_RED4_ODD0_13), dot(p57l, K_RED4_ODD0_57));
    const odd0h = i32x4.add(dot(p13h, K_RED4_ODD0_13), dot(p57h, K_RED4_ODD0_57));
    d0 = descale(i32x4.add(tmp10l, odd2l), i32x4.add(tmp10h, odd2h), shift);
    d3 = descale(i32x4.sub(tmp10l, odd2l), i32x4.sub(tmp10h, odd2h), shift);
    d1 = descale(i32x4.add(tmp12l, odd0l), i32x4.add(tmp12h, odd0h), shift);
    d2 = descale(i32x4.sub(tmp12l, odd0l), i32x4.sub(tmp12h, odd0h), shift);
  }
  // transpose: [column c rows 0-3, column c+1 rows 0-3] for c = 0, 2, 4, 6
  const e0 = pairsLow(d0, d1), e1 = pairsHigh(d0, d1), f0 = pairsLow(d2, d3), f1 = pairsHigh(d2, d3);
  const c01 = i32x4.shuffle(e0, f0, 0, 4, 1, 5), c23 = i32x4.shuffle(e0, f0, 2, 6, 3, 7);
  const c45 = i32x4.shuffle(e1, f1, 0, 4, 1, 5), c67 = i32x4.shuffle(e1, f1, 2, 6, 3, 7);
  // pass 2 on the four rows at once (lane = row)
  const shift = CONST_BITS + PASS1_BITS + 3 + 1;
  const tmp0 = i32x4.add(i32x4.shl(i32x4.extend_low_i16x8_s(c01), CONST_BITS + 1), rounding(shift));
  const tmp2 = dot(pairsLow(c23, c67), K_RED4_EVEN);
  const tmp10 = i32x4.add(tmp0, tmp2), tmp12 = i32x4.sub(tmp0, tmp2);
  const p13 = pairsHigh(c01, c23), p57 = pairsHigh(c45, c67);
  const odd2 = i32x4.add(dot(p13, K_RED4_ODD2_13), dot(p57, K_RED4_ODD2_57));
  const odd0 = i32x4.add(dot(p13, K_RED4_ODD0_13), dot(p57, K_RED4_ODD0_57));
  const cols02 = descale(i32x4.add(tmp10, odd2), i32x4.sub(tmp12, odd0), shift);
  const cols13 = descale(i32x4.add(tmp12, odd0), i32x4.sub(tmp10, odd2), shift);
  const u = pairsLow(cols02, cols13), v = pairsHigh(cols02, cols13); // (c0, c1) and (c2, c3) per row
  const rows = v128.xor(i8x16.narrow_i16x8_s(i32x4.shuffle(u, v, 0, 4, 1, 5), i32x4.shuffle(u, v, 2, 6, 3, 7)), v128.load(SIMD_CONSTANTS + K_CENTER_BYTES));
  v128.store32_lane(out, rows, 0);
  v128.store32_lane(out + outStride, rows, 1);
  v128.store32_lane(out + 2 * outStride, rows, 2);
  v128.store32_lane(out + 3 * outStride, rows, 3);
}

function idct2x2V(coef: usize, out: usize, outStride: usize): void {
  const dq0 = dequantizedRow(v128.load(coef), 0), dq1 = dequantizedRow(v128.load(coef, 16), 1);
  const dq3 = dequantizedRow(v128.load(coef, 48), 3), dq5 = dequantizedRow(v128.load(coef, 80), 5);
  const dq7 = dequantizedRow(v128.load(coef, 112), 7);
  // pass 1 on all eight columns: rows A (0) and B (1), lane = column, unsaturated
  const shift1 = CONST_BITS - PASS1_BITS + 2;
  const half = rounding(shift1);
  const oddl = i32x4.add(dot(pairsLow(dq1, dq3), K_RED2_ODD_13), dot(pairsLow(dq5, dq7), K_RED2_ODD_57));
  const oddh = i32x4.add(dot(pairsHigh(dq1, dq3), K_RED2_ODD_13), dot(pairsHigh(dq5, dq7), K_RED2_ODD_57));
  const tmp10l = i32x4.add(i32x4.shl(i32x4.extend_low_i16x8_s(dq0), CONST_BITS + 2), half);
  const tmp10h = i32x4.add(i32x4.shl(i32x4.extend_high_i16x8_s(dq0), CONST_BITS + 2), half);
  const al = i32x4.shr_s(i32x4.add(tmp10l, oddl), shift1), ah = i32x4.shr_s(i32x4.add(tmp10h, oddh), shift1);
  const bl = i32x4.shr_s(i32x4.sub(tmp10l, oddl), shift1), bh = i32x4.shr_s(i32x4.sub(tmp10h, oddh), shift1);
  // pass 2: lanes (row A, row B); odd columns saturated to i16, column 0 shifted in 32 bits
  const shift2 = CONST_BITS + PASS1_BITS + 3 + 2;
  const a16 = i16x8.narrow_i32x4_s(al, ah), b16 = i16x8.narrow_i32x4_s(bl, bh);
  const odd = i32x4.dot_i16x8_s(i16x8.shuffle(a16, b16, 1, 3, 9, 11, 5, 7, 13, 15), i64x2.shuffle(v128.load(SIMD_CONSTANTS + K_RED2_ODD_13), v128.load(SIMD_CONSTANTS + K_RED2_ODD_57), 0, 3)); // (A, B) × (1,3 | 5,7)
  const tmp0 = i32x4.add(odd, i32x4.shuffle(odd, odd, 2, 3, 0, 1));
  const tmp10 = i32x4.add(i32x4.shl(i32x4.shuffle(al, bl, 0, 4, 0, 4), CONST_BITS + 2), rounding(shift2));
  const samples = i32x4.shr_s(i32x4.shuffle(i32x4.add(tmp10, tmp0), i32x4.sub(tmp10, tmp0), 0, 4, 1, 5), shift2);
  const narrowed = i16x8.narrow_i32x4_s(samples, samples);
  const bytes = v128.xor(i8x16.narrow_i16x8_s(narrowed, narrowed), v128.load(SIMD_CONSTANTS + K_CENTER_BYTES));
  v128.store16_lane(out, bytes, 0);
  v128.store16_lane(out + outStride, bytes, 1);
}
