/** Why a decoder refused its input. Callers branch on `code`; `message` is for humans and logs. */
export type DecodeErrorCode =
  /** Fewer bytes than the frame needs; `offset` is where the missing bytes start. */
  | 'truncated'
  /** Header byte names a protocol version this reader does not know; `value` is the version. */
  | 'unknown-version'
  /** Header byte names a frame type this reader does not know; `value` is the type. */
  | 'unknown-type'
  /** Control opcode this reader does not know; `value` is the opcode. */
  | 'unknown-opcode'
  /** A field holds a value outside its documented domain; `offset` and `value` name it. */
  | 'invalid-field';

export interface DecodeError {
  readonly type: 'error';
  readonly code: DecodeErrorCode;
  /** Byte offset of the offending field, or of the first missing byte for `truncated`. */
  readonly offset: number;
  /** The offending value (a byte, a code, or a length), when there is one. */
  readonly value?: number;
  readonly message: string;
}

export function decodeError(code: DecodeErrorCode, offset: number, message: string, value?: number): DecodeError {
  return value === undefined
    ? { type: 'error', code, offset, message }
    : { type: 'error', code, offset, value, message };
}

export function truncated(what: string, offset: number, needed: number, have: number): DecodeError {
  return decodeError(
    'truncated',
    offset,
    `${what}: needs ${needed} bytes, got ${have} (missing from offset ${offset})`,
    have,
  );
}

/** Thrown by encoders when the caller passes a frame that cannot be represented (a programming error, not bad input). */
export class EncodeError extends RangeError {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'EncodeError';
    this.field = field;
  }
}
