#!/usr/bin/env node
import { main } from './main.js';

// The `h2flow` executable: everything else is in main.ts so tests can call it in-process.
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
