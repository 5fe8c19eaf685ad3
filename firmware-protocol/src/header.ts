/**
 * Byte 0 of every hipcue frame (PROTOCOL.md § "Header byte"):
 *   bits 0..2  protocol version (this reader: 1; 0 is never valid)
 *   bits 3..4  frame type (0 IMU, 1 status, 2 control, 3 reserved)
 *   bits 5..7  flags (meaning per frame type; unknown flags are ignored)
 */

export const PROTOCOL_VERSION = 1;

export const FRAME_TYPE = {
  imu: 0x0,
  status: 0x1,
  control: 0x2,
} as const;

/** IMU flag: each sample carries a magnetometer triple (18 bytes per sample instead of 12). */
export const FLAG_MAG = 0x20;
/** IMU flag: the frame is a resent (backfilled) copy from the sensor's history buffer, not live data. */
export const FLAG_BACKFILL = 0x40;
/** Reserved, written as 0 and ignored by readers. */
export const FLAG_RESERVED = 0x80;

export function headerByte(frameType: number, flags: number): number {
  return (PROTOCOL_VERSION & 0x07) | ((frameType & 0x03) << 3) | (flags & 0xe0);
}

export function headerVersion(b: number): number {
  return b & 0x07;
}

export function headerType(b: number): number {
  return (b >> 3) & 0x03;
}

export function headerFlags(b: number): number {
  return b & 0xe0;
}

/**
 * Byte 1 of IMU and status frames: the sensor configuration in effect.
 *   bits 0..2 rate code, bits 3..4 accelerometer range code, bits 5..7 gyroscope range code.
 */
export function configByte(rateCode: number, accRangeCode: number, gyrRangeCode: number): number {
  return (rateCode & 0x07) | ((accRangeCode & 0x03) << 3) | ((gyrRangeCode & 0x07) << 5);
}
