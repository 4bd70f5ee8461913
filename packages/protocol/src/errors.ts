/** Raised for any message, header or file that breaks the protocol. The message names the problem. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}
