export * from './order';
export * from './site-inputs';
export * from './base';
export * from './apps';
