export * from './schema.ts';
export * from './ports.ts';
export * from './text-values.ts';
export * from './addresses.ts';
export * from './certificate-rules.ts';
