import type { AdapterState, Advertisement, ConnectionParameters, ScanFilter } from '../central.ts';
import { formatAddress, normalizeAddress, normalizeUuid } from '../uuid.ts';
import type { NoblePeripheral } from './nobleTypes.ts';

/** Translations between noble's objects and units and this package's contract. */

export function toAdvertisement(p: NoblePeripheral): Advertisement {
  const ad = p.advertisement ?? {};
  return {
    id: normalizeAddress(p.id),
    address: p.address && p.address !== 'unknown' ? formatAddress(p.address) : '',
    addressType: p.addressType === 'public' || p.addressType === 'random' ? p.addressType : 'unknown',
    localName: ad.localName,
    serviceUuids: (ad.serviceUuids ?? []).map(normalizeUuid),
    manufacturerData: ad.manufacturerData === undefined ? undefined : new Uint8Array(ad.manufacturerData),
    rssi: p.rssi,
    connectable: p.connectable !== false,
  };
}

export function toAdapterState(state: string): AdapterState {
  const known: readonly string[] = ['unknown', 'resetting', 'unsupported', 'unauthorized', 'poweredOff', 'poweredOn'];
  return known.includes(state) ? (state as AdapterState) : 'unknown';
}

export function adviceFor(state: AdapterState): string {
  switch (state) {
    case 'unauthorized':
      return 'node may not use raw HCI sockets; run `sudo setcap cap_net_raw+eip $(readlink -f $(which node))`';
    case 'poweredOff':
      return 'switch Bluetooth on (`rfkill unblock bluetooth`, `bluetoothctl power on`), or stop bluetoothd if it holds the adapter';
    case 'unsupported':
      return 'no Bluetooth LE adapter found (set NOBLE_HCI_DEVICE_ID, or BLUETOOTH_HCI_SOCKET_UART_PORT for a UART controller)';
    default:
      return 'the Bluetooth stack did not become ready';
  }
}

/** noble's HCI driver takes raw units: intervals in 1.25 ms, supervision timeout in 10 ms. */
export function toNobleParameters(parameters: ConnectionParameters | undefined): object | undefined {
  if (parameters === undefined) return undefined;
  return {
    minInterval: Math.round(parameters.minIntervalMs / 1.25),
    maxInterval: Math.round(parameters.maxIntervalMs / 1.25),
    latency: parameters.latency,
    timeout: Math.round(parameters.supervisionTimeoutMs / 10),
  };
}

export function describeFilter(filter: ScanFilter): string {
  const parts = [...(filter.serviceUuids ?? []), ...(filter.addresses ?? [])];
  return parts.length === 0 ? 'any peripheral' : parts.join(',');
}
