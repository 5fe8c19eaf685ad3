import type { EmulatedPeripheral } from '../fake/emulatedPeripheral.ts';

/** ATT opcodes (Core Spec Vol 3 Part F §3.4.8). */
export const ATT = {
  error: 0x01,
  mtuReq: 0x02,
  mtuRsp: 0x03,
  findInfoReq: 0x04,
  findInfoRsp: 0x05,
  readByTypeReq: 0x08,
  readByTypeRsp: 0x09,
  readReq: 0x0a,
  readRsp: 0x0b,
  readBlobReq: 0x0c,
  readBlobRsp: 0x0d,
  readByGroupReq: 0x10,
  readByGroupRsp: 0x11,
  writeReq: 0x12,
  writeRsp: 0x13,
  notify: 0x1b,
  writeCmd: 0x52,
} as const;

const ECODE = { invalidHandle: 0x01, requestNotSupported: 0x06, attributeNotFound: 0x0a, unsupportedGroupType: 0x10 };
const PRIMARY_SERVICE = 0x2800;
const CHARACTERISTIC = 0x2803;
const CCCD = 0x2902;
const PROPERTY_BITS: Record<string, number> = {
  broadcast: 0x01,
  read: 0x02,
  writeWithoutResponse: 0x04,
  write: 0x08,
  notify: 0x10,
  indicate: 0x20,
};

type Attribute =
  | { kind: 'service'; handle: number; endHandle: number; uuid: Uint8Array }
  | { kind: 'declaration'; handle: number; value: Uint8Array }
  | { kind: 'value'; handle: number; serviceUuid: string; characteristicUuid: string }
  | { kind: 'cccd'; handle: number; serviceUuid: string; characteristicUuid: string };

/** A UUID in the form noble uses (4 or 32 hex digits) → ATT's little-endian bytes. */
function uuidBytes(uuid: string): Uint8Array {
  const hex = uuid.length === 4 ? uuid : uuid.padStart(32, '0');
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[bytes.length - 1 - i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/**
 * The attribute table of an `EmulatedPeripheral` and the ATT requests a GATT client (noble) sends: MTU exchange,
 * service/characteristic/descriptor discovery, read/read blob, write request/command (CCCD writes subscribe).
 * `respond()` returns the response PDU, or undefined for commands that take none. Never throws on a bad PDU.
 */
export class AttServer {
  readonly #peripheral: EmulatedPeripheral;
  readonly #attributes: Attribute[] = [];
  readonly #cccdValues = new Map<number, number>();
  mtu = 23;

  constructor(peripheral: EmulatedPeripheral) {
    this.#peripheral = peripheral;
    let handle = 1;
    for (const service of peripheral.services) {
      const entry: Attribute = { kind: 'service', handle: handle++, endHandle: 0, uuid: uuidBytes(service.uuid) };
      this.#attributes.push(entry);
      for (const c of service.characteristics) {
        const properties = c.properties.reduce((bits, p) => bits | (PROPERTY_BITS[p] ?? 0), 0);
        const valueHandle = handle + 1;
        const uuid = uuidBytes(c.uuid);
        const declaration = new Uint8Array(3 + uuid.length);
        declaration[0] = properties;
        declaration[1] = valueHandle & 0xff;
        declaration[2] = valueHandle >> 8;
        declaration.set(uuid, 3);
        this.#attributes.push({ kind: 'declaration', handle: handle++, value: declaration });
        this.#attributes.push({
          kind: 'value',
          handle: handle++,
          serviceUuid: service.uuid,
          characteristicUuid: c.uuid,
        });
        if (properties & 0x30) {
          this.#attributes.push({
            kind: 'cccd',
            handle: handle++,
            serviceUuid: service.uuid,
            characteristicUuid: c.uuid,
          });
        }
      }
      entry.endHandle = handle - 1;
    }
  }

  /** Value handle of a characteristic, for notifications. */
  valueHandle(serviceUuid: string, characteristicUuid: string): number | undefined {
    return this.#attributes.find(
      (a) => a.kind === 'value' && a.serviceUuid === serviceUuid && a.characteristicUuid === characteristicUuid,
    )?.handle;
  }

  respond(pdu: Uint8Array): Uint8Array | undefined {
    const opcode = pdu[0] ?? 0;
    const view = new DataView(pdu.buffer, pdu.byteOffset, pdu.byteLength);
    const u16 = (offset: number): number => (offset + 2 <= pdu.length ? view.getUint16(offset, true) : 0);
    switch (opcode) {
      case ATT.mtuReq: {
        this.mtu = Math.max(23, Math.min(u16(1), this.#peripheral.maxMtu));
        return Uint8Array.of(ATT.mtuRsp, this.mtu & 0xff, this.mtu >> 8);
      }
      case ATT.readByGroupReq:
        return this.#readByGroup(u16(1), u16(3), u16(5));
      case ATT.readByTypeReq:
        return this.#readByType(u16(1), u16(3), pdu.length === 7 ? u16(5) : -1);
      case ATT.findInfoReq:
        return this.#findInfo(u16(1), u16(3));
      case ATT.readReq:
        return this.#read(opcode, u16(1), 0);
      case ATT.readBlobReq:
        return this.#read(opcode, u16(1), u16(3));
      case ATT.writeReq:
      case ATT.writeCmd: {
        const error = this.#write(u16(1), pdu.slice(3), opcode === ATT.writeCmd);
        if (opcode === ATT.writeCmd) return undefined;
        return error === undefined ? Uint8Array.of(ATT.writeRsp) : errorPdu(opcode, u16(1), error);
      }
      default:
        // Responses/confirmations from the client (odd opcodes) need no answer; unknown requests get an error.
        return opcode % 2 === 1 || opcode === 0x1e ? undefined : errorPdu(opcode, 0, ECODE.requestNotSupported);
    }
  }

  #readByGroup(start: number, end: number, type: number): Uint8Array {
    if (type !== PRIMARY_SERVICE) return errorPdu(ATT.readByGroupReq, start, ECODE.unsupportedGroupType);
    const services = this.#attributes.filter(
      (a): a is Extract<Attribute, { kind: 'service' }> => a.kind === 'service' && a.handle >= start && a.handle <= end,
    );
    const first = services[0];
    if (first === undefined) return errorPdu(ATT.readByGroupReq, start, ECODE.attributeNotFound);
    const entryLength = 4 + first.uuid.length;
    const entries: number[] = [];
    for (const s of services) {
      if (s.uuid.length !== first.uuid.length || 2 + entries.length + entryLength > this.mtu) break;
      entries.push(s.handle & 0xff, s.handle >> 8, s.endHandle & 0xff, s.endHandle >> 8, ...s.uuid);
    }
    return Uint8Array.of(ATT.readByGroupRsp, entryLength, ...entries);
  }

  #readByType(start: number, end: number, type: number): Uint8Array {
    const inRange = this.#attributes.filter((a) => a.handle >= start && a.handle <= end);
    if (type === CHARACTERISTIC) {
      const declarations = inRange.filter(
        (a): a is Extract<Attribute, { kind: 'declaration' }> => a.kind === 'declaration',
      );
      const first = declarations[0];
      if (first === undefined) return errorPdu(ATT.readByTypeReq, start, ECODE.attributeNotFound);
      const entryLength = 2 + first.value.length;
      const entries: number[] = [];
      for (const d of declarations) {
        if (d.value.length !== first.value.length || 2 + entries.length + entryLength > this.mtu) break;
        entries.push(d.handle & 0xff, d.handle >> 8, ...d.value);
      }
      return Uint8Array.of(ATT.readByTypeRsp, entryLength, ...entries);
    }
    if (type === CCCD) {
      const cccd = inRange.find((a) => a.kind === 'cccd');
      if (cccd === undefined) return errorPdu(ATT.readByTypeReq, start, ECODE.attributeNotFound);
      const value = this.#cccdValues.get(cccd.handle) ?? 0;
      return Uint8Array.of(ATT.readByTypeRsp, 4, cccd.handle & 0xff, cccd.handle >> 8, value & 0xff, value >> 8);
    }
    return errorPdu(ATT.readByTypeReq, start, ECODE.attributeNotFound);
  }

  #findInfo(start: number, end: number): Uint8Array {
    const cccds = this.#attributes.filter((a) => a.kind === 'cccd' && a.handle >= start && a.handle <= end);
    if (cccds.length === 0) return errorPdu(ATT.findInfoReq, start, ECODE.attributeNotFound);
    const entries = cccds.flatMap((a) => [a.handle & 0xff, a.handle >> 8, CCCD & 0xff, CCCD >> 8]);
    return Uint8Array.of(ATT.findInfoRsp, 0x01, ...entries);
  }

  #read(opcode: number, handle: number, offset: number): Uint8Array {
    const attribute = this.#attributes.find((a) => a.handle === handle);
    let value: Uint8Array;
    if (attribute === undefined) return errorPdu(opcode, handle, ECODE.invalidHandle);
    if (attribute.kind === 'value') {
      const result = this.#peripheral.handleRead(attribute.serviceUuid, attribute.characteristicUuid);
      if ('attError' in result) return errorPdu(opcode, handle, result.attError);
      value = result.data;
    } else if (attribute.kind === 'cccd') {
      const v = this.#cccdValues.get(handle) ?? 0;
      value = Uint8Array.of(v & 0xff, v >> 8);
    } else if (attribute.kind === 'declaration') {
      value = attribute.value;
    } else {
      value = attribute.uuid;
    }
    const chunk = value.slice(offset, offset + this.mtu - 1);
    return Uint8Array.of(opcode === ATT.readReq ? ATT.readRsp : ATT.readBlobRsp, ...chunk);
  }

  #write(handle: number, value: Uint8Array, withoutResponse: boolean): number | undefined {
    const attribute = this.#attributes.find((a) => a.handle === handle);
    if (attribute === undefined) return ECODE.invalidHandle;
    if (attribute.kind === 'cccd') {
      const bits = (value[0] ?? 0) | ((value[1] ?? 0) << 8);
      this.#cccdValues.set(handle, bits);
      return this.#peripheral.handleSubscribe(attribute.serviceUuid, attribute.characteristicUuid, (bits & 0x3) !== 0);
    }
    if (attribute.kind !== 'value') return 0x03;
    return this.#peripheral.handleWrite(attribute.serviceUuid, attribute.characteristicUuid, value, withoutResponse);
  }
}

function errorPdu(requestOpcode: number, handle: number, code: number): Uint8Array {
  return Uint8Array.of(ATT.error, requestOpcode, handle & 0xff, handle >> 8, code);
}
