import { PlatformError, formatValue } from './platform-error';

/**
 * Every version the platform pins, in one typed place: Terraform providers, supported
 * Kubernetes minors, Helm charts and container images (by digest). Tests read this file; an unknown name or version is an error, never a fallback.
 */
export const VERSIONS = {
  /**
   * The Terraform providers bundled with the prebuilt cdktf bindings this project pins
   * (@cdktf/provider-kubernetes 12.1.1, @cdktf/provider-helm 12.1.2). cdktf is archived
   * upstream at 0.21.0, so these are final; the provider mirror must serve exactly them.
   */
  terraformProviders: {
    kubernetes: { source: 'hashicorp/kubernetes', version: '2.38.0' },
    helm: { source: 'hashicorp/helm', version: '3.1.1' },
  },

  /**
   * Kubernetes minor versions the rendered objects are written for (cdk8s-plus-28 targets
   * 1.28; nothing rendered uses an API removed before 1.32).
   */
  kubernetes: ['1.28', '1.29', '1.30', '1.31'] as const,

  /**
   * Helm charts, each installed from the site's in-country chart repository (`chartRepository`
   * of the site), which mirrors exactly these versions.
   */
  charts: {
    certManager: { name: 'cert-manager', version: 'v1.19.6' },
    traefik: { name: 'traefik', version: '41.3.0' },
    metallb: { name: 'metallb', version: '0.16.1' },
    vault: { name: 'vault', version: '0.34.1' },
    /** Prometheus (through its operator), Alertmanager, Grafana, kube-state-metrics and node-exporter. */
    kubePrometheusStack: { name: 'kube-prometheus-stack', version: '88.5.3' },
    /** The ECK operator, which runs Elasticsearch, Kibana, Logstash and Filebeat from their custom resources (CRDs from vendor/crds/eck-operator-crds-3.5.0). */
    eckOperator: { name: 'eck-operator', version: '3.5.0' },
  },

  /**
   * Container images, each pulled from the site's in-country registry mirror by digest.
   * `repository` is the path under the registry host; `upstream` is where the mirror copies
   * it from (audit reports show it).
   *
   * `digestSource` says where the digest comes from: `registry` when it was read from the
   * in-country mirror after the image was pushed or copied there, `stand-in` when that has
   * not happened yet. A stand-in digest has the right form but names no pushed image, so a
   * deploy that uses it cannot pull; every synth lists the images still on stand-ins. The
   * release that mirrors an image (or builds the loan-service) records its real digest here.
   */
  images: {
    /** The bundled loan-service, built from app-services/loan-service/Dockerfile by the release. */
    loanService: {
      repository: 'lms/loan-service',
      tag: '0.1.0',
      upstream: 'app-services/loan-service',
      digest: 'sha256:4d6f3a0c1c9b5e2f7a8b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f',
      digestSource: 'stand-in',
    },
    certManagerController: {
      repository: 'jetstack/cert-manager-controller',
      tag: 'v1.19.6',
      upstream: 'quay.io/jetstack/cert-manager-controller',
      digest: 'sha256:daec39e2e0023dd041e6ad01a3c2b8846b7d3c49f68afd12178ca55041ad8a66',
      digestSource: 'stand-in',
    },
    certManagerWebhook: {
      repository: 'jetstack/cert-manager-webhook',
      tag: 'v1.19.6',
      upstream: 'quay.io/jetstack/cert-manager-webhook',
      digest: 'sha256:2bc9be2331f5d4e36244597133c4ce41b59edf3b18a6c11b24a47ddf1af2409e',
      digestSource: 'stand-in',
    },
    certManagerCainjector: {
      repository: 'jetstack/cert-manager-cainjector',
      tag: 'v1.19.6',
      upstream: 'quay.io/jetstack/cert-manager-cainjector',
      digest: 'sha256:930df72df5f4d6b113086b9f624b220ea895ba23236efddca6e9e6d9d9c1a2b8',
      digestSource: 'stand-in',
    },
    certManagerAcmeSolver: {
      repository: 'jetstack/cert-manager-acmesolver',
      tag: 'v1.19.6',
      upstream: 'quay.io/jetstack/cert-manager-acmesolver',
      digest: 'sha256:70b05e044eb463d4cce03b9af6c8c9251054cdc9759aa1a22fa729b393b68506',
      digestSource: 'stand-in',
    },
    traefik: {
      repository: 'traefik/traefik',
      tag: 'v3.7.11',
      upstream: 'docker.io/library/traefik',
      digest: 'sha256:8f80169b601bc151e5811229853f08c9ba78cb712432802c7ce01c46f41daa84',
      digestSource: 'stand-in',
    },
    metallbController: {
      repository: 'metallb/controller',
      tag: 'v0.16.1',
      upstream: 'quay.io/metallb/controller',
      digest: 'sha256:a429b371d3c282f1a7134c89b288bac5b1cf03baa7e9cd3c026d0fa31450e428',
      digestSource: 'stand-in',
    },
    metallbSpeaker: {
      repository: 'metallb/speaker',
      tag: 'v0.16.1',
      upstream: 'quay.io/metallb/speaker',
      digest: 'sha256:31a5af398e4ed62034bf45e6b7a2938fac0e04674cf96f3648ca7b012123b81d',
      digestSource: 'stand-in',
    },
    /** The Vault server, and the agent the injector adds to pods that ask for secrets. */
    vault: {
      repository: 'hashicorp/vault',
      tag: '2.0.4',
      upstream: 'docker.io/hashicorp/vault',
      digest: 'sha256:533773b482de605f42271ade415ad6e2d2dd524dfa6a64ab399939cb9b70fdbe',
      digestSource: 'stand-in',
    },
    vaultK8s: {
      repository: 'hashicorp/vault-k8s',
      tag: '1.7.6',
      upstream: 'docker.io/hashicorp/vault-k8s',
      digest: 'sha256:b2bc0f6475bb7c3440b609d4343ccf7854d1748f9dc55e2d6584735284c42533',
      digestSource: 'stand-in',
    },
    /**
     * The MinIO server. Upstream no longer publishes community images: the release builds it
     * from the pinned upstream release tag in-country and pushes it to the mirror.
     */
    minio: {
      repository: 'lms/minio',
      tag: 'RELEASE.2025-10-15T17-29-55Z',
      upstream: 'github.com/minio/minio (built in-country from the release tag)',
      digest: 'sha256:6b1d0a3f5e7c9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d',
      digestSource: 'stand-in',
    },
    /** The object store jobs: bucket reconciliation and the replication heartbeat, built from app-services/object-store-jobs/Dockerfile by the release. */
    objectStoreJobs: {
      repository: 'lms/object-store-jobs',
      tag: '0.1.0',
      upstream: 'app-services/object-store-jobs',
      digest: 'sha256:3e5a7c9b1d2f4a6c8e0b2d4f6a8c1e3b5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c',
      digestSource: 'stand-in',
    },
    /**
     * SQL Server 2022 on Linux. CU20 or later: earlier builds size their memory from the node,
     * not the container's cgroup v2 limit. The 2022 images carry sqlcmd (mssql-tools18), which
     * the readiness probe runs.
     */
    sqlServer: {
      repository: 'mssql/server',
      tag: '2022-CU21-ubuntu-22.04',
      upstream: 'mcr.microsoft.com/mssql/server',
      digest: 'sha256:9c4e2a7f1b3d5e8a0c6f2b4d7e9a1c3f5b8d0e2a4c6f9b1d3e5a7c0f2b4d6e8a',
      digestSource: 'stand-in',
    },
    /** The log-shipping jobs: setup, backups, restores and their metrics, built from app-services/sql-server-jobs/Dockerfile by the release. */
    sqlServerJobs: {
      repository: 'lms/sql-server-jobs',
      tag: '0.1.0',
      upstream: 'app-services/sql-server-jobs',
      digest: 'sha256:5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c',
      digestSource: 'stand-in',
    },
    /** The Prometheus operator, which runs Prometheus and Alertmanager from their custom resources (kube-prometheus-stack 88.5.3). */
    prometheusOperator: {
      repository: 'prometheus-operator/prometheus-operator',
      tag: 'v0.93.1',
      upstream: 'quay.io/prometheus-operator/prometheus-operator',
      digest: 'sha256:72c32d1dd3eda1d2cd6e7d47212c42ae32f1376f980512db28dc1980232a3291',
      digestSource: 'stand-in',
    },
    /** The sidecar that reloads Prometheus and Alertmanager when their configuration changes. */
    prometheusConfigReloader: {
      repository: 'prometheus-operator/prometheus-config-reloader',
      tag: 'v0.93.1',
      upstream: 'quay.io/prometheus-operator/prometheus-config-reloader',
      digest: 'sha256:56c4af0e463ad3887be6459e4bc81811eb96ca5c6c4ba56742022abc3a208b2a',
      digestSource: 'stand-in',
    },
    prometheus: {
      repository: 'prometheus/prometheus',
      tag: 'v3.14.0-distroless',
      upstream: 'quay.io/prometheus/prometheus',
      digest: 'sha256:bb8cf876e6bd4e00c62ec8c96ca4de4c9524d96f6234989a6941132414f0f737',
      digestSource: 'stand-in',
    },
    alertmanager: {
      repository: 'prometheus/alertmanager',
      tag: 'v0.34.0',
      upstream: 'quay.io/prometheus/alertmanager',
      digest: 'sha256:0c0ae9330ebe7f4ecb7e09d3851ef4ec8d35bcb5aac63e0cc2d3fc434cfe28cc',
      digestSource: 'stand-in',
    },
    grafana: {
      repository: 'grafana/grafana',
      tag: '13.2.0',
      upstream: 'docker.io/grafana/grafana',
      digest: 'sha256:d891a9bea0d8c95ded50c14d49d823eacb21df0b435508cee71a851aa7c715a5',
      digestSource: 'stand-in',
    },
    /** The Grafana sidecar that loads dashboards and data sources from labelled ConfigMaps. */
    grafanaSidecar: {
      repository: 'kiwigrid/k8s-sidecar',
      tag: '2.10.1',
      upstream: 'quay.io/kiwigrid/k8s-sidecar',
      digest: 'sha256:80a5cb04cc1aebead6159c8b598dbae8e027145a49b62019471653900618b0d9',
      digestSource: 'stand-in',
    },
    kubeStateMetrics: {
      repository: 'kube-state-metrics/kube-state-metrics',
      tag: 'v2.20.0',
      upstream: 'registry.k8s.io/kube-state-metrics/kube-state-metrics',
      digest: 'sha256:22151f838162466670ca4bd1ef7140ce97dfa58d469fc755db1f5838d8eaba8c',
      digestSource: 'stand-in',
    },
    nodeExporter: {
      repository: 'prometheus/node-exporter',
      tag: 'v1.12.1',
      upstream: 'quay.io/prometheus/node-exporter',
      digest: 'sha256:a0db0c34a64e9527bc4772bfaee3d83b10d75c91cd9ab38cd2ecd39e03ceff10',
      digestSource: 'stand-in',
    },
    /** Thanos: no Thanos runs, but the operator's flags name a default image, which must not be public. */
    thanos: {
      repository: 'thanos/thanos',
      tag: 'v0.42.4',
      upstream: 'quay.io/thanos/thanos',
      digest: 'sha256:433f9762f33a70ba3957e66fb503345f8b215083e505ac9920f88af68bdb57c7',
      digestSource: 'stand-in',
    },
    /**
     * The ECK operator (Elastic Cloud on Kubernetes), chart eck-operator 3.5.0. It names the
     * Elastic stack's images `<containerRegistry>/<repository>:<version>`, so those keep their
     * upstream paths under the site's registry.
     */
    eckOperator: {
      repository: 'eck/eck-operator',
      tag: '3.5.0',
      upstream: 'docker.elastic.co/eck/eck-operator',
      digest: 'sha256:bfef5e89d2101e63f3e977c3d1ae5b8ea6f1b4f65427b64649039cf23fd19bbd',
      digestSource: 'stand-in',
    },
    /** The MinIO client: the Vault snapshot job uploads each snapshot with `mc cp`. */
    minioClient: {
      repository: 'minio/mc',
      tag: 'RELEASE.2025-08-13T08-35-41Z',
      upstream: 'quay.io/minio/mc',
      digest: 'sha256:af39d29e4fde4a6117714258c6fb45b7f315c063570ebfd65c624b466efd7375',
      digestSource: 'stand-in',
    },
    /** The Elasticsearch nodes of the logging stack (ECK runs them from the `Elasticsearch` resource); its curl also applies the lifecycle policies and templates. */
    elasticsearch: {
      repository: 'elasticsearch/elasticsearch',
      tag: '9.2.0',
      upstream: 'docker.elastic.co/elasticsearch/elasticsearch',
      digest: 'sha256:aad8b5188cb5092593cad85d3df6d6ffdabc4710928f2acba18953a68d9ff1b6',
      digestSource: 'stand-in',
    },
    /** Kibana, the logs' search and dashboards. */
    kibana: {
      repository: 'kibana/kibana',
      tag: '9.2.0',
      upstream: 'docker.elastic.co/kibana/kibana',
      digest: 'sha256:820939f168b80962bf7894eae9608dd1d20afdd00a71d0205a1f28b8ffe01bb8',
      digestSource: 'stand-in',
    },
    /** Logstash, which parses and classifies every log event before Elasticsearch. */
    logstash: {
      repository: 'logstash/logstash',
      tag: '9.2.0',
      upstream: 'docker.elastic.co/logstash/logstash',
      digest: 'sha256:98cc2e1e4020135810bef2bfbebb94872a63153f4c12c03d454075153a2a36c9',
      digestSource: 'stand-in',
    },
    /** Filebeat, which reads every container's log on each node. */
    filebeat: {
      repository: 'beats/filebeat',
      tag: '9.2.0',
      upstream: 'docker.elastic.co/beats/filebeat',
      digest: 'sha256:3914b1a7fc51a5a078d03a798f7498f9d78fc8f3177b473a54fe2c30eaa714f6',
      digestSource: 'stand-in',
    },
    /** The Prometheus exporter of Elasticsearch's health, indexing and snapshots. */
    elasticsearchExporter: {
      repository: 'prometheus-community/elasticsearch-exporter',
      tag: 'v1.9.0',
      upstream: 'quay.io/prometheus-community/elasticsearch-exporter',
      digest: 'sha256:bafecc67649ee2670407196eb969f624b6bf0866cd5c63cd0f40a55e541bd7bf',
      digestSource: 'stand-in',
    },
  },
} as const;

export type KubernetesVersion = (typeof VERSIONS.kubernetes)[number];
export type ImageName = keyof typeof VERSIONS.images;

/** An image digest: `sha256:` and 64 lower-case hex digits. */
export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/** A pinned image split the way Helm charts take it (`registry`, `repository`, `tag`, `digest`). */
export interface PinnedImage {
  readonly registry: string;
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
  /** `registry/repository:tag@digest`. */
  readonly reference: string;
}

/**
 * The parts of a pinned image in a registry. `pin` is an environment's own tag and digest for
 * it (the loan-service's); without it, those in `VERSIONS.images`.
 */
export function pinnedImage(registry: string, name: ImageName, pin?: ImagePin): PinnedImage {
  const known = (VERSIONS.images as Record<string, { repository: string; tag: string; digest: string }>)[name];
  if (!known) {
    throw new PlatformError(
      `versions: images.${String(name)}: ${formatValue(name)} is not a pinned image (allowed: ${Object.keys(VERSIONS.images).join(', ')})`,
    );
  }
  const image = { repository: known.repository, tag: pin?.tag ?? known.tag, digest: pin?.digest ?? known.digest };
  if (!DIGEST_PATTERN.test(image.digest)) {
    throw new PlatformError(
      `versions: images.${name}.digest: ${formatValue(image.digest)} is not an image digest (allowed: "sha256:" and 64 lower-case hex digits)`,
    );
  }
  return { registry, repository: image.repository, tag: image.tag, digest: image.digest, reference: `${registry}/${image.repository}:${image.tag}@${image.digest}` };
}

/**
 * The full, immutable reference of a pinned image in a registry:
 * `registry.lms.co.zm/lms/loan-service:0.1.0@sha256:...` (the tag is informative; the
 * digest is what the kubelet pulls).
 */
export function imageReference(registry: string, name: ImageName, pin?: ImagePin): string {
  return pinnedImage(registry, name, pin).reference;
}

/** Images whose digest is still a stand-in (see `VERSIONS.images`), sorted. */
export function standInImages(): readonly ImageName[] {
  return (Object.keys(VERSIONS.images) as ImageName[]).filter((name) => VERSIONS.images[name].digestSource === 'stand-in').sort();
}

export type ChartName = keyof typeof VERSIONS.charts;

/**
 * The versions of each chart the components' typed values are written for: an environment's
 * pins (`environments/pins/<env>.json`) may name any of them, so dev can run a newer chart
 * than production. A new chart version is added here (with whatever its values need) before
 * any environment pins it.
 */
export const SUPPORTED_CHART_VERSIONS: { readonly [name in ChartName]: readonly string[] } = {
  certManager: [VERSIONS.charts.certManager.version],
  traefik: [VERSIONS.charts.traefik.version],
  metallb: [VERSIONS.charts.metallb.version],
  vault: [VERSIONS.charts.vault.version],
  kubePrometheusStack: [VERSIONS.charts.kubePrometheusStack.version],
  eckOperator: [VERSIONS.charts.eckOperator.version],
};

/** An image an environment pins itself (the loan-service), instead of `VERSIONS.images`. */
export interface ImagePin {
  readonly tag: string;
  /** `sha256:` and 64 lower-case hex digits. */
  readonly digest: string;
}

/**
 * A pinned chart in a site's in-country chart repository. `version` is the environment's pin
 * (one of `SUPPORTED_CHART_VERSIONS`); without it, the version in `VERSIONS.charts`.
 */
export function chartSource(repository: string, name: ChartName, version?: string): { readonly repository: string; readonly name: string; readonly version: string } {
  const chart = VERSIONS.charts[name];
  if (!chart) {
    throw new PlatformError(`versions: charts.${String(name)}: ${formatValue(name)} is not a pinned chart (allowed: ${Object.keys(VERSIONS.charts).join(', ')})`);
  }
  if (version !== undefined && !SUPPORTED_CHART_VERSIONS[name].includes(version)) {
    throw new PlatformError(`versions: charts.${name}: ${formatValue(version)} is not a supported version (allowed: ${SUPPORTED_CHART_VERSIONS[name].join(', ')})`);
  }
  return { repository, name: chart.name, version: version ?? chart.version };
}
