import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const ticksPerS = 100;

/**
 * CPU time (user + system) another process has used so far, ms, read from
 * `/proc/<pid>/stat`; undefined where /proc is not there. A bench reads it
 * around a round to tell whether the server's core, not the client, was
 * the limit. The resolution is 10 ms, enough over rounds of seconds.
 */
export function processCpuMs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) / ticksPerS) * 1000;
}

/** CPU time this process has used so far, ms (user + system). */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
