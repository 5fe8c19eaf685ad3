import { expect, it } from 'vitest';
import { aclPacket, H4Parser, hciEvent } from './h4.ts';

it('parses commands and ACL packets split at every byte, and skips unknown indicators with their offset', () => {
  const stream = Uint8Array.of(
    0x01,
    0x03,
    0x0c,
    0x00, // HCI Reset
    0x07, // garbage
    0x02,
    0x40,
    0x20,
    0x03,
    0x00,
    0xaa,
    0xbb,
    0xcc, // ACL handle 0x040, PB=10, 3 bytes
    0x01,
    0x0c,
    0x20,
    0x02,
    0x01,
    0x00, // LE Set Scan Enable (1, 0)
  );
  for (let cut = 0; cut <= stream.length; cut++) {
    const parser = new H4Parser();
    const packets = [...parser.push(stream.slice(0, cut)), ...parser.push(stream.slice(cut))];
    expect(packets).toEqual([
      { type: 'command', opcode: 0x0c03, params: new Uint8Array(0) },
      { type: 'unknown', offset: 4, value: 0x07 },
      { type: 'acl', handle: 0x040, boundary: 0b10, data: Uint8Array.of(0xaa, 0xbb, 0xcc) },
      { type: 'command', opcode: 0x200c, params: Uint8Array.of(1, 0) },
    ]);
  }
});

it('frames events and ACL packets the way noble reads them', () => {
  expect([...hciEvent(0x0e, [1, 3, 0x0c, 0])]).toEqual([0x04, 0x0e, 4, 1, 3, 0x0c, 0]);
  expect([...aclPacket(0x41, 4, Uint8Array.of(0x1b, 0x03, 0x00, 9))]).toEqual([
    0x02, 0x41, 0x20, 8, 0, 4, 0, 4, 0, 0x1b, 0x03, 0x00, 9,
  ]);
});
