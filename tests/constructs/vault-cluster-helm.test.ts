import type { KubeObject } from '../../constructs/platform-component';
import { VAULT_API_PORT, VAULT_CLUSTER_PORT, VAULT_INJECTOR_PORT, VAULT_METRICS_SERVICE, type VaultCluster } from '../../constructs/vault-cluster';
import { selectsLabels } from '../support/label-selector';
import { VERSIONS } from '../../constructs/versions';
import { checkPolicies } from '../../policy';
import { helmTemplate, imagesOf } from '../support/helm';
import { describeWithTools } from '../support/tools';
import { TRANSIT_UNSEAL, vaultClusterFixture } from '../support/vault';

const REGISTRY = 'registry.lms.co.zm';
const pinned = (name: keyof typeof VERSIONS.images) => `${REGISTRY}/${VERSIONS.images[name].repository}:${VERSIONS.images[name].tag}@${VERSIONS.images[name].digest}`;
const key = (object: KubeObject) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
const isHelmTest = (object: KubeObject) => (object.metadata.annotations as Record<string, string> | undefined)?.['helm.sh/hook'] === 'test';

describeWithTools('Vault release as helm renders it', ['helm', 'chartDir'], (tools) => {
  const sites = [
    ['production: three servers, Shamir unseal', {}],
    ['dev: one server, transit unseal', { replicas: 1, unseal: TRANSIT_UNSEAL }],
  ] as const;

  describe.each(sites)('%s', (_title, overrides) => {
    let vault: VaultCluster;
    let everything: KubeObject[];
    let rendered: KubeObject[];
    const named = (kind: string, name: string) => rendered.find((object) => object.kind === kind && object.metadata.name === name) as any;
    const servers = () => named('StatefulSet', 'vault');
    const injector = () => named('Deployment', 'vault-agent-injector');

    beforeAll(() => {
      vault = vaultClusterFixture(overrides);
      // helm template also renders the chart's `helm test` Pod; a release never creates it.
      everything = helmTemplate(tools.helm, tools.chartDir, vault.helmReleases[0]!);
      rendered = everything.filter((object) => !isHelmTest(object));
    });

    test('the chart accepts the values (its values.schema.json) and renders the servers and the injector in lms-security, nothing of CSI or the UI', () => {
      expect(rendered.filter((object) => ['StatefulSet', 'Deployment', 'DaemonSet'].includes(object.kind)).map(key).sort()).toEqual(['Deployment/lms-security/vault-agent-injector', 'StatefulSet/lms-security/vault']);
      expect(rendered.filter((object) => object.kind === 'Service').map((object) => object.metadata.name).sort()).toEqual(['vault', 'vault-active', 'vault-agent-injector-svc', 'vault-internal', 'vault-standby']);
      const namespaces = new Set(rendered.map((object) => object.metadata.namespace).filter((namespace) => namespace !== undefined));
      expect([...namespaces]).toEqual(['lms-security']);
      expect(everything.filter(isHelmTest).map(key)).toEqual(['Pod/lms-security/vault-server-test']);
      expect(rendered.filter((object) => object.kind === 'NetworkPolicy').map(key)).toEqual([]);
    });

    test('every image comes from the site registry by digest, the injected agent included; no public registry is named anywhere', () => {
      // The server and its tls-reloader sidecar, and the injector.
      expect(imagesOf(everything).map((found) => found.image).sort()).toEqual([pinned('vault'), pinned('vault'), pinned('vault'), pinned('vaultK8s')].sort());
      const env = injector().spec.template.spec.containers[0].env as { name: string; value?: string }[];
      expect(env.find((entry) => entry.name === 'AGENT_INJECT_VAULT_IMAGE')?.value).toBe(pinned('vault'));
      const text = JSON.stringify(everything);
      for (const publicRegistry of ['quay.io', 'docker.io', 'ghcr.io', 'gcr.io', 'registry.k8s.io', '"hashicorp/']) expect([publicRegistry, text.includes(publicRegistry)]).toEqual([publicRegistry, false]);
    });

    test('the policy pack finds nothing in the rendered chart and the component objects but the reloader sidecar\'s probes, recorded with its reason', () => {
      const release = vault.helmReleases[0]!;
      expect(release.policySuppressions?.map((suppression) => `${suppression.ruleId} ${suppression.object}`)).toEqual(['LMS-K8S-009 StatefulSet/lms-security/vault']);
      const unsuppressed = checkPolicies([...rendered, ...vault.objects], { approvedRegistries: [REGISTRY] }, [...vault.policySuppressions]);
      expect(unsuppressed.findings.map((finding) => `${finding.ruleId} ${finding.object.kind}/${finding.object.namespace}/${finding.object.name} ${finding.path}`)).toEqual([
        'LMS-K8S-009 StatefulSet/lms-security/vault spec.template.spec.containers[1].livenessProbe',
        'LMS-K8S-009 StatefulSet/lms-security/vault spec.template.spec.containers[1].readinessProbe',
      ]);
      const server = servers().spec.template.spec.containers[0];
      expect([server.name, server.readinessProbe !== undefined, server.livenessProbe?.httpGet?.path]).toEqual(['vault', true, '/v1/sys/health?standbyok=true&perfstandbyok=true&sealedcode=204&uninitcode=204']);
      const report = checkPolicies([...rendered, ...vault.objects], { approvedRegistries: [REGISTRY] }, [...vault.policySuppressions, ...release.policySuppressions!]);
      expect(report.findings.filter((finding) => finding.suppressedBecause === undefined)).toEqual([]);
    });

    test('the tls-reloader sidecar watches the mounted certificate and signals the server it shares a process namespace with', () => {
      const spec = servers().spec.template.spec;
      expect(spec.shareProcessNamespace).toBe(true);
      const reloader = spec.containers.find((container: { name: string }) => container.name === 'tls-reloader');
      expect(reloader.volumeMounts).toEqual([{ name: 'tls', mountPath: '/vault/tls', readOnly: true }]);
      expect(reloader.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true });
      expect(reloader.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
      expect(reloader.command[2]).toContain('cat /vault/tls/tls.crt /vault/tls/tls.key /vault/tls/ca.crt | sha256sum');
      expect(reloader.command[2]).toContain('pkill -HUP -x vault');
    });

    test('TLS on every listener of the rendered configuration; the servers reach each other by https', () => {
      const config = named('ConfigMap', 'vault-config').data['extraconfig-from-values.hcl'] as string;
      expect(config).toBe(vault.serverConfig);
      const listeners = config.match(/listener "tcp" \{[\s\S]*?\n\}/g) ?? [];
      expect(listeners).toHaveLength(1);
      expect(listeners[0]).toMatch(/\n {2}tls_disable {5}= false\n/);
      expect(config).not.toMatch(/tls_disable\s*=\s*(1|true|"true")/);
      const env = Object.fromEntries((servers().spec.template.spec.containers[0].env as { name: string; value?: string }[]).map((entry) => [entry.name, entry.value]));
      expect([env.VAULT_ADDR, env.VAULT_API_ADDR, env.VAULT_CLUSTER_ADDR]).toEqual(['https://127.0.0.1:8200', 'https://$(POD_IP):8200', 'https://$(HOSTNAME).vault-internal:8201']);
      expect(servers().spec.template.spec.containers[0].readinessProbe.exec.command).toEqual(['/bin/sh', '-ec', 'vault status -tls-skip-verify']);
      expect(servers().spec.template.spec.containers[0].livenessProbe.httpGet.scheme).toBe('HTTPS');
    });

    test('replicas, the budget and the unseal method follow the props', () => {
      expect(servers().spec.replicas).toBe(vault.replicas);
      const config = named('ConfigMap', 'vault-config').data['extraconfig-from-values.hcl'] as string;
      expect(config.match(/retry_join \{/g)).toHaveLength(vault.replicas);
      expect(config.includes('seal "transit"')).toBe(vault.unseal.kind === 'transit');
      const budgets = rendered.filter((object) => object.kind === 'PodDisruptionBudget') as any[];
      expect(injector().spec.replicas).toBe(vault.injectorReplicas);
      const expected = vault.replicas > 1 ? [{ name: 'vault', spec: { maxUnavailable: 1, selector: { matchLabels: vault.podLabels.server } } }, { name: 'vault-agent-injector', spec: { minAvailable: 1, selector: { matchLabels: vault.podLabels.injector } } }] : [];
      expect(budgets.map((budget) => ({ name: budget.metadata.name, spec: budget.spec })).sort((a, b) => a.name.localeCompare(b.name))).toEqual(expected);
    });

    test('pods meet the restricted Pod Security level, servers run at the critical-data priority and mount the certificate', () => {
      expect(vault.podSecurityLevel).toBe('restricted');
      for (const object of [servers(), injector()]) {
        const pod = object.spec.template.spec;
        const name = object.metadata.name;
        expect([name, pod.securityContext]).toEqual([name, { runAsNonRoot: true, runAsUser: 100, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } }]);
        expect([name, pod.hostNetwork ?? false, pod.hostPID, pod.hostIPC]).toEqual([name, false, undefined, undefined]);
        expect([name, pod.containers[0].securityContext]).toEqual([name, { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true }]);
      }
      expect(servers().spec.template.spec.priorityClassName).toBe('lms-critical-data');
      expect(injector().spec.template.spec.priorityClassName).toBe('lms-platform');
      const volumes = servers().spec.template.spec.volumes as any[];
      expect(volumes.find((volume) => volume.name === 'tls').secret.secretName).toBe(vault.certificate.secretName);
      const mounts = servers().spec.template.spec.containers[0].volumeMounts as any[];
      expect(mounts.map((mount) => mount.mountPath).sort()).toEqual(
        ['/home/vault', '/tmp', '/vault/audit', '/vault/config', '/vault/data', '/vault/tls', ...(vault.unseal.kind === 'transit' ? ['/vault/transit-unseal'] : [])].sort(),
      );
      expect(servers().spec.volumeClaimTemplates.map((claim: any) => claim.metadata.name)).toEqual(['data', 'audit']);
    });

    test('the injector webhook: failurePolicy Ignore as the chart sets it, only the consuming namespaces and Vault\'s own, never the injector itself', () => {
      const configurations = rendered.filter((object) => object.kind === 'MutatingWebhookConfiguration' || object.kind === 'ValidatingWebhookConfiguration') as any[];
      expect(configurations.map(key)).toEqual(['MutatingWebhookConfiguration//vault-agent-injector-cfg']);
      const [webhook] = configurations[0].webhooks;
      expect(configurations[0].webhooks).toHaveLength(1);
      expect(webhook.failurePolicy).toBe('Ignore');
      expect(webhook.clientConfig.service).toEqual({ name: 'vault-agent-injector-svc', namespace: 'lms-security', path: '/mutate' });
      expect(webhook.namespaceSelector).toEqual({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['lms-apps', 'lms-data', 'lms-observability', 'lms-platform', 'lms-security'] }] });
      expect(webhook.objectSelector).toEqual({ matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'NotIn', values: ['vault-agent-injector'] }] });
    });

    test('the NetworkPolicies select the pods the chart renders, on the ports the chart opens', () => {
      expect(servers().spec.template.metadata.labels).toEqual(expect.objectContaining(vault.podLabels.server));
      expect(injector().spec.template.metadata.labels).toEqual(expect.objectContaining(vault.podLabels.injector));
      const serverPorts = servers().spec.template.spec.containers[0].ports.map((port: any) => port.containerPort);
      expect(serverPorts).toEqual(expect.arrayContaining([VAULT_API_PORT, VAULT_CLUSTER_PORT]));
      const injectorEnv = injector().spec.template.spec.containers[0].env as { name: string; value?: string }[];
      expect(injectorEnv.find((entry) => entry.name === 'AGENT_INJECT_LISTEN')?.value).toBe(`:${VAULT_INJECTOR_PORT}`);
      const injectorService = named('Service', 'vault-agent-injector-svc');
      expect(injectorService.spec.ports).toEqual([{ name: 'https', port: 443, targetPort: VAULT_INJECTOR_PORT }]);
      expect(named('Service', 'vault').spec.ports.find((port: any) => port.name === 'https').targetPort).toBe(VAULT_API_PORT);
    });
    test('the ServiceMonitor selects only the headless Service over every server, sealed ones included, on its API port, verified by the servers\' certificate', () => {
      const monitor = vault.objects.find((object) => object.kind === 'ServiceMonitor') as any;
      expect(monitor.metadata).toMatchObject({ name: 'vault', namespace: 'lms-security', labels: { 'lms.co.zm/scrape': 'true' } });
      const services = rendered.filter((object) => object.kind === 'Service' && selectsLabels(monitor.spec.selector, object.metadata.labels as Record<string, string>)) as any[];
      expect(services.map((service) => service.metadata.name)).toEqual([VAULT_METRICS_SERVICE]);
      const [service] = services;
      expect(service.spec.publishNotReadyAddresses).toBe(true);
      expect(service.spec.selector).toEqual(vault.podLabels.server);
      const [endpoint] = monitor.spec.endpoints;
      expect(service.spec.ports.find((port: any) => port.name === endpoint.port)?.targetPort).toBe(VAULT_API_PORT);
      expect(endpoint).toMatchObject({ scheme: 'https', path: '/v1/sys/metrics', params: { format: ['prometheus'] } });
      expect(endpoint.tlsConfig).toEqual({ serverName: 'vault.lms-security.svc', ca: { secret: { name: vault.certificate.secretName, key: 'ca.crt' } } });
      const certificate = vault.objects.find((object) => object.kind === 'Certificate' && object.metadata.namespace === 'lms-security') as any;
      expect(certificate.spec.secretName).toBe(vault.certificate.secretName);
      expect(certificate.spec.dnsNames).toContain(endpoint.tlsConfig.serverName);
      // Each server answers for itself only with unauthenticated metrics on its listener.
      expect(vault.serverConfig).toContain('unauthenticated_metrics_access = true');
    });
  });
});
