// `npx tsx tools/scaffold-adapter.ts NAME [--root DIR]`: a new CMS-family adapter from the template, with a first
// saved-page example for test/crawl/adapter-examples.test.ts, and what to edit next.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { PLATFORM_NAMES } from '../crawlers/platforms/names.ts';

const TEMPLATES = new URL('./templates/', import.meta.url).pathname;

export function scaffoldAdapter(name: string, root: string): string[] {
  if (!/^[a-z][a-z0-9]*$/.test(name)) throw new Error(`adapter name must be lower-case letters and digits: ${name}`);
  if ((PLATFORM_NAMES as readonly string[]).includes(name) || name === 'auto')
    throw new Error(`adapter ${name} exists already`);
  const fill = (template: string) =>
    readFileSync(join(TEMPLATES, template), 'utf8')
      .replaceAll('__NAME__', name)
      .replaceAll('__TITLE__', name[0].toUpperCase() + name.slice(1));
  const adapterFile = join(root, 'crawlers/platforms', `${name}.ts`);
  const exampleDir = join(root, 'test/crawl/examples', name);
  const files: Array<[string, string]> = [
    [adapterFile, fill('adapter.ts.template')],
    [join(exampleDir, 'column.html'), fill('example.html.template')],
    [
      join(exampleDir, 'column.expected.json'),
      JSON.stringify(
        {
          source: 'TODO: where the page comes from (portal and date, shared fixture, or simulator seed)',
          job: { url: `http://${name}.example/TODO/column/index.html`, label: 'column' },
          expected: { entries: [], enqueued: [], fetched: [], errors: [] },
        },
        null,
        2,
      ) + '\n',
    ],
  ];
  for (const [file] of files) if (existsSync(file)) throw new Error(`${relative(root, file)} exists already`);
  for (const [file, text] of files) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return files.map(([file]) => relative(root, file));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const rootAt = args.indexOf('--root');
  const root = rootAt >= 0 ? args.splice(rootAt, 2)[1] : new URL('..', import.meta.url).pathname;
  const [name] = args;
  if (!name || args.length !== 1) {
    console.error('usage: npx tsx tools/scaffold-adapter.ts NAME [--root DIR]');
    process.exit(2);
  }
  try {
    for (const file of scaffoldAdapter(name, root)) console.log(`wrote ${file}`);
  } catch (err) {
    console.error(`scaffold-adapter: ${(err as Error).message}`);
    process.exit(1);
  }
  console.log(`
Next:
  1. crawlers/platforms/names.ts: add '${name}' to PLATFORM_NAMES before 'generic' (detection order: most specific first).
  2. crawlers/platforms/index.ts: import { ${name} } from './${name}.ts' and add it to BY_NAME.
  3. crawlers/platforms/${name}.ts: write detect() and handle() (the TODOs).
  4. test/crawl/examples/${name}/: replace column.html with a saved column page, set the job URL and source in
     column.expected.json, add a second example (a further list page), note their origin in the README there.
  5. NIANBAO_UPDATE_EXAMPLES=1 npm test -- test/crawl/adapter-examples.test.ts, review the written expectations,
     then npm test -- test/crawl.`);
}
