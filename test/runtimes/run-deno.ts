// The Deno runner: reads the data with Deno's own file API (no node: modules).
import { runnerMain } from "./runner.js";

// The little of Deno's API used here (the project compiles with Node's types, not Deno's).
declare const Deno: {
  args: string[];
  version: { deno: string };
  readFile(path: string): Promise<Uint8Array>;
  open(path: string): Promise<{ seek(offset: number, whence: number): Promise<number>; read(buffer: Uint8Array): Promise<number | null>; close(): void }>;
  SeekMode: { Start: number };
};

await runnerMain({
  name: "deno",
  version: Deno.version.deno,
  args: Deno.args,
  reader: (dir) => async (path, start, end) => {
    const full = `${dir}/${path}`;
    if (start === undefined || end === undefined) return Deno.readFile(full);
    const file = await Deno.open(full);
    try {
      await file.seek(start, Deno.SeekMode.Start);
      const bytes = new Uint8Array(end - start);
      for (let at = 0; at < bytes.length; ) {
        const n = await file.read(bytes.subarray(at));
        if (n === null) throw new Error(`${path}: short read at ${start + at}`);
        at += n;
      }
      return bytes;
    } finally {
      file.close();
    }
  },
  print: (line) => console.log(line),
});
