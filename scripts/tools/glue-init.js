// glue-init: replace the init functions of wasm-bindgen's `--target no-modules` glue with the
// one the loader uses.
//
//   node glue-init.js <akkoord.js>     (rewritten in place)
//
// Why: the generated init accepts a URL, a Request, a Response, a promise of one, a module or
// bytes, in the current and in a deprecated calling convention, retries with the bytes when a
// server sends the wrong Content-Type for `.wasm`, and guesses the wasm's URL from the script's
// own. The loader (www/akkoord.js) always hands it a promise of the module's bytes, so all of
// that is code every visitor downloads and no visitor runs (about 0.5 KB brotli per glue).
// Compiling from the bytes also makes the banner independent of the server's Content-Type.
//
// The replaced parts are matched exactly, from their first line to their last; anything
// unexpected (another wasm-bindgen version) is an error, not a guess.
'use strict';

const fs = require('fs');

const [gluePath] = process.argv.slice(2);
if (!gluePath) fail('usage: node glue-init.js <glue.js>');
let glue = fs.readFileSync(gluePath, 'utf8');

// 1. The script's own URL, read only to guess the wasm's.
glue = once(glue, /\n {4}let script_src;\n {4}if \(typeof document !== 'undefined' && document\.currentScript !== null\) \{\n {8}script_src = new URL\(document\.currentScript\.src, location\.href\)\.toString\(\);\n {4}\}\n/, '\n', 'the script_src block');

// 2. __wbg_load, initSync, __wbg_init and __wbg_init_once, up to the returned object.
glue = once(glue, /\n {4}async function __wbg_load\(module, imports\) \{\n[\s\S]*?\n {4}return Object\.assign\(__wbg_init, \{ initSync \}, exports\);\n/, `
    // bytes: a promise of the module's bytes (www/akkoord.js, wasmBytes).
    function __wbg_init(bytes) {
        return bytes
            .then((b) => WebAssembly.instantiate(b, __wbg_get_imports()))
            .then((r) => __wbg_finalize_init(r.instance, r.module));
    }

    return Object.assign(__wbg_init, exports);
`, 'the init functions');

if (/script_src|__wbg_load|initSync|__wbg_init_once/.test(glue)) fail('the glue still refers to a replaced function');
fs.writeFileSync(gluePath, glue);

function once(text, pattern, replacement, what) {
  const all = text.match(new RegExp(pattern.source, 'g')) || [];
  if (all.length !== 1) fail(`expected ${what} once in ${gluePath}, found it ${all.length} times`);
  return text.replace(pattern, () => replacement);
}

function fail(message) {
  console.error('glue-init: ' + message);
  process.exit(1);
}
