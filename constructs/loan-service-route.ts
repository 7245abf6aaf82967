import type { Construct } from 'constructs';
import { LOAN_SERVICE_NAME, LOAN_SERVICE_PORT, LOAN_SERVICE_SERVICE_PORT } from '../charts-ts/loan-service-chart';
import { GatewayRoute, RouteExposure, type PublicRouteLimits } from './gateway-route';
import type { IngressGateway } from './ingress-gateway';
import type { LoanService } from './loan-service';

export interface LoanServiceRouteProps {
  /** The site's Gateway. */
  readonly gateway: IngressGateway;
  /** The site's loan-service. */
  readonly loanService: LoanService;
  /** Body-size and rate limits of the public route (the environment's `traffic.loanServiceRoute`). */
  readonly limits: PublicRouteLimits;
  /**
   * The host name customers use.
   * @default - the Gateway's `publicHost`
   */
  readonly hostname?: string;
}

/**
 * The loan-service's public route: the Gateway's public HTTPS listener to the loan-service's
 * Service, with HSTS, the body limit and the per-client rate limit. The apps layer creates it
 * beside the LoanService; the LoanService admits `gateway.peer` among its callers.
 */
export function loanServiceRoute(scope: Construct, id: string, props: LoanServiceRouteProps): GatewayRoute {
  const namespace = props.loanService.namespace;
  return new GatewayRoute(scope, id, {
    gateway: props.gateway,
    name: LOAN_SERVICE_NAME,
    namespace,
    hostname: props.hostname ?? props.gateway.publicHost,
    backend: {
      serviceName: LOAN_SERVICE_NAME,
      servicePort: LOAN_SERVICE_SERVICE_PORT,
      pods: { namespace, podLabels: { 'app.kubernetes.io/name': LOAN_SERVICE_NAME }, port: LOAN_SERVICE_PORT },
    },
    exposure: RouteExposure.public(props.limits),
  });
}
