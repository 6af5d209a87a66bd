/** Longest message an error carries, whatever the model or image holds (names, shapes, lists). */
export const MAX_MESSAGE_LENGTH = 400;

/** The message, cut to MAX_MESSAGE_LENGTH characters with a note of how much was left out. */
export function shortMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_LENGTH) return message;
  return `${message.slice(0, MAX_MESSAGE_LENGTH - 40)}… (${message.length - (MAX_MESSAGE_LENGTH - 40)} more characters)`;
}

/** Base class of every error quantlite throws on purpose. */
export class QuantliteError extends Error {
  constructor(message: string) {
    super(shortMessage(message));
    this.name = new.target.name;
  }
}

/** Where in a model a problem was found. */
export interface ModelErrorSite {
  opIndex?: number;
  opType?: string;
  tensorIndex?: number;
}

/** The model bytes are not a valid, supported TFLite model. */
export class ModelError extends QuantliteError {
  readonly opIndex?: number;
  readonly opType?: string;
  readonly tensorIndex?: number;
  /** Every problem found, when several were collected at once (for example unsupported ops). */
  readonly problems: string[];

  constructor(message: string, site: ModelErrorSite = {}, problems: string[] = []) {
    const where =
      site.opIndex !== undefined
        ? `operator ${site.opIndex}${site.opType ? ` (${site.opType})` : ""}: `
        : site.tensorIndex !== undefined
          ? `tensor ${site.tensorIndex}: `
          : "";
    super(where + message);
    this.opIndex = site.opIndex;
    this.opType = site.opType;
    this.tensorIndex = site.tensorIndex;
    this.problems = problems.length ? problems.map(shortMessage) : [this.message];
  }
}

/** The image bytes could not be decoded, or decode to something unusable. */
export class ImageError extends QuantliteError {}

/** A call got input of the wrong kind: length, dtype, or a disposed model. */
export class InputError extends QuantliteError {}
