/**
 * GATT identifiers of a hipcue pelvis sensor and of the standard services it also exposes.
 *
 * Our vendor base UUID is `7A1Exxxx-4F8C-4D6E-9C2A-686970637565` (the last group spells "hipcue" in ASCII);
 * the 16-bit alias replaces `xxxx`. Every UUID is exported twice: `dashed` (canonical, upper case, as in specs and
 * Web Bluetooth after lower-casing) and `noble` (lower case without dashes, the form @abandonware/noble and
 * @stoprocent/noble use in `discoverSomeServicesAndCharacteristics` and report back in `uuid`).
 */

export interface GattUuid {
  /** Canonical 128-bit form with dashes, upper case, e.g. `7A1E0001-4F8C-4D6E-9C2A-686970637565`. */
  readonly dashed: string;
  /** noble's form: lower case, no dashes; 16-bit SIG UUIDs are the 4-hex-digit short form (`180a`). */
  readonly noble: string;
}

export const HIPCUE_BASE_UUID = '7A1Exxxx-4F8C-4D6E-9C2A-686970637565';

/** Builds our vendor UUID from a 16-bit alias. */
export function hipcueUuid(alias: number): GattUuid {
  const hex = alias.toString(16).toUpperCase().padStart(4, '0');
  const dashed = HIPCUE_BASE_UUID.replace('xxxx', hex);
  return { dashed, noble: dashed.replaceAll('-', '').toLowerCase() };
}

/** A Bluetooth SIG 16-bit UUID, expanded onto the SIG base `0000xxxx-0000-1000-8000-00805F9B34FB`. */
export function sigUuid(alias: number): GattUuid {
  const hex = alias.toString(16).toUpperCase().padStart(4, '0');
  return { dashed: `0000${hex}-0000-1000-8000-00805F9B34FB`, noble: hex.toLowerCase() };
}

/** The hipcue sensor service and its three characteristics. See PROTOCOL.md § GATT. */
export const HIPCUE_UUIDS = {
  /** Primary service, advertised so a gateway can scan for it. */
  service: hipcueUuid(0x0001),
  /** IMU data: notify. Each notification is one IMU frame (type 0). */
  imuData: hipcueUuid(0x0002),
  /** Control: write (with or without response). Each write is one control frame (type 2). */
  control: hipcueUuid(0x0003),
  /** Status: read and notify. The value is one status frame (type 1); notified whenever it changes. */
  status: hipcueUuid(0x0004),
} as const;

/** Standard services every hipcue sensor also exposes. */
export const STANDARD_UUIDS = {
  deviceInformation: sigUuid(0x180a),
  manufacturerName: sigUuid(0x2a29),
  modelNumber: sigUuid(0x2a24),
  serialNumber: sigUuid(0x2a25),
  hardwareRevision: sigUuid(0x2a27),
  firmwareRevision: sigUuid(0x2a26),
  battery: sigUuid(0x180f),
  /** Battery Level: uint8 percent 0..100, read/notify. */
  batteryLevel: sigUuid(0x2a19),
} as const;
