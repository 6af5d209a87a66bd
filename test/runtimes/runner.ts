// What the file-system runners (Node, Deno, Bun) share: the command line
//   <runtime> run-<runtime>.js check DATA_DIR
//   <runtime> run-<runtime>.js bench DATA_DIR '{"mode":"cold","model":"tf2","runs":30,"warmup":5}'
// and one result line on stdout, `@@quantlite <JSON>`, that the orchestrator (harness.ts) reads.
// quantlite is imported by its package name, so each runtime resolves the package's exports
// itself (self-reference: these files live inside the package).
import { type QuantliteApi, type ReadData, runChecks } from "./check.js";
import { type BenchTask, measure } from "./measure.js";

export const RESULT_MARKER = "@@quantlite ";
/** A variable, so that the import is the runtime's own resolution, done (and timed) at run time. */
const ENTRY: string = "quantlite";

export async function runnerMain(runtime: { name: string; version: string; args: string[]; reader: (dataDir: string) => ReadData; print: (line: string) => void }): Promise<void> {
  const [command, dataDir, taskJson] = runtime.args;
  const read = runtime.reader(dataDir);
  const importApi = () => import(ENTRY) as Promise<QuantliteApi>;
  let result: unknown;
  if (command === "check") {
    result = await runChecks(await importApi(), read, { runtime: runtime.name, version: runtime.version, entry: `${ENTRY} (default)` });
  } else if (command === "bench") {
    result = await measure(JSON.parse(taskJson) as BenchTask, read, { importApi });
  } else {
    throw new Error(`usage: check DATA_DIR | bench DATA_DIR TASK_JSON (got ${JSON.stringify(runtime.args)})`);
  }
  runtime.print(RESULT_MARKER + JSON.stringify(result));
}
