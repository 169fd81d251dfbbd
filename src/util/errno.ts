/** Whether `error` is a Node.js system error (one with a `code` such as ENOENT), and, given `code`, that one. */
export function isErrnoException(error: unknown, code?: string): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' && (code === undefined || error.code === code);
}
