/** `mphate serve`: STUB, the server helper replaces this file. */
export const usage = 'Usage: mphate serve [options]\n\n(not implemented yet)';

export async function run(argv: string[]): Promise<number> {
  void argv;
  process.stderr.write('mphate serve: not implemented yet\n');
  return 1;
}
