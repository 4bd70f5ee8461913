/** tfjs backend selection (STUB: real selection follows). */
let active = '';

/** Picks the fastest available tfjs backend once; returns its name. */
export async function initBackend(): Promise<string> {
  if (active) return active;
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  await tf.ready();
  active = tf.getBackend();
  return active;
}

/** The backend chosen by initBackend ('' before it ran). */
export function backendName(): string {
  return active;
}
