import { expect, it } from 'vitest';
import { createEchoPeripheral } from '../contract/echoPeripheral.ts';
import { ManualTimers } from '../fake/manualTimers.ts';
import { AttServer } from './attServer.ts';
import { SoftwareHciController } from './softwareHciController.ts';

/** xorshift32: deterministic bytes for the robustness runs. */
function bytesFrom(seed: number): (maxLength: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  const next = (): number => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  return (maxLength) => Uint8Array.from({ length: next() % (maxLength + 1) }, () => next() & 0xff);
}

it('answers every ATT PDU, however malformed, without throwing', () => {
  const server = new AttServer(createEchoPeripheral('c0:ff:ee:00:09:01'));
  const random = bytesFrom(0x5eed);
  let errors = 0;
  for (let i = 0; i < 20_000; i++) {
    const pdu = random(40);
    const response = server.respond(pdu);
    if (response?.[0] === 0x01) errors++;
    if (response !== undefined) expect(response.length).toBeGreaterThan(0);
  }
  expect(errors).toBeGreaterThan(1_000); // most random requests are refused with an Error Response, as they should be
});

it('survives random bytes on the UART and still answers a reset afterwards', () => {
  const timers = new ManualTimers();
  const out: Uint8Array[] = [];
  const controller = new SoftwareHciController({
    peripherals: [createEchoPeripheral('c0:ff:ee:00:09:02')],
    write: (b) => out.push(b),
    timers,
  });
  const random = bytesFrom(0xbad);
  for (let i = 0; i < 5_000; i++) controller.receive(random(64));
  controller.shutdown();
  // Resynchronise: a partial packet may still be buffered (an ACL header can announce up to 65535 bytes, and H4 has
  // no other framing), so feed resets until one is answered.
  out.length = 0;
  for (let i = 0; i < 20_000 && !out.some((b) => b[1] === 0x0e && b[4] === 0x03 && b[5] === 0x0c); i++) {
    controller.receive(Uint8Array.of(0x01, 0x03, 0x0c, 0x00));
  }
  expect(out.some((b) => b[1] === 0x0e && b[4] === 0x03 && b[5] === 0x0c)).toBe(true);
  expect(controller.stats.unknownBytes).toBeGreaterThan(0);
});
