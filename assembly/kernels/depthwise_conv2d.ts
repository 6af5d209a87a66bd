// DEPTHWISE_CONV_2D, int8 activations, per-channel requantization.
// in: (N, H, W, Cin) int8   filter: (KH, KW, Cout) int16 = weight - weightZeroPoint, Cout = Cin * M
// bias: (Cout) int32        out: (N, OH, OW, Cout) int8; output channel c reads input channel c / M.
import { requantizeToInt8 } from "../requant";

@unmanaged
export class DepthwiseConv2DParams {
  input: i32; batches: i32; inputHeight: i32; inputWidth: i32; inputChannels: i32; inputOffset: i32;
  filter: i32; filterHeight: i32; filterWidth: i32; depthMultiplier: i32;
  bias: i32;
  output: i32; outputHeight: i32; outputWidth: i32; outputChannels: i32;
  strideHeight: i32; strideWidth: i32; dilationHeight: i32; dilationWidth: i32; padTop: i32; padLeft: i32;
  multipliers: i32; shifts: i32; outputOffset: i32; activationMin: i32; activationMax: i32;
}

export function depthwise_conv2d_ref(paramsPtr: usize): void {
  const p = changetype<DepthwiseConv2DParams>(paramsPtr);
  const inC = p.inputChannels;
  const outC = p.outputChannels;
  const m = p.depthMultiplier;
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
          for (let ky = 0; ky < p.filterHeight; ky++) {
            const inY = inY0 + ky * p.dilationHeight;
            if (inY < 0 || inY >= p.inputHeight) continue;
            for (let kx = 0; kx < p.filterWidth; kx++) {
              const inX = inX0 + kx * p.dilationWidth;
              if (inX < 0 || inX >= p.inputWidth) continue;
              const x = <i32>load<i8>(inputBatch + <usize>((inY * p.inputWidth + inX) * inC + ic));
              const w = <i32>load<i16>(<usize>p.filter + (<usize>((ky * p.filterWidth + kx) * outC + oc) << 1));
              acc += (x + p.inputOffset) * w;
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
