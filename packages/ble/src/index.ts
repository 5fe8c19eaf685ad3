export type * from './central.ts';
export { CentralError, isCentralError } from './centralError.ts';
export { formatAddress, normalizeAddress, normalizeUuid } from './uuid.ts';
