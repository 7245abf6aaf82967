import type { Knex } from 'knex';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The slice of tarn's pool API the gauges read. */
interface PoolStatistics {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

/**
 * Prometheus metrics of one service instance, in their own registry (so tests can build many
 * instances): HTTP traffic, database pool, business counters and Node's default process metrics.
 */
export class ServiceMetrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });

  readonly httpErrors = new Counter({
    name: 'http_request_errors_total',
    help: 'HTTP requests answered with a 4xx or 5xx status, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency in seconds, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly applicationsCreated = this.businessCounter('loan_applications_created_total', 'Loan applications submitted.');
  readonly applicationsApproved = this.businessCounter('loan_applications_approved_total', 'Loan applications approved.');
  readonly applicationsRejected = this.businessCounter('loan_applications_rejected_total', 'Loan applications rejected.');
  readonly applicationsDisbursed = this.businessCounter('loan_applications_disbursed_total', 'Loan applications disbursed.');
  readonly documentsUploaded = this.businessCounter('loan_documents_uploaded_total', 'Application documents uploaded.');
  readonly configVersionsProposed = this.businessCounter(
    'business_config_versions_proposed_total',
    'Business configuration versions proposed (maker).',
  );
  readonly configVersionsApproved = this.businessCounter(
    'business_config_versions_approved_total',
    'Business configuration versions approved (checker).',
  );

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Adds gauges reading the knex (tarn) pool at scrape time. */
  observeDatabasePool(database: Knex): void {
    const pool = (): PoolStatistics | undefined =>
      (database.client as { pool?: PoolStatistics | null }).pool ?? undefined;
    const gauge = (name: string, help: string, read: (statistics: PoolStatistics) => number): void => {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const statistics = pool();
          this.set(statistics === undefined ? 0 : read(statistics));
        },
      });
    };
    gauge('db_pool_connections_used', 'Database connections checked out of the pool.', (s) => s.numUsed());
    gauge('db_pool_connections_free', 'Idle database connections in the pool.', (s) => s.numFree());
    gauge('db_pool_pending_acquires', 'Requests waiting for a database connection.', (s) => s.numPendingAcquires());
  }

  private businessCounter(name: string, help: string): Counter {
    return new Counter({ name, help, registers: [this.registry] });
  }
}
