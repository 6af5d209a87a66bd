// Types for the part of pako 1.x (a CommonJS module without its own types) that quantlite uses:
// streaming inflate of a PNG's image data (js/preprocess/png-stream.ts).
declare module "pako/lib/inflate.js" {
  namespace pako {
    class Inflate {
      constructor(options?: { chunkSize?: number });
      /** Feeds input; `last` finishes the stream. Output goes to onData, the end status to onEnd. */
      push(data: Uint8Array, last: boolean): boolean;
      /** Called with each chunk of output (at most chunkSize bytes). */
      onData(chunk: Uint8Array): void;
      /** Called once: 0 when the stream ended well or input simply ran out, else a zlib error code. */
      onEnd(status: number): void;
      /** zlib's stream state: input bytes left, where the next output goes and the room left there. */
      strm: { msg: string; avail_in: number; next_out: number; avail_out: number };
    }
  }
  export = pako;
}
