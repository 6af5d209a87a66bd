// CONV_2D, int8 activations (uint8 models run shifted by -128), per-channel requantization.
// in: (N, H, W, Cin) int8   filter: (Cout, KH, KW, Cin) int16 = weight - weightZeroPoint
// bias: (Cout) int32        out: (N, OH, OW, Cout) int8
// Out-of-image taps are skipped (the same as padding with the input zero point).
import { requantizeToInt8 } from "../requant";

@unmanaged
export class Conv2DParams {
  input: i32; batches: i32; inputHeight: i32; inputWidth: i32; inputChannels: i32; inputOffset: i32;
  filter: i32; filterHeight: i32; filterWidth: i32;
  bias: i32;
  output: i32; outputHeight: i32; outputWidth: i32; outputChannels: i32;
  strideHeight: i32; strideWidth: i32; dilationHeight: i32; dilationWidth: i32; padTop: i32; padLeft: i32;
  multipliers: i32; shifts: i32; outputOffset: i32; activationMin: i32; activationMax: i32;
}

export function conv2d_ref(paramsPtr: usize): void {
  const p = changetype<Conv2DParams>(paramsPtr);
  const inC = p.inputChannels;
  const outC = p.outputChannels;
  let out = <usize>p.output;
  for (let b = 0; b < p.batches; b++) {
    const inputBatch = <usize>p.input + <usize>(b * p.inputHeight * p.inputWidth * inC);
    for (let oy = 0; oy < p.outputHeight; oy++) {
      const inY0 = oy * p.strideHeight - p.padTop;
      for (let ox = 0; ox < p.outputWidth; ox++) {
        const inX0 = ox * p.strideWidth - p.padLeft;
        for (let oc = 0; oc < outC; oc++) {
          let acc: i32 = load<i32>(<usize>p.bias + (<usize>oc << 2));
          const filterOc = <usize>p.filter + (<usize>(oc * p.filterHeight * p.filterWidth * inC) << 1);
          for (let ky = 0; ky < p.filterHeight; ky++) {
            const inY = inY0 + ky * p.dilationHeight;
            if (inY < 0 || inY >= p.inputHeight) continue;
            for (let kx = 0; kx < p.filterWidth; kx++) {
              const inX = inX0 + kx * p.dilationWidth;
              if (inX < 0 || inX >= p.inputWidth) continue;
              const pixel = inputBatch + <usize>((inY * p.inputWidth + inX) * inC);
              const taps = filterOc + (<usize>((ky * p.filterWidth + kx) * inC) << 1);
              for (let ic = 0; ic < inC; ic++) {
                acc += (<i32>load<i8>(pixel + <usize>ic) + p.inputOffset) * <i32>load<i16>(taps + (<usize>ic << 1));
              }
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
