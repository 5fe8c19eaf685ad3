import foxgloveProtocol from '@foxglove/ws-protocol';

// NOTE: the package is CommonJS without an `exports` map, so Node only sees its default export.
const { FoxgloveServer } = foxgloveProtocol;

import type { RawData, WebSocket } from 'ws';
import type { Logger } from '../logger.ts';
import type { LiveSample, LiveSessionHandle } from '../session/types.ts';

/** Subprotocols of the Foxglove WebSocket protocol we answer (the SDK's name and the classic one). */
export const FOXGLOVE_SUBPROTOCOLS = ['foxglove.sdk.v1', 'foxglove.websocket.v1'] as const;

export function selectFoxgloveProtocol(protocols: Set<string>): string | false {
  return FOXGLOVE_SUBPROTOCOLS.find((p) => protocols.has(p)) ?? false;
}

const num = { type: 'number' };
const vec3 = { type: 'object', properties: { x: num, y: num, z: num }, required: ['x', 'y', 'z'] };

export const FOXGLOVE_TOPICS = {
  imu: '/hipcue/pelvis/imu',
  angles: '/hipcue/pelvis/angles',
  events: '/hipcue/events',
} as const;

/** Binary data messages are dropped for a Foxglove client whose socket buffers more than this. */
const FOXGLOVE_HIGH_WATER_BYTES = 1024 * 1024;

/**
 * Exposes the live channels on the Foxglove WebSocket protocol (JSON messages with JSON schemas): raw IMU
 * samples (rad/s, m/s²), pelvis angles (degrees) and session events. Read-only: client publishing is not
 * advertised. A slow Foxglove client loses data messages (counted) rather than slowing the pipeline.
 */
export class FoxgloveBridge {
  private readonly server: InstanceType<typeof FoxgloveServer>;
  private readonly channels: { imu: number; angles: number; events: number };
  private readonly unsubscribe: () => void;
  private readonly encoder = new TextEncoder();
  readonly sockets = new Set<WebSocket>();
  dropped = 0;

  constructor(
    session: LiveSessionHandle,
    private readonly log: Logger,
  ) {
    this.server = new FoxgloveServer({ name: 'hipcue-gateway', capabilities: [], supportedEncodings: ['json'] });
    this.server.on('error', (err) => log.warn('foxglove protocol error', { error: err.message }));
    const add = (topic: string, schemaName: string, schema: object) =>
      this.server.addChannel({
        topic,
        encoding: 'json',
        schemaName,
        schema: JSON.stringify(schema),
        schemaEncoding: 'jsonschema',
      });
    this.channels = {
      imu: add(FOXGLOVE_TOPICS.imu, 'hipcue.ImuSample', {
        type: 'object',
        description: 'One decoded pelvis IMU sample: gyroscope rad/s and specific force m/s², sensor frame.',
        properties: { tS: num, gyrRadPerS: vec3, accMps2: vec3 },
        required: ['tS', 'gyrRadPerS', 'accMps2'],
      }),
      angles: add(FOXGLOVE_TOPICS.angles, 'hipcue.PelvisAngles', {
        type: 'object',
        description: 'Pelvis angles in degrees relative to the calibrated start pose (docs/frames.md).',
        properties: { tS: num, tiltDeg: num, obliquityDeg: num, rotationDeg: num },
        required: ['tS', 'tiltDeg', 'obliquityDeg', 'rotationDeg'],
      }),
      events: add(FOXGLOVE_TOPICS.events, 'hipcue.SessionEvent', {
        type: 'object',
        description: 'A session event as in @hipcue/messages (rep, fault, cue, set-start, …).',
        properties: { type: { type: 'string' }, seq: num, tS: num },
        required: ['type', 'seq', 'tS'],
      }),
    };
    this.unsubscribe = session.subscribe({
      samples: (samples) => this.publishSamples(samples),
      events: (events) => {
        for (const e of events) this.publish(this.channels.events, e.tS, e);
      },
    });
  }

  attach(ws: WebSocket, role: string): void {
    this.sockets.add(ws);
    const name = `${role}-${this.sockets.size}`;
    this.log.info('foxglove client connected', { role, clients: this.sockets.size });
    const adapter = {
      binaryType: 'arraybuffer',
      protocol: ws.protocol,
      onerror: null as ((e: unknown) => void) | null | undefined,
      onopen: null as ((e: unknown) => void) | null | undefined,
      onclose: null as ((e: unknown) => void) | null | undefined,
      onmessage: null as ((e: unknown) => void) | null | undefined,
      close: () => ws.close(),
      send: (data: string | ArrayBuffer | ArrayBufferView) => {
        if (typeof data !== 'string' && ws.bufferedAmount > FOXGLOVE_HIGH_WATER_BYTES) {
          this.dropped++;
          return;
        }
        ws.send(data);
      },
    };
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
      const payload = isBinary
        ? buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)
        : buf.toString('utf8');
      adapter.onmessage?.({ data: payload });
    });
    ws.on('close', (code, reason) => {
      this.sockets.delete(ws);
      adapter.onclose?.({ code, reason: reason.toString(), wasClean: true });
    });
    ws.on('error', (err) => this.log.warn('foxglove socket error', { error: err.message }));
    this.server.handleConnection(adapter, name);
  }

  close(): void {
    this.unsubscribe();
    for (const ws of this.sockets) ws.close(1001, 'gateway shutting down');
  }

  private publishSamples(samples: readonly LiveSample[]): void {
    if (this.sockets.size === 0) return;
    for (const s of samples) {
      this.publish(this.channels.imu, s.tS, {
        tS: s.tS,
        gyrRadPerS: { x: s.gyrRadPerS[0], y: s.gyrRadPerS[1], z: s.gyrRadPerS[2] },
        accMps2: { x: s.accMps2[0], y: s.accMps2[1], z: s.accMps2[2] },
      });
      this.publish(this.channels.angles, s.tS, {
        tS: s.tS,
        tiltDeg: s.tiltDeg,
        obliquityDeg: s.obliquityDeg,
        rotationDeg: s.rotationDeg,
      });
    }
  }

  private publish(channel: number, tS: number, value: unknown): void {
    if (this.sockets.size === 0) return;
    const ns = BigInt(Math.max(0, Math.round(tS * 1e9)));
    this.server.sendMessage(channel, ns, this.encoder.encode(JSON.stringify(value)));
  }
}
