import type { CentralErrorCode } from './central.ts';

/** The one error type a `Central` or `Connection` rejects with; branch on `code`. */
export class CentralError extends Error {
  override readonly name = 'CentralError';
  readonly code: CentralErrorCode;
  /** Peripheral id the failing call was about, when there was one. */
  readonly peripheralId: string | undefined;
  /** What was being done: 'connect', 'read 180f/2a19', ... */
  readonly operation: string | undefined;
  /** ATT error code for `gatt` errors, when the stack reports it. */
  readonly attErrorCode: number | undefined;

  constructor(
    code: CentralErrorCode,
    message: string,
    details: { peripheralId?: string; operation?: string; attErrorCode?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.peripheralId = details.peripheralId;
    this.operation = details.operation;
    this.attErrorCode = details.attErrorCode;
  }
}

export function isCentralError(error: unknown, code?: CentralErrorCode): error is CentralError {
  return error instanceof CentralError && (code === undefined || error.code === code);
}
