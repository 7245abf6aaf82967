/**
 * The values of the Traefik chart (41.3.0) the platform sets, typed: a misspelt key fails the
 * type check here, and the chart's values.schema.json rejects unknown keys at `helm template`
 * and install. Everything not listed keeps the chart's default.
 * @see https://github.com/traefik/traefik-helm-chart/blob/v41.3.0/traefik/values.yaml
 */

type Labels = Readonly<Record<string, string>>;

/** An entry point: the container port Traefik listens on, and the Service port that maps to it. */
export interface TraefikPort {
  readonly port: number;
  /** Port on the Service. @default - the chart's (80 for web, 443 for websecure) */
  readonly exposedPort?: number;
  /** Whether the Service exposes it. @default - the chart's (web and websecure only) */
  readonly expose?: { readonly default: boolean };
  readonly http?: {
    /** Redirect every request on this entry point to another (HTTP to HTTPS). */
    readonly redirections?: { readonly entryPoint: { readonly to: string; readonly scheme: 'https'; readonly permanent: boolean } };
    readonly tls?: { readonly enabled: boolean };
  };
}

// A type alias, not an interface: Helm release values are a plain record.
export type TraefikValues = {
  readonly image: { readonly registry: string; readonly repository: string; readonly tag: string; readonly pullPolicy: 'IfNotPresent' | 'Always' };
  /** Labels on every object the chart renders. */
  readonly commonLabels: Labels;
  readonly deployment: { readonly kind: 'Deployment'; readonly replicas: number };
  readonly podDisruptionBudget: { readonly enabled: true; readonly maxUnavailable: number };
  readonly priorityClassName: string;
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
  readonly topologySpreadConstraints: readonly {
    readonly maxSkew: number;
    readonly topologyKey: string;
    readonly whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
    readonly labelSelector: { readonly matchLabels: Labels };
  }[];
  /** The chart's own Gateway; the platform renders its Gateway itself. */
  readonly gateway: { readonly enabled: false };
  readonly gatewayClass: { readonly enabled: true; readonly name: string };
  readonly ingressClass: { readonly enabled: false };
  readonly providers: {
    readonly kubernetesGateway: { readonly enabled: true; readonly namespaces: readonly string[] };
    readonly kubernetesCRD: { readonly enabled: boolean; readonly allowCrossNamespace: false; readonly namespaces: readonly string[]; readonly defaultTLSResourcesNamespace: string };
    readonly kubernetesIngress: { readonly enabled: false };
  };
  readonly core: { readonly strictTLSOptions: boolean };
  readonly api: { readonly dashboard: false };
  /** No call home: no version check, no usage statistics. */
  readonly global: { readonly checkNewVersion: false; readonly sendAnonymousUsage: false };
  readonly ports: { readonly web: TraefikPort; readonly websecure: TraefikPort; readonly traefik: TraefikPort; readonly metrics: TraefikPort };
  readonly service: {
    readonly enabled: true;
    readonly annotations: Labels;
    readonly spec: { readonly type: 'LoadBalancer'; readonly externalTrafficPolicy: 'Local' | 'Cluster' };
  };
  readonly log: { readonly format: 'json'; readonly level: 'INFO' | 'WARN' | 'ERROR' | 'DEBUG' };
  readonly accessLog: {
    readonly enabled: true;
    readonly format: 'json';
    readonly fields: {
      readonly defaultMode: 'keep' | 'drop' | 'redact';
      readonly headers: { readonly defaultMode: 'keep' | 'drop' | 'redact'; readonly names: Readonly<Record<string, 'keep' | 'drop' | 'redact'>> };
      readonly queryParameters: { readonly defaultMode: 'keep' | 'drop' };
    };
  };
  readonly metrics: { readonly prometheus: { readonly entryPoint: 'metrics'; readonly service: { readonly enabled: true } } };
};
