/**
 * Vault's NetworkPolicies are the generic pod policies around a Helm release (one per
 * workload: the servers and the agent injector).
 */
export { PodPoliciesChart as VaultChart, type PodPeer as VaultPeer, type PodConnection as VaultConnection, type PodPolicy as VaultPodPolicy, type PodPoliciesChartProps as VaultChartProps } from './pod-policies-chart';
