// Builds the web view into ../src/KubeDiscovery/Ui/assets, which the server embeds (see Ui/UiAssets.cs).
// Every script and style sheet is named by a hash of its content, so the server can let browsers cache it
// for a year; index.html, which names them, is the one file browsers revalidate. The output is
// committed, so `dotnet run` needs no Node.js; .ci/run builds it again and fails if it differs.
import * as esbuild from 'esbuild';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../src/KubeDiscovery/Ui/assets');

const common = {
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome110', 'firefox115', 'safari16'],
  entryNames: '[name]-[hash]',
  outdir: out,
  metafile: true,
  legalComments: 'eof',
  logLevel: 'warning',
  // Same input, same bytes: CI compares the committed output with a fresh build.
  sourcemap: false,
  charset: 'utf8',
};

function outputOf(result, entry) {
  for (const [file, meta] of Object.entries(result.metafile.outputs)) {
    if (meta.entryPoint === entry) return path.basename(file);
  }
  // A module loaded with import() is a chunk named after it.
  const name = path.basename(entry, '.js');
  for (const file of Object.keys(result.metafile.outputs)) {
    if (path.basename(file).startsWith(`${name}-`)) return path.basename(file);
  }
  throw new Error(`no output for ${entry}`);
}

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

// The layout worker first: the page names it, so its hashed name goes into the page's bundle.
const worker = await esbuild.build({ ...common, entryPoints: ['src/layout-worker.js'] });
const workerFile = outputOf(worker, 'src/layout-worker.js');

const app = await esbuild.build({
  ...common,
  entryPoints: ['src/main.js', 'src/styles.css'],
  // The drawing code is its own chunk, loaded beside a view's first request (src/lazy-graph.js).
  splitting: true,
  chunkNames: '[name]-[hash]',
  define: { LAYOUT_WORKER: JSON.stringify(workerFile) },
});

const template = await readFile(path.join(here, 'src/index.html'), 'utf8');
const html = template
  .replace('{{script}}', outputOf(app, 'src/main.js'))
  .replace('{{graph}}', outputOf(app, 'src/graph.js'))
  .replace('{{styles}}', outputOf(app, 'src/styles.css'));
await writeFile(path.join(out, 'index.html'), html);

const files = (await readdir(out)).sort();
console.log(`built ${files.length} files into ${path.relative(process.cwd(), out)}: ${files.join(', ')}`);
