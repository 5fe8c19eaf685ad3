import { type ControlFrame, decodeControlBody, encodeControlFrame } from './controlFrame.ts';
import { type DecodeError, decodeError, truncated } from './errors.ts';
import { FRAME_TYPE, headerType, headerVersion, PROTOCOL_VERSION } from './header.ts';
import { decodeImuBody, encodeImuFrame, type ImuFrame } from './imuFrame.ts';
import { decodeStatusBody, encodeStatusFrame, type StatusFrame } from './statusFrame.ts';

/** Every hipcue frame, keyed by `type`. */
export type HipcueFrame = ImuFrame | StatusFrame | ControlFrame;
/** What `decode` returns: a frame, or a typed error naming offset and value. */
export type DecodeResult = HipcueFrame | DecodeError;

/**
 * Decodes one hipcue frame (one notification, one read value or one control write).
 * Never throws and never reads outside `bytes`, whatever the input.
 */
export function decode(bytes: Uint8Array): DecodeResult {
  if (bytes.length < 1) return truncated('header', 0, 1, 0);
  const b0 = bytes[0]!;
  const version = headerVersion(b0);
  if (version !== PROTOCOL_VERSION) {
    return decodeError(
      'unknown-version',
      0,
      `protocol version ${version} in header byte 0x${b0.toString(16).padStart(2, '0')} at offset 0 is not ${PROTOCOL_VERSION}`,
      version,
    );
  }
  const t = headerType(b0);
  switch (t) {
    case FRAME_TYPE.imu:
      return decodeImuBody(bytes);
    case FRAME_TYPE.status:
      return decodeStatusBody(bytes);
    case FRAME_TYPE.control:
      return decodeControlBody(bytes);
    default:
      return decodeError('unknown-type', 0, `frame type ${t} in header byte at offset 0 is reserved`, t);
  }
}

/** Encodes any hipcue frame. Throws EncodeError for unrepresentable frames (caller bug). */
export function encode(frame: HipcueFrame): Uint8Array {
  switch (frame.type) {
    case 'imu':
      return encodeImuFrame(frame);
    case 'status':
      return encodeStatusFrame(frame);
    case 'control':
      return encodeControlFrame(frame);
  }
}
