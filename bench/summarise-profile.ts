/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, e.g. the server of `BENCH_CPU_PROF=dir npm run bench`):
 * self time by category, by package folder under node_modules, and the top functions.
 *
 *   node dist/bench/summarise-profile.js profile.cpuprofile [--top 25]
 *
 * Self time is the time a function itself was on the CPU (not its callees). Idle time (the
 * `(idle)` node: the event loop waiting) is left out of the percentages, which are of busy time.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The package a script belongs to: `@scope/name` or `name` under the last node_modules, else our code or Node. */
export function packageOf(url: string): string {
  if (!url) return '(native / V8)';
  const path = url.replace(/^file:\/\//, '');
  const at = path.lastIndexOf('/node_modules/');
  if (at >= 0) {
    const parts = path.slice(at + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (path.startsWith('node:') || !path.startsWith('/')) return '(node core)';
  if (/\/dist\/src\//.test(path) || /\/src\//.test(path)) return '(our code)';
  return '(other)';
}

/** A coarse category for the question "where does a request's CPU go". */
export function categoryOf(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return 'V8 / runtime (program)';
  const pkg = packageOf(url);
  if (pkg === '(native / V8)') return 'native / V8 builtins';
  if (['pg', 'pg-protocol', 'pg-types', 'pg-pool', 'postgres-array', 'postgres-date', 'postgres-interval', 'postgres-bytea', 'pgpass', 'pg-connection-string'].includes(pkg))
    return 'pg protocol / parsing';
  if (pkg === 'typeorm') return 'TypeORM (query building, hydration)';
  if (pkg === 'graphql' || pkg.startsWith('graphql-')) return 'graphql-js (parse, validate, execute)';
  if (pkg.startsWith('@apollo/') || pkg === '@as-integrations/fastify') return 'Apollo server';
  if (pkg.startsWith('@nestjs/')) return 'Nest (router, interceptors, guards, pipes)';
  if (pkg === 'class-validator' || pkg === 'class-transformer' || pkg === 'validator') return 'class-validator / class-transformer';
  if (pkg === 'fastify' || pkg.startsWith('@fastify/') || ['find-my-way', 'light-my-request', 'avvio', 'fast-json-stringify', 'secure-json-parse'].includes(pkg)) return 'Fastify';
  if (pkg === 'pino' || pkg.startsWith('pino-') || pkg === 'sonic-boom') return 'logging (pino)';
  if (pkg === '(our code)') return 'our code (src)';
  if (pkg === '(node core)') return 'node core (net, streams, http)';
  if (pkg === 'luxon') return 'luxon (dates)';
  return 'other packages';
}

function summarise(profile: CpuProfile, top: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  let idle = 0;
  let busy = 0;
  const byCategory = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, micros] of self) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') {
      idle += micros;
      continue;
    }
    busy += micros;
    const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + micros);
    add(byCategory, categoryOf(node));
    add(byPackage, node.callFrame.functionName.startsWith('(') ? node.callFrame.functionName : packageOf(node.callFrame.url));
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url
      ? `${url
          .replace(/^file:\/\//, '')
          .replace(/^.*\/node_modules\//, '')
          .replace(/^.*\/dist\//, 'dist/')}:${lineNumber + 1}`
      : '';
    add(byFunction, `${functionName || '(anonymous)'} ${where}`.trim());
  }
  const wall = (profile.endTime - profile.startTime) / 1e6;
  const pct = (micros: number) => `${((100 * micros) / busy).toFixed(1)} %`;
  const table = (map: Map<string, number>, limit = Infinity) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, micros]) => ({ name, 'self ms': Math.round(micros / 1000), share: pct(micros) }));
  console.log(`Profile: ${wall.toFixed(1)} s wall, ${(busy / 1e6).toFixed(1)} s busy on the main thread, ${(idle / 1e6).toFixed(1)} s idle. Shares are of busy time.\n`);
  console.log('Self time by category:');
  console.table(table(byCategory));
  console.log('Self time by package (node_modules folder):');
  console.table(table(byPackage, top));
  console.log(`Top ${top} functions by self time:`);
  console.table(table(byFunction, top));
}

function main() {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
  const file = args.find((a, i) => !a.startsWith('--') && (topAt < 0 || i !== topAt + 1));
  if (!file) {
    console.error('usage: node dist/bench/summarise-profile.js <file.cpuprofile> [--top N]');
    process.exit(2);
  }
  summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top);
}

if (require.main === module) main();
