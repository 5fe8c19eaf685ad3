import type { EmulatedPeripheral } from '../fake/emulatedPeripheral.ts';

/** AD types (Core Spec Supplement, Part A). */
const AD = { flags: 0x01, incomplete16: 0x03, incomplete128: 0x07, completeName: 0x09, manufacturer: 0xff } as const;
/** Advertising report event types. */
const REPORT = { advInd: 0x00, scanRsp: 0x04 } as const;

/**
 * The LE Advertising Report parameters (one report each) a scanning controller delivers for a peripheral: ADV_IND
 * with flags and service UUIDs, then SCAN_RSP with name and manufacturer data. noble reports a connectable device
 * only after its scan response, so both are needed.
 */
export function advertisingReports(p: EmulatedPeripheral): number[][] {
  const ad: number[] = [0x02, AD.flags, 0x06];
  for (const uuid of p.advertisedServiceUuids) {
    const bytes = hexBytes(uuid).reverse();
    ad.push(bytes.length + 1, bytes.length === 2 ? AD.incomplete16 : AD.incomplete128, ...bytes);
  }
  const scanResponse: number[] = [];
  if (p.localName !== undefined) {
    const name = new TextEncoder().encode(p.localName);
    scanResponse.push(name.length + 1, AD.completeName, ...name);
  }
  if (p.manufacturerData !== undefined)
    scanResponse.push(p.manufacturerData.length + 1, AD.manufacturer, ...p.manufacturerData);
  const addressType = p.addressType === 'random' ? 1 : 0;
  const rssi = p.rssi & 0xff;
  const address = addressBytes(p.address);
  return [
    [0x01, REPORT.advInd, addressType, ...address, ad.length, ...ad, rssi],
    [0x01, REPORT.scanRsp, addressType, ...address, scanResponse.length, ...scanResponse, rssi],
  ];
}

/** `aa:bb:cc:dd:ee:ff` → the 6 little-endian bytes HCI carries. */
export function addressBytes(address: string): Uint8Array {
  return Uint8Array.from(
    address
      .split(':')
      .map((h) => Number.parseInt(h, 16))
      .reverse(),
  );
}

function hexBytes(hex: string): number[] {
  return Array.from({ length: hex.length / 2 }, (_, i) => Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}
