import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isInvalidOptionError } from '../errors/InvalidOptionError.js';
import { buildDemoCommand } from './demoCommand.js';
import { CommandFailure, exitCodes } from './exitCodes.js';
import { buildLoadCommand } from './loadCommand.js';
import { buildServeCommand } from './serveCommand.js';
import { buildSimulateCommand } from './simulateCommand.js';
import { buildTuneCommand } from './tuneCommand.js';
import { UsageError } from './usageError.js';

/**
 * The `h2flow` command line. Each subcommand lives in its own file and
 * exports a function that builds its commander `Command`; this file wires
 * them and turns bad input into one line on stderr and exit code 2, and a
 * finished run that failed into one line and its own code (exitCodes.ts).
 */

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Builds the root command with every subcommand registered. */
export function buildProgram(): Command {
  const program = new Command('h2flow')
    .description(
      'Adaptive rate control for HTTP/2 clients: keep throughput near the maximum your\n' +
        'connections and server allow, with no request cancelled on the wire.',
    )
    .version(pkg.version, '-V, --version', 'print the h2flow version')
    // One line, like every subcommand's errors (commander's own hint would be a second line).
    .configureOutput({
      outputError: (text, write) =>
        write(`h2flow: ${text.replace(/^error: /, '').trimEnd()} (run with --help for usage)\n`),
    })
    .exitOverride();
  // Subcommands register here (one line each).
  program.addCommand(buildSimulateCommand());
  program.addCommand(buildServeCommand());
  program.addCommand(buildTuneCommand());
  program.addCommand(buildLoadCommand());
  program.addCommand(buildDemoCommand());
  return program;
}

/** Runs the CLI with `argv`; resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already printed its message (or the help/version text).
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    if (error instanceof UsageError || isInvalidOptionError(error)) {
      process.stderr.write(`h2flow: ${(error as Error).message}\n`);
      return exitCodes.usage;
    }
    if (error instanceof CommandFailure) {
      process.stderr.write(`h2flow: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`h2flow: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.H2FLOW_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    return exitCodes.error;
  }
}
