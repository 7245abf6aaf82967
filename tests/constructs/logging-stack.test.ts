import { execFileSync } from 'child_process';
import { LOGGING_POD_LABELS, OBJECT_STORE_TRUSTSTORE } from '../../constructs/logging-stack';
import type { KubeObject } from '../../constructs/platform-component';
import { VERSIONS } from '../../constructs/versions';
import { validateCustomResource, validateKubeObject } from '../support/kube-schema';
import { siteClusterFixture, testScope } from '../support/fixtures';
import { loggingStackFixture, loggingStackFixtureProps } from '../support/logging';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('LoggingStack', () => {
  const logging = loggingStackFixture();
  const find = (kind: string, name: string): Json => {
    const object = logging.objects.find((candidate) => candidate.kind === kind && candidate.metadata.name === name);
    if (!object) throw new Error(`no ${kind} ${name}`);
    return object as Json;
  };
  const elasticsearch = find('Elasticsearch', 'logs');
  const kibana = find('Kibana', 'logs');
  const logstash = find('Logstash', 'logs');
  const filebeat = find('Beat', 'filebeat');

  test('objects: the four ECK resources, their certificates, NetworkPolicies and Filebeat\'s read access to pod metadata', () => {
    expect(logging.objects.map((object) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`)).toEqual([
      'Certificate/lms-observability/logs-es-http-tls',
      'Certificate/lms-observability/logs-kb-http-tls',
      'Certificate/lms-observability/logs-ls-beats-tls',
      'Certificate/lms-node-agents/filebeat-client',
      'NetworkPolicy/lms-observability/logs-elasticsearch',
      'NetworkPolicy/lms-observability/logs-kibana',
      'NetworkPolicy/lms-observability/logs-logstash',
      'NetworkPolicy/lms-node-agents/filebeat',
      'Elasticsearch/lms-observability/logs',
      'Kibana/lms-observability/logs',
      'Logstash/lms-observability/logs',
      'ServiceAccount/lms-node-agents/filebeat',
      'ClusterRole//lms-filebeat',
      'ClusterRoleBinding//lms-filebeat',
      'Beat/lms-node-agents/filebeat',
    ]);
  });

  test('every ECK resource and Certificate validates against its vendored CRD schema, every core object against Kubernetes\'s', () => {
    const custom = logging.objects.filter((object) => /(k8s\.elastic\.co|cert-manager\.io)\//.test(object.apiVersion));
    expect(custom.map((object) => object.kind)).toEqual(['Certificate', 'Certificate', 'Certificate', 'Certificate', 'Elasticsearch', 'Kibana', 'Logstash', 'Beat']);
    for (const object of custom) expect(() => validateCustomResource(object)).not.toThrow();
    for (const object of logging.objects.filter((candidate) => !custom.includes(candidate))) expect(() => validateKubeObject(object as KubeObject)).not.toThrow();
  });

  test('the schema check catches a wrong value and a missing field', () => {
    const nodeSets = elasticsearch.spec.nodeSets.map((nodeSet: Json) => ({ ...nodeSet, count: 'three' }));
    expect(() => validateCustomResource({ ...elasticsearch, spec: { ...elasticsearch.spec, nodeSets } } as unknown as KubeObject)).toThrow('/spec/nodeSets/0/count must be integer');
    const { version: _version, ...unversioned } = kibana.spec;
    expect(() => validateCustomResource({ ...kibana, spec: unversioned } as unknown as KubeObject)).toThrow("/spec must have required property 'version'");
  });

  test('dedicated masters and data nodes sized by the environment, on the storage class, without memory-mapped store', () => {
    const settings = loggingStackFixtureProps().settings.elasticsearch;
    expect(elasticsearch.spec.nodeSets.map((nodeSet: Json) => [nodeSet.name, nodeSet.count, nodeSet.config['node.roles'], nodeSet.volumeClaimTemplates[0].spec.resources.requests.storage, nodeSet.volumeClaimTemplates[0].spec.storageClassName, nodeSet.podTemplate.spec.containers[0].resources])).toEqual([
      ['masters', 3, ['master'], '10Gi', 'standard', { limits: { cpu: settings.masters.resources.cpuLimit, memory: '2Gi' }, requests: { cpu: '250m', memory: '2Gi' } }],
      ['data', 2, ['data', 'ingest'], '200Gi', 'standard', { limits: { cpu: '2', memory: '8Gi' }, requests: { cpu: '1', memory: '4Gi' } }],
    ]);
    for (const nodeSet of elasticsearch.spec.nodeSets) {
      expect(nodeSet.config).toMatchObject({
        'node.store.allow_mmap': false,
        's3.client.default.endpoint': 'https://minio.lms-data.svc.cluster.local:9000',
        's3.client.default.protocol': 'https',
        's3.client.default.path_style_access': true,
      });
    }
  });

  test('TLS everywhere: the HTTP endpoints carry certificates from the site CA; Logstash takes Filebeat\'s client certificate', () => {
    expect(elasticsearch.spec.http).toEqual({ tls: { certificate: { secretName: 'logs-es-http-tls' } } });
    expect(kibana.spec.http).toEqual({ tls: { certificate: { secretName: 'logs-kb-http-tls' } } });
    expect(find('Certificate', 'logs-ls-beats-tls').spec.dnsNames).toEqual(['logs-ls-beats.lms-observability.svc', 'logs-ls-beats.lms-observability.svc.cluster.local']);
    expect(find('Certificate', 'filebeat-client').spec.usages).toEqual(['digital signature', 'client auth']);
    for (const certificate of logging.objects.filter((object) => object.kind === 'Certificate')) {
      expect((certificate as Json).spec.issuerRef.name).toBe(loggingStackFixtureProps().issuers.internal.name);
    }
    expect(logging.certificates.map((certificate) => certificate.secretName)).toEqual(['logs-es-http-tls', 'logs-kb-http-tls', 'logs-ls-beats-tls', 'filebeat-client-tls']);
  });

  test('every image from the site registry by digest, one stack version', () => {
    const images = [elasticsearch.spec.image, kibana.spec.image, logstash.spec.image, filebeat.spec.image];
    expect(images).toEqual(
      (['elasticsearch', 'kibana', 'logstash', 'filebeat'] as const).map((name) => `registry.lms.co.zm/${VERSIONS.images[name].repository}:9.2.0@${VERSIONS.images[name].digest}`),
    );
    expect(new Set([elasticsearch.spec.version, kibana.spec.version, logstash.spec.version, filebeat.spec.version])).toEqual(new Set(['9.2.0']));
    expect(elasticsearch.spec.nodeSets[0].podTemplate.spec.initContainers[0].image).toBe(elasticsearch.spec.image);
  });

  test('restricted pods: no privileged or root container in the observability namespace, no sysctl init container, no token', () => {
    const templates = [...elasticsearch.spec.nodeSets.map((nodeSet: Json) => nodeSet.podTemplate), kibana.spec.podTemplate, logstash.spec.podTemplate];
    for (const template of templates) {
      expect(template.spec.automountServiceAccountToken).toBe(false);
      expect(template.spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
      for (const container of [...(template.spec.initContainers ?? []), ...template.spec.containers]) {
        expect(container.securityContext).toMatchObject({ runAsNonRoot: true, privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      }
    }
    expect(elasticsearch.spec.nodeSets.flatMap((nodeSet: Json) => nodeSet.podTemplate.spec.initContainers.map((container: Json) => container.name))).toEqual(['lms-object-store-trust', 'lms-object-store-trust']);
  });

  test('the snapshot client trusts the object store\'s CA through a truststore built at start, and reads its keys from the keystore', () => {
    const template = elasticsearch.spec.nodeSets[0].podTemplate.spec;
    expect(template.initContainers[0].command[2]).toContain(`-file /usr/share/elasticsearch/object-store-ca/ca.crt -keystore ${OBJECT_STORE_TRUSTSTORE}`);
    expect(template.containers[0].env).toEqual([{ name: 'ES_JAVA_OPTS', value: `-Djavax.net.ssl.trustStore=${OBJECT_STORE_TRUSTSTORE} -Djavax.net.ssl.trustStoreType=PKCS12` }]);
    expect(template.volumes).toContainEqual({ name: 'object-store-ca', secret: { secretName: 'object-store-trust', items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
    expect(elasticsearch.spec.secureSettings).toEqual([{ secretName: 'elasticsearch-snapshot-credentials' }]);
  });

  test('Logstash: pipelines, the Elasticsearch reference its outputs read, a persisted queue inside its volume, heap half the limit', () => {
    expect(logstash.spec.pipelines).toEqual([{ 'pipeline.id': 'main', 'config.string': 'input { beats { port => 5044 } }\noutput { stdout {} }' }]);
    expect(logstash.spec.elasticsearchRefs).toEqual([{ name: 'logs', clusterName: 'lms' }]);
    expect(logstash.spec.config).toEqual({ 'queue.type': 'persisted', 'queue.max_bytes': '18432mb', 'api.http.host': '0.0.0.0' });
    expect(logstash.spec.podTemplate.spec.containers[0].env).toEqual([{ name: 'LS_JAVA_OPTS', value: '-Xms1024m -Xmx1024m' }]);
    expect(logstash.spec.services).toEqual([{ name: 'beats', service: { spec: { type: 'ClusterIP', ports: [{ name: 'beats', protocol: 'TCP', port: 5044, targetPort: 5044 }] } } }]);
  });

  test('Filebeat on every node reads the container logs read-only as root without capabilities, in the node-agents namespace', () => {
    const pod = filebeat.spec.daemonSet.podTemplate.spec;
    expect(filebeat.spec.type).toBe('filebeat');
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.containers[0].securityContext).toMatchObject({ runAsUser: 0, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] } });
    expect(pod.containers[0].volumeMounts.filter((mount: Json) => mount.mountPath.startsWith('/var/log'))).toEqual([
      { name: 'varlogcontainers', mountPath: '/var/log/containers', readOnly: true },
      { name: 'varlogpods', mountPath: '/var/log/pods', readOnly: true },
    ]);
    expect(find('ClusterRole', 'lms-filebeat').rules.flatMap((rule: Json) => rule.verbs)).not.toContain('create');
  });

  test('NetworkPolicies admit exactly the flows between the parts', () => {
    const es = find('NetworkPolicy', 'logs-elasticsearch').spec;
    const podsOf = (rule: Json) => rule.from.map((peer: Json) => peer.podSelector?.matchLabels);
    expect(es.podSelector.matchLabels).toEqual(LOGGING_POD_LABELS.elasticsearch);
    expect(es.ingress.map((rule: Json) => [podsOf(rule), rule.ports.map((port: Json) => port.port)])).toEqual([
      [[LOGGING_POD_LABELS.elasticsearch], [9300]],
      [[LOGGING_POD_LABELS.kibana], [9200]],
      [[LOGGING_POD_LABELS.logstash], [9200]],
      [[{ 'control-plane': 'elastic-operator' }], [9200]],
      [[{ 'app.kubernetes.io/name': 'elasticsearch-exporter' }], [9200]],
    ]);
    expect(es.egress.map((rule: Json) => rule.ports.map((port: Json) => port.port))).toEqual([[9300], [9000], [53, 53]]);
    const beats = find('NetworkPolicy', 'logs-logstash').spec.ingress[0];
    expect([beats.from[0].namespaceSelector.matchLabels, beats.from[0].podSelector.matchLabels, beats.ports.map((port: Json) => port.port)]).toEqual([
      { 'kubernetes.io/metadata.name': 'lms-node-agents' },
      LOGGING_POD_LABELS.filebeat,
      [5044],
    ]);
  });

  test('the observability namespace must hold every node, Kibana with its rollout surge, and Logstash with its queue', () => {
    expect(logging.podBudgets.map((budget) => [budget.what, budget.pods, budget.volumes])).toEqual([
      ['Elasticsearch masters', 3, { claims: 1, storage: '10Gi' }],
      ['Elasticsearch data', 2, { claims: 1, storage: '200Gi' }],
      ['Kibana', 2, undefined],
      ['Logstash', 2, { claims: 1, storage: '20Gi' }],
    ]);
  });

  test('the runbook: the disaster-recovery site restores the primary\'s newest log snapshot after the failover, under names of its own', () => {
    const kitwe = loggingStackFixture({ siteRole: 'disaster-recovery', otherSiteName: 'lusaka', cluster: siteClusterFixture({ siteName: 'kitwe' }, testScope('test-kitwe-base')) });
    expect(kitwe.runbookSteps.map((step) => [step.procedure, step.phase, step.id, step.title])).toEqual([
      ['failover', 'finish', 'logs.list-peer-snapshots', "List Lusaka's replicated log snapshots at Kitwe"],
      ['failover', 'finish', 'logs.restore-peer-snapshot', "Restore Lusaka's newest log snapshot at Kitwe"],
      ['failover', 'finish', 'logs.verify-restore', "Check Lusaka's logs are searchable at Kitwe"],
    ]);
    expect(logging.runbookSteps.map((step) => step.procedure)).toEqual(['fail-back', 'fail-back', 'fail-back']);
    const [register, restore, verify] = logging.runbookSteps;
    expect(register!.body).toContain('/_snapshot/es-snapshots-kitwe/_all?sort=start_time&order=desc&size=3&verbose=false');
    expect(restore!.body).toContain(`"indices":"logs-lms.*-test","include_global_state":false,"rename_pattern":"logs-lms\\\\.([a-z]+)-test","rename_replacement":"logs-lms.$1-test.from-kitwe"`);
    expect(verify!.body).toContain('/logs-lms.audit-test.from-kitwe/_count');
    // Every command block is valid shell, with the site's kubectl function defined.
    for (const step of logging.runbookSteps) {
      const blocks = [...step.body.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]);
      expect(blocks.length).toBeGreaterThan(0);
      for (const block of blocks) expect(() => execFileSync('bash', ['-n'], { input: `lusaka() { kubectl "$@"; }\n${block}` })).not.toThrow();
    }
  });

  test.each([
    [{ pipelines: [] }, 'LoggingStack test-lusaka-observability/logging: pipelines: [] is not allowed (allowed: one or more Logstash pipelines)'],
    [
      { pipelines: [{ pipelineId: 'main', config: 'a' }, { pipelineId: 'main', config: 'b' }] },
      'LoggingStack test-lusaka-observability/logging: pipelines[1].pipelineId: "main" is not allowed (allowed: each pipeline id once)',
    ],
    [
      { objectStore: { ...loggingStackFixtureProps().objectStore, url: 'http://minio.lms-data.svc.cluster.local:9000' } },
      'LoggingStack test-lusaka-observability/logging: objectStore.url: "http://minio.lms-data.svc.cluster.local:9000" is not allowed (allowed: an https:// URL (snapshots travel over TLS))',
    ],
    [
      { resources: { kibana: { cpuRequest: '2', memoryRequest: '1Gi', cpuLimit: '1', memoryLimit: '1Gi' } } },
      'LoggingStack test-lusaka-observability/logging: resources.kibana.cpuRequest: "2" is above cpuLimit "1" (allowed: a request no larger than its limit)',
    ],
  ])('refuses %j', (overrides, message) => {
    expect(() => loggingStackFixture(overrides)).toThrow(message);
  });
});
