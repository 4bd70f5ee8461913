/**
 * `pnpm bench [NAME ...]`: every benchmark of the workspace, one after another (never in
 * parallel: 2 cores). Each module exports `run(): Promise<void>` and prints its own table.
 */
const SUITES = ['core', 'dense', 'callback', 'server', 'dashboard', 'team', 'live'] as const;
/** Run only when named: team starts a PostgreSQL and several processes, live takes long (records traces on first use). */
const ON_REQUEST: readonly string[] = ['team', 'live'];

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(SUITES as readonly string[]).includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${SUITES.join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : SUITES.filter((s) => !ON_REQUEST.includes(s))) {
  console.log(`\n## ${name}\n`);
  const suite = (await import(`./${name}.ts`)) as { run: () => Promise<void> };
  await suite.run();
}
