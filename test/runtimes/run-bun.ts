// The Bun runner: reads the data with Bun.file (no node: modules).
import { runnerMain } from "./runner.js";

// The little of Bun's API used here (the project compiles with Node's types, not Bun's).
declare const Bun: {
  version: string;
  argv: string[];
  file(path: string): { slice(start?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer> }; arrayBuffer(): Promise<ArrayBuffer> };
};

await runnerMain({
  name: "bun",
  version: Bun.version,
  args: Bun.argv.slice(2),
  reader: (dir) => async (path, start, end) => {
    const file = Bun.file(`${dir}/${path}`);
    return new Uint8Array(await (start === undefined ? file : file.slice(start, end)).arrayBuffer());
  },
  print: (line) => console.log(line),
});
