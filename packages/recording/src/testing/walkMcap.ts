/**
 * An independent, minimal MCAP walker for tests: where each message record ends in the file, and on which topic.
 * It shares no code with the reader under test, so it can serve as the oracle for "every complete record before
 * the cut". Only handles what our writer produces (uncompressed chunks).
 */
export interface MessageSpan {
  topic: string;
  /** Byte offset just past the message record. */
  end: number;
}

export function walkMcap(bytes: Uint8Array): { messages: MessageSpan[]; metadataEnds: number[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const topics = new Map<number, string>();
  const messages: MessageSpan[] = [];
  const metadataEnds: number[] = [];
  const walk = (from: number, to: number, inChunk: boolean) => {
    let p = from;
    while (p + 9 <= to) {
      const opcode = bytes[p]!;
      const length = Number(view.getBigUint64(p + 1, true));
      const body = p + 9;
      const end = body + length;
      if (opcode === 0x04) {
        const id = view.getUint16(body, true);
        const topicLength = view.getUint32(body + 4, true);
        topics.set(id, new TextDecoder().decode(bytes.subarray(body + 8, body + 8 + topicLength)));
      } else if (opcode === 0x05) {
        messages.push({ topic: topics.get(view.getUint16(body, true)) ?? '?', end });
      } else if (opcode === 0x0c && !inChunk) {
        metadataEnds.push(end);
      } else if (opcode === 0x06) {
        const compressionLength = view.getUint32(body + 28, true);
        const recordsStart = body + 32 + compressionLength + 8;
        walk(recordsStart, end, true);
      } else if (opcode === 0x0f) {
        return; // data end: the summary repeats channels but holds no messages
      }
      p = end;
    }
  };
  walk(8, bytes.length, false);
  return { messages, metadataEnds };
}

/** Top-level records: opcode and byte range (stops at the first record that runs past the end). */
export function topLevelRecords(bytes: Uint8Array): { opcode: number; start: number; end: number }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: { opcode: number; start: number; end: number }[] = [];
  for (let p = 8; p + 9 <= bytes.length; ) {
    const end = p + 9 + Number(view.getBigUint64(p + 1, true));
    if (end > bytes.length) break;
    out.push({ opcode: bytes[p]!, start: p, end });
    p = end;
  }
  return out;
}
