import type { Advertisement, ScanFilter } from './central.ts';
import { normalizeAddress, normalizeUuid } from './uuid.ts';

/** Whether an advertisement passes a scan filter (services: any of; addresses: any of, by id or address). */
export function matchesFilter(advertisement: Advertisement, filter: ScanFilter): boolean {
  const services = filter.serviceUuids;
  if (services !== undefined && services.length > 0) {
    const advertised = new Set(advertisement.serviceUuids);
    if (!services.some((uuid) => advertised.has(normalizeUuid(uuid)))) return false;
  }
  const addresses = filter.addresses;
  if (addresses !== undefined && addresses.length > 0) {
    const mine = [normalizeAddress(advertisement.id), normalizeAddress(advertisement.address)];
    if (!addresses.some((a) => mine.includes(normalizeAddress(a)))) return false;
  }
  return true;
}
