export * from './client.ts';
export * from './domain.ts';
export * from './events.ts';
export * from './http.ts';
export * from './parse.ts';
export * from './server.ts';
