// A loaded model: parsed, validated, planned and prepared once; run many times.
// Each Model owns one wasm instance and its memory: activations live in one planned arena,
// packed weights and kernel parameters after it. An inference allocates nothing in wasm.
import { type ModelSource, modelBytes } from "./model-source.js";
import { InputError, ModelError } from "./errors.js";
import { closestName, listNames } from "./names.js";
import { foldConstants } from "./graph/fold.js";
import { type Graph, type GraphTensor, buildGraph, operatorType } from "./graph/graph.js";
import { embeddedLabels } from "./labels.js";
import { ARENA_ALIGNMENT, planArena } from "./graph/plan.js";
import type { Step } from "./ops/context.js";
import { loadOperators, OPS, opSupport } from "./ops/registry.js";
import { ioProblem, preparationProblem, type Problem, problemsError, staticProblems } from "./graph/support.js";
import { compileEmbeddedModule } from "./runtime/embedded-module.js";
import { type KernelExports, type KernelSet, instantiateKernels } from "./runtime/kernels.js";
import { WasmMemory } from "./runtime/memory.js";
import type { Threads } from "./runtime/threads.js";
import { checkThreads, threadsUnavailable } from "./runtime/threads-support.js";
import { metadataNormalization, type Normalization } from "./tflite/metadata.js";
import { readModel } from "./tflite/read.js";
import type { ModelDef, TensorType } from "./tflite/types.js";
import { TENSOR_ARRAYS, type TensorData, type TensorDtype, typeName } from "./tensor-data.js";

export type { TensorData } from "./tensor-data.js";

/** Tensors by graph input or output name: what runAll takes and gives by name. */
export type NamedTensors = Record<string, TensorData>;

export interface TensorInfo {
  /** Index of the tensor in the model's subgraph. */
  index: number;
  name: string;
  dtype: TensorType;
  shape: number[];
  /** Quantization scale and zero point (per-tensor; 0 and 0 when not quantized). */
  scale: number;
  zeroPoint: number;
}

export interface LoadOptions {
  /** A compiled quantlite.wasm; by default the bytes embedded in this package are compiled. */
  wasmModule?: WebAssembly.Module;
  /** Upper bound on the wasm memory one model may use (default 256 MiB; at most 4 GiB). */
  maxMemoryBytes?: number;
  /** Give every tensor its own memory so intermediate tensors can be read after run (debugging). */
  preserveAllTensors?: boolean;
  /** "simd" (default): the v128 kernels; "scalar": their plain reference versions (same results). */
  kernels?: KernelSet;
  /**
   * Threads that share one inference (default 1): each CONV_2D, DEPTHWISE_CONV_2D and ADD is cut
   * into bands of its output that the calling thread and threads − 1 workers compute on a shared
   * memory (outputs are identical to one thread's). Needs SharedArrayBuffer and workers: Node
   * 20.16+, Deno, Bun, or a cross-origin isolated page; elsewhere (workerd) it throws InputError.
   * run stays synchronous. Call dispose() to end the workers. Pays off when the machine has idle
   * cores: with other CPU-bound work running, one thread can be faster.
   */
  threads?: number;
}

/** What indexByName gives for a name that several inputs (or outputs) have. */
const SHARED_NAME = -1;
const DEFAULT_MAX_MEMORY = 256 * 1024 * 1024;
/** Tiny kernel calls at load that use up V8's budget for optimizing them (about 2 ms). */
const WARM_UP_ROUNDS = 1500;
/** Bytes of scratch warm_up uses (WARM_UP_BYTES in assembly/kernels/warmup.ts). */
const WARM_UP_BYTES = 8192;
const MAX_WASM_MEMORY = 4 * 1024 * 1024 * 1024;

/** Problems in operator order, the model-wide ones (graph inputs and outputs) last. */
const byOperator = (a: Problem, b: Problem) => (a.opIndex ?? Number.MAX_SAFE_INTEGER) - (b.opIndex ?? Number.MAX_SAFE_INTEGER);

/** Ends the worker threads of a model that is garbage-collected without dispose(). */
const workerReaper = new FinalizationRegistry<() => void>((terminate) => terminate());

/** Runs every operator in order (`all`), or one (`ops[k]`, for profile). */
interface Runner {
  all: () => void;
  ops: (() => void)[];
}

interface Live {
  kernels: KernelExports;
  runner: Runner;
  pool: Threads | null;
}

/**
 * The operators' kernel calls as one program in wasm memory (assembly/program.ts): an inference is
 * one call into wasm, which allocates nothing in JavaScript whatever tier V8 runs it in.
 */
function programRunner(kernels: KernelExports, memory: WasmMemory, steps: Step[]): Runner {
  if (typeof kernels.run_program !== "function") throw new ModelError("the wasm module has no run_program (an older quantlite.wasm?)");
  const calls = steps.flatMap((step) => step.calls);
  const program = new Int32Array(2 * calls.length);
  calls.forEach(({ kernel, params }, i) => {
    program[2 * i] = kernels.programIndex.get(kernel)!;
    program[2 * i + 1] = params;
  });
  const at = memory.store(program);
  let first = 0;
  const ops = steps.map(({ calls: { length } }) => {
    const start = at + 8 * first;
    first += length;
    return () => kernels.run_program(start, length);
  });
  return { all: () => kernels.run_program(at, calls.length), ops };
}

/** Operators run one by one from JavaScript: with threads, whose steps coordinate the workers. */
function stepRunner(steps: (() => void)[]): Runner {
  return {
    all: () => { for (let i = 0; i < steps.length; i++) steps[i](); },
    ops: steps,
  };
}

/** The index of every tensor by name, SHARED_NAME where several have the same name. */
function indexByName(tensors: GraphTensor[]): Map<string, number> {
  const index = new Map<string, number>();
  tensors.forEach((t, k) => index.set(t.name, index.has(t.name) ? SHARED_NAME : k));
  return index;
}

const isRecord = (value: unknown): value is NamedTensors => value !== null && typeof value === "object" && !Array.isArray(value) && !ArrayBuffer.isView(value);

function tensorInfo(t: GraphTensor): TensorInfo {
  return { index: t.index, name: t.name, dtype: t.dtype, shape: [...t.shape], scale: t.scale[0] ?? 0, zeroPoint: t.zeroPoint[0] ?? 0 };
}

export class Model {
  readonly inputs: TensorInfo[];
  readonly outputs: TensorInfo[];
  /** The model's description string (from the .tflite file). */
  readonly description: string;
  /** Class labels packed in the model file (TFLite metadata associated file), if any. */
  readonly labels: string[] | null;
  /** Input 0's normalisation (x − mean) / std from the model's TFLite metadata, if it gives one. */
  readonly inputNormalization: Normalization | null;
  /** Bytes of the activation arena. */
  readonly arenaBytes: number;
  /** Bytes of wasm memory in use: arena, packed weights and parameters. */
  readonly memoryBytes: number;
  /** Operators in execution order. */
  readonly ops: { index: number; type: string }[];
  /** Threads an inference runs on: LoadOptions.threads, or 1 when the model has no operator to split. */
  readonly threads: number;

  /** The wasm instance, how to run the operators and the worker threads; null once disposed. */
  private live: Live | null;
  /**
   * Views of the graph's inputs and outputs in wasm memory, typed as their dtype (uint8 ones hold
   * the stored int8 bytes): memory does not grow after load, so they stay valid and run allocates
   * nothing to reach them.
   */
  private readonly inputViews: TensorData[];
  private readonly outputViews: TensorData[];
  /** Graph input and output index by name; SHARED_NAME for a name several of them have. */
  private readonly inputIndex: Map<string, number>;
  private readonly outputIndex: Map<string, number>;

  protected constructor(
    kernels: KernelExports,
    private readonly graph: Graph,
    private readonly addresses: Map<number, number>,
    runner: Runner,
    private readonly preserveAllTensors: boolean,
    def: ModelDef,
    memory: WasmMemory,
    arenaBytes: number,
    pool: Threads | null = null,
    threads = 1,
  ) {
    this.live = { kernels, runner, pool };
    const view = (t: GraphTensor) => new TENSOR_ARRAYS[t.dtype as TensorDtype](kernels.memory.buffer, addresses.get(t.index)!, t.elementCount);
    this.inputViews = graph.inputs.map(view);
    this.outputViews = graph.outputs.map(view);
    this.inputIndex = indexByName(graph.inputs);
    this.outputIndex = indexByName(graph.outputs);
    this.threads = pool !== null && pool.splitOps > 0 ? threads : 1;
    if (pool !== null) workerReaper.register(this, pool.terminate, this);
    this.inputs = graph.inputs.map(tensorInfo);
    this.outputs = graph.outputs.map(tensorInfo);
    this.description = def.description;
    this.labels = embeddedLabels(def);
    this.inputNormalization = metadataNormalization(def).normalization;
    this.arenaBytes = arenaBytes;
    this.memoryBytes = memory.usedBytes;
    this.ops = graph.ops.map((op) => ({ index: op.index, type: op.type }));
  }

  /**
   * The wasm Module a model gets when LoadOptions.wasmModule is not given: here the bytes embedded
   * in the package, compiled. Entries for runtimes that refuse to compile bytes (workerd) subclass
   * Model and override this.
   */
  protected static defaultWasmModule(): Promise<WebAssembly.Module> {
    return compileEmbeddedModule();
  }

  /** Why LoadOptions.threads > 1 cannot work in this runtime, or null. Runtime entries may override. */
  protected static threadsUnavailable(): string | null {
    return threadsUnavailable();
  }

  /**
   * Parses, validates and prepares a .tflite model given as bytes (any ArrayBufferView or
   * ArrayBuffer), a fetch Response, a URL (fetched), a ReadableStream or a Blob. Throws ModelError
   * for a bad or unsupported model, InputError for a source that cannot be read.
   */
  static async load(file: ModelSource, options: LoadOptions = {}): Promise<Model> {
    const bytes = await modelBytes(file);
    // The class load was called on (a runtime entry's subclass); Model when called unbound.
    const Class: typeof Model = typeof this === "function" ? this : Model;
    const preserve = options.preserveAllTensors ?? false;
    const maxMemoryBytes = options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY;
    if (!(maxMemoryBytes > 0 && maxMemoryBytes <= MAX_WASM_MEMORY)) {
      throw new InputError(`option maxMemoryBytes must be a number of bytes in (0, 4 GiB], not ${maxMemoryBytes}`);
    }
    const kernelSet = options.kernels ?? "simd";
    if (kernelSet !== "simd" && kernelSet !== "scalar") throw new InputError(`option kernels must be "simd" or "scalar", not ${JSON.stringify(kernelSet)}`);
    const threads = checkThreads(options.threads ?? 1);
    if (threads > 1) {
      const why = Class.threadsUnavailable();
      if (why !== null) throw new InputError(`threads are not available in this runtime: ${why}`);
    }
    // The threads runtime is imported only when asked for: an app that never uses threads ships none of it.
    const threadsRuntime = threads > 1 ? await import("./runtime/threads.js") : null;
    const module = threadsRuntime ? await threadsRuntime.threadsModule(options.wasmModule) : options.wasmModule ?? (await Class.defaultWasmModule());
    const kernels = threadsRuntime ? await threadsRuntime.instantiateShared(module, maxMemoryBytes) : await instantiateKernels(module);
    const arenaBase = Math.ceil(kernels.heap_base() / ARENA_ALIGNMENT) * ARENA_ALIGNMENT;
    // Have V8 optimize the main v128 kernels in the background while the model is read and its ops
    // prepared, so that the first inference does not run in baseline code (assembly/kernels/warmup.ts).
    // Its scratch is the start of the arena, where nothing is yet: in the instance's first page for
    // quantlite's builds (a module whose data ends later than that goes without).
    if (kernelSet === "simd" && typeof kernels.warm_up === "function" && arenaBase + WARM_UP_BYTES <= kernels.memory.buffer.byteLength) {
      kernels.warm_up(arenaBase, WARM_UP_ROUNDS);
    }
    const def = readModel(bytes);
    await loadOperators(def.operatorCodes.map(operatorType));
    // Every reason the model cannot run is collected, so that one ModelError names them all.
    const found = staticProblems(def, opSupport, (type) => OPS.get(type)?.maxVersion);
    if (found.types.length > 0) throw problemsError([...found.ops, ...found.types].sort(byOperator));
    const graph = foldConstants(buildGraph(def), (type) => OPS.get(type)?.fold, (type) => OPS.get(type)?.outputShapes);
    const problems: Problem[] = [...found.ops];
    let original: ModelError | undefined;
    const plan = planArena(graph, preserve);
    const memory = new WasmMemory(kernels.memory, arenaBase, plan.size, maxMemoryBytes);
    const addresses = new Map([...plan.offsets].map(([index, offset]) => [index, arenaBase + offset]));
    const steps: Step[] = [];
    for (const op of graph.ops) {
      const definition = OPS.get(op.type);
      if (definition === undefined || opSupport(op.type, op.version) !== "ok") continue;
      try {
        steps.push(definition.prepare({
          op,
          kernels,
          kernelSet,
          memory,
          address: (t) => {
            const address = addresses.get(t.index);
            if (address === undefined) throw new ModelError(`tensor ${t.index} ("${t.name}") has no memory (is it a constant?)`, { opIndex: op.index, opType: op.type });
            return address;
          },
        }));
      } catch (e) {
        if (!(e instanceof ModelError)) throw e;
        if (e.opIndex === undefined) {
          // Not about this operator (wasm memory exhausted, say): the operators after it would only repeat it.
          problems.push({ opIndex: null, opType: null, reason: e.message });
          original ??= e;
          break;
        }
        const problem = preparationProblem(op, e);
        if (problem.detail === undefined) original ??= e;
        problems.push(problem);
      }
    }
    graph.inputs.forEach((t) => { if (!(t.dtype in TENSOR_ARRAYS)) problems.push(ioProblem(t, "input")); });
    graph.outputs.forEach((t) => { if (!(t.dtype in TENSOR_ARRAYS)) problems.push(ioProblem(t, "output")); });
    if (problems.length > 0) throw problemsError(problems.sort(byOperator), original);
    const pool = threadsRuntime ? await threadsRuntime.startThreads(module, kernels, memory, steps, threads) : null;
    const runner = pool !== null && pool.splitOps > 0 ? stepRunner(pool.steps) : programRunner(kernels, memory, steps);
    return new Class(kernels, graph, addresses, runner, preserve, def, memory, plan.size, pool, threads);
  }

  /**
   * Runs the model on its single input and returns a copy of output 0: a new array, or `output`
   * (a typed array of output 0's dtype and size) filled in, so that a steady loop allocates nothing.
   *
   * Typing: a new array is typed `TensorData` (the union), since the dtype comes from the model
   * file at run time; narrow it with `expectDtype(data, "float32")`, which checks. Given `output`,
   * the result is that very array, so it keeps its type: `run(x, new Float32Array(n))` is a
   * `Float32Array`, with no cast (a wrong dtype or size is an InputError).
   */
  run(input: TensorData): TensorData;
  run<O extends TensorData>(input: TensorData, output: O): O;
  run(input: TensorData, output?: TensorData): TensorData;
  run(input: TensorData, output?: TensorData): TensorData {
    if (this.inputs.length !== 1) throw new InputError(`the model has ${this.inputs.length} inputs; use runAll`);
    this.writeInput(0, input);
    this.runSteps();
    return this.readOutput(0, output);
  }

  /**
   * Runs the model on every input and returns a copy of every output, by position or by name:
   *
   * - `runAll([a, b])`: one typed array per input in `model.inputs` order; returns a new array of
   *   the outputs in `model.outputs` order. `runAll(inputs, outputs)` copies them into the
   *   caller's arrays (one per output, of its dtype and size) and returns `outputs` itself, so that
   *   a steady loop allocates nothing; a tuple keeps its element types:
   *   `const [boxes, count] = model.runAll([x], [new Float32Array(40), new Float32Array(1)])`.
   * - `runAll({ image: a, mask: b })`: keyed by input name, each input exactly once (an unknown or
   *   missing name is an InputError); returns a new record keyed by output name. `outputs`, if
   *   given, is then a record by output name of arrays to fill (some or all of them; the others
   *   are new). Names must identify one tensor: a model whose outputs share a name can only
   *   return an array (InputError otherwise); names that several inputs share cannot be passed.
   *
   * Outputs that runAll allocates are typed `TensorData`; `expectDtype(data, "int32")` narrows one
   * with a check. Arrays passed as `outputs` come back with their own types.
   */
  runAll(inputs: TensorData[]): TensorData[];
  runAll<const O extends TensorData[]>(inputs: TensorData[], outputs: O): O;
  runAll(inputs: NamedTensors): NamedTensors;
  runAll<O extends NamedTensors>(inputs: NamedTensors, outputs: O): O & NamedTensors;
  runAll(inputs: TensorData[] | NamedTensors, outputs?: TensorData[] | NamedTensors): TensorData[] | NamedTensors;
  runAll(inputs: TensorData[] | NamedTensors, outputs?: TensorData[] | NamedTensors): TensorData[] | NamedTensors {
    if (Array.isArray(inputs)) {
      if (outputs !== undefined && (!Array.isArray(outputs) || outputs.length !== this.outputs.length)) {
        throw new InputError(`expected ${this.outputs.length} output arrays, got ${Array.isArray(outputs) ? outputs.length : typeName(outputs)}`);
      }
      this.writeInputs(inputs);
      this.runSteps();
      if (outputs === undefined) return this.outputs.map((_, k) => this.readOutput(k));
      for (let k = 0; k < outputs.length; k++) this.readOutput(k, outputs[k]);
      return outputs;
    }
    if (!isRecord(inputs)) throw this.notInputs(inputs);
    if (outputs !== undefined && !isRecord(outputs)) {
      throw new InputError(`with inputs by name, outputs must be a record by output name, got ${typeName(outputs)}`);
    }
    const into = outputs === undefined ? [] : Object.keys(outputs).map((name) => [this.tensorIndex(name, "output"), outputs[name]] as const);
    for (const [k, data] of into) this.expectArray(data, this.graph.outputs[k], "output", k);
    const names = this.graph.outputs.map((t) => t.name);
    const shared = names.find((name) => this.outputIndex.get(name) === SHARED_NAME);
    if (shared !== undefined) throw new InputError(`several outputs are named ${JSON.stringify(shared)}: pass the inputs as an array to get the outputs by position`);
    this.writeInputs(inputs);
    this.runSteps();
    const given = new Map(into);
    // fromEntries defines each name as an own property, whatever it is (even "__proto__").
    return Object.fromEntries(names.map((name, k) => [name, this.readOutput(k, given.get(k))]));
  }

  private runSteps(): void {
    this.checkLive().runner.all();
  }

  /**
   * Runs once like runAll (inputs by position or by name) and times each operator's kernel step
   * with performance.now() (for benchmarks): one entry per operator, in execution order. run and
   * runAll are not timed.
   */
  profile(inputs: TensorData[] | NamedTensors): { index: number; type: string; ms: number }[] {
    const { ops } = this.checkLive().runner;
    this.writeInputs(inputs);
    return ops.map((step, k) => {
      const start = performance.now();
      step();
      return { ...this.ops[k], ms: performance.now() - start };
    });
  }

  /** A copy of any activation tensor after run (needs preserveAllTensors for intermediates). */
  tensor(index: number): TensorData {
    this.checkLive();
    const t = this.graph.tensors[index];
    if (t === undefined || !this.addresses.has(index)) throw new InputError(`tensor ${index} is not an activation tensor of this model`);
    const isBoundary = this.graph.inputs.includes(t) || this.graph.outputs.includes(t);
    if (!this.preserveAllTensors && !isBoundary) throw new InputError("load the model with { preserveAllTensors: true } to read intermediate tensors");
    return this.read(t);
  }

  /** Releases the wasm instance and ends the worker threads; the model cannot be used afterwards. */
  dispose(): void {
    if (this.live?.pool) {
      workerReaper.unregister(this);
      this.live.pool.terminate();
    }
    this.live = null;
  }

  private checkLive(): Live {
    if (this.live === null) throw new InputError("this model has been disposed");
    return this.live;
  }

  private writeInputs(inputs: TensorData[] | NamedTensors): void {
    const count = this.graph.inputs.length;
    if (Array.isArray(inputs)) {
      if (inputs.length !== count) throw new InputError(`expected ${count} input arrays, got ${inputs.length}`);
      for (let k = 0; k < count; k++) this.writeInput(k, inputs[k]);
      return;
    }
    if (!isRecord(inputs)) throw this.notInputs(inputs);
    const given = Object.keys(inputs);
    const indices = given.map((name) => this.tensorIndex(name, "input"));
    if (given.length !== count) {
      const missing = this.graph.inputs.filter((_, k) => !indices.includes(k)).map((t) => t.name);
      throw new InputError(`missing input${missing.length > 1 ? "s" : ""} ${listNames(missing)} (inputs: ${listNames(this.inputs.map((t) => t.name))})`);
    }
    for (let i = 0; i < count; i++) this.writeInput(indices[i], inputs[given[i]]);
  }

  private notInputs(inputs: unknown): InputError {
    return new InputError(`expected ${this.graph.inputs.length} input arrays (or a record of them by input name), got ${typeName(inputs)}`);
  }

  /** The graph input or output called `name`; InputError naming the closest for an unknown one. */
  private tensorIndex(name: string, kind: "input" | "output"): number {
    const k = (kind === "input" ? this.inputIndex : this.outputIndex).get(name);
    if (k === SHARED_NAME) throw new InputError(`several ${kind}s are named ${JSON.stringify(name)}: pass them as an array`);
    if (k !== undefined) return k;
    const names = (kind === "input" ? this.inputs : this.outputs).map((t) => t.name);
    if (names.length === 0) throw new InputError(`unknown ${kind} ${listNames([name])}: the model has no ${kind}s`);
    throw new InputError(`unknown ${kind} ${listNames([name])}; did you mean ${listNames([closestName(name, names)])}? (${kind}s: ${listNames(names)})`);
  }

  private writeInput(k: number, data: TensorData): void {
    const { kernels } = this.checkLive();
    const t = this.graph.inputs[k];
    this.expectArray(data, t, "input", k);
    const view = this.inputViews[k];
    view.set(data as never);
    if (t.dtype === "uint8") kernels.flip_sign_bits(view.byteOffset, t.byteSize); // stored as int8 (x - 128)
  }

  /** Throws InputError unless `data` is a typed array of t's dtype and element count. */
  private expectArray(data: unknown, t: GraphTensor, kind: "input" | "output", k: number): void {
    const Expected = TENSOR_ARRAYS[t.dtype as TensorDtype];
    if (!(data instanceof Expected)) {
      throw new InputError(`${kind} ${k} ("${t.name}") is ${t.dtype}: expected a ${Expected.name}, got ${typeName(data)}`);
    }
    if (data.length !== t.elementCount) {
      throw new InputError(`${kind} ${k} ("${t.name}") needs ${t.elementCount} values for shape [${t.shape}], got ${data.length}`);
    }
  }

  /** Output k, copied into `into` (checked) or a new array. */
  private readOutput(k: number, into?: TensorData): TensorData {
    const t = this.graph.outputs[k];
    if (into !== undefined) this.expectArray(into, t, "output", k);
    return this.copyOut(t, this.outputViews[k], into ?? new TENSOR_ARRAYS[t.dtype as TensorDtype](t.elementCount));
  }

  private read(t: GraphTensor): TensorData {
    const address = this.addresses.get(t.index)!;
    const Type = TENSOR_ARRAYS[t.dtype as TensorDtype];
    return this.copyOut(t, new Type(this.checkLive().kernels.memory.buffer, address, t.elementCount), new Type(t.elementCount));
  }

  /** Copies tensor t from its view in wasm memory into `out`; uint8 is flipped back from its int8 storage in place, copied, and flipped again. */
  private copyOut(t: GraphTensor, view: TensorData, out: TensorData): TensorData {
    const { kernels } = this.checkLive();
    if (t.dtype !== "uint8") {
      out.set(view as never);
      return out;
    }
    kernels.flip_sign_bits(view.byteOffset, t.byteSize);
    out.set(view as never);
    kernels.flip_sign_bits(view.byteOffset, t.byteSize);
    return out;
  }
}
