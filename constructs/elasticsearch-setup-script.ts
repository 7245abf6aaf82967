import type { ElasticsearchRequest } from './elasticsearch-configuration';
import { PlatformError } from './platform-error';

/**
 * The environment the setup script reads. The chart sets every variable; the tests point them
 * at servers on 127.0.0.1.
 */
export const SETUP_SCRIPT_ENV = {
  /** Elasticsearch's HTTPS API, no trailing slash: `https://logs-es-http.lms-observability.svc:9200`. */
  elasticsearchUrl: 'ES_URL',
  /** The CA certificate Elasticsearch's HTTP certificate is verified with (ECK's public certs Secret). */
  elasticsearchCaFile: 'ES_CA_FILE',
  /** The file holding the `elastic` user's password (ECK's Secret, mounted; never printed). */
  elasticPasswordFile: 'ELASTIC_PASSWORD_FILE',
  /** How many times, and how many seconds apart, the script asks for the cluster's health before it gives up. */
  waitAttempts: 'ES_WAIT_ATTEMPTS',
  waitSeconds: 'ES_WAIT_SECONDS',
  /** Where the request bodies are (the ConfigMap's files). */
  configDirectory: 'CONFIG_DIR',
  /** The Kubernetes API, its CA certificate and the pod's service account token. */
  kubernetesApi: 'KUBE_API',
  kubernetesCaFile: 'KUBE_CA_FILE',
  kubernetesTokenFile: 'KUBE_TOKEN_FILE',
  /** The Vault agent's file with the snapshot user's keys, base64 (`ACCESS_KEY_B64`, `SECRET_KEY_B64`). */
  snapshotKeysFile: 'SNAPSHOT_KEYS_FILE',
} as const;

/** The keys of the Secret Elasticsearch's keystore is filled from (ECK `spec.secureSettings`). */
export const SNAPSHOT_SECURE_SETTINGS = { accessKey: 's3.client.default.access_key', secretKey: 's3.client.default.secret_key' } as const;

export interface SetupScriptOptions {
  /** The requests, in order (`elasticsearchRequests`). */
  readonly requests: readonly ElasticsearchRequest[];
  /** The Secret the snapshot keys are written to, and its namespace. */
  readonly secureSettingsSecret: { readonly namespace: string; readonly name: string };
  /**
   * The request after which the keys are written and the nodes reload their secure settings:
   * the snapshot repository's, whose verification needs them.
   */
  readonly keysBefore: string;
}

/**
 * The setup script (POSIX sh and curl, run in the Elasticsearch image): waits for the cluster
 * to answer its health (bounded), PUTs every body in order, and before the snapshot repository
 * writes the snapshot user's keys into the secure settings Secret through the Kubernetes API
 * and asks every node to reload them. A 4xx, or a 5xx or no answer for longer than the wait,
 * stops it with one line naming the request and the status. Credentials go to curl through
 * config files (never on a command line, never printed).
 *
 * ECK builds the keystore when a pod starts and rolls the nodes when a secure settings Secret
 * changes, so new keys reach the nodes through that restart; the reload call applies them at
 * once where the keystore already has them. The patch of unchanged keys changes nothing, so
 * the hourly repair restarts nothing.
 * @see https://github.com/elastic/cloud-on-k8s/issues/8922
 * @see https://www.elastic.co/guide/en/elasticsearch/reference/current/cluster-nodes-reload-secure-settings.html
 */
export function elasticsearchSetupScript(options: SetupScriptOptions): string {
  const env = SETUP_SCRIPT_ENV;
  if (!options.requests.some((request) => request.path === options.keysBefore)) {
    throw PlatformError.invalidProp('elasticsearchSetupScript', 'keysBefore', options.keysBefore, `the path of one of the requests (${options.requests.map((request) => `"${request.path}"`).join(', ')})`);
  }
  const secretPath = `api/v1/namespaces/${options.secureSettingsSecret.namespace}/secrets/${options.secureSettingsSecret.name}`;
  const steps = options.requests.flatMap((request) => [
    ...(request.path === options.keysBefore ? ['write_keys', 'reload_secure_settings'] : []),
    `put ${request.path} ${request.file}`,
  ]);
  return [
    'set -eu',
    'umask 077',
    'work="$(mktemp -d)"',
    'trap \'rm -rf "$work"\' EXIT',
    `printf 'user = "elastic:%s"\\n' "$(sed 's/[\\\\"]/\\\\&/g' "$${env.elasticPasswordFile}")" >"$work/es.conf"`,
    `printf 'header = "Authorization: Bearer %s"\\n' "$(cat "$${env.kubernetesTokenFile}")" >"$work/kube.conf"`,
    'fail() {',
    '  reason="$(tr -d \'\\n\' <"$work/response" 2>/dev/null | sed -n \'s/.*"type":"\\([^"]*\\)".*/\\1/p\')"',
    '  echo "elasticsearch-setup: $1 answered $2${reason:+ ($reason)}" >&2',
    '  exit 1',
    '}',
    '# es METHOD PATH [curl options]: sets $status, the body in $work/response.',
    'es() {',
    '  method="$1"; path="$2"; shift 2',
    `  status="$(curl -sS -K "$work/es.conf" --cacert "$${env.elasticsearchCaFile}" -o "$work/response" -w '%{http_code}' -X "$method" -H 'Content-Type: application/json' "$@" "$${env.elasticsearchUrl}/$path")" || status=000`,
    '}',
    '# put PATH FILE: retried while Elasticsearch is unreachable or answers 5xx (a node restarting,',
    '# the repository not yet verifiable while new keys reach the keystores); any 4xx stops at once.',
    'put() {',
    '  attempt=1',
    '  while :; do',
    `    es PUT "$1" --data-binary "@$${env.configDirectory}/$2"`,
    '    case "$status" in',
    '      2??) echo "elasticsearch-setup: PUT $1 ($status)"; return 0 ;;',
    `      000|5??) if [ "$attempt" -ge "$${env.waitAttempts}" ]; then fail "PUT $1 (attempt $attempt of $${env.waitAttempts})" "$status"; fi ;;`,
    '      *) fail "PUT $1" "$status" ;;',
    '    esac',
    `    echo "elasticsearch-setup: PUT $1 answered $status, retrying (attempt $attempt of $${env.waitAttempts})"`,
    '    attempt=$((attempt + 1))',
    `    sleep "$${env.waitSeconds}"`,
    '  done',
    '}',
    'write_keys() {',
    '  # shellcheck source=/dev/null',
    `  . "$${env.snapshotKeysFile}"`,
    '  for value in "$ACCESS_KEY_B64" "$SECRET_KEY_B64"; do',
    `    case "$value" in ''|*[!A-Za-z0-9+/=]*) echo "elasticsearch-setup: $${env.snapshotKeysFile} holds no base64 key" >&2; exit 1 ;; esac`,
    '  done',
    `  printf '{"data":{"${SNAPSHOT_SECURE_SETTINGS.accessKey}":"%s","${SNAPSHOT_SECURE_SETTINGS.secretKey}":"%s"}}' "$ACCESS_KEY_B64" "$SECRET_KEY_B64" >"$work/keys.json"`,
    `  status="$(curl -sS -K "$work/kube.conf" --cacert "$${env.kubernetesCaFile}" -o "$work/response" -w '%{http_code}' -X PATCH -H 'Content-Type: application/merge-patch+json' --data-binary "@$work/keys.json" "$${env.kubernetesApi}/${secretPath}")" || status=000`,
    `  case "$status" in 2??) echo "elasticsearch-setup: PATCH ${secretPath} ($status)" ;; *) fail "PATCH ${secretPath}" "$status" ;; esac`,
    '  rm -f "$work/keys.json"',
    '}',
    'reload_secure_settings() {',
    '  es POST _nodes/reload_secure_settings',
    '  case "$status" in 2??) ;; *) fail "POST _nodes/reload_secure_settings" "$status" ;; esac',
    '  # Each node answers for itself: a node that could not reload counts in _nodes.failed.',
    '  if ! tr -d \' \\n\' <"$work/response" | grep -q \'"failed":0\'; then fail "POST _nodes/reload_secure_settings" "$status with nodes that failed to reload"; fi',
    '  echo "elasticsearch-setup: POST _nodes/reload_secure_settings ($status)"',
    '}',
    'attempt=1',
    'while :; do',
    "  es GET '_cluster/health?wait_for_status=yellow&timeout=10s'",
    '  case "$status" in 2??) break ;; esac',
    `  if [ "$attempt" -ge "$${env.waitAttempts}" ]; then fail "GET _cluster/health (attempt $attempt of $${env.waitAttempts})" "$status"; fi`,
    `  echo "elasticsearch-setup: waiting for Elasticsearch: GET _cluster/health answered $status (attempt $attempt of $${env.waitAttempts})"`,
    '  attempt=$((attempt + 1))',
    `  sleep "$${env.waitSeconds}"`,
    'done',
    ...steps,
    '',
  ].join('\n');
}
