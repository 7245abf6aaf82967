export * from './order';
export * from './site-inputs';
export * from './base';
export * from './traffic';
export * from './security';
export * from './data';
export * from './observability';
export * from './apps';
