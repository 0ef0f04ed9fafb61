import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AllStores } from '../database/all-stores';

/**
 * Operational counters for Prometheus (`GET /metrics`): per instance, so a scrape of every
 * instance sums to the service. Queue sizes are read from the database at scrape time, for all
 * stores together (no per-store labels: their number is unbounded).
 */
@Injectable()
export class OperationalMetrics {
  readonly registry = new Registry();

  readonly ticketsCreated = new Counter({
    name: 'rida_tickets_created_total',
    help: 'Tickets created by this instance, by channel.',
    labelNames: ['channel'],
    registers: [this.registry],
  });

  readonly slaBreaches = new Counter({ name: 'rida_sla_breaches_total', help: 'SLA targets found breached by this instance’s sweep.', registers: [this.registry] });

  readonly requestDuration = new Histogram({
    name: 'rida_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(allStores: AllStores) {
    collectDefaultMetrics({ register: this.registry, prefix: 'rida_' });
    // prom-client also exposes these sums as gauges named *_total, which the exposition format keeps for
    // counters (promtool refuses them); the same numbers are the sum of the per-type gauges kept beside them.
    for (const sum of ['active_handles', 'active_requests', 'active_resources']) this.registry.removeSingleMetric(`rida_nodejs_${sum}_total`);
    new Gauge({
      name: 'rida_tickets_waiting',
      help: 'Open tickets in a team queue with no agent yet, all stores.',
      registers: [this.registry],
      async collect() {
        // Across stores: one gauge for the service, every store summed.
        const [{ count }] = await allStores.query(`SELECT count(*)::int AS count FROM tickets WHERE assignee_id IS NULL AND team_id IS NOT NULL AND status IN ('NEW','OPEN')`);
        this.set(count);
      },
    });
    new Gauge({
      name: 'rida_tickets_sla_breached_open',
      help: 'Open tickets breaching an SLA target now, all stores.',
      registers: [this.registry],
      async collect() {
        // Across stores: one gauge for the service, every store summed.
        const [{ count }] = await allStores.query(`SELECT count(*)::int AS count FROM tickets WHERE sla_health = 'BREACHED' AND status IN ('NEW','OPEN','PENDING','ON_HOLD')`);
        this.set(count);
      },
    });
    new Gauge({
      name: 'rida_kpi_deltas_pending',
      help: 'KPI changes not yet folded into the rollups.',
      registers: [this.registry],
      async collect() {
        // Across stores: the fold's backlog is one queue for all stores.
        const [{ count }] = await allStores.query(`SELECT count(*)::int AS count FROM kpi_deltas`);
        this.set(count);
      },
    });
  }
}
