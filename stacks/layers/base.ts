import { Alertmanager } from '../../charts-ts/imports/alertmanager-monitoring.coreos.com';
import { AlertmanagerConfig } from '../../charts-ts/imports/alertmanagerconfig-monitoring.coreos.com';
import { PodMonitor } from '../../charts-ts/imports/podmonitor-monitoring.coreos.com';
import { Probe } from '../../charts-ts/imports/probe-monitoring.coreos.com';
import { Prometheus } from '../../charts-ts/imports/prometheus-monitoring.coreos.com';
import { PrometheusRule } from '../../charts-ts/imports/prometheusrule-monitoring.coreos.com';
import { ServiceMonitor } from '../../charts-ts/imports/servicemonitor-monitoring.coreos.com';
import { makeUniqueId } from 'cdktf/lib/private/unique';
import { CustomResourceDefinitions } from '../../constructs/custom-resource-definitions';
import { METALLB_WEBHOOK_SERVICE } from '../../constructs/load-balancer-pools';
import { SiteCluster } from '../../constructs/site-cluster';
import { constructIdFor } from '../kubernetes-objects';
import type { SiteStack } from '../site-stack';
import type { SiteInputs } from './site-inputs';

/** What the base layer gives the layers after it. */
export interface BaseLayer {
  readonly stack: SiteStack;
  /** The site's baseline: namespaces, labels, quotas, PriorityClasses. */
  readonly cluster: SiteCluster;
  /** The custom resource kinds later layers may write. */
  readonly customResources: CustomResourceDefinitions;
}

/**
 * Custom resource kinds the later layers of a site write: their CRDs are installed here,
 * one layer earlier (a platform test fails when a stack writes a kind not listed).
 *
 * The Prometheus operator is the exception to installing an operator's whole set: at start it
 * checks each of its CRDs and leaves out the controller of one not installed (its
 * `checkPrerequisites`), so only what its Prometheus and Alertmanager controllers watch goes in;
 * PrometheusAgent, ThanosRuler and ScrapeConfig, which the platform does not use, stay out
 * (each of them is a ~700 KB schema that slows every plan of the base layer).
 */
export const PLATFORM_CUSTOM_RESOURCE_KINDS = [Prometheus.GVK, Alertmanager.GVK, AlertmanagerConfig.GVK, PrometheusRule.GVK, ServiceMonitor.GVK, PodMonitor.GVK, Probe.GVK];

/**
 * The operators the traffic layer (cert-manager, Traefik, MetalLB) and the observability
 * layer (ECK) install: every CRD of each goes in here, since an operator watches all the
 * kinds of its API and one whose CRD is missing never starts. ECK's are the CRDs its own
 * install applies (`eck-operator-crds-3.5.0`, 12 kinds, about 840 KB), not the complete
 * schemas the typed bindings come from (`eck-3.5.0`, 4 kinds, 4.8 MB): the plan time of
 * this layer grows with the size of its schemas.
 */
export const PLATFORM_OPERATOR_CRD_SETS = ['cert-manager-1.19.6', 'gateway-api-1.6.1', 'metallb-0.16.1', 'traefik-helm-chart-41.3.0', 'eck-operator-crds-3.5.0'] as const;

/** The base layer of a site: the cluster baseline and the CRDs later layers use. */
export function buildBaseLayer(stack: SiteStack, { environment, siteName, site }: SiteInputs): BaseLayer {
  const cluster = new SiteCluster(stack, 'site', {
    environmentName: environment.name,
    siteName,
    kubernetesVersion: site.kubernetesVersion,
    namespaceQuotas: site.sizing.namespaces,
    containerDefaults: site.sizing.containerDefaults,
  });
  const customResources = new CustomResourceDefinitions(stack, 'custom-resource-definitions', {
    kinds: PLATFORM_CUSTOM_RESOURCE_KINDS,
    sets: PLATFORM_OPERATOR_CRD_SETS,
    conversionServices: { 'bgppeers.metallb.io': { namespace: cluster.namespaces['node-agents'], name: METALLB_WEBHOOK_SERVICE } },
  });
  stack.addOverride('removed', formerCrdAddresses(customResources).map((from) => ({ from, lifecycle: { destroy: false } })));
  return { stack, cluster, customResources };
}

/**
 * Where the platform's earlier versions kept each CRD in the base layer's state: one
 * `kubernetes_manifest` each, under the component's `objects`. The stack lists them in
 * `removed` blocks with `destroy = false`, so upgrading a site forgets those resources
 * without deleting the CRDs (and every custom resource with them); the CRD releases then
 * adopt the CRDs (`takeOwnership`). On a new site the blocks do nothing.
 */
export function formerCrdAddresses(customResources: CustomResourceDefinitions): string[] {
  return customResources.definitions.map((definition) => `kubernetes_manifest.${makeUniqueId([customResources.node.id, 'objects', constructIdFor(definition)])}`);
}
