// How the default entry gets the wasm Module: from bytes embedded in the JavaScript at build time
// (no file system, fetch or bundler needed). Runtimes that refuse to compile bytes (workerd)
// pass a precompiled Module to Model.load instead.
//
// Two builds are embedded: quantlite.wasm (plain v128) and quantlite.relaxed.wasm, the same
// sources compiled with relaxed SIMD, which uses it only where the result is exact (the same
// bytes as the plain build). The relaxed one is chosen where relaxed SIMD works: the runtime
// validates it and computes a probe's known answers. Node 20 only has relaxed SIMD behind a
// flag and computes some of it wrong; it always gets the plain build. The bytes come through the
// package's "#…-wasm-bytes" imports, which the `workerd` condition maps to none (no-wasm-bytes.ts).
import { WASM_BASE64 } from "#wasm-bytes";
import { InputError } from "../errors.js";

const nativeBase64 = globalThis as {
  Uint8Array: { fromBase64?: (text: string) => Uint8Array<ArrayBuffer> };
  Buffer?: { from(text: string, encoding: "base64"): Uint8Array };
};

/**
 * Base64 → bytes, with the runtime's native decoder where it has one (Uint8Array.fromBase64, or
 * Node's and Bun's Buffer): a JavaScript loop over the ≈75,000 characters costs ≈3 ms at load.
 */
export function decode(base64: string): Uint8Array<ArrayBuffer> {
  if (typeof nativeBase64.Uint8Array.fromBase64 === "function") return nativeBase64.Uint8Array.fromBase64(base64);
  if (typeof nativeBase64.Buffer?.from === "function") {
    const buffer = nativeBase64.Buffer.from(base64, "base64");
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).slice();
  }
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Embedded base64 bytes of a build, decoded; InputError where this entry embeds none (workerd). */
export function decodeEmbedded(base64: string | null, build: string): Uint8Array<ArrayBuffer> {
  if (base64 === null) {
    throw new InputError(`this entry of quantlite (workerd, browser) embeds no ${build}: load a model first, or pass a compiled one as LoadOptions.wasmModule`);
  }
  return decode(base64);
}

/** The plain v128 build's bytes. */
export function embeddedWasmBytes(): Uint8Array<ArrayBuffer> {
  return decodeEmbedded(WASM_BASE64, "quantlite.wasm");
}

/** The relaxed-SIMD build's bytes (loaded on demand: most callers never need them). */
export async function embeddedRelaxedWasmBytes(): Promise<Uint8Array<ArrayBuffer>> {
  const { WASM_BASE64: relaxed } = await import("#relaxed-wasm-bytes");
  return decodeEmbedded(relaxed, "quantlite.relaxed.wasm");
}

/**
 * A module exporting probe(): i32, 1 when f64x2.relaxed_madd(3, 0.5, 0.25) = 1.75,
 * i16x8.relaxed_q15mulr_s(16384, -8192) = -4096 and i16x8.relaxed_dot_i8x16_i7x16_s(-3, 5) = -30.
 */
function probeModule(): Uint8Array<ArrayBuffer> {
  const f64 = (x: number) => [...new Uint8Array(new Float64Array([x]).buffer)];
  const v128 = (bytes: number[]) => [0xfd, 0x0c, ...bytes];
  const f64x2 = (x: number) => v128([...f64(x), ...f64(x)]);
  const i16x8 = (x: number) => v128(Array.from({ length: 8 }, () => [x & 0xff, (x >> 8) & 0xff]).flat());
  const i8x16 = (x: number) => v128(new Array(16).fill(x & 0xff));
  const body = [
    ...f64x2(3), ...f64x2(0.5), ...f64x2(0.25), 0xfd, 0x87, 0x02, // f64x2.relaxed_madd
    0xfd, 0x21, 0, 0x44, ...f64(4), 0xa2, 0xaa, 0x41, 7, 0x46, // extract_lane 0, ×4, trunc, == 7
    ...i16x8(16384), ...i16x8(-8192), 0xfd, 0x91, 0x02, // i16x8.relaxed_q15mulr_s
    0xfd, 0x18, 0, 0x41, 0x80, 0x60, 0x46, 0x71, // extract_lane_s 0 == -4096, and
    ...i8x16(-3), ...i8x16(5), 0xfd, 0x92, 0x02, // i16x8.relaxed_dot_i8x16_i7x16_s
    0xfd, 0x18, 0, 0x41, 0x62, 0x46, 0x71, 0x0b, // extract_lane_s 0 == -30, and; end
  ];
  const code = [0, ...body]; // no locals
  const section = (id: number, bytes: number[]) => [id, bytes.length & 0x7f | 0x80, bytes.length >> 7, ...bytes];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 0, 1, 0x7f]), // type: () → i32
    ...section(3, [1, 0]),
    ...section(7, [1, 5, ...[..."probe"].map((c) => c.charCodeAt(0)), 0x00, 0]),
    ...section(10, [1, code.length & 0x7f | 0x80, code.length >> 7, ...code]),
  ]);
}

let relaxed: boolean | undefined;

/** Whether this runtime runs relaxed SIMD correctly (checked once). */
export function relaxedSimdUsable(): boolean {
  if (relaxed === undefined) {
    const node = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;
    relaxed = false;
    if (node === undefined || Number(node.split(".")[0]) >= 22) {
      try {
        const bytes = probeModule();
        if (WebAssembly.validate(bytes)) {
          const probe = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.probe as () => number;
          relaxed = probe() === 1;
        }
      } catch {
        relaxed = false;
      }
    }
  }
  return relaxed;
}

/** The embedded build this runtime should run, compiled. */
export async function compileEmbeddedModule(): Promise<WebAssembly.Module> {
  return WebAssembly.compile(relaxedSimdUsable() ? await embeddedRelaxedWasmBytes() : embeddedWasmBytes());
}
