import { addressBlock, blockContains, cidrBlock } from '../../constructs/ipv4';
import { MinioCluster } from '../../constructs/minio-cluster';
import { PlatformError } from '../../constructs/platform-error';
import { checkNamespaceBudget } from '../../constructs/namespace-budget';
import { ObjectStoreBuckets } from '../../constructs/object-store-buckets';
import { BUSINESS_BUCKETS, stateBucket } from '../../constructs/object-store-bucket';
import { ObjectStoreUsers, type ObjectStoreUser } from '../../constructs/object-store-users';
import { replicationUsers } from '../../constructs/bucket-replication';
import { VaultSecret } from '../../constructs/vault-secret';
import { VaultSnapshots } from '../../constructs/vault-snapshots';
import { ELASTICSEARCH_CLUSTER_LABEL, elasticsearchSnapshotUser } from '../../constructs/elasticsearch-setup';
import { LOGGING_NAMES } from '../../constructs/logging-names';
import { SqlServer } from '../../constructs/sql-server';
import { SQL_BACKUP_BUCKET } from '../../constructs/sql-server-log-shipping';
import { SITE_NAMES } from '../../environments/schema';
import type { SiteStack } from '../site-stack';
import type { BaseLayer } from './base';
import { platformPeers } from './platform-peers';
import type { SecurityLayer } from './security';
import type { SiteInputs } from './site-inputs';
import type { TrafficLayer } from './traffic';

/** The cross-site endpoint the other site replicates into (the site's `network.crossSiteEndpoints[]`). */
export const OBJECT_STORAGE_ENDPOINT = 'object-storage';

/** The shipped database, and the loan-service's login to it. */
export const LMS_DATABASE = 'lms';
export const LOAN_SERVICE_LOGIN = 'loan_service';

/** What the data layer gives the layers after it and the cross-site wiring pass. */
export interface DataLayer {
  readonly stack: SiteStack;
  /** The site's MinIO: its `endpoint` is what consumers take. */
  readonly minio: MinioCluster;
  /** The site's buckets and the Job that reconciles them. */
  readonly buckets: ObjectStoreBuckets;
  /** Raft snapshots of the site's Vault into the replicated `vault-snapshots` bucket. */
  readonly vaultSnapshots: VaultSnapshots;
  /** The store's users: each workload's own, with exactly its grants. */
  readonly users: ObjectStoreUsers;
  /** The loan-service's user: its keys are what the service reads from Vault. */
  readonly loanServiceUser: ObjectStoreUser;
  /** The site's SQL Server: `database()` is what workloads take. */
  readonly sqlServer: SqlServer;
  /** SQL Server's object store user: its keys back the server's S3 credential and the log-shipping jobs. */
  readonly sqlServerUser: ObjectStoreUser;
  /** Elasticsearch's snapshot user: its keys reach the nodes' keystore through the Elasticsearch setup. */
  readonly elasticsearchSnapshotUser: ObjectStoreUser;
}

/**
 * The data layer of a site: MinIO (the environment's pools and parity, TLS, credentials from
 * Vault), its buckets as data (the business buckets and, where the site keeps its Terraform
 * state in its store, the state bucket), and the Vault snapshots that go into it. Bucket
 * replication between the sites is added by the cross-site wiring pass.
 */
export function buildDataLayer(stack: SiteStack, { environment, siteName, site }: SiteInputs, base: BaseLayer, traffic: TrafficLayer, security: SecurityLayer): DataLayer {
  const peers = platformPeers(base, siteName);
  const namespaces = base.cluster.namespaces;
  const endpoint = site.network.crossSiteEndpoints.find((candidate) => candidate.name === OBJECT_STORAGE_ENDPOINT);
  if (endpoint === undefined) {
    throw new PlatformError(`environments/${environment.name}.ts: sites.${siteName}.network.crossSiteEndpoints: no endpoint named "${OBJECT_STORAGE_ENDPOINT}" (allowed: one, the address the other site replicates MinIO buckets into)`);
  }
  const address = endpoint.address.split('/')[0];
  const pool = site.network.loadBalancer.addressPools.find((candidate) => candidate.addresses.some((block) => blockContains(cidrBlock(block)!, addressBlock(address)!)));
  if (pool === undefined) {
    throw new PlatformError(`environments/${environment.name}.ts: sites.${siteName}.network.crossSiteEndpoints: "${endpoint.address}" of "${OBJECT_STORAGE_ENDPOINT}" is in no load-balancer address pool (allowed: an address of one of ${site.network.loadBalancer.addressPools.map((candidate) => `"${candidate.name}"`).join(', ')}, which MetalLB gives MinIO's replication Service)`);
  }
  const minio = new MinioCluster(stack, 'minio', {
    cluster: base.cluster,
    environmentName: environment.name,
    registry: site.registry,
    siteDnsDomain: site.dnsDomain,
    issuers: traffic.certManager.issuers,
    pools: environment.objectStorage.pools,
    parity: environment.objectStorage.parity,
    resources: environment.objectStorage.resources,
    storageClassName: site.storageClasses.standard,
    region: `zm-${siteName}-1`,
    survivesNodeLoss: environment.tier === 'production',
    replicationEndpoint: { address, addressPool: pool.name, port: endpoint.ports[0] },
    vault: security.vault.endpoint,
    metrics: peers.metrics,
    clients: [
      { namespace: namespaces.data, podLabels: { 'app.kubernetes.io/component': 'object-storage' } },
      { namespace: namespaces.security, podLabels: { 'app.kubernetes.io/name': 'vault-snapshot' } },
      { namespace: namespaces.apps, podLabels: { 'app.kubernetes.io/name': 'loan-service' } },
      // SQL Server (backups to URL) and its log-shipping jobs.
      { namespace: namespaces.data, podLabels: { 'app.kubernetes.io/component': 'database' } },
      // Elasticsearch's snapshots.
      { namespace: namespaces.observability, podLabels: { [ELASTICSEARCH_CLUSTER_LABEL]: LOGGING_NAMES.elasticsearch } },
    ],
  });
  const buckets = new ObjectStoreBuckets(stack, 'buckets', {
    cluster: base.cluster,
    store: minio,
    registry: site.registry,
    vault: security.vault.endpoint,
    buckets: [...BUSINESS_BUCKETS, ...(site.state.kind === 's3' ? [stateBucket(site.state.bucket)] : [])],
    backupRetention: site.retention.backups,
  });
  const vaultSnapshots = new VaultSnapshots(stack, 'vault-snapshots', {
    cluster: base.cluster,
    vault: security.vault,
    registry: site.registry,
    environmentName: environment.name,
    siteRole: site.role,
    otherSiteName: SITE_NAMES.find((name) => name !== siteName)!,
    schedule: environment.vault.snapshotSchedule,
    objectStore: minio.endpoint,
  });
  // Every site has every user: after a failover the other site replicates and writes heartbeats.
  const loanServiceUser: ObjectStoreUser = {
    name: 'loan-service',
    credentials: VaultSecret.kv(environment.name, 'object-store/loan-service'),
    grants: [{ bucket: 'documents', access: 'read-write' }],
  };
  const snapshotUser: ObjectStoreUser = {
    name: vaultSnapshots.consumer.serviceAccount,
    credentials: vaultSnapshots.objectStoreCredentials,
    // Its own site's snapshots, and reading the other site's for a restore.
    grants: [
      { bucket: vaultSnapshots.bucket, prefix: vaultSnapshots.keyPrefix, access: 'read-write' },
      { bucket: vaultSnapshots.bucket, access: 'read' },
    ],
  };
  const sqlServer = new SqlServer(stack, 'sql-server', {
    cluster: base.cluster,
    environmentName: environment.name,
    registry: site.registry,
    issuers: traffic.certManager.issuers,
    edition: environment.sqlServer.edition,
    resources: environment.sqlServer.resources,
    volumeSize: environment.sqlServer.volumeSize,
    storageClassName: site.storageClasses.standard,
    vault: security.vault.endpoint,
    objectStore: minio.endpoint,
    database: LMS_DATABASE,
    logins: [
      {
        name: LOAN_SERVICE_LOGIN,
        password: { secret: VaultSecret.kv(environment.name, 'loan-service'), key: 'mssql_password' },
        // The service runs its own schema migrations at start.
        databaseRoles: ['db_datareader', 'db_datawriter', 'db_ddladmin'],
      },
    ],
    clients: [
      { namespace: namespaces.apps, podLabels: { 'app.kubernetes.io/name': 'loan-service' } },
      { namespace: namespaces.data, podLabels: { 'app.kubernetes.io/name': 'sql-server-jobs' } },
    ],
  });
  // Its own site's backups, and reading the other site's to restore them.
  const sqlServerUser: ObjectStoreUser = {
    name: 'sql-server',
    credentials: VaultSecret.kv(environment.name, 'object-store/sql-server'),
    grants: [
      { bucket: SQL_BACKUP_BUCKET, prefix: `${siteName}/`, access: 'read-write' },
      { bucket: SQL_BACKUP_BUCKET, access: 'read' },
    ],
  };
  const elasticsearchSnapshotsUser = elasticsearchSnapshotUser(environment.name, siteName);
  const replicated = buckets.buckets.filter((bucket) => bucket.replicated).map((bucket) => bucket.name);
  const users = new ObjectStoreUsers(stack, 'users', {
    cluster: base.cluster,
    store: minio,
    registry: site.registry,
    vault: security.vault.endpoint,
    users: [loanServiceUser, snapshotUser, sqlServerUser, elasticsearchSnapshotsUser, ...replicationUsers(environment.name, replicated)],
  });
  checkNamespaceBudget(`security layer ${security.stack.node.id}`, security.vault.namespace, site.sizing.namespaces.security, [...security.vault.podBudgets, vaultSnapshots.podBudget]);
  return { stack, minio, buckets, vaultSnapshots, users, loanServiceUser, sqlServer, sqlServerUser, elasticsearchSnapshotUser: elasticsearchSnapshotsUser };
}
