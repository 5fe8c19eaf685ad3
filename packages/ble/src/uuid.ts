const SIG_BASE_SUFFIX = '00001000800000805f9b34fb';

/**
 * Normalise a UUID to this package's form: lowercase hex, no dashes; 16-bit SIG UUIDs (given as `0x180F`, `180f`
 * or in the full Bluetooth base form) as 4 digits; other 128-bit UUIDs as 32 digits.
 */
export function normalizeUuid(uuid: string): string {
  let hex = uuid.trim().toLowerCase().replace(/-/g, '');
  if (hex.startsWith('0x')) hex = hex.slice(2);
  if (hex.length === 32 && hex.startsWith('0000') && hex.endsWith(SIG_BASE_SUFFIX)) return hex.slice(4, 8);
  return hex;
}

/** Normalise an address or noble id: lowercase, no colons or dashes. */
export function normalizeAddress(address: string): string {
  return address.trim().toLowerCase().replace(/[:-]/g, '');
}

/** `aabbccddeeff` → `aa:bb:cc:dd:ee:ff`. */
export function formatAddress(address: string): string {
  return (normalizeAddress(address).match(/../g) ?? []).join(':');
}
