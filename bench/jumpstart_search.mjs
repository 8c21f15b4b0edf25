/**
 * Timing of the JumpStart catalog model (src/jumpstart/catalog.ts) on the real 1,079-model catalog.
 *
 * Run after `jlpm build:lib`:
 *
 *     node bench/jumpstart_search.mjs [path/to/catalog.json]
 *
 * The manifest is built from /work/shared/data/jumpstart/catalog.json with model_id, version and min_version
 * (from min_sdk_version) only. spec_key is required by the manifest format but not in catalog.json; it follows the
 * pattern of the real samples (`community_models/<id>/specs_v<version>.json`). No provider, keywords or
 * deprecation flag are made up, so the search string of each model is its id and id-derived task.
 *
 * "Open from cache" times what the source does with a cached manifest before anything can be drawn: JSON.parse of
 * the cached text, validation, one row per model and the first (name-sorted) query. It does not include the
 * state database read or React rendering.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = dirname(fileURLToPath(import.meta.url));
const catalogPath =
  process.argv[2] ?? '/work/shared/data/jumpstart/catalog.json';

// lib/ is ES modules in a package without "type": "module"; catalog.js has no runtime imports, so a copy with
// the .mjs extension loads as it is.
const libFile = join(here, '..', 'lib', 'jumpstart', 'catalog.js');
const source = readFileSync(libFile, 'utf8');
if (/^\s*import\s[^(]/m.test(source)) {
  throw new Error(
    `${libFile} has runtime imports; this script cannot load it.`
  );
}
const copy = join(
  mkdtempSync(join(tmpdir(), 'jumpstart-bench-')),
  'catalog.mjs'
);
writeFileSync(copy, source);
const { JumpStartCatalog, parseManifest, buildModels } = await import(
  pathToFileURL(copy).href
);

const records = JSON.parse(readFileSync(catalogPath, 'utf8')).models;
const manifest = records.map(r => ({
  model_id: r.model_id,
  version: r.version,
  min_version: r.min_sdk_version,
  spec_key: `community_models/${r.model_id}/specs_v${r.version}.json`
}));
const cachedText = JSON.stringify({
  fetchedAt: 0,
  entries: manifest,
  skipped: 0
});

function stats(samples) {
  const s = samples.slice().sort((a, b) => a - b);
  const at = q => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: at(0.5), p95: at(0.95), max: s[s.length - 1], n: s.length };
}
const fmt = x => x.toFixed(3);

// Open from cache: cold (first run in this process) and warm (median of 50 further runs).
const openSamples = [];
let catalog;
for (let i = 0; i < 51; i++) {
  const t0 = performance.now();
  const cached = JSON.parse(cachedText);
  const { entries } = parseManifest(cached.entries);
  catalog = new JumpStartCatalog(buildModels(entries));
  catalog.query({ sort: { by: 'name', order: 'asc' } });
  openSamples.push(performance.now() - t0);
}
const [coldOpen, ...warmOpen] = openSamples;
const open = stats(warmOpen);
console.log(
  `models: ${catalog.models.length} (manifest entries: ${manifest.length}, cached text ${(cachedText.length / 1024).toFixed(0)} KiB)`
);
console.log(
  `open from cache (parse + index + first query): cold ${fmt(coldOpen)} ms, warm median ${fmt(open.median)} ms, p95 ${fmt(open.p95)} ms (target <= 300 ms)`
);

// Per keystroke: every prefix of a few typed queries, each run 200 times, on a fresh catalog.
const typed = [
  'llama',
  'text generation',
  'bert base',
  'stable diffusion',
  'mobilenet'
];
const sorts = [
  { by: 'name', order: 'asc' },
  { by: 'task', order: 'asc' },
  { by: 'framework', order: 'desc' }
];
for (const sort of sorts) {
  const fresh = new JumpStartCatalog(
    buildModels(parseManifest(manifest).entries)
  );
  const samples = [];
  const firstKeystroke = [];
  for (const query of typed) {
    for (let i = 1; i <= query.length; i++) {
      const text = query.slice(0, i);
      for (let r = 0; r < 200; r++) {
        const t0 = performance.now();
        fresh.query({ text, sort });
        const dt = performance.now() - t0;
        samples.push(dt);
      }
    }
  }
  // The very first query of a sort order also builds that order once.
  const other = new JumpStartCatalog(
    buildModels(parseManifest(manifest).entries)
  );
  const t0 = performance.now();
  other.query({ text: 'l', sort });
  firstKeystroke.push(performance.now() - t0);
  const s = stats(samples);
  const over = samples.filter(x => x > 10).length;
  console.log(
    `search, sort ${sort.by} ${sort.order}: median ${fmt(s.median)} ms, p95 ${fmt(s.p95)} ms, max ${fmt(s.max)} ms over ${s.n} keystrokes (${over} over 10 ms); first keystroke of a new order ${fmt(firstKeystroke[0])} ms (target <= 10 ms)`
  );
}

const hits = q => catalog.query({ text: q }).length;
console.log(
  `hits: ${typed.map(q => `"${q}" ${hits(q)}`).join(', ')}; "l" ${hits('l')}`
);
console.log(`node ${process.version}`);
