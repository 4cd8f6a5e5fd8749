// The build steps that shorten the module's import and export names
// (scripts/tools/import-names.js) and replace the glue's init functions
// (scripts/tools/glue-init.js), on small inputs of the same shape as wasm-bindgen's output, and
// on the dist/ build every other spec here runs in Chromium. No browser: plain Node.
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

// scripts/tools/glue-init.js: one init function that takes a promise of the module's bytes,
// in place of wasm-bindgen's six. The fixture is wasm-bindgen's own output, cut down.
const GLUE_INIT = path.join(ROOT, 'scripts', 'tools', 'glue-init.js');
const GLUE_FIXTURE = fs.readFileSync(path.join(__dirname, 'glue', 'no-modules.js'), 'utf8');

// Imports "./akkoord_bg.js" "started"; exports __wbindgen_start (which calls it) and answer() = 42.
function startModuleBytes() {
  const str = (s) => [s.length, ...Buffer.from(s)];
  const section = (id, body) => [id, body.length, ...body];
  return Buffer.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [2, 0x60, 0, 0, 0x60, 0, 1, 0x7f]),
    ...section(2, [1, ...str('./akkoord_bg.js'), ...str('started'), 0x00, 0]),
    ...section(3, [2, 0, 1]),
    ...section(7, [2, ...str('__wbindgen_start'), 0x00, 1, ...str('answer'), 0x00, 2]),
    ...section(10, [2, 4, 0, 0x10, 0, 0x0b, 4, 0, 0x41, 42, 0x0b]),
  ]);
}

test('glue-init: the init takes a promise of the bytes, instantiates and starts the module', async () => {
  const glue = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'glue-init-')), 'glue.js');
  fs.writeFileSync(glue, GLUE_FIXTURE);
  execFileSync('node', [GLUE_INIT, glue]);
  const out = fs.readFileSync(glue, 'utf8');
  expect(out).not.toMatch(/instantiateStreaming|module_or_path|script_src|initSync|console\.warn/);
  const init = new Function(out + '\nreturn akkoordWasm;')();
  await init(Promise.resolve(startModuleBytes()));
  expect(init.starts(), 'the start function ran once').toBe(1);
  expect(init.answer()).toBe(42);
  await expect(init(Promise.resolve(Buffer.from('not wasm')))).rejects.toThrow(/WebAssembly|magic|wasm/i);
});

test('glue-init: a glue it does not recognise is refused, and nothing is written', () => {
  const glue = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'glue-init-')), 'glue.js');
  const other = GLUE_FIXTURE.replace('async function __wbg_load(module, imports)', 'async function __wbg_fetch(module, imports)');
  fs.writeFileSync(glue, other);
  const run = spawnSync('node', [GLUE_INIT, glue], { encoding: 'utf8' });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('expected the init functions once');
  expect(fs.readFileSync(glue, 'utf8')).toBe(other);
});

for (const file of ['akkoord.js', 'akkoord-full.js', 'akkoord-statement.js']) {
  test(`dist/${file} carries the one init function, not wasm-bindgen's`, () => {
    const js = fs.readFileSync(path.join(ROOT, 'dist', file), 'utf8');
    expect(js).not.toMatch(/instantiateStreaming|module_or_path|deprecated parameters/);
    expect(js).toContain('WebAssembly.instantiate(');
  });
}

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
