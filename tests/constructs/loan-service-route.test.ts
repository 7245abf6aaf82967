import { loanServiceRoute } from '../../constructs/loan-service-route';
import { PlatformError } from '../../constructs/platform-error';
import { loanServiceFixture, testScope } from '../support/fixtures';
import { ingressGatewayFixture } from '../support/gateway-fixtures';

const LIMITS = { maxRequestBodyMiB: 10, ratePerSecond: 20, burst: 50 };

function setup(limits = LIMITS, hostname?: string) {
  const gateway = ingressGatewayFixture();
  const loanService = loanServiceFixture({ callers: [gateway.peer] });
  const route = loanServiceRoute(testScope('test-lusaka-apps'), 'loan-service-route', { gateway, loanService, limits, hostname });
  return { gateway, loanService, route };
}

const objectOf = (objects: readonly { kind: string; metadata: { name: string } }[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name) as any;

describe('loanServiceRoute', () => {
  test('publishes the loan-service on the public host, through the public HTTPS listener', () => {
    const { route } = setup();
    expect([route.routeName, route.namespace, route.hostname, route.listener.name, route.exposure.kind]).toEqual(['loan-service', 'lms-apps', 'loans.lms.co.zm', 'https', 'public']);
    expect(route.middlewares).toEqual(['loan-service-rate-limit', 'loan-service-body-limit', 'loan-service-hsts']);
    expect(objectOf(route.objects, 'Middleware', 'loan-service-rate-limit').spec).toEqual({ rateLimit: { average: 20, period: '1s', burst: 50 } });
    expect(objectOf(route.objects, 'Middleware', 'loan-service-body-limit').spec).toEqual({ buffering: { maxRequestBodyBytes: 10485760 } });
  });

  test('the backend is the LoanService\'s own Service, and the Gateway may reach its pods on the port they serve', () => {
    const { loanService, route } = setup();
    const service = objectOf(loanService.objects, 'Service', 'loan-service');
    const deployment = objectOf(loanService.objects, 'Deployment', 'loan-service');
    const backendRef = objectOf(route.objects, 'HTTPRoute', 'loan-service').spec.rules[0].backendRefs[0];
    expect(backendRef).toEqual({ group: '', kind: 'Service', name: service.metadata.name, port: service.spec.ports[0].port });
    const egress = objectOf(route.objects, 'NetworkPolicy', 'traefik-to-lms-apps-loan-service').spec.egress[0];
    expect(egress.ports).toEqual([{ protocol: 'TCP', port: service.spec.ports[0].targetPort }]);
    const podLabels = deployment.spec.template.metadata.labels;
    expect(Object.keys(egress.to[0].podSelector.matchLabels)).toEqual(['app.kubernetes.io/name']);
    for (const [key, value] of Object.entries(egress.to[0].podSelector.matchLabels)) expect(podLabels[key]).toBe(value);
  });

  test('the LoanService admits the Gateway\'s pods when given gateway.peer as a caller', () => {
    const { gateway, loanService } = setup();
    const policy = objectOf(loanService.objects, 'NetworkPolicy', 'loan-service');
    expect(policy.spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lms-platform' } }, podSelector: { matchLabels: gateway.peer.podLabels } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    });
  });

  test('another host must still be one the public listener serves', () => {
    expect(() => setup(LIMITS, 'loans.lusaka.lms.co.zm')).toThrow(
      new PlatformError(
        'GatewayRoute test-lusaka-apps/loan-service-route: hostname: "loans.lusaka.lms.co.zm" is served by no HTTPS listener of Gateway lms-platform/lms-gateway, so the route would have no TLS (allowed: "loans.lms.co.zm", "grafana.test.lusaka.lms.co.zm", "kibana.test.lusaka.lms.co.zm", "vault.test.lusaka.lms.co.zm")',
      ),
    );
  });
});
