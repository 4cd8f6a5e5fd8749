// import-names: give the banner module's imports and exports short names, in the module and in
// the wasm-bindgen glue that uses them.
//
//   node import-names.js <akkoord_bg.wasm> <akkoord.js>     (both rewritten in place)
//
// Why: wasm-bindgen names each import after the JS function plus a 16-digit hash
// (`__wbg_focus_d5e2fdbdb56416f0`), and every name is written twice: in the module's import
// section and as a key of the glue's import object. Closure exports carry crate hashes too.
// The hashes are random hex, which brotli cannot compress (measured: -3.5 KB brotli for a
// first visit). Nothing else reads these names: the glue hands its import object to
// `WebAssembly.instantiate` and reads exports as `wasm.<name>`; the loader only calls the
// glue's own functions.
//
// Only the import and export sections change (every other section is copied byte for byte);
// in the glue, only whole old names (and exports only as `wasm.<name>`). An export the glue
// does not use keeps its name. Anything unexpected is an error, not a guess.
'use strict';

const fs = require('fs');

const [wasmPath, gluePath] = process.argv.slice(2);
if (!wasmPath || !gluePath) fail('usage: node import-names.js <module.wasm> <glue.js>');

const MODULE = './akkoord_bg.js';
const SHORT_MODULE = 'a';

function fail(message) {
  process.stderr.write(`import-names: ${message}\n`);
  process.exit(1);
}

// --- reading ---------------------------------------------------------------------------------

function reader(bytes, at = 0) {
  const r = {
    at,
    byte() {
      if (r.at >= bytes.length) fail('unexpected end of the module');
      return bytes[r.at++];
    },
    u32() {
      let result = 0;
      let shift = 0;
      for (;;) {
        const b = r.byte();
        result += (b & 0x7f) * 2 ** shift;
        if (!(b & 0x80)) return result;
        shift += 7;
        if (shift > 28) fail('a LEB128 number longer than 5 bytes');
      }
    },
    bytes(n) {
      if (r.at + n > bytes.length) fail('unexpected end of the module');
      const out = bytes.subarray(r.at, r.at + n);
      r.at += n;
      return out;
    },
    name() {
      return Buffer.from(r.bytes(r.u32())).toString('utf8');
    },
  };
  return r;
}

// --- writing ---------------------------------------------------------------------------------

function u32(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
}

// A section with a new body: id, byte length, the entries after their count.
const section = (id, entries) => {
  const content = Buffer.concat(entries);
  return Buffer.concat([Buffer.from([id]), u32(content.length), content]);
};

const name = (s) => {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([u32(b.length), b]);
};

// The import's description after its two names, copied as it is: its length depends on the
// kind (function: type index; table: ref type + limits; memory: limits; global: type + mut;
// tag: attribute + type index).
function skipDescription(r) {
  const kind = r.byte();
  const limits = () => {
    const flags = r.u32();
    r.u32();
    if (flags & 1) r.u32();
  };
  switch (kind) {
    case 0: r.u32(); break;
    case 1: r.byte(); limits(); break;
    case 2: limits(); break;
    case 3: r.byte(); r.byte(); break;
    case 4: r.byte(); r.u32(); break;
    default: fail(`import of unknown kind ${kind}`);
  }
}

// a, b, …, z, A, …, Z, aa, ab, …: valid identifiers (unquoted object keys in the glue).
function shortName(i) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let s = '';
  do {
    s = letters[i % letters.length] + s;
    i = Math.floor(i / letters.length) - 1;
  } while (i >= 0);
  return s;
}

// --- the module ------------------------------------------------------------------------------

const wasm = fs.readFileSync(wasmPath);
if (wasm.readUInt32LE(0) !== 0x6d736100 || wasm.readUInt32LE(4) !== 1) fail(`${wasmPath} is not a wasm module`);

let glue = fs.readFileSync(gluePath, 'utf8');
const whole = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const renamed = new Map(); // import: old name -> new name
const exported = new Map(); // export: old name -> new name
const parts = [wasm.subarray(0, 8)];
const r = reader(wasm, 8);
let sawImports = false;
while (r.at < wasm.length) {
  const start = r.at;
  const id = r.byte();
  const size = r.u32();
  const body = r.at;
  const end = body + size;
  if (id === 7) {
    const s = reader(wasm, body);
    const count = s.u32();
    const entries = [u32(count)];
    for (let i = 0; i < count; i++) {
      const field = s.name();
      const descStart = s.at;
      s.byte();
      s.u32();
      const desc = wasm.subarray(descStart, s.at);
      const used = new RegExp(`(?<![\\w$])wasm\\.${whole(field)}(?![\\w$])`).test(glue);
      // A name already as short as the new ones could be taken for one of them below.
      if (used && /^[a-zA-Z]{1,2}$/.test(field)) fail(`export ${field} already has a short name`);
      if (used) exported.set(field, shortName(exported.size));
      entries.push(name(used ? exported.get(field) : field), desc);
    }
    if (s.at !== end) fail('the export section has bytes after its last entry');
    parts.push(section(7, entries));
    r.at = end;
    continue;
  }
  if (id !== 2) {
    r.bytes(size);
    parts.push(wasm.subarray(start, end));
    continue;
  }
  if (sawImports) fail('two import sections');
  sawImports = true;
  const s = reader(wasm, body);
  const count = s.u32();
  const entries = [u32(count)];
  for (let i = 0; i < count; i++) {
    const module = s.name();
    const field = s.name();
    const descStart = s.at;
    skipDescription(s);
    const desc = wasm.subarray(descStart, s.at);
    if (module !== MODULE) fail(`import ${module}.${field}: only imports from ${MODULE} are expected`);
    if (renamed.has(field)) fail(`import ${field} appears twice`);
    renamed.set(field, shortName(renamed.size));
    entries.push(name(SHORT_MODULE), name(renamed.get(field)), desc);
  }
  if (s.at !== end) fail('the import section has bytes after its last entry');
  parts.push(section(2, entries));
  r.at = end;
}
if (!sawImports) fail('no import section');

// --- the glue --------------------------------------------------------------------------------

// The glue must read exports only as `wasm.<name>`: no `wasm[…]`, and `instance.exports` only
// where it becomes `wasm`.
if (/(?<![\w$])wasm\s*\[/.test(glue)) fail(`${gluePath} reads an export by a computed name`);
if (glue.split('instance.exports').length !== 2) fail(`expected instance.exports once in ${gluePath}`);
for (const from of exported.keys()) {
  if (renamed.has(from)) fail(`${from} is both an import and an export`);
}
const quotedModule = JSON.stringify(MODULE);
if (glue.split(quotedModule).length !== 2) fail(`expected ${quotedModule} once in ${gluePath}`);
glue = glue.replace(quotedModule, JSON.stringify(SHORT_MODULE));
for (const [from, to] of renamed) {
  // The whole name only: not a part of a longer identifier.
  const pattern = new RegExp(`(?<![\\w$])${whole(from)}(?![\\w$])`, 'g');
  let hits = 0;
  glue = glue.replace(pattern, () => {
    hits += 1;
    return to;
  });
  if (hits === 0) fail(`import ${from} is not defined in ${gluePath}`);
}

for (const [from, to] of exported) {
  glue = glue.replace(new RegExp(`(?<![\\w$])wasm\\.${whole(from)}(?![\\w$])`, 'g'), `wasm.${to}`);
}

fs.writeFileSync(wasmPath, Buffer.concat(parts));
fs.writeFileSync(gluePath, glue);
process.stdout.write(`import-names: ${renamed.size} imports and ${exported.size} exports renamed\n`);
