import { EmulatedPeripheral } from '../fake/emulatedPeripheral.ts';

/** UUIDs of the generic peripheral the contract suite talks to (profile-independent on purpose). */
export const ECHO = {
  service: 'e0f10001000000000000000000000000',
  /** write + writeWithoutResponse: each write is echoed back as a notification on `notify`. */
  control: 'e0f10002000000000000000000000000',
  notify: 'e0f10003000000000000000000000000',
  /** read only. */
  readOnly: 'e0f10004000000000000000000000000',
  battery: '180f',
  batteryLevel: '2a19',
} as const;

/** A small GATT server: battery level, an echo pair (control → notify) and a read-only value. */
export function createEchoPeripheral(address: string, localName = 'echo'): EmulatedPeripheral {
  const peripheral: EmulatedPeripheral = new EmulatedPeripheral({
    address,
    localName,
    advertisedServiceUuids: [ECHO.service],
    services: [
      {
        uuid: ECHO.battery,
        characteristics: [{ uuid: ECHO.batteryLevel, properties: ['read', 'notify'], value: Uint8Array.of(87) }],
      },
      {
        uuid: ECHO.service,
        characteristics: [
          {
            uuid: ECHO.control,
            properties: ['write', 'writeWithoutResponse'],
            onWrite: (data) => {
              peripheral.notify(ECHO.service, ECHO.notify, data);
              return undefined;
            },
          },
          { uuid: ECHO.notify, properties: ['notify'] },
          { uuid: ECHO.readOnly, properties: ['read'], value: Uint8Array.of(1, 2, 3) },
        ],
      },
    ],
  });
  return peripheral;
}
