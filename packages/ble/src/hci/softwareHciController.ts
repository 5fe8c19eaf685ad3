import type { EmulatedPeripheral } from '../fake/emulatedPeripheral.ts';
import { type Logger, silentLogger } from '../logger.ts';
import { systemTimers, type TimerHandle, type Timers } from '../timers.ts';
import { addressBytes, advertisingReports } from './advertising.ts';
import { AttServer } from './attServer.ts';
import { aclPacket, type H4Packet, H4Parser, hciEvent } from './h4.ts';

/** HCI opcodes (OGF << 10 | OCF) the controller answers specifically; anything else gets a plain success. */
export const OP = {
  disconnect: 0x0406,
  reset: 0x0c03,
  readLocalVersion: 0x1001,
  readSupportedCommands: 0x1002,
  readBufferSize: 0x1005,
  readBdAddr: 0x1009,
  readRssi: 0x1405,
  leReadBufferSize: 0x2002,
  leReadLocalFeatures: 0x2003,
  leSetScanParameters: 0x200b,
  leSetScanEnable: 0x200c,
  leCreateConnection: 0x200d,
  leCreateConnectionCancel: 0x200e,
  leConnectionUpdate: 0x2013,
  readLeHostSupported: 0x0c6c,
} as const;

const EVT = {
  disconnectionComplete: 0x05,
  commandComplete: 0x0e,
  commandStatus: 0x0f,
  completedPackets: 0x13,
  leMeta: 0x3e,
};
const ATT_CID = 0x0004;
const ACL_BUFFER_BYTES = 251;
const ACL_BUFFERS = 8;

interface Link {
  readonly handle: number;
  readonly peripheral: EmulatedPeripheral;
  readonly att: AttServer;
  readonly supervisionTimeoutMs: number;
  /** Host → controller L2CAP reassembly. */
  pending: Uint8Array | undefined;
  pendingLength: number;
  /** True once the radio link is lost and the supervision timer runs (no more traffic either way). */
  lost: boolean;
}

export interface SoftwareHciControllerOptions {
  readonly peripherals: readonly EmulatedPeripheral[];
  /** Where controller → host bytes go (the UART). */
  readonly write: (bytes: Uint8Array) => void;
  readonly timers?: Timers;
  readonly logger?: Logger;
  /** Our own public address. */
  readonly address?: string;
  /** How often each advertising peripheral is heard while scanning. Default 20 ms. */
  readonly advertisingIntervalMs?: number;
}

/**
 * A software Bluetooth LE controller speaking HCI over H4: enough of the Core Spec for a host stack (noble) to
 * initialise, scan (advertising reports + scan responses), create/cancel LE connections, run ATT over L2CAP
 * (with one Number Of Completed Packets event per host ACL packet), receive notifications, and see link loss
 * as a Disconnection Complete with reason 0x08 after the supervision timeout. The peer side is any
 * `EmulatedPeripheral`, so the same sensor models run here as under the fakes.
 */
export class SoftwareHciController {
  readonly #peripherals: readonly EmulatedPeripheral[];
  readonly #write: (bytes: Uint8Array) => void;
  readonly #timers: Timers;
  readonly #logger: Logger;
  readonly #address: Uint8Array;
  readonly #parser = new H4Parser();
  readonly #links = new Map<number, Link>();
  #nextHandle = 0x0040;
  #scanTimer: TimerHandle | undefined;
  #connecting:
    | { peripheral: EmulatedPeripheral; timer: TimerHandle; supervisionTimeoutMs: number; params: Uint8Array }
    | undefined;
  /** Counters for tests: packets in each direction and skipped bytes. */
  readonly stats = { commands: 0, aclIn: 0, aclOut: 0, events: 0, unknownBytes: 0 };

  constructor(options: SoftwareHciControllerOptions) {
    this.#peripherals = options.peripherals;
    this.#write = options.write;
    this.#timers = options.timers ?? systemTimers;
    this.#logger = options.logger ?? silentLogger;
    this.#address = addressBytes(options.address ?? '00:1a:7d:da:71:13');
    this.#advertisingIntervalMs = options.advertisingIntervalMs ?? 20;
  }

  readonly #advertisingIntervalMs: number;

  /** Feed bytes the host wrote to the UART. */
  receive(bytes: Uint8Array): void {
    for (const packet of this.#parser.push(bytes)) this.#onPacket(packet);
  }

  /** Stop timers (scan, pending connect, supervision); links are forgotten without events. */
  shutdown(): void {
    this.#stopScan();
    if (this.#connecting !== undefined) this.#timers.clearTimeout(this.#connecting.timer);
    this.#connecting = undefined;
    for (const link of this.#links.values()) link.peripheral.detach();
    this.#links.clear();
  }

  #onPacket(packet: H4Packet): void {
    if (packet.type === 'unknown') {
      this.stats.unknownBytes++;
      this.#logger.warn('H4: skipped unknown packet indicator', { offset: packet.offset, value: packet.value });
    } else if (packet.type === 'command') {
      this.stats.commands++;
      this.#onCommand(packet.opcode, packet.params);
    } else {
      this.stats.aclIn++;
      this.#onAcl(packet.handle, packet.boundary, packet.data);
    }
  }

  #onCommand(opcode: number, params: Uint8Array): void {
    switch (opcode) {
      case OP.reset:
        this.#stopScan();
        this.#cancelConnecting();
        this.#complete(opcode, []);
        return;
      case OP.readLocalVersion:
        // HCI 5.0 (0x09); noble refuses controllers below 4.0 (0x06).
        this.#complete(opcode, [0x09, 0x00, 0x00, 0x09, 0xff, 0xff, 0x00, 0x00]);
        return;
      case OP.readBdAddr:
        this.#complete(opcode, [...this.#address]);
        return;
      case OP.readBufferSize:
        this.#complete(opcode, [ACL_BUFFER_BYTES, 0, 0, ACL_BUFFERS, 0, 0, 0]);
        return;
      case OP.leReadBufferSize:
        this.#complete(opcode, [ACL_BUFFER_BYTES, 0, ACL_BUFFERS]);
        return;
      case OP.leReadLocalFeatures:
        // Legacy advertising only, no data length extension: the simplest path through noble.
        this.#complete(opcode, [0, 0, 0, 0, 0, 0, 0, 0]);
        return;
      case OP.readLeHostSupported:
        this.#complete(opcode, [0x01, 0x00]);
        return;
      case OP.readSupportedCommands:
        this.#complete(opcode, new Array(64).fill(0));
        return;
      case OP.leSetScanEnable:
        if (params[0] === 1) this.#startScan();
        else this.#stopScan();
        this.#complete(opcode, []);
        return;
      case OP.leCreateConnection:
        this.#createConnection(params);
        return;
      case OP.leCreateConnectionCancel:
        this.#complete(opcode, []);
        this.#cancelConnecting();
        return;
      case OP.disconnect:
        this.#disconnect(params);
        return;
      case OP.readRssi:
        this.#complete(opcode, [params[0] ?? 0, params[1] ?? 0, 0xc4]);
        return;
      case OP.leConnectionUpdate:
        this.#status(opcode, 0x00);
        return;
      default:
        this.#complete(opcode, []);
        return;
    }
  }

  #createConnection(params: Uint8Array): void {
    const view = new DataView(params.buffer, params.byteOffset, params.byteLength);
    const peer = Array.from(params.slice(6, 12)).reverse();
    const address = peer.map((b) => b.toString(16).padStart(2, '0')).join(':');
    const peripheral = this.#peripherals.find((p) => p.address === address);
    const supervisionTimeoutMs = params.length >= 21 ? view.getUint16(19, true) * 10 : 420;
    this.#status(OP.leCreateConnection, 0x00);
    if (peripheral === undefined) return; // initiating until cancelled, like a real controller
    const attempt = (): void => {
      if (this.#connecting === undefined) return;
      if (!peripheral.advertising || peripheral.connected) {
        this.#connecting.timer = this.#timers.setTimeout(attempt, this.#advertisingIntervalMs);
        return;
      }
      const connecting = this.#connecting;
      this.#connecting = undefined;
      this.#establish(peripheral, connecting.params, supervisionTimeoutMs);
    };
    this.#connecting = {
      peripheral,
      supervisionTimeoutMs,
      params,
      timer: this.#timers.setTimeout(attempt, 5),
    };
  }

  #establish(peripheral: EmulatedPeripheral, params: Uint8Array, supervisionTimeoutMs: number): void {
    const handle = this.#nextHandle++;
    const link: Link = {
      handle,
      peripheral,
      att: new AttServer(peripheral),
      supervisionTimeoutMs,
      pending: undefined,
      pendingLength: 0,
      lost: false,
    };
    this.#links.set(handle, link);
    const view = new DataView(params.buffer, params.byteOffset, params.byteLength);
    const interval = params.length >= 15 ? view.getUint16(13, true) : 0x0006;
    const latency = params.length >= 19 ? view.getUint16(17, true) : 0;
    const timeout = supervisionTimeoutMs / 10;
    const peerAddressType = peripheral.addressType === 'random' ? 1 : 0;
    this.#leMeta(0x01, [
      0x00,
      handle & 0xff,
      handle >> 8,
      0x00,
      peerAddressType,
      ...addressBytes(peripheral.address),
      interval & 0xff,
      interval >> 8,
      latency & 0xff,
      latency >> 8,
      timeout & 0xff,
      timeout >> 8,
      0x00,
    ]);
    peripheral.attach({
      get mtu() {
        return link.att.mtu;
      },
      notify: (serviceUuid, characteristicUuid, data) => {
        if (link.lost || !this.#links.has(handle)) return;
        const valueHandle = link.att.valueHandle(serviceUuid, characteristicUuid);
        if (valueHandle === undefined) return;
        const payload = data.slice(0, link.att.mtu - 3);
        this.#sendAtt(link, Uint8Array.of(0x1b, valueHandle & 0xff, valueHandle >> 8, ...payload));
      },
      drop: (reason) => this.#loseLink(link, reason),
    });
  }

  /** The radio goes quiet; the host hears about it only when the supervision timeout expires. */
  #loseLink(link: Link, reason: number): void {
    if (link.lost) return;
    link.lost = true;
    this.#timers.setTimeout(
      () => this.#disconnectionComplete(link, reason),
      reason === 0x08 ? link.supervisionTimeoutMs : 0,
    );
  }

  #disconnect(params: Uint8Array): void {
    const handle = (params[0] ?? 0) | ((params[1] ?? 0) << 8);
    const link = this.#links.get(handle);
    if (link === undefined) {
      this.#status(OP.disconnect, 0x02);
      return;
    }
    this.#status(OP.disconnect, 0x00);
    link.lost = true;
    link.peripheral.detach();
    this.#timers.setTimeout(() => this.#disconnectionComplete(link, 0x16), 1);
  }

  #disconnectionComplete(link: Link, reason: number): void {
    if (!this.#links.delete(link.handle)) return;
    link.peripheral.detach();
    this.#event(EVT.disconnectionComplete, [0x00, link.handle & 0xff, link.handle >> 8, reason]);
  }

  #onAcl(handle: number, boundary: number, data: Uint8Array): void {
    // One Number Of Completed Packets per host ACL packet, or the host's ACL queue stalls.
    this.#event(EVT.completedPackets, [0x01, handle & 0xff, handle >> 8, 0x01, 0x00]);
    const link = this.#links.get(handle);
    if (link === undefined || link.lost) return;
    if (boundary !== 0b01) {
      link.pendingLength = data.length >= 2 ? (data[0]! | (data[1]! << 8)) + 4 : 0;
      link.pending = data;
    } else if (link.pending !== undefined) {
      const joined = new Uint8Array(link.pending.length + data.length);
      joined.set(link.pending, 0);
      joined.set(data, link.pending.length);
      link.pending = joined;
    }
    const frame = link.pending;
    if (frame === undefined || frame.length < link.pendingLength || frame.length < 4) return;
    link.pending = undefined;
    const cid = frame[2]! | (frame[3]! << 8);
    if (cid !== ATT_CID) return; // signalling and SMP: not emulated (noble does not need them here)
    this.#onAttRequest(link, frame.slice(4, link.pendingLength));
  }

  #onAttRequest(link: Link, pdu: Uint8Array): void {
    const isCommand = (pdu[0] ?? 0) === 0x52;
    const peripheral = link.peripheral;
    if (isCommand) {
      link.att.respond(pdu);
      return;
    }
    if (!peripheral.respond && pdu[0] !== 0x02) return; // a hung peer (MTU exchange still answered by the stack)
    const answer = (): void => {
      if (link.lost || !this.#links.has(link.handle)) return;
      const response = link.att.respond(pdu);
      if (response !== undefined) this.#sendAtt(link, response);
    };
    if (peripheral.responseDelayMs > 0) this.#timers.setTimeout(answer, peripheral.responseDelayMs);
    else answer();
  }

  #sendAtt(link: Link, pdu: Uint8Array): void {
    this.stats.aclOut++;
    this.#write(aclPacket(link.handle, ATT_CID, pdu));
  }

  #startScan(): void {
    this.#stopScan();
    const hear = (): void => {
      for (const p of this.#peripherals) {
        if (!p.advertising || p.connected) continue;
        this.#advertisingReport(p);
      }
      this.#scanTimer = this.#timers.setTimeout(hear, this.#advertisingIntervalMs);
    };
    this.#scanTimer = this.#timers.setTimeout(hear, 1);
  }

  #stopScan(): void {
    if (this.#scanTimer !== undefined) this.#timers.clearTimeout(this.#scanTimer);
    this.#scanTimer = undefined;
  }

  #advertisingReport(p: EmulatedPeripheral): void {
    for (const report of advertisingReports(p)) this.#leMeta(0x02, report);
  }

  #cancelConnecting(): void {
    const connecting = this.#connecting;
    if (connecting === undefined) return;
    this.#timers.clearTimeout(connecting.timer);
    this.#connecting = undefined;
    // LE Connection Complete with status 0x02 (Unknown Connection Identifier) ends a cancelled attempt.
    this.#leMeta(0x01, [0x02, ...new Array(18).fill(0)]);
  }

  #complete(opcode: number, returnParams: readonly number[]): void {
    this.#event(EVT.commandComplete, [0x01, opcode & 0xff, opcode >> 8, 0x00, ...returnParams]);
  }

  #status(opcode: number, status: number): void {
    this.#event(EVT.commandStatus, [status, 0x01, opcode & 0xff, opcode >> 8]);
  }

  #leMeta(subevent: number, params: readonly number[]): void {
    this.#event(EVT.leMeta, [subevent, ...params]);
  }

  #event(code: number, params: readonly number[]): void {
    this.stats.events++;
    this.#write(hciEvent(code, params));
  }
}
