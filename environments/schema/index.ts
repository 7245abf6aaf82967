export { NAMESPACE_NODE_POOLS } from './capacity';
export { EnvironmentSchema, type Environment, type EnvironmentInput, type ParsedEnvironment, type Site, type SiteInput, type StateBackend } from './environment';
export { OPERATIONS_PLAN } from './objectives';
export { PinsSchema, TOOLKIT_RELEASE_PATTERN, type Pins } from './pins';
export { SITE_NAMES, type SiteName } from './site';
export { DATA_SOVEREIGNTY } from './sovereignty';
