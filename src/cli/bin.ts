#!/usr/bin/env node
import { main } from './main.js';

// A reader that stops early (`h2flow load --help | head`) closes the pipe: that ends the output, as
// for any Unix tool, and is no error to print a stack trace for.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// The `h2flow` executable: everything else is in main.ts so tests can call it in-process.
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
