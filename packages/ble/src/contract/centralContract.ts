import { afterEach, describe, expect, it } from 'vitest';
import type { Advertisement, Central, DisconnectInfo, Notification } from '../central.ts';
import { CentralError } from '../centralError.ts';
import type { EmulatedPeripheral } from '../fake/emulatedPeripheral.ts';
import { ManualTimers } from '../fake/manualTimers.ts';
import { createEchoPeripheral, ECHO } from './echoPeripheral.ts';
import { settle, settled } from './settle.ts';

/** What an implementation under test provides to the contract suite. */
export interface CentralUnderTest {
  readonly central: Central;
  /** Whether the stack reports ATT error responses (@abandonware/noble drops them: writes "succeed"). */
  readonly reportsAttErrors: boolean;
}

/** Build a central over these emulated peripherals, on these virtual timers. */
export type MakeCentral = (peripherals: EmulatedPeripheral[], timers: ManualTimers) => Promise<CentralUnderTest>;

const A = 'c0:ff:ee:00:00:01';
const B = 'c0:ff:ee:00:00:02';

function codeOf(outcome: { ok: boolean; error?: unknown }): string | undefined {
  if (outcome.ok) return 'resolved';
  return outcome.error instanceof CentralError ? outcome.error.code : `not a CentralError: ${String(outcome.error)}`;
}

/** The central-role contract (src/central.ts), run against every implementation. */
export function describeCentralContract(name: string, make: MakeCentral): void {
  describe(`Central contract: ${name}`, () => {
    let timers: ManualTimers;
    let a: EmulatedPeripheral;
    let b: EmulatedPeripheral;
    let central: Central;
    let reportsAttErrors: boolean;

    async function setup(): Promise<void> {
      timers = new ManualTimers();
      a = createEchoPeripheral(A, 'echo-a');
      b = createEchoPeripheral(B, 'echo-b');
      const made = await make([a, b], timers);
      central = made.central;
      reportsAttErrors = made.reportsAttErrors;
      await settled(timers, central.waitForPoweredOn());
    }

    async function connectTo(p: EmulatedPeripheral) {
      const ad = await settled(timers, central.find({ addresses: [p.address] }));
      return settled(timers, central.connect(ad.id, { timeoutMs: 500 }));
    }

    afterEach(async () => {
      await settle(timers, central.close());
    });

    it('powers on and reports the state', async () => {
      await setup();
      expect(central.state).toBe('poweredOn');
    });

    it('scans by service UUID and by address', async () => {
      await setup();
      const seen: Advertisement[] = [];
      central.on('discover', (ad) => seen.push(ad));
      await settled(timers, central.startScan({ serviceUuids: [ECHO.service.toUpperCase()] }));
      await timers.advance(100);
      await settled(timers, central.stopScan());
      expect(new Set(seen.map((s) => s.address))).toEqual(new Set([A, B]));
      expect(seen.find((s) => s.address === A)?.localName).toBe('echo-a');
      expect(seen[0]?.serviceUuids).toContain(ECHO.service);

      const found = await settled(timers, central.find({ addresses: [B.toUpperCase()] }));
      expect(found.address).toBe(B);
      const none = await settle(timers, central.find({ serviceUuids: ['180d'] }, { timeoutMs: 200 }));
      expect(codeOf(none)).toBe('timeout');
    });

    it('refuses to connect to a peripheral it never discovered', async () => {
      await setup();
      const outcome = await settle(timers, central.connect('0102030405ff'));
      expect(codeOf(outcome)).toBe('not-found');
    });

    it('connects, discovers, reads, writes and receives notifications', async () => {
      await setup();
      const connection = await connectTo(a);
      expect(connection.connected).toBe(true);
      expect(connection.mtu).toBeGreaterThanOrEqual(23);
      const services = await settled(timers, connection.discover());
      const echo = services.find((s) => s.uuid === ECHO.service);
      expect(echo?.characteristics.map((c) => c.uuid).sort()).toEqual(
        [ECHO.control, ECHO.notify, ECHO.readOnly].sort(),
      );
      expect(echo?.characteristics.find((c) => c.uuid === ECHO.notify)?.properties).toContain('notify');

      expect([...(await settled(timers, connection.read(ECHO.battery, ECHO.batteryLevel)))]).toEqual([87]);

      const onConnection: Notification[] = [];
      const onCentral: Notification[] = [];
      connection.on('notification', (n) => onConnection.push(n));
      central.on('notification', (n) => onCentral.push(n));
      await settled(timers, connection.subscribe(ECHO.service, ECHO.notify));
      expect(a.isSubscribed(ECHO.service, ECHO.notify)).toBe(true);
      await settled(timers, connection.write(ECHO.service, ECHO.control, Uint8Array.of(9, 8, 7)));
      await settled(timers, connection.write(ECHO.service, ECHO.control, Uint8Array.of(6), { withoutResponse: true }));
      await timers.advance(20);
      expect(onConnection.map((n) => [...n.data])).toEqual([[9, 8, 7], [6]]);
      expect(onCentral.length).toBe(2);
      expect(onCentral[0]).toMatchObject({
        id: connection.id,
        serviceUuid: ECHO.service,
        characteristicUuid: ECHO.notify,
      });
      expect(onCentral[1]!.hostTimeUs).toBeGreaterThan(onCentral[0]!.hostTimeUs - 1);

      await settled(timers, connection.unsubscribe(ECHO.service, ECHO.notify));
      await settled(timers, connection.write(ECHO.service, ECHO.control, Uint8Array.of(5)));
      await timers.advance(20);
      expect(onConnection.length).toBe(2);
    });

    it('keeps delivering notifications after the services are discovered again', async () => {
      await setup();
      const connection = await connectTo(a);
      const got: number[][] = [];
      connection.on('notification', (n) => got.push([...n.data]));
      await settled(timers, connection.subscribe(ECHO.service, ECHO.notify));
      await settled(timers, connection.discover());
      await settled(timers, connection.write(ECHO.service, ECHO.control, Uint8Array.of(7)));
      await timers.advance(20);
      expect(got).toEqual([[7]]);
    });

    it('says not-found for a characteristic the peripheral lacks, and gatt for an ATT error', async () => {
      await setup();
      const connection = await connectTo(a);
      const missing = await settle(timers, connection.read(ECHO.service, 'e0f1ffff000000000000000000000000'));
      expect(codeOf(missing)).toBe('not-found');
      const refused = await settle(timers, connection.write(ECHO.service, ECHO.readOnly, Uint8Array.of(1)));
      expect(codeOf(refused)).toBe(reportsAttErrors ? 'gatt' : 'resolved');
      if (reportsAttErrors && !refused.ok) expect((refused.error as CentralError).peripheralId).toBe(connection.id);
    });

    it('times out a slow ATT response and a peer that never answers', async () => {
      await setup();
      const connection = await connectTo(a);
      await settled(timers, connection.discover());
      a.responseDelayMs = 300;
      expect(codeOf(await settle(timers, connection.read(ECHO.battery, ECHO.batteryLevel, { timeoutMs: 100 })))).toBe(
        'timeout',
      );
      a.responseDelayMs = 0;
      a.respond = false;
      expect(codeOf(await settle(timers, connection.read(ECHO.service, ECHO.readOnly, { timeoutMs: 100 })))).toBe(
        'timeout',
      );
      expect(connection.connected).toBe(true);
    });

    it('rejects pending calls with disconnected on link loss, reports it once, and reconnects', async () => {
      await setup();
      const connection = await connectTo(a);
      await settled(timers, connection.discover());
      const downs: DisconnectInfo[] = [];
      central.on('disconnect', (d) => downs.push(d));
      a.respond = false;
      const pending = settle(timers, connection.read(ECHO.battery, ECHO.batteryLevel, { timeoutMs: 5_000 }), 200);
      await timers.advance(10);
      a.dropLink(0x08);
      expect(codeOf(await pending)).toBe('disconnected');
      expect(downs).toEqual([{ id: connection.id, reason: 0x08, requested: false }]);
      expect(connection.connected).toBe(false);
      expect(codeOf(await settle(timers, connection.read(ECHO.battery, ECHO.batteryLevel)))).toBe('disconnected');

      a.respond = true;
      const again = await connectTo(a);
      expect(again.connected).toBe(true);
      const got: number[][] = [];
      again.on('notification', (n) => got.push([...n.data]));
      await settled(timers, again.subscribe(ECHO.service, ECHO.notify));
      await settled(timers, again.write(ECHO.service, ECHO.control, Uint8Array.of(42)));
      await timers.advance(10);
      expect(got).toEqual([[42]]);
      expect(a.connectCount).toBe(2);
    });

    it('disconnects on request, once, and tolerates a second request', async () => {
      await setup();
      const connection = await connectTo(b);
      const downs: DisconnectInfo[] = [];
      connection.on('disconnect', (d) => downs.push(d));
      await settled(timers, connection.disconnect());
      await settled(timers, connection.disconnect());
      expect(downs).toHaveLength(1);
      expect(downs[0]?.requested).toBe(true);
      expect(b.connected).toBe(false);
    });

    it('cancels a connect that times out, leaving no link behind', async () => {
      await setup();
      const ad = await settled(timers, central.find({ addresses: [A] }));
      a.advertising = false;
      expect(codeOf(await settle(timers, central.connect(ad.id, { timeoutMs: 100 })))).toBe('timeout');
      a.advertising = true;
      await timers.advance(200);
      expect(a.connected).toBe(false);
      const connection = await settled(timers, central.connect(ad.id, { timeoutMs: 500 }));
      expect(connection.connected).toBe(true);
    });

    it('aborts pending connects when the central closes', async () => {
      await setup();
      const ad = await settled(timers, central.find({ addresses: [A] }));
      a.advertising = false;
      const pending = settle(timers, central.connect(ad.id, { timeoutMs: 5_000 }), 200);
      await timers.advance(10);
      await settled(timers, central.close());
      expect(codeOf(await pending)).toBe('aborted');
      a.advertising = true;
      await timers.advance(200);
      expect(a.connected).toBe(false);
    });

    it('aborts a call when its signal fires', async () => {
      await setup();
      const connection = await connectTo(a);
      a.respond = false;
      const controller = new AbortController();
      const pending = settle(
        timers,
        connection.read(ECHO.battery, ECHO.batteryLevel, { signal: controller.signal }),
        100,
      );
      controller.abort();
      expect(codeOf(await pending)).toBe('aborted');
    });
  });
}
