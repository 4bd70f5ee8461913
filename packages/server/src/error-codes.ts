/**
 * The server's edge: the one place where an error's kind becomes an HTTP status or a
 * WebSocket close code. Domain code throws MphateError (or ProtocolError) with a kind; errors
 * without one are bugs or I/O failures, answered 500 / 1011 without their internal message.
 */
import { type ErrorKind, errorKind } from '@mphate/protocol';

const HTTP_STATUS: Record<ErrorKind, number> = {
  malformed: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  'unsupported-media-type': 415,
  invalid: 422,
  unavailable: 503,
};

/** 1008 policy violation, 1009 too big, 1013 try again later (RFC 6455 and the IANA registry). */
const CLOSE_CODE: Record<ErrorKind, number> = {
  malformed: 1008,
  invalid: 1008,
  unauthorized: 1008,
  forbidden: 1008,
  'not-found': 1008,
  conflict: 1008,
  'unsupported-media-type': 1008,
  'too-large': 1009,
  unavailable: 1013,
};

/** What an internal failure says to a client: nothing about the internals. */
const INTERNAL_ERROR = 'internal server error (see the server log)';

export function httpStatus(error: unknown): number {
  const kind = errorKind(error);
  return kind ? HTTP_STATUS[kind] : 500;
}

export function closeCode(error: unknown): number {
  const kind = errorKind(error);
  return kind ? CLOSE_CODE[kind] : 1011;
}

/** The message a client may see: ours as written, anything else replaced by INTERNAL_ERROR. */
export function publicMessage(error: unknown): string {
  return errorKind(error) && error instanceof Error ? error.message : INTERNAL_ERROR;
}

/** WebSocket close reasons are limited to 123 bytes of UTF-8. */
export function closeReason(reason: string): string {
  const bytes = Buffer.from(reason, 'utf8');
  if (bytes.length <= 123) return reason;
  let cut = bytes.subarray(0, 120).toString('utf8');
  while (Buffer.byteLength(cut) > 120) cut = cut.slice(0, -1);
  return `${cut.replace(/\uFFFD$/, '')}...`;
}

/** Closes a socket with the code of the error's kind and its public message as the reason. */
export function closeWith(ws: { close(code: number, reason: string): void }, error: unknown): void {
  ws.close(closeCode(error), closeReason(publicMessage(error)));
}
