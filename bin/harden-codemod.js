#!/usr/bin/env node
'use strict';
// Thin entry: the CLI lives in the library (built to dist/ by `npm install`'s prepare step).
const { main } = require('../dist/src/cli/main.js');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`harden-codemod: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 2;
  },
);
