// DEPTHWISE_CONV_2D, int8 activations, per-channel requantization.
// in: (N, H, W, Cin) int8   out: (N, OH, OW, Cout) int8, Cout = Cin·M; output channel c reads
// input channel c / M.   bias: (Cout) int32
// filter: packed int16 (weight - weightZeroPoint) in blocks of 16 output channels with the taps
//   t = ky·KW + kx in pairs: (ceil(Cout/16), ceil(KH·KW/2), 16, 2), zero padded
//   (js/ops/weights.ts packDepthwiseFilter).
// requant: vector requantization table, ceil(Cout/16)·2 blocks, whose bias is folded with the
//   input offset: bias[c] + inputOffset·Σ_t w[t][c] (js/ops/weights.ts vectorRequantTable).
// padding: ceil(Cin/16)·16 bytes of the input zero point, -inputOffset, which must fit int8 (it
//   does for every int8 or shifted uint8 tensor); read in place of out-of-image taps.
// scratch: ceil(KH·KW/2)·16 bytes (tap offsets and one output pixel's tap addresses).
// The v128 kernel reads whole 16-channel blocks, up to 15 bytes past the input tensor's end
// (the host's constants always follow the activation arena); it writes only the output.
import { REQUANT_BLOCK_BYTES, narrowClamp, requantizeBlock, requantizeToInt8, storeBytes } from "../requant";

@unmanaged
export class DepthwiseConv2DParams {
  input: i32; batches: i32; inputHeight: i32; inputWidth: i32; inputChannels: i32; inputOffset: i32;
  filter: i32; filterHeight: i32; filterWidth: i32; depthMultiplier: i32;
  bias: i32;
  output: i32; outputHeight: i32; outputWidth: i32; outputChannels: i32;
  strideHeight: i32; strideWidth: i32; dilationHeight: i32; dilationWidth: i32; padTop: i32; padLeft: i32;
  multipliers: i32; shifts: i32; outputOffset: i32; activationMin: i32; activationMax: i32;
  requant: i32; padding: i32; scratch: i32;
}

/** Address of output channel oc's first packed weight (tap t = 0). */
// @ts-ignore: decorator
@inline
function filterChannel(filter: usize, tapPairs: i32, oc: i32): usize {
  return filter + (<usize>((oc >> 4) * tapPairs * 32 + (oc & 15) * 2) << 1);
}

/** Packed weight of tap t of a channel (from filterChannel). */
// @ts-ignore: decorator
@inline
function weightAt(channel: usize, t: i32): i32 {
  return <i32>load<i16>(channel + (<usize>((t >> 1) * 32 + (t & 1)) << 1));
}

export function depthwise_conv2d_ref(paramsPtr: usize): void {
  const p = changetype<DepthwiseConv2DParams>(paramsPtr);
  const inC = p.inputChannels;
  const outC = p.outputChannels;
  const m = p.depthMultiplier;
  const tapPairs = (p.filterHeight * p.filterWidth + 1) >> 1;
  let out = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    const inputBatch = <usize>p.input + <usize>(b * p.inputHeight * p.inputWidth * inC);
    for (let oy = 0; oy < p.outputHeight; oy++) {
      const inY0 = oy * p.strideHeight - p.padTop;
      for (let ox = 0; ox < p.outputWidth; ox++) {
        const inX0 = ox * p.strideWidth - p.padLeft;
        for (let oc = 0; oc < outC; oc++) {
          const ic = oc / m;
          let acc: i32 = load<i32>(<usize>p.bias + (<usize>oc << 2));
          const weights = filterChannel(p.filter, tapPairs, oc);
          for (let ky = 0; ky < p.filterHeight; ky++) {
            const inY = inY0 + ky * p.dilationHeight;
            if (inY < 0 || inY >= p.inputHeight) continue;
            for (let kx = 0; kx < p.filterWidth; kx++) {
              const inX = inX0 + kx * p.dilationWidth;
              if (inX < 0 || inX >= p.inputWidth) continue;
              const x = <i32>load<i8>(inputBatch + <usize>((inY * p.inputWidth + inX) * inC + ic));
              acc += (x + p.inputOffset) * weightAt(weights, ky * p.filterWidth + kx);
            }
          }
          store<i8>(out, requantizeToInt8(acc,
            load<i32>(<usize>p.multipliers + (<usize>oc << 2)), load<i32>(<usize>p.shifts + (<usize>oc << 2)),
            p.outputOffset, p.activationMin, p.activationMax));
          out++;
        }
      }
    }
  }
}

// ---- v128 ----------------------------------------------------------------------------------
// Depth multiplier 1: per output pixel, per block of 16 channels, each pair of taps (a, b)
// interleaves its two input vectors bytewise, widens them to int16 and dots them with the
// (w_a, w_b) weight pairs: 4 dot16x2 cover 16 channels × 2 taps (an odd last tap pairs with
// itself against zero weights). Tap addresses come from scratch: for pixels whose whole patch
// lies on the image, offsets from the patch origin computed once per call; for the others, one
// address per tap, with the zero-point row for taps off the image, whose products cancel the
// folded input offset exactly (x + offset = 0). Other depth multipliers run the scalar code.

/** The 16 channels of taps a and b interleaved (a0 b0 a1 b1 …): channels 0–7 and 8–15. */
// @ts-ignore: decorator
@inline
function lowPair(xa: v128, xb: v128): v128 {
  return i8x16.shuffle(xa, xb, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
}
// @ts-ignore: decorator
@inline
function highPair(xa: v128, xb: v128): v128 {
  return i8x16.shuffle(xa, xb, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
}

export function depthwise_conv2d(paramsPtr: usize): void {
  const p = changetype<DepthwiseConv2DParams>(paramsPtr);
  if (p.depthMultiplier != 1) {
    depthwise_conv2d_ref(paramsPtr);
    return;
  }
  const channels = p.inputChannels;
  const height = p.inputHeight, width = p.inputWidth;
  const kh = p.filterHeight, kw = p.filterWidth;
  const dh = p.dilationHeight, dw = p.dilationWidth;
  const tapPairs = (kh * kw + 1) >> 1;
  const blockBytes = <usize>tapPairs << 6;
  const offset = i32x4.splat(p.outputOffset);
  const offset16 = i16x8.splat(<i16>p.outputOffset);
  const lo = i8x16.splat(<i8>p.activationMin);
  const hi = i8x16.splat(<i8>p.activationMax);
  const padding = <usize>p.padding;
  const pixelBytes = <usize>channels;
  const offsets = <usize>p.scratch; // per tap, bytes from the patch origin
  const addresses = offsets + (<usize>tapPairs << 3); // per tap, for a pixel at the border

  let slot = offsets;
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      store<u32>(slot, <u32>(ky * dh * width + kx * dw) * <u32>channels);
      slot += 4;
    }
  }
  if ((kh * kw) & 1) store<u32>(slot, load<u32>(slot - 4));

  let out = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    const inputBatch = <usize>p.input + <usize>(b * height * width) * pixelBytes;
    for (let oy = 0; oy < p.outputHeight; oy++) {
      const y0 = oy * p.strideHeight - p.padTop;
      const rowsInside = y0 >= 0 && y0 + (kh - 1) * dh < height;
      for (let ox = 0; ox < p.outputWidth; ox++) {
        const x0 = ox * p.strideWidth - p.padLeft;
        let taps = offsets;
        let origin = inputBatch + <usize>(y0 * width + x0) * pixelBytes;
        if (!(rowsInside && x0 >= 0 && x0 + (kw - 1) * dw < width)) {
          slot = addresses;
          for (let ky = 0; ky < kh; ky++) {
            const y = y0 + ky * dh;
            for (let kx = 0; kx < kw; kx++) {
              const x = x0 + kx * dw;
              const inside = y >= 0 && y < height && x >= 0 && x < width;
              store<u32>(slot, inside ? inputBatch + <usize>(y * width + x) * pixelBytes : padding);
              slot += 4;
            }
          }
          if ((kh * kw) & 1) store<u32>(slot, load<u32>(slot - 4));
          taps = addresses;
          origin = 0;
        }
        let filter = <usize>p.filter;
        let requant = <usize>p.requant;
        for (let c = 0; c < channels; c += 16) {
          const at = origin + <usize>c;
          let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
          let w = filter;
          let t = taps;
          for (let pair = 0; pair < tapPairs; pair++) {
            const xa = v128.load(at + <usize>load<u32>(t));
            const xb = v128.load(at + <usize>load<u32>(t, 4));
            const l = lowPair(xa, xb);
            const h = highPair(xa, xb);
            a0 = i32x4.add(a0, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(l), v128.load(w)));
            a1 = i32x4.add(a1, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(l), v128.load(w, 16)));
            a2 = i32x4.add(a2, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(h), v128.load(w, 32)));
            a3 = i32x4.add(a3, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(h), v128.load(w, 48)));
            w += 64;
            t += 8;
          }
          const result = narrowClamp(requantizeBlock(a0, a1, requant, offset, offset16),
            requantizeBlock(a2, a3, requant + REQUANT_BLOCK_BYTES, offset, offset16), lo, hi);
          storeBytes(out + <usize>c, result, channels - c);
          filter += blockBytes;
          requant += 2 * REQUANT_BLOCK_BYTES;
        }
        out += pixelBytes;
      }
    }
  }
}
