/**
 * What went wrong, in words every edge can map: the server to an HTTP status or a WebSocket
 * close code, the CLI to an exit code. Domain code says the kind; only the edges know numbers.
 */
export type ErrorKind =
  /** Cannot be read at all: not JSON, an empty body, neither a snapshot nor a .npy. */
  | 'malformed'
  /** Well-formed but breaks a rule: a shape, a range, a non-finite value, a checksum. */
  | 'invalid'
  /** Over a size or cost limit; the message names the limit and how to raise it. */
  | 'too-large'
  | 'not-found'
  /** Conflicts with what is stored: an id that exists, a session in the wrong state. */
  | 'conflict'
  /** No or a wrong token. */
  | 'unauthorized'
  /** Refused whatever the credentials: a foreign Host or Origin, a wrong session secret. */
  | 'forbidden'
  /** A request body of a type a state-changing route does not take. */
  | 'unsupported-media-type'
  /** Transient (disk full, database busy, too many uploads at once): try again later. */
  | 'unavailable';

/** An error whose message names the problem and whose kind says how an edge reports it. */
export class MphateError extends Error {
  override name = 'MphateError';
  constructor(
    message: string,
    readonly kind: ErrorKind,
  ) {
    super(message);
  }
}

/** Raised for any message, header or file that breaks the protocol. The message names the problem. */
export class ProtocolError extends MphateError {
  override name = 'ProtocolError';
  constructor(message: string, kind: ErrorKind = 'invalid') {
    super(message, kind);
  }
}

/** The kind of an error thrown anywhere in our code, or undefined for foreign errors (bugs, I/O). */
export function errorKind(error: unknown): ErrorKind | undefined {
  return error instanceof MphateError ? error.kind : undefined;
}
