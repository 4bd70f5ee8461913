/** `mphate export`: STUB, the server helper replaces this file. */
export const usage = 'Usage: mphate export [options]\n\n(not implemented yet)';

export async function run(argv: string[]): Promise<number> {
  void argv;
  process.stderr.write('mphate export: not implemented yet\n');
  return 1;
}
