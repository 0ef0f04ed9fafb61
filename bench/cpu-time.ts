/**
 * CPU time of processes, from Linux's /proc (undefined elsewhere): the server's per request, and
 * PostgreSQL's — the postmaster and its backends — per request or floor operation.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The kernel's clock ticks per second, the unit of /proc/<pid>/stat's CPU times. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** The parent and the CPU time (user + system, ms) of process `pid` so far. */
function processStat(pid: number | string): { ppid: number; cpuMs: number } | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // ppid, utime and stime: fields 4, 14 and 15 of proc(5)'s stat, counted after the command's ")"
    return { ppid: Number(fields[1]), cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS };
  } catch {
    return undefined; // no /proc, or the process ended
  }
}

export function processCpuMs(pid: number | undefined): number | undefined {
  return pid === undefined ? undefined : processStat(pid)?.cpuMs;
}

/** The postmaster's pid, from the first line of the data folder's `postmaster.pid`. */
export function postmasterPid(dataDir: string): number | undefined {
  try {
    return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
  } catch {
    return undefined;
  }
}

/** CPU ms of the postmaster and each of its children (the backends), by pid. */
function clusterCpu(postmaster: number): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = processStat(entry);
    if (stat && (Number(entry) === postmaster || stat.ppid === postmaster)) cpu.set(Number(entry), stat.cpuMs);
  }
  return cpu;
}

/**
 * Starts counting the cluster's CPU time; the returned function gives the ms spent since. A
 * backend that ends in between takes its time with it, so read it before closing a pool.
 */
export function startClusterCpu(postmaster: number | undefined): () => number | undefined {
  if (!postmaster) return () => undefined;
  const before = clusterCpu(postmaster);
  return () => {
    let spent = 0;
    for (const [pid, ms] of clusterCpu(postmaster)) spent += ms - (before.get(pid) ?? 0);
    return spent;
  };
}
