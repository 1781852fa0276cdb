// `npm run bench`: runs every bench/*.bench.ts, prints the figures and writes docs/benchmarks.md.
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchSection {
  title: string;
  /** Markdown body: a table of figures and a sentence on how they were measured. */
  markdown: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const sections: BenchSection[] = [];
for (const file of files) {
  process.stderr.write(`bench: ${file}\n`);
  const mod = (await import(join(here, file))) as { run: () => Promise<BenchSection[]> };
  for (const section of await mod.run()) {
    process.stdout.write(`\n## ${section.title}\n\n${section.markdown}\n`);
    sections.push(section);
  }
}

const header =
  `# Benchmarks\n\nWritten by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ` +
  `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.\n`;
mkdirSync(join(here, '..', 'docs'), { recursive: true });
if (only.length === 0) {
  writeFileSync(
    join(here, '..', 'docs', 'benchmarks.md'),
    header + sections.map((s) => `\n## ${s.title}\n\n${s.markdown}\n`).join(''),
  );
  process.stderr.write('bench: figures written to docs/benchmarks.md\n');
}
