import { describe, expect, it } from 'vitest';
import type { Central } from './central.ts';
import { settled } from './contract/settle.ts';
import { EmulatedHipcueSensor } from './fake/emulatedHipcueSensor.ts';
import { EmulatedPeripheral } from './fake/emulatedPeripheral.ts';
import { EmulatedThingy52 } from './fake/emulatedThingy52.ts';
import { FakeCentral } from './fake/fakeCentral.ts';
import { FakeNobleBindings } from './fake/fakeNobleBindings.ts';
import { ManualTimers } from './fake/manualTimers.ts';
import { createNobleCentral } from './noble/nobleCentral.ts';
import { hipcueProfile } from './profiles/hipcueProfile.ts';
import type { SensorProfile } from './profiles/sensorProfile.ts';
import { thingy52Profile } from './profiles/thingy52Profile.ts';
import { SensorConnection, type SensorConnectionSettings } from './sensorConnection.ts';
import type { SensorEvent, SensorState } from './sensorEvents.ts';
import { SensorHub } from './sensorHub.ts';

type Emulated = { peripheral: EmulatedPeripheral; silent: boolean };

interface Kind {
  readonly name: string;
  readonly rateHz: number;
  readonly make: (address: string, timers: ManualTimers) => Emulated;
  readonly profile: () => SensorProfile;
  /** Whether lost samples are counted exactly (sequence numbers) or estimated (arrival times). */
  readonly exactGaps: boolean;
}

const kinds: Kind[] = [
  {
    name: 'hipcue',
    rateHz: 200,
    make: (address, timers) => new EmulatedHipcueSensor({ address, timers }),
    profile: () => hipcueProfile({ sampleRateHz: 200 }),
    exactGaps: true,
  },
  {
    name: 'thingy52',
    rateHz: 100,
    make: (address, timers) => new EmulatedThingy52({ address, timers }),
    profile: () => thingy52Profile({ sampleRateHz: 100 }),
    exactGaps: false,
  },
];

type MakeCentral = (peripherals: EmulatedPeripheral[], timers: ManualTimers) => Promise<Central>;

/** Every central implementation the state machine must work over (the noble ones run noble's real object model). */
const centrals: { name: string; make: MakeCentral }[] = [
  { name: 'FakeCentral', make: async (peripherals, timers) => new FakeCentral({ peripherals, timers, mtu: 23 }) },
  {
    name: '@stoprocent/noble over fake bindings',
    make: (peripherals, timers) =>
      createNobleCentral({
        driver: 'stoprocent',
        bindings: new FakeNobleBindings({ peripherals, timers, mtu: 23 }),
        timers,
      }),
  },
  {
    name: '@abandonware/noble over fake bindings',
    make: (peripherals, timers) =>
      createNobleCentral({
        driver: 'abandonware',
        bindings: new FakeNobleBindings({ peripherals, timers, mtu: 23 }),
        timers,
      }),
  },
];

async function harness(kind: Kind, settings: Partial<SensorConnectionSettings> = {}, makeCentral = centrals[0]!.make) {
  const timers = new ManualTimers();
  const sensor = kind.make('d4:ca:6e:00:00:01', timers);
  const central: Central = await makeCentral([sensor.peripheral], timers);
  const connection = new SensorConnection({
    role: 'pelvis',
    central,
    profile: kind.profile(),
    timers,
    random: () => 0.5,
    settings,
  });
  const events: SensorEvent[] = [];
  connection.onEvent((e) => events.push(e));
  const samples = () => events.flatMap((e) => (e.type === 'samples' ? e.samples : []));
  const states = () => events.flatMap((e) => (e.type === 'state' ? [e.to] : []));
  const gaps = () => events.flatMap((e) => (e.type === 'gap' ? [e] : []));
  return { timers, sensor, central, connection, events, samples, states, gaps };
}

const SETUP: SensorState[] = ['scanning', 'connecting', 'discovering', 'configuring', 'subscribing', 'streaming'];

// One suite per sensor profile and central: the same state machine must work for all of them.
for (const kind of kinds) {
  for (const { name: centralName, make } of centrals) {
    describe(`SensorConnection with the ${kind.name} profile over ${centralName}`, () => {
      it('goes scan → connect → discover → configure → subscribe → stream and delivers samples in order', async () => {
        const h = await harness(kind, {}, make);
        h.connection.start();
        expect(await h.timers.advanceUntil(() => h.connection.state === 'streaming', 2_000, 10)).toBe(true);
        expect(h.states()).toEqual(SETUP);
        const before = h.samples().length;
        await h.timers.advance(2_000);
        const got = h.samples().slice(before);
        expect(got.length).toBeGreaterThan(kind.rateHz * 2 * 0.95);
        expect(got.length).toBeLessThan(kind.rateHz * 2 * 1.05);
        got.forEach((s, i) => {
          if (i > 0) expect(s.seq).toBe(got[i - 1]!.seq + 1);
        });
        expect(got[0]!.accMps2[2]).toBeCloseTo(9.80665, 1);
        expect(h.gaps()).toEqual([]);
        expect(h.connection.batteryPct).not.toBeNull();
        await settled(h.timers, h.connection.stop());
        expect(h.connection.state).toBe('stopped');
        expect(h.sensor.peripheral.connected).toBe(false);
      });

      it('reconnects after link loss, re-subscribes, and reports the samples lost in between', async () => {
        const h = await harness(kind, {}, make);
        h.connection.start();
        await h.timers.advanceUntil(() => h.connection.state === 'streaming', 2_000, 10);
        await h.timers.advance(500);
        h.sensor.peripheral.advertising = false;
        h.sensor.peripheral.dropLink(0x08);
        await h.timers.advance(1);
        expect(h.connection.state).toBe('backoff');
        expect(h.events.find((e) => e.type === 'state' && e.to === 'backoff')).toMatchObject({ reason: 'link-lost' });
        await h.timers.advance(1_000);
        h.sensor.peripheral.advertising = true;
        expect(await h.timers.advanceUntil(() => h.connection.state === 'streaming', 5_000, 10)).toBe(true);
        await h.timers.advance(500);
        expect(h.sensor.peripheral.connectCount).toBe(2);
        const gaps = h.gaps();
        expect(gaps.length).toBe(1);
        const outageMs = gaps[0]!.lostSamples * (1000 / kind.rateHz);
        expect(outageMs).toBeGreaterThan(1_000);
        expect(outageMs).toBeLessThan(2_500);
        if (kind.exactGaps) {
          const all = h.samples();
          const seqs = new Set(all.map((s) => s.seq));
          for (let q = gaps[0]!.fromSeq; q <= gaps[0]!.toSeq; q++) expect(seqs.has(q)).toBe(false);
          expect(seqs.has(gaps[0]!.fromSeq - 1) && seqs.has(gaps[0]!.toSeq + 1)).toBe(true);
        }
        await settled(h.timers, h.connection.stop());
      });

      it('drops and re-establishes a link that goes silent (watchdog)', async () => {
        const h = await harness(kind, { watchdogMs: 800 }, make);
        h.connection.start();
        await h.timers.advanceUntil(() => h.connection.state === 'streaming', 2_000, 10);
        h.sensor.silent = true;
        const silencedAt = h.timers.now();
        expect(await h.timers.advanceUntil(() => h.events.some((e) => e.type === 'watchdog'), 2_000, 10)).toBe(true);
        expect(h.timers.now() - silencedAt).toBeGreaterThanOrEqual(800);
        expect(h.timers.now() - silencedAt).toBeLessThan(1_000);
        h.sensor.silent = false;
        expect(
          await h.timers.advanceUntil(
            () => h.sensor.peripheral.connectCount === 2 && h.connection.state === 'streaming',
            5_000,
            10,
          ),
        ).toBe(true);
        await settled(h.timers, h.connection.stop());
      });
    });
  }
}

describe('SensorConnection (hipcue specifics)', () => {
  it('configures rate and ranges before starting the stream', async () => {
    const h = await harness(kinds[0]!);
    h.connection.start();
    await h.timers.advanceUntil(() => h.connection.state === 'streaming', 2_000, 10);
    const sensor = h.sensor as EmulatedHipcueSensor;
    expect(sensor.controlLog).toEqual(['stopStreaming', 'setSampleRate', 'setRanges', 'startStreaming']);
    expect(sensor.rateCode).toBe(4);
    const connected = h.events.find((e) => e.type === 'connected');
    expect(connected).toMatchObject({ type: 'connected', mtu: 23, info: { model: 'hipcue-s1', firmware: '1.0.0' } });
    await settled(h.timers, h.connection.stop());
  });

  it('reports sensor-side loss exactly from sequence numbers and survives undecodable notifications', async () => {
    const h = await harness(kinds[0]!);
    h.connection.start();
    await h.timers.advanceUntil(() => h.connection.state === 'streaming', 2_000, 10);
    await h.timers.advance(100);
    const sensor = h.sensor as EmulatedHipcueSensor;
    sensor.skipSamples(37);
    await h.timers.advance(100);
    sensor.peripheral.notify(
      '7a1e00014f8c4d6e9c2a686970637565',
      '7a1e00024f8c4d6e9c2a686970637565',
      Uint8Array.of(0xff, 1, 2),
    );
    await h.timers.advance(200);
    expect(h.gaps().map((g) => g.lostSamples)).toEqual([37]);
    const bad = h.events.find((e) => e.type === 'decodeError');
    expect(bad).toMatchObject({ type: 'decodeError', error: { code: 'unknown-version' } });
    expect(h.connection.state).toBe('streaming');
    expect(h.events.filter((e) => e.type === 'frame').length).toBeGreaterThan(h.samples().length / 2);
    await settled(h.timers, h.connection.stop());
  });

  it('skips a peripheral that advertises the service but is not a hipcue sensor', async () => {
    const timers = new ManualTimers();
    const impostor = new EmulatedPeripheral({
      address: 'aa:00:00:00:00:01',
      advertisedServiceUuids: [hipcueProfile().serviceUuid],
      services: [{ uuid: '180f', characteristics: [] }],
    });
    const real = new EmulatedHipcueSensor({ address: 'aa:00:00:00:00:02', timers });
    const central = new FakeCentral({ peripherals: [impostor, real.peripheral], timers });
    const c = new SensorConnection({ role: 'pelvis', central, profile: hipcueProfile(), timers, random: () => 0.5 });
    const errors: string[] = [];
    c.onEvent((e) => {
      if (e.type === 'error') errors.push(`${e.during}:${e.code}`);
    });
    c.start();
    expect(await timers.advanceUntil(() => c.state === 'streaming', 10_000, 10)).toBe(true);
    expect(c.peripheralId).toBe('aa0000000002');
    expect(errors).toEqual(['discovering:not-found']);
    expect(impostor.connectCount).toBe(1);
    await settled(timers, c.stop());
  });

  it('backs off exponentially with jitter while no sensor is around', async () => {
    const h = await harness(kinds[0]!, {
      scanTimeoutMs: 1_000,
      backoffInitialMs: 500,
      backoffMaxMs: 4_000,
      backoffJitter: 0.2,
    });
    let r = 0;
    const rolls = [1, 0, 1, 0.5, 1];
    h.sensor.peripheral.advertising = false;
    const sleeps: number[] = [];
    let backoffAt = 0;
    const c = new SensorConnection({
      role: 'thigh',
      central: h.central,
      profile: hipcueProfile(),
      timers: h.timers,
      random: () => rolls[r++ % rolls.length]!,
      settings: { scanTimeoutMs: 1_000, backoffInitialMs: 500, backoffMaxMs: 4_000, backoffJitter: 0.2 },
    });
    c.onEvent((e) => {
      if (e.type !== 'state') return;
      if (e.to === 'backoff') backoffAt = h.timers.now();
      if (e.from === 'backoff') sleeps.push(h.timers.now() - backoffAt);
    });
    c.start();
    await h.timers.advanceUntil(() => sleeps.length >= 5, 60_000, 50);
    await c.stop();
    // 500·2^k capped at 4000, times 1 ± 0.2 from the rolls (1 → +20 %, 0 → −20 %, 0.5 → exact).
    expect(sleeps).toEqual([600, 800, 2_400, 4_000, 4_800]);
    expect(c.state).toBe('stopped');
  });
});

describe('SensorHub', () => {
  it('runs three sensors, one per role, each on its own peripheral', async () => {
    const timers = new ManualTimers();
    const a = new EmulatedHipcueSensor({ address: 'd4:ca:6e:00:00:0a', timers });
    const b = new EmulatedHipcueSensor({ address: 'd4:ca:6e:00:00:0b', timers });
    const t = new EmulatedThingy52({ address: 'f0:00:00:00:00:0c', timers });
    const central = new FakeCentral({ peripherals: [a.peripheral, b.peripheral, t.peripheral], timers });
    const hub = new SensorHub({ central, timers, random: () => 0.5 });
    const samplesByRole = new Map<string, number>();
    hub.onEvent((e) => {
      if (e.type === 'samples') samplesByRole.set(e.role, (samplesByRole.get(e.role) ?? 0) + e.samples.length);
    });
    hub.add('pelvis', hipcueProfile({ sampleRateHz: 100 }));
    hub.add('lumbar', hipcueProfile({ sampleRateHz: 100 }));
    hub.add('thigh', thingy52Profile({ sampleRateHz: 50 }), 'F0:00:00:00:00:0C');
    expect(() => hub.add('pelvis', hipcueProfile())).toThrow(/already/);
    const allStreaming = () => [...hub.sensors.values()].every((s) => s.state === 'streaming');
    expect(await timers.advanceUntil(allStreaming, 5_000, 10)).toBe(true);
    await timers.advance(1_000);
    const ids = [...hub.sensors.values()].map((s) => s.peripheralId);
    expect(new Set(ids).size).toBe(3);
    expect(hub.sensors.get('thigh')?.peripheralId).toBe('f0000000000c');
    expect(samplesByRole.get('pelvis')).toBeGreaterThan(90);
    expect(samplesByRole.get('lumbar')).toBeGreaterThan(90);
    expect(samplesByRole.get('thigh')).toBeGreaterThan(45);
    await hub.stop();
    expect([a, b, t].every((s) => !s.peripheral.connected)).toBe(true);
  });
});
