// The build step that shortens the module's import and export names
// (scripts/tools/import-names.js), on a small module of the same shape as wasm-bindgen's, and on
// the dist/ build every other spec here runs in Chromium. No browser: plain Node.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');
const { test, expect } = require('@playwright/test');

const ROOT = path.resolve(__dirname, '..', '..');
const TOOL = path.join(ROOT, 'scripts', 'tools', 'import-names.js');

// A module with one function import from "./akkoord_bg.js" and one exported function that
// calls it: the smallest thing wasm-bindgen's output looks like.
function moduleBytes(importName, exportName) {
  const str = (s) => [s.length, ...Buffer.from(s)];
  const section = (id, body) => [id, body.length, ...body];
  return Buffer.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 0, 0]), // type 0: () -> ()
    ...section(2, [1, ...str('./akkoord_bg.js'), ...str(importName), 0x00, 0]),
    ...section(3, [1, 0]), // function 1 has type 0
    ...section(7, [1, ...str(exportName), 0x00, 1]),
    ...section(10, [1, 4, 0, 0x10, 0, 0x0b]), // body: call 0; end
  ]);
}

// The glue's shape: an import object keyed by import name, exports read as `wasm.<name>`.
const glueFor = (importName, exportName) => `
let wasm;
const import0 = { __proto__: null, ${importName}: function () { calls.push('import'); } };
const imports = { "./akkoord_bg.js": import0 };
const instance = new WebAssembly.Instance(module, imports);
wasm = instance.exports;
wasm.${exportName}();
`;

function scratch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-names-'));
  return { wasm: path.join(dir, 'm.wasm'), glue: path.join(dir, 'glue.js') };
}

const IMPORT = '__wbg_log_d5e2fdbdb56416f0';
const EXPORT = 'wasm_bindgen_7d28df335b40a2ea___convert__closures_____invoke_______true_';

test('renamed names match in the module and the glue, and the pair still runs', () => {
  const f = scratch();
  fs.writeFileSync(f.wasm, moduleBytes(IMPORT, EXPORT));
  fs.writeFileSync(f.glue, glueFor(IMPORT, EXPORT));
  execFileSync('node', [TOOL, f.wasm, f.glue]);

  const module = new WebAssembly.Module(fs.readFileSync(f.wasm));
  expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'a', name: 'a', kind: 'function' }]);
  expect(WebAssembly.Module.exports(module)).toEqual([{ name: 'a', kind: 'function' }]);
  const glue = fs.readFileSync(f.glue, 'utf8');
  expect(glue).not.toContain(IMPORT);
  expect(glue).not.toContain(EXPORT);
  // The rewritten glue instantiates the rewritten module and the call reaches the import.
  const calls = [];
  new Function('module', 'calls', glue)(module, calls);
  expect(calls).toEqual(['import']);
});

test('a glue that does not define an import is refused, and nothing is written', () => {
  const f = scratch();
  const bytes = moduleBytes(IMPORT, EXPORT);
  fs.writeFileSync(f.wasm, bytes);
  fs.writeFileSync(f.glue, glueFor('__wbg_other_0123456789abcdef', EXPORT));
  const run = spawnSync('node', [TOOL, f.wasm, f.glue], { encoding: 'utf8' });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain(`import ${IMPORT} is not defined`);
  expect(fs.readFileSync(f.wasm).equals(bytes), 'module left as it was').toBe(true);
});

test('a glue that reads an export by a computed name is refused', () => {
  const f = scratch();
  fs.writeFileSync(f.wasm, moduleBytes(IMPORT, EXPORT));
  fs.writeFileSync(f.glue, glueFor(IMPORT, EXPORT) + 'wasm["x"];\n');
  const run = spawnSync('node', [TOOL, f.wasm, f.glue], { encoding: 'utf8' });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('computed name');
});

for (const [file, atLeast] of [['akkoord.wasm', 50], ['akkoord-full.wasm', 50], ['akkoord-statement.wasm', 5]]) {
  test(`dist/${file}: every import is short and comes from the one glue module`, () => {
    const module = new WebAssembly.Module(fs.readFileSync(path.join(ROOT, 'dist', file)));
    const imports = WebAssembly.Module.imports(module);
    expect(imports.length).toBeGreaterThan(atLeast);
    for (const i of imports) {
      expect(i.module).toBe('a');
      expect(i.name).toMatch(/^[a-zA-Z]{1,2}$/);
    }
    expect(new Set(imports.map((i) => i.name)).size, 'no name twice').toBe(imports.length);
  });
}

test('dist/akkoord.wasm, the first visit\'s module, carries no vendor code, and the full module does', () => {
  // The vendors' base code lives in services::CODES, which only gating reads (README, "Two
  // modules for the banner"): nothing in the first visit's module can load a vendor.
  const first = fs.readFileSync(path.join(ROOT, 'dist', 'akkoord.wasm')).toString('latin1');
  const full = fs.readFileSync(path.join(ROOT, 'dist', 'akkoord-full.wasm')).toString('latin1');
  for (const needle of ['connect.facebook.net/en_US/fbevents.js', 'googletagmanager.com/gtag/js', 'analytics.tiktok.com']) {
    expect(first.includes(needle), `${needle} is not in akkoord.wasm`).toBe(false);
    expect(full.includes(needle), `${needle} is in akkoord-full.wasm`).toBe(true);
  }
});

test('dist/akkoord-statement.wasm exports the renderer and none of the banner', () => {
  const module = new WebAssembly.Module(fs.readFileSync(path.join(ROOT, 'dist', 'akkoord-statement.wasm')));
  const glue = fs.readFileSync(path.join(ROOT, 'dist', 'akkoord-statement.js'), 'utf8');
  expect(WebAssembly.Module.exports(module).length, 'the module has exports').toBeGreaterThan(0);
  expect(glue, 'the glue exposes render').toMatch(/\brender\b/);
  for (const banner of ['acceptAll', 'showPreferences', 'boot']) {
    expect(glue, `the statement glue has no ${banner}`).not.toContain(banner);
  }
});
