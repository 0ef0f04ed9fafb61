/**
 * Times `work` `runs` times after three warm-up runs and returns the latency at each requested
 * percentile in milliseconds (nearest rank): `{ p50, p95 }` for `[50, 95]`.
 */
export async function latencies<P extends number>(work: () => Promise<unknown>, runs: number, percentiles: readonly P[]): Promise<Record<`p${P}`, number>> {
  for (let i = 0; i < 3; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await work();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return Object.fromEntries(percentiles.map((p) => [`p${p}`, samples[Math.min(runs - 1, Math.floor((runs * p) / 100))]])) as Record<`p${P}`, number>;
}
