// Why quantlite cannot run a model, every reason at once and briefly: operators it does not
// implement (with what they would need), versions beyond those implemented, tensor types it has
// no memory layout for, and operators whose preparation refused them (dynamic-range weights,
// int16 activations, …). Model.load throws them as one ModelError; inspect lists them.
import { ModelError } from "../errors.js";
import type { ModelDef, TensorType } from "../tflite/types.js";
import { type GraphOp, type GraphTensor, type OpSupport, operatorType } from "./graph.js";

export interface Problem {
  /** The operator concerned, or null for the model as a whole (a graph input, say). */
  opIndex: number | null;
  opType: string | null;
  /** What is missing, starting with the operator type where there is one. */
  reason: string;
  /** The operator's own message, when `reason` says what it means. */
  detail?: string;
}

/** Tensor types some operator may take (the others, complex64 say, no operator quantlite runs does). */
const LAID_OUT: ReadonlySet<TensorType> = new Set(["float32", "int32", "uint8", "int8", "int16", "int64", "bool", "float16", "float64"]);

const SEQUENCE_OPS = new Set([
  "LSTM", "UNIDIRECTIONAL_SEQUENCE_LSTM", "BIDIRECTIONAL_SEQUENCE_LSTM", "RNN", "UNIDIRECTIONAL_SEQUENCE_RNN",
  "BIDIRECTIONAL_SEQUENCE_RNN", "SVDF",
]);
const CONTROL_FLOW_OPS = new Set(["WHILE", "IF", "CALL_ONCE", "CALL"]);
const COMPLEX_OPS = new Set(["RFFT2D", "COMPLEX_ABS", "REAL", "IMAG"]);
const VARIABLE_OPS = new Set(["VAR_HANDLE", "READ_VARIABLE", "ASSIGN_VARIABLE"]);
/** Ops whose constant int8 weights with float activations make a dynamic-range (hybrid) layer. */
const WEIGHTED_OPS = new Set(["CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "TRANSPOSE_CONV", "BATCH_MATMUL", "EMBEDDING_LOOKUP"]);

const INT16 = "int16 activations are not supported";
const NOT_IMPLEMENTED = "not implemented";

/** Longest ModelError message for a list of problems, and most problems kept in its list. */
const MAX_MESSAGE = 300;
const MAX_LISTED = 50;
const MAX_LINE = 200;

/** What an operator type quantlite does not run would need. */
export function unsupportedOpReason(type: string, version: number, verdict: "unsupported" | "version", maxVersion?: number): string {
  if (verdict === "version") return `${type} version ${version} is not supported${maxVersion ? ` (versions 1–${maxVersion} are)` : ""}`;
  if (SEQUENCE_OPS.has(type)) return `${type}: sequence ops are not supported`;
  if (CONTROL_FLOW_OPS.has(type)) return `${type}: control flow (several subgraphs) is not supported`;
  if (COMPLEX_OPS.has(type)) return `${type}: complex numbers are not supported`;
  if (VARIABLE_OPS.has(type)) return `${type}: resource variables are not supported`;
  if (type.startsWith("CUSTOM(")) return `${type}: this custom operator is not implemented`;
  return `${type}: ${NOT_IMPLEMENTED}`;
}

/**
 * What can be told from the file alone (subgraph 0): operator types and versions quantlite does not
 * run, and tensor types it cannot hold (such a model cannot even be laid out). Indices out of range
 * are left to buildGraph.
 */
export function staticProblems(def: ModelDef, support: OpSupport, maxVersion: (type: string) => number | undefined): { ops: Problem[]; types: Problem[] } {
  const ops: Problem[] = [];
  const types: Problem[] = [];
  const subgraph = def.subgraphs[0];
  if (subgraph === undefined) return { ops, types };
  const tensors = subgraph.tensors;
  const operators = subgraph.operators;
  // Indexed loops without per-operator allocations: a model may hold tens of thousands of operators.
  for (let opIndex = 0; opIndex < operators.length; opIndex++) {
    const op = operators[opIndex];
    const code = def.operatorCodes[op.opcodeIndex];
    if (code === undefined) continue;
    const verdict = support(operatorType(code), code.version);
    if (verdict !== "ok") {
      const opType = operatorType(code);
      ops.push({ opIndex, opType, reason: unsupportedOpReason(opType, code.version, verdict, maxVersion(opType)) });
    }
    let odd: Set<TensorType> | null = null;
    for (const list of [op.inputs, op.outputs]) {
      for (let k = 0; k < list.length; k++) {
        const type = tensors[list[k]]?.type;
        if (type !== undefined && !LAID_OUT.has(type)) (odd ??= new Set()).add(type);
      }
    }
    for (const type of odd ?? []) types.push({ opIndex, opType: operatorType(code), reason: `${type} tensors are not supported` });
  }
  return { ops, types };
}

/**
 * Why prepare refused an operator, as what it would need when the tensors tell: int16 activations,
 * or float activations with constant 8-bit weights (a dynamic-range model); otherwise its message.
 */
export function preparationProblem(op: GraphOp, error: ModelError): Problem {
  const own = error.message.replace(/^operator \d+ \([^)]*\): /, "");
  const base = { opIndex: op.index, opType: op.type, detail: own.length > 160 ? `${own.slice(0, 159)}…` : own };
  const tensors = [...op.inputs, ...op.outputs].filter((t): t is GraphTensor => t !== null);
  if (tensors.some((t) => t.data === null && t.dtype === "int16")) return { ...base, reason: INT16 };
  const activation = op.inputs[0];
  const weights = tensors.some((t) => t.data !== null && (t.dtype === "int8" || t.dtype === "uint8"));
  if (WEIGHTED_OPS.has(op.type) && activation?.dtype === "float32" && weights) {
    return { ...base, reason: `dynamic-range (hybrid) ${op.type} is not supported` };
  }
  return { opIndex: op.index, opType: op.type, reason: `${op.type}: ${base.detail}` }; // its message says it best
}

/** A graph input or output of a type run() cannot take or give (int16 ones join the int16 operators' problem). */
export function ioProblem(t: GraphTensor, kind: "input" | "output"): Problem {
  if (t.dtype === "int16") return { opIndex: null, opType: null, reason: INT16 };
  const name = t.name.length > 60 ? `${t.name.slice(0, 57)}…` : t.name;
  return { opIndex: null, opType: null, reason: `graph ${kind} "${name}" is ${t.dtype}, which run() cannot take or give` };
}

/** Without the model-wide problems that repeat another's reason (int16 graph inputs beside int16 operators). */
function distinct(problems: Problem[]): Problem[] {
  return problems.filter((p, i) => p.opIndex !== null || !problems.some((q, j) => q.reason === p.reason && (q.opIndex !== null || j < i)));
}

/** One line per problem ("operator 3: …"), at most MAX_LISTED of them. */
export function problemLines(problems: Problem[]): string[] {
  const lines = problems.slice(0, MAX_LISTED).map((p) => {
    const line = p.opIndex === null ? p.reason : `operator ${p.opIndex}: ${p.reason}`;
    return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line;
  });
  if (problems.length > MAX_LISTED) lines.push(`… and ${problems.length - MAX_LISTED} more`);
  return lines;
}

/**
 * The problems by reason, each with its operators ("CONV_2D: … (operators 0, 2 and 7 more)"),
 * joined into at most MAX_MESSAGE characters ("… and N more" for the rest).
 */
export function problemSummary(problems: Problem[]): string {
  const groups = new Map<string, number[]>();
  const missing = new Map<string, number>();
  for (const p of problems) {
    if (p.opType !== null && p.reason === `${p.opType}: ${NOT_IMPLEMENTED}`) {
      missing.set(p.opType, (missing.get(p.opType) ?? 0) + 1);
      continue;
    }
    const list = groups.get(p.reason) ?? [];
    if (p.opIndex !== null) list.push(p.opIndex);
    groups.set(p.reason, list);
  }
  const parts = [...groups].map(([reason, ops]) => {
    if (ops.length === 0) return reason;
    const shown = ops.slice(0, 2).join(", ");
    return `${reason} (operator${ops.length > 1 ? "s" : ""} ${shown}${ops.length > 2 ? ` and ${ops.length - 2} more` : ""})`;
  });
  if (missing.size > 0) parts.unshift(`${NOT_IMPLEMENTED}: ${[...missing].map(([type, n]) => (n > 1 ? `${type} ×${n}` : type)).join(", ")}`);
  let message = "";
  let used = 0;
  for (const part of parts) {
    const next = message === "" ? part : `${message}; ${part}`;
    if (next.length > MAX_MESSAGE && used > 0) break;
    message = next.length > MAX_MESSAGE ? `${next.slice(0, MAX_MESSAGE - 1)}…` : next;
    used++;
  }
  return used < parts.length ? `${message}; … and ${parts.length - used} more` : message;
}

/** The ModelError for a list of problems: the original error when it is the only one and says it best. */
export function problemsError(all: Problem[], original?: ModelError): ModelError {
  const problems = distinct(all);
  if (problems.length === 1 && original !== undefined) return original;
  const site = problems.length === 1 && problems[0].opIndex !== null ? { opIndex: problems[0].opIndex, opType: problems[0].opType ?? undefined } : {};
  const [first] = problems;
  const message = problems.length === 1 && first.opIndex !== null
    ? `${first.reason.replace(`${first.opType}: `, "")}${first.detail ? ` (${first.detail})` : ""}`
    : `cannot run this model: ${problemSummary(problems)}`;
  return new ModelError(message, site, problemLines(problems));
}
