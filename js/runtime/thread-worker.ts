// The source of a quantlite worker thread (js/runtime/threads.ts), as text: the pool starts it
// from a string (node:worker_threads `eval` in Node, Deno and Bun; a Blob URL module Worker in
// browsers), so the package needs no separate worker file that bundlers would have to find. It is
// plain JavaScript with no imports; `nodePort` says which of the two kinds of worker it runs in.
//
// init message { module, memory, control, kernels, phases, slot, scratch, spinMs }, phases[p] =
// { kernel, fields, scratchField, chunks: parameter block addresses } → instantiate the threads
// build of quantlite.wasm on the shared memory and answer { ready }. Then, forever: wait until GO
// changes (spin for spinMs, then Atomics.wait, counted in SLEEPING); stop if STOP is set; else
// claim chunks — Atomics.add(NEXT, 1) returns (phase << 16 | chunk) — and run each one: copy its
// parameter block to this thread's slot, point `scratch` at this thread's buffer, call the kernel,
// COMPLETED += 1 (waking the main thread when it waits, MAIN_WAITING, and this was the last one),
// until the chunk index is past the phase's count. A kernel that throws sets FAILED (the chunk
// still counts as completed). No message is exchanged per inference.
export function workerSource(nodePort: boolean): string {
  return `"use strict";
const nodePort = ${nodePort ? `process.getBuiltinModule("worker_threads").parentPort` : "null"};
${WORKER_BODY}`;
}

const WORKER_BODY = `const GO = 0, STOP = 1, SLEEPING = 2, NEXT = 16, COMPLETED = 32, MAIN_WAITING = 33, FAILED = 34;
const post = (message) => (nodePort ? nodePort.postMessage(message) : self.postMessage(message));
const start = (init) => {
  // The module also imports a function table, which only run_program uses: an empty one here.
  const table = new WebAssembly.Table({ element: "anyfunc", initial: 1 });
  WebAssembly.instantiate(init.module, { env: { memory: init.memory, table } }).then((instance) => {
    const kernels = init.kernels.map((name) => instance.exports[name]);
    const control = new Int32Array(init.memory.buffer, init.control, 64);
    const words = new Int32Array(init.memory.buffer);
    const phases = init.phases;
    const slot = init.slot >> 2;
    let seen = Atomics.load(control, GO);
    post({ ready: true });
    for (;;) {
      let deadline = 0;
      for (let spins = 0; Atomics.load(control, GO) === seen; spins++) {
        if ((spins & 255) !== 0) continue;
        const now = performance.now();
        if (deadline === 0) deadline = now + init.spinMs;
        else if (now >= deadline) {
          Atomics.add(control, SLEEPING, 1);
          Atomics.wait(control, GO, seen);
          Atomics.sub(control, SLEEPING, 1);
        }
      }
      seen = Atomics.load(control, GO);
      if (Atomics.load(control, STOP) !== 0) break;
      for (;;) {
        const claim = Atomics.add(control, NEXT, 1);
        const phase = phases[claim >>> 16];
        const chunk = claim & 0xffff;
        if (phase === undefined || chunk >= phase.chunks.length) break;
        try {
          const from = phase.chunks[chunk] >> 2;
          words.copyWithin(slot, from, from + phase.fields);
          if (phase.scratchField >= 0) words[slot + phase.scratchField] = init.scratch;
          kernels[phase.kernel](init.slot);
        } catch (error) {
          Atomics.store(control, FAILED, 1);
        }
        if (Atomics.add(control, COMPLETED, 1) === phase.chunks.length - 1 && Atomics.load(control, MAIN_WAITING) !== 0) {
          Atomics.notify(control, COMPLETED);
        }
      }
    }
    if (nodePort) nodePort.close();
    else self.close();
  }, (error) => post({ error: String((error && error.message) || error) }));
};
if (nodePort) nodePort.once("message", start);
else self.onmessage = (event) => { self.onmessage = null; start(event.data); };
`;
