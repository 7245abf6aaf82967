import { Chart } from 'cdk8s';
import { KubeClusterRole, KubeClusterRoleBinding, KubeServiceAccount } from 'cdk8s-plus-28/lib/imports/k8s';
import type { Construct } from 'constructs';
import {
  Beat,
  BeatSpecDaemonSetPodTemplateSpecContainersResourcesLimits as BeatLimits,
  BeatSpecDaemonSetPodTemplateSpecContainersResourcesRequests as BeatRequests,
} from './imports/beat.k8s.elastic.co';
import {
  Elasticsearch,
  ElasticsearchSpecNodeSetsPodTemplateSpecContainersResourcesLimits as EsLimits,
  ElasticsearchSpecNodeSetsPodTemplateSpecContainersResourcesRequests as EsRequests,
  ElasticsearchSpecNodeSetsPodTemplateSpecInitContainersResourcesLimits as EsInitLimits,
  ElasticsearchSpecNodeSetsPodTemplateSpecInitContainersResourcesRequests as EsInitRequests,
  ElasticsearchSpecNodeSetsVolumeClaimTemplatesSpecResourcesRequests as EsVolumeRequests,
} from './imports/elasticsearch.k8s.elastic.co';
import {
  Kibana,
  KibanaSpecPodTemplateSpecContainersResourcesLimits as KibanaLimits,
  KibanaSpecPodTemplateSpecContainersResourcesRequests as KibanaRequests,
} from './imports/kibana.k8s.elastic.co';
import {
  Logstash,
  LogstashSpecPodTemplateSpecContainersResourcesLimits as LogstashLimits,
  LogstashSpecPodTemplateSpecContainersResourcesRequests as LogstashRequests,
  LogstashSpecServicesServiceSpecPortsTargetPort,
  LogstashSpecVolumeClaimTemplatesSpecResourcesRequests as LogstashVolumeRequests,
} from './imports/logstash.k8s.elastic.co';
import { restrictedContainerSecurity, restrictedPodSecurity } from './restricted-pod';

/** Requests and limits of one container. */
export interface LoggingContainerResources {
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly cpuLimit: string;
  readonly memoryLimit: string;
}

/** One Elasticsearch node set: its name, roles, count, volume and container resources. */
export interface LoggingNodeSet {
  readonly name: string;
  readonly roles: readonly string[];
  readonly count: number;
  readonly volumeSize: string;
  readonly resources: LoggingContainerResources;
}

/** A Secret mounted into a container: its name, where, and the keys it must hold. */
export interface MountedSecret {
  readonly secretName: string;
  readonly directory: string;
}

export interface LoggingChartProps {
  readonly namespace: string;
  /** Filebeat's namespace: it reads host paths, so it runs with the node agents. */
  readonly agentsNamespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly names: { readonly elasticsearch: string; readonly kibana: string; readonly logstash: string; readonly filebeat: string };
  /** The Elastic stack version every resource runs. */
  readonly version: string;
  readonly images: { readonly elasticsearch: string; readonly kibana: string; readonly logstash: string; readonly filebeat: string };
  readonly priorityClassName: string;
  readonly storageClassName: string;
  readonly elasticsearch: {
    readonly nodeSets: readonly LoggingNodeSet[];
    /** Elasticsearch's own settings (`elasticsearch.yml`), the same on every node. */
    readonly config: Readonly<Record<string, unknown>>;
    /** The Secret of the HTTP endpoint's certificate (`tls.crt`, `tls.key`, `ca.crt`). */
    readonly httpCertificateSecret: string;
    /** Secrets whose keys ECK writes into each node's keystore. */
    readonly secureSettingsSecrets: readonly string[];
    /** The CA the S3 client must trust (the object store's), and the truststore it is imported into. */
    readonly objectStoreTrust: { readonly caSecretName: string; readonly trustStorePath: string };
    readonly initResources: LoggingContainerResources;
  };
  readonly kibana: { readonly replicas: number; readonly resources: LoggingContainerResources; readonly httpCertificateSecret: string };
  readonly logstash: {
    readonly replicas: number;
    readonly resources: LoggingContainerResources;
    /** `LS_JAVA_OPTS`: the heap, sized from the memory limit. */
    readonly javaOptions: string;
    readonly config: Readonly<Record<string, unknown>>;
    readonly pipelines: readonly { readonly pipelineId: string; readonly config: string }[];
    readonly queueVolumeSize: string;
    /** The cluster name Logstash's pipelines know Elasticsearch by (`<NAME>_ES_HOSTS` and so on). */
    readonly elasticsearchClusterName: string;
    readonly beatsService: string;
    readonly beatsPort: number;
    /** The Beats input's server certificate. */
    readonly tls: MountedSecret;
  };
  readonly filebeat: {
    readonly config: Readonly<Record<string, unknown>>;
    readonly resources: LoggingContainerResources;
    /** The variable that carries the node's name (`spec.nodeName`): Filebeat reads only that node's pods' metadata. */
    readonly nodeNameEnv: string;
    /** Filebeat's client certificate for the Beats input. */
    readonly tls: MountedSecret;
  };
}

/** The container names ECK gives the main container of each kind: a podTemplate container of that name is merged into it. */
export const ECK_CONTAINERS = { elasticsearch: 'elasticsearch', kibana: 'kibana', logstash: 'logstash', filebeat: 'filebeat' } as const;

/** The Elastic images run as this user (`elasticsearch`, `kibana`, `logstash`, `filebeat` are UID 1000). */
export const ELASTIC_UID = 1000;

function resourcesOf<L, R>(limits: { fromString(value: string): L }, requests: { fromString(value: string): R }, resources: LoggingContainerResources) {
  return {
    limits: { cpu: limits.fromString(resources.cpuLimit), memory: limits.fromString(resources.memoryLimit) },
    requests: { cpu: requests.fromString(resources.cpuRequest), memory: requests.fromString(resources.memoryRequest) },
  };
}

/** A writable `/tmp` for a container whose root filesystem is read-only. */
const TMP_VOLUME = { name: 'tmp', emptyDir: {} };
const TMP_MOUNT = { name: 'tmp', mountPath: '/tmp' };

/**
 * The logging stack of one site as ECK resources: Elasticsearch (its node sets), Kibana,
 * Logstash (its pipelines and Beats input), and Filebeat on every node, plus Filebeat's
 * ServiceAccount and read access to pod metadata. ECK builds the StatefulSets, Deployments,
 * DaemonSet, Services, PodDisruptionBudgets and internal certificates from these.
 */
export class LoggingChart extends Chart {
  constructor(scope: Construct, id: string, props: LoggingChartProps) {
    super(scope, id, { disableResourceNameHashes: true, labels: { ...props.labels } });
    const ns = props.namespace;
    const es = props.elasticsearch;
    const trustDirectory = es.objectStoreTrust.trustStorePath.slice(0, es.objectStoreTrust.trustStorePath.lastIndexOf('/'));
    const objectStoreCaDirectory = '/usr/share/elasticsearch/object-store-ca';

    new Elasticsearch(this, 'elasticsearch', {
      metadata: { name: props.names.elasticsearch, namespace: ns },
      spec: {
        version: props.version,
        image: props.images.elasticsearch,
        http: { tls: { certificate: { secretName: es.httpCertificateSecret } } },
        secureSettings: es.secureSettingsSecrets.map((secretName) => ({ secretName })),
        nodeSets: es.nodeSets.map((nodeSet) => ({
          name: nodeSet.name,
          count: nodeSet.count,
          config: { ...es.config, 'node.roles': [...nodeSet.roles] },
          volumeClaimTemplates: [
            {
              metadata: { name: 'elasticsearch-data' },
              spec: { accessModes: ['ReadWriteOnce'], storageClassName: props.storageClassName, resources: { requests: { storage: EsVolumeRequests.fromString(nodeSet.volumeSize) } } },
            },
          ],
          podTemplate: {
            spec: {
              priorityClassName: props.priorityClassName,
              // Elasticsearch never calls the API server: no token in its pods.
              automountServiceAccountToken: false,
              securityContext: restrictedPodSecurity(ELASTIC_UID),
              initContainers: [
                {
                  // The S3 client trusts the JVM's truststore only: a copy of the bundled JDK's,
                  // with the site CA that signs the object store's certificate added.
                  name: 'lms-object-store-trust',
                  image: props.images.elasticsearch,
                  command: ['/bin/sh', '-c', trustStoreScript(objectStoreCaDirectory, es.objectStoreTrust.trustStorePath)],
                  securityContext: restrictedContainerSecurity(ELASTIC_UID),
                  resources: resourcesOf(EsInitLimits, EsInitRequests, es.initResources),
                  volumeMounts: [
                    { name: 'object-store-trust', mountPath: trustDirectory },
                    { name: 'object-store-ca', mountPath: objectStoreCaDirectory, readOnly: true },
                    TMP_MOUNT,
                  ],
                },
              ],
              containers: [
                {
                  name: ECK_CONTAINERS.elasticsearch,
                  resources: resourcesOf(EsLimits, EsRequests, nodeSet.resources),
                  env: [{ name: 'ES_JAVA_OPTS', value: `-Djavax.net.ssl.trustStore=${es.objectStoreTrust.trustStorePath} -Djavax.net.ssl.trustStoreType=PKCS12` }],
                  securityContext: restrictedContainerSecurity(ELASTIC_UID),
                  volumeMounts: [{ name: 'object-store-trust', mountPath: trustDirectory, readOnly: true }, TMP_MOUNT],
                },
              ],
              volumes: [
                { name: 'object-store-trust', emptyDir: {} },
                { name: 'object-store-ca', secret: { secretName: es.objectStoreTrust.caSecretName, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
                TMP_VOLUME,
              ],
            },
          },
        })),
      },
    });

    new Kibana(this, 'kibana', {
      metadata: { name: props.names.kibana, namespace: ns },
      spec: {
        version: props.version,
        image: props.images.kibana,
        count: props.kibana.replicas,
        elasticsearchRef: { name: props.names.elasticsearch },
        http: { tls: { certificate: { secretName: props.kibana.httpCertificateSecret } } },
        config: { 'telemetry.optIn': false, 'telemetry.allowChangingOptInStatus': false, 'newsfeed.enabled': false },
        podTemplate: {
          spec: {
            priorityClassName: props.priorityClassName,
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurity(ELASTIC_UID),
            containers: [
              {
                name: ECK_CONTAINERS.kibana,
                resources: resourcesOf(KibanaLimits, KibanaRequests, props.kibana.resources),
                securityContext: restrictedContainerSecurity(ELASTIC_UID),
                volumeMounts: [TMP_MOUNT],
              },
            ],
            volumes: [TMP_VOLUME],
          },
        },
      },
    });

    const ls = props.logstash;
    new Logstash(this, 'logstash', {
      metadata: { name: props.names.logstash, namespace: ns },
      spec: {
        version: props.version,
        image: props.images.logstash,
        count: ls.replicas,
        elasticsearchRefs: [{ name: props.names.elasticsearch, clusterName: ls.elasticsearchClusterName }],
        config: { ...ls.config },
        pipelines: ls.pipelines.map((pipeline) => ({ 'pipeline.id': pipeline.pipelineId, 'config.string': pipeline.config })),
        services: [
          {
            name: ls.beatsService,
            service: { spec: { type: 'ClusterIP', ports: [{ name: 'beats', protocol: 'TCP', port: ls.beatsPort, targetPort: LogstashSpecServicesServiceSpecPortsTargetPort.fromNumber(ls.beatsPort) }] } },
          },
        ],
        volumeClaimTemplates: [
          {
            // ECK mounts the claim of this name at Logstash's data path: the persistent queue lives there.
            metadata: { name: 'logstash-data' },
            spec: { accessModes: ['ReadWriteOnce'], storageClassName: props.storageClassName, resources: { requests: { storage: LogstashVolumeRequests.fromString(ls.queueVolumeSize) } } },
          },
        ],
        podTemplate: {
          spec: {
            priorityClassName: props.priorityClassName,
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurity(ELASTIC_UID),
            containers: [
              {
                name: ECK_CONTAINERS.logstash,
                resources: resourcesOf(LogstashLimits, LogstashRequests, ls.resources),
                env: [{ name: 'LS_JAVA_OPTS', value: ls.javaOptions }],
                securityContext: restrictedContainerSecurity(ELASTIC_UID),
                volumeMounts: [{ name: 'beats-tls', mountPath: ls.tls.directory, readOnly: true }, TMP_MOUNT],
              },
            ],
            volumes: [{ name: 'beats-tls', secret: { secretName: ls.tls.secretName } }, TMP_VOLUME],
          },
        },
      },
    });

    const fb = props.filebeat;
    new KubeServiceAccount(this, 'filebeat-service-account', { metadata: { name: props.names.filebeat, namespace: props.agentsNamespace } });
    // add_kubernetes_metadata reads the pod, namespace and node of each log file.
    new KubeClusterRole(this, 'filebeat-cluster-role', {
      metadata: { name: `lms-${props.names.filebeat}` },
      rules: [
        { apiGroups: [''], resources: ['pods', 'namespaces', 'nodes'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    new KubeClusterRoleBinding(this, 'filebeat-cluster-role-binding', {
      metadata: { name: `lms-${props.names.filebeat}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `lms-${props.names.filebeat}` },
      subjects: [{ kind: 'ServiceAccount', name: props.names.filebeat, namespace: props.agentsNamespace }],
    });
    new Beat(this, 'filebeat', {
      metadata: { name: props.names.filebeat, namespace: props.agentsNamespace },
      spec: {
        type: 'filebeat',
        version: props.version,
        image: props.images.filebeat,
        config: { ...fb.config },
        daemonSet: {
          podTemplate: {
            spec: {
              serviceAccountName: props.names.filebeat,
              automountServiceAccountToken: true,
              priorityClassName: props.priorityClassName,
              // Every node's logs, control-plane nodes included.
              tolerations: [{ operator: 'Exists' }],
              // Container log files are root's (mode 0640): Filebeat reads them as root, with
              // every capability dropped, no privilege escalation and a read-only root filesystem.
              securityContext: { runAsNonRoot: false, runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [
                {
                  name: ECK_CONTAINERS.filebeat,
                  resources: resourcesOf(BeatLimits, BeatRequests, fb.resources),
                  env: [{ name: fb.nodeNameEnv, valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
                  securityContext: {
                    runAsNonRoot: false,
                    runAsUser: 0,
                    readOnlyRootFilesystem: true,
                    allowPrivilegeEscalation: false,
                    privileged: false,
                    capabilities: { drop: ['ALL'] },
                    seccompProfile: { type: 'RuntimeDefault' },
                  },
                  volumeMounts: [
                    { name: 'varlogcontainers', mountPath: '/var/log/containers', readOnly: true },
                    { name: 'varlogpods', mountPath: '/var/log/pods', readOnly: true },
                    { name: 'filebeat-tls', mountPath: fb.tls.directory, readOnly: true },
                    TMP_MOUNT,
                  ],
                },
              ],
              volumes: [
                { name: 'varlogcontainers', hostPath: { path: '/var/log/containers', type: 'Directory' } },
                { name: 'varlogpods', hostPath: { path: '/var/log/pods', type: 'Directory' } },
                { name: 'filebeat-tls', secret: { secretName: fb.tls.secretName } },
                TMP_VOLUME,
              ],
            },
          },
        },
      },
    });
  }
}

/**
 * The init container's script: copy the bundled JDK's CA certificates and add the object
 * store's CA. The JDK's truststore is opened with its documented default store password
 * (`changeit`): a truststore holds public certificates only, and the password guards no secret.
 */
export function trustStoreScript(caDirectory: string, trustStorePath: string): string {
  return [
    'set -eu',
    `cp /usr/share/elasticsearch/jdk/lib/security/cacerts ${trustStorePath}`,
    `/usr/share/elasticsearch/jdk/bin/keytool -importcert -noprompt -alias lms-object-store-ca -file ${caDirectory}/ca.crt -keystore ${trustStorePath} -storetype PKCS12 -storepass changeit`,
  ].join('\n');
}
