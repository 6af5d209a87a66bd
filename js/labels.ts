// Class labels: parsing label files and lining them up with a model's output classes.
import { InputError } from "./errors.js";
import type { ModelDef } from "./tflite/types.js";

/**
 * Maps class index → label. Labels may have exactly one per class, one fewer (the model's class 0
 * is "background", missing from the file), or one more whose first line is "background" (a
 * 1001-line ImageNet file for a 1000-class model).
 */
export function labelResolver(labels: string[] | string | null | undefined, classes: number): (index: number) => string | null {
  if (labels === null || labels === undefined) return () => null;
  const lines = typeof labels === "string" ? splitLabels(labels) : labels;
  if (lines.length === classes) return (i) => lines[i];
  if (lines.length === classes - 1) return (i) => (i === 0 ? "background" : lines[i - 1]);
  if (lines.length === classes + 1 && lines[0].trim().toLowerCase() === "background") return (i) => lines[i + 1];
  throw new InputError(`the labels have ${lines.length} lines, which does not fit a model with ${classes} classes`);
}

export function splitLabels(text: string): string[] {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  return lines;
}

/** Lines of the first text file packed in the model (TFLite metadata stores labels that way). */
export function embeddedLabels(def: ModelDef): string[] | null {
  for (const [name, bytes] of def.associatedFiles) {
    if (name.toLowerCase().endsWith(".txt")) return splitLabels(new TextDecoder().decode(bytes));
  }
  return null;
}
