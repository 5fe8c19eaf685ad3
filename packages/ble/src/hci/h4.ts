/** HCI UART transport (H4) framing: one indicator byte, then a command, ACL or event packet. */
export const H4 = { command: 0x01, acl: 0x02, event: 0x04 } as const;

export type H4Packet =
  | { readonly type: 'command'; readonly opcode: number; readonly params: Uint8Array }
  | {
      readonly type: 'acl';
      readonly handle: number;
      /** Packet boundary flag: 0b00/0b10 first fragment, 0b01 continuation. */
      readonly boundary: number;
      readonly data: Uint8Array;
    }
  /** A byte that starts no known packet; the parser skips it and resynchronises on the next. */
  | { readonly type: 'unknown'; readonly offset: number; readonly value: number };

/**
 * Incremental parser for host → controller H4 bytes. Never throws: partial packets wait for more bytes,
 * unknown indicator bytes are reported (with their stream offset) and skipped.
 */
export class H4Parser {
  #buffer = new Uint8Array(0);
  #consumed = 0;

  push(bytes: Uint8Array): H4Packet[] {
    const joined = new Uint8Array(this.#buffer.length + bytes.length);
    joined.set(this.#buffer, 0);
    joined.set(bytes, this.#buffer.length);
    const packets: H4Packet[] = [];
    let i = 0;
    while (i < joined.length) {
      const indicator = joined[i]!;
      if (indicator === H4.command) {
        if (joined.length - i < 4) break;
        const length = joined[i + 3]!;
        if (joined.length - i < 4 + length) break;
        const opcode = joined[i + 1]! | (joined[i + 2]! << 8);
        packets.push({ type: 'command', opcode, params: joined.slice(i + 4, i + 4 + length) });
        i += 4 + length;
      } else if (indicator === H4.acl) {
        if (joined.length - i < 5) break;
        const word = joined[i + 1]! | (joined[i + 2]! << 8);
        const length = joined[i + 3]! | (joined[i + 4]! << 8);
        if (joined.length - i < 5 + length) break;
        packets.push({
          type: 'acl',
          handle: word & 0x0fff,
          boundary: (word >> 12) & 0x3,
          data: joined.slice(i + 5, i + 5 + length),
        });
        i += 5 + length;
      } else {
        packets.push({ type: 'unknown', offset: this.#consumed + i, value: indicator });
        i += 1;
      }
    }
    this.#buffer = joined.slice(i);
    this.#consumed += i;
    return packets;
  }
}

/** Build an HCI event packet (with its H4 indicator). */
export function hciEvent(code: number, params: Uint8Array | readonly number[]): Uint8Array {
  const out = new Uint8Array(3 + params.length);
  out[0] = H4.event;
  out[1] = code;
  out[2] = params.length;
  out.set(params, 3);
  return out;
}

/** Build a controller → host ACL packet carrying one whole L2CAP frame on `cid`. */
export function aclPacket(handle: number, cid: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(9 + payload.length);
  const view = new DataView(out.buffer);
  out[0] = H4.acl;
  view.setUint16(1, (handle & 0x0fff) | (0b10 << 12), true);
  view.setUint16(3, 4 + payload.length, true);
  view.setUint16(5, payload.length, true);
  view.setUint16(7, cid, true);
  out.set(payload, 9);
  return out;
}
