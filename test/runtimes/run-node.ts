// The Node runner (Node 20 and Node 22): reads the data with node:fs.
import { open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { runnerMain } from "./runner.js";

await runnerMain({
  name: "node",
  version: process.version,
  args: process.argv.slice(2),
  reader: (dir) => async (path, start, end) => {
    if (start === undefined || end === undefined) return new Uint8Array(await readFile(join(dir, path)));
    const file = await open(join(dir, path));
    try {
      const bytes = new Uint8Array(end - start);
      const { bytesRead } = await file.read(bytes, 0, bytes.length, start);
      if (bytesRead !== bytes.length) throw new Error(`${path}: short read at ${start}`);
      return bytes;
    } finally {
      await file.close();
    }
  },
  print: (line) => console.log(line),
});
