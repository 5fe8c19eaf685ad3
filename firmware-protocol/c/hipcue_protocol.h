/*
 * hipcue sensor protocol v1 — reference C99 implementation for firmware authors.
 *
 * Header-only, no allocation, no libc beyond <stdint.h>/<stddef.h>. Every decoder takes (buf, len), never reads
 * outside it, and reports problems as hc_error { code, offset, value }. Encoders write into a caller buffer and
 * return the number of bytes written, or 0 if the buffer is too small or a field is out of range.
 * The specification is firmware-protocol/PROTOCOL.md; the golden vectors in firmware-protocol/vectors/ are
 * checked against this file by src/cReference.test.ts.
 */
#ifndef HIPCUE_PROTOCOL_H
#define HIPCUE_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#define HC_PROTOCOL_VERSION 1u

/* Header byte: bits 0..2 version, 3..4 type, 5..7 flags. */
#define HC_TYPE_IMU 0u
#define HC_TYPE_STATUS 1u
#define HC_TYPE_CONTROL 2u
#define HC_FLAG_MAG 0x20u
#define HC_FLAG_BACKFILL 0x40u

#define HC_IMU_HEADER_BYTES 8u
#define HC_IMU_SAMPLE_BYTES 12u
#define HC_IMU_SAMPLE_BYTES_MAG 18u
#define HC_ATT_NOTIFY_OVERHEAD 3u
#define HC_ATT_MTU_MAX 517u
#define HC_STATUS_BYTES 9u          /* v1.0 status */
#define HC_STATUS_BYTES_HISTORY 13u /* v1.1 status with history */
#define HC_BATTERY_UNKNOWN 0xFFu

#define HC_OP_START_STREAMING 0x01u
#define HC_OP_STOP_STREAMING 0x02u
#define HC_OP_SET_SAMPLE_RATE 0x03u
#define HC_OP_SET_RANGES 0x04u
#define HC_OP_HAPTIC 0x05u
#define HC_OP_IDENTIFY 0x06u
#define HC_OP_SET_MAGNETOMETER 0x07u
#define HC_OP_RESEND_FROM 0x08u /* v1.1: backfill (issue 8) */

/* v1.1 history buffer sizing (PROTOCOL.md § Backfill). */
#define HC_HISTORY_BYTES 32768u
#define HC_HISTORY_CAPACITY_SAMPLES 2048u
#define HC_HISTORY_CAPACITY_SAMPLES_MAG 1365u
#define HC_BACKFILL_FRAMES_PER_LIVE_FRAME 2u
#define HC_HAPTIC_MAX_STEPS 8u

#define HC_RATE_CODE_MAX 7u
#define HC_ACC_RANGE_CODE_MAX 3u
#define HC_GYR_RANGE_CODE_MAX 4u

#define HC_THINGY_RAW_BYTES 18u
#define HC_THINGY_CONFIG_BYTES 9u

typedef enum {
  HC_OK = 0,
  HC_ERR_TRUNCATED = 1,       /* offset: first missing byte; value: bytes present */
  HC_ERR_UNKNOWN_VERSION = 2, /* offset 0; value: version */
  HC_ERR_UNKNOWN_TYPE = 3,    /* offset 0; value: frame type */
  HC_ERR_UNKNOWN_OPCODE = 4,  /* offset 1; value: opcode */
  HC_ERR_INVALID_FIELD = 5    /* offset and value of the field */
} hc_result;

typedef struct {
  hc_result code;
  size_t offset;
  uint32_t value;
} hc_error;

typedef struct {
  int16_t acc[3]; /* counts; m/s² = count * hc_acc_lsb_mps2(range) */
  int16_t gyr[3]; /* counts; rad/s = count * hc_gyr_lsb_rad_per_s(range) */
  int16_t mag[3]; /* counts of 1/16 µT; only when the frame has MAG */
} hc_imu_sample;

typedef struct {
  uint8_t backfill;
  uint8_t has_mag;
  uint8_t rate_code;      /* 0..7: 12.5 Hz * 2^code */
  uint8_t acc_range_code; /* 0..3: ±2 g * 2^code */
  uint8_t gyr_range_code; /* 0..4: ±125 °/s * 2^code */
  uint16_t seq;           /* seq of the first sample, counts samples mod 2^16 */
  uint32_t sensor_time_us; /* sensor clock at the first sample, mod 2^32 */
  uint16_t n_samples;
  size_t trailing_bytes;    /* decode: bytes after the last whole sample (ignored) */
  const uint8_t *samples;   /* decode: points into the decoded buffer; read with hc_imu_get_sample */
} hc_imu_frame;

typedef struct {
  uint8_t rate_code;
  uint8_t acc_range_code;
  uint8_t gyr_range_code;
  uint8_t fw_major;
  uint8_t fw_minor;
  uint8_t fw_patch;
  uint8_t battery_pct; /* 0..100, or HC_BATTERY_UNKNOWN */
  uint8_t streaming;
  uint8_t mag_enabled;
  uint16_t error_flags;
  uint8_t has_history;          /* v1.1: the 13-byte form with the fields below */
  uint8_t backfilling;          /* v1.1: state bit 2 */
  uint16_t history_oldest_seq;  /* v1.1 */
  uint16_t history_samples;     /* v1.1 */
  size_t trailing_bytes;
} hc_status_frame;

typedef struct {
  uint8_t opcode;
  uint8_t rate_code;      /* SET_SAMPLE_RATE */
  uint8_t acc_range_code; /* SET_RANGES */
  uint8_t gyr_range_code; /* SET_RANGES */
  uint8_t intensity_pct;  /* HAPTIC */
  uint8_t steps;          /* HAPTIC: 1..8 */
  uint16_t pattern_ms[HC_HAPTIC_MAX_STEPS]; /* HAPTIC: on, off, on, ... */
  uint8_t duration_s;     /* IDENTIFY */
  uint8_t enabled;        /* SET_MAGNETOMETER */
  uint16_t seq;           /* RESEND_FROM */
  uint16_t count;         /* RESEND_FROM: 0 = up to the newest buffered */
  size_t trailing_bytes;
} hc_control_frame;

typedef struct {
  uint8_t type; /* HC_TYPE_* */
  union {
    hc_imu_frame imu;
    hc_status_frame status;
    hc_control_frame control;
  } u;
} hc_frame;

typedef struct {
  int16_t acc[3]; /* Q6.10 g */
  int16_t gyr[3]; /* Q11.5 °/s */
  int16_t mag[3]; /* Q12.4 µT */
  size_t trailing_bytes;
} hc_thingy_raw;

typedef struct {
  uint16_t pedo_interval_ms;    /* 100..5000 */
  uint16_t temp_interval_ms;    /* 100..5000 */
  uint16_t compass_interval_ms; /* 100..5000 */
  uint16_t motion_freq_hz;      /* 1..200 */
  uint8_t wake_on_motion;       /* 0..1 */
  size_t trailing_bytes;
} hc_thingy_config;

/* ---- little-endian helpers ---- */

static inline uint16_t hc_get_u16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t hc_get_u32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline int16_t hc_get_i16(const uint8_t *p) {
  uint16_t u = hc_get_u16(p);
  return u >= 0x8000u ? (int16_t)(-(int32_t)(0x10000u - u)) : (int16_t)u;
}
static inline void hc_put_u16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)(v & 0xFFu);
  p[1] = (uint8_t)(v >> 8);
}
static inline void hc_put_u32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v & 0xFFu);
  p[1] = (uint8_t)((v >> 8) & 0xFFu);
  p[2] = (uint8_t)((v >> 16) & 0xFFu);
  p[3] = (uint8_t)(v >> 24);
}
static inline void hc_put_i16(uint8_t *p, int16_t v) { hc_put_u16(p, (uint16_t)v); }

static inline hc_result hc_fail(hc_error *err, hc_result code, size_t offset, uint32_t value) {
  if (err) {
    err->code = code;
    err->offset = offset;
    err->value = value;
  }
  return code;
}

static inline const char *hc_result_name(hc_result r) {
  switch (r) {
    case HC_OK: return "ok";
    case HC_ERR_TRUNCATED: return "truncated";
    case HC_ERR_UNKNOWN_VERSION: return "unknown-version";
    case HC_ERR_UNKNOWN_TYPE: return "unknown-type";
    case HC_ERR_UNKNOWN_OPCODE: return "unknown-opcode";
    case HC_ERR_INVALID_FIELD: return "invalid-field";
  }
  return "?";
}

/* ---- codes and scaling ---- */

/** Sample period in µs: 80000 / 2^code. */
static inline uint32_t hc_sample_period_us(uint8_t rate_code) { return 80000u >> (rate_code & 7u); }
/** m/s² per accelerometer count: (2 g * 2^code) / 32768 * 9.80665. */
static inline double hc_acc_lsb_mps2(uint8_t code) { return (double)(2u << code) / 32768.0 * 9.80665; }
/** rad/s per gyroscope count: (125 °/s * 2^code) / 32768 * pi / 180. */
static inline double hc_gyr_lsb_rad_per_s(uint8_t code) {
  return (double)(125u << code) / 32768.0 * 3.14159265358979323846 / 180.0;
}
/** µT per magnetometer count. */
static inline double hc_mag_lsb_ut(void) { return 1.0 / 16.0; }

/** Largest number of samples per IMU notification at this ATT MTU (0 if none fits). */
static inline uint16_t hc_max_samples_per_frame(uint16_t att_mtu, int with_mag) {
  uint32_t mtu = att_mtu > HC_ATT_MTU_MAX ? HC_ATT_MTU_MAX : att_mtu;
  uint32_t per = with_mag ? HC_IMU_SAMPLE_BYTES_MAG : HC_IMU_SAMPLE_BYTES;
  if (mtu < HC_ATT_NOTIFY_OVERHEAD + HC_IMU_HEADER_BYTES) return 0;
  return (uint16_t)((mtu - HC_ATT_NOTIFY_OVERHEAD - HC_IMU_HEADER_BYTES) / per);
}

static inline uint8_t hc_header_byte(uint8_t type, uint8_t flags) {
  return (uint8_t)((HC_PROTOCOL_VERSION & 7u) | ((type & 3u) << 3) | (flags & 0xE0u));
}
static inline uint8_t hc_config_byte(uint8_t rate, uint8_t acc, uint8_t gyr) {
  return (uint8_t)((rate & 7u) | ((acc & 3u) << 3) | ((gyr & 7u) << 5));
}

/* ---- IMU frame ---- */

/** Reads sample i (< n_samples) of a decoded frame. */
static inline void hc_imu_get_sample(const hc_imu_frame *f, uint16_t i, hc_imu_sample *out) {
  size_t per = f->has_mag ? HC_IMU_SAMPLE_BYTES_MAG : HC_IMU_SAMPLE_BYTES;
  const uint8_t *p = f->samples + (size_t)i * per;
  int k;
  for (k = 0; k < 3; k++) out->acc[k] = hc_get_i16(p + 2 * k);
  for (k = 0; k < 3; k++) out->gyr[k] = hc_get_i16(p + 6 + 2 * k);
  for (k = 0; k < 3; k++) out->mag[k] = f->has_mag ? hc_get_i16(p + 12 + 2 * k) : 0;
}

/** Bytes needed for an IMU frame of n samples. */
static inline size_t hc_imu_frame_bytes(uint16_t n, int with_mag) {
  return HC_IMU_HEADER_BYTES + (size_t)n * (with_mag ? HC_IMU_SAMPLE_BYTES_MAG : HC_IMU_SAMPLE_BYTES);
}

/**
 * Encodes header fields of `h` (n_samples, has_mag, backfill, codes, seq, time) and `samples[0..n-1]`.
 * Returns bytes written, or 0 if n is 0, a code is invalid or `cap` is too small.
 */
static inline size_t hc_encode_imu(uint8_t *buf, size_t cap, const hc_imu_frame *h, const hc_imu_sample *samples) {
  size_t need = hc_imu_frame_bytes(h->n_samples, h->has_mag);
  size_t o = HC_IMU_HEADER_BYTES;
  uint16_t i;
  int k;
  if (h->n_samples == 0 || need > cap) return 0;
  if (h->rate_code > HC_RATE_CODE_MAX || h->acc_range_code > HC_ACC_RANGE_CODE_MAX ||
      h->gyr_range_code > HC_GYR_RANGE_CODE_MAX)
    return 0;
  buf[0] = hc_header_byte(HC_TYPE_IMU, (uint8_t)((h->has_mag ? HC_FLAG_MAG : 0u) | (h->backfill ? HC_FLAG_BACKFILL : 0u)));
  buf[1] = hc_config_byte(h->rate_code, h->acc_range_code, h->gyr_range_code);
  hc_put_u16(buf + 2, h->seq);
  hc_put_u32(buf + 4, h->sensor_time_us);
  for (i = 0; i < h->n_samples; i++) {
    for (k = 0; k < 3; k++, o += 2) hc_put_i16(buf + o, samples[i].acc[k]);
    for (k = 0; k < 3; k++, o += 2) hc_put_i16(buf + o, samples[i].gyr[k]);
    if (h->has_mag)
      for (k = 0; k < 3; k++, o += 2) hc_put_i16(buf + o, samples[i].mag[k]);
  }
  return o;
}

static inline hc_result hc_decode_imu(const uint8_t *buf, size_t len, hc_imu_frame *f, hc_error *err) {
  size_t per, n;
  uint8_t gyr;
  if (len < HC_IMU_HEADER_BYTES) return hc_fail(err, HC_ERR_TRUNCATED, len, (uint32_t)len);
  gyr = (uint8_t)((buf[1] >> 5) & 7u);
  if (gyr > HC_GYR_RANGE_CODE_MAX) return hc_fail(err, HC_ERR_INVALID_FIELD, 1, gyr);
  f->has_mag = (buf[0] & HC_FLAG_MAG) ? 1u : 0u;
  f->backfill = (buf[0] & HC_FLAG_BACKFILL) ? 1u : 0u;
  per = f->has_mag ? HC_IMU_SAMPLE_BYTES_MAG : HC_IMU_SAMPLE_BYTES;
  n = (len - HC_IMU_HEADER_BYTES) / per;
  if (n < 1) return hc_fail(err, HC_ERR_TRUNCATED, len, (uint32_t)len);
  if (n > 0xFFFFu) n = 0xFFFFu; /* longer than any BLE notification; the rest counts as trailing */
  f->rate_code = (uint8_t)(buf[1] & 7u);
  f->acc_range_code = (uint8_t)((buf[1] >> 3) & 3u);
  f->gyr_range_code = gyr;
  f->seq = hc_get_u16(buf + 2);
  f->sensor_time_us = hc_get_u32(buf + 4);
  f->n_samples = (uint16_t)n;
  f->samples = buf + HC_IMU_HEADER_BYTES;
  f->trailing_bytes = len - HC_IMU_HEADER_BYTES - n * per;
  return HC_OK;
}

/* ---- status frame ---- */

static inline size_t hc_encode_status(uint8_t *buf, size_t cap, const hc_status_frame *s) {
  size_t size = s->has_history ? HC_STATUS_BYTES_HISTORY : HC_STATUS_BYTES;
  if (cap < size) return 0;
  if (s->rate_code > HC_RATE_CODE_MAX || s->acc_range_code > HC_ACC_RANGE_CODE_MAX ||
      s->gyr_range_code > HC_GYR_RANGE_CODE_MAX || (s->battery_pct > 100u && s->battery_pct != HC_BATTERY_UNKNOWN))
    return 0;
  buf[0] = hc_header_byte(HC_TYPE_STATUS, 0);
  buf[1] = hc_config_byte(s->rate_code, s->acc_range_code, s->gyr_range_code);
  buf[2] = s->fw_major;
  buf[3] = s->fw_minor;
  buf[4] = s->fw_patch;
  buf[5] = s->battery_pct;
  buf[6] = (uint8_t)((s->streaming ? 1u : 0u) | (s->mag_enabled ? 2u : 0u) |
                     ((s->has_history && s->backfilling) ? 4u : 0u));
  hc_put_u16(buf + 7, s->error_flags);
  if (s->has_history) {
    hc_put_u16(buf + 9, s->history_oldest_seq);
    hc_put_u16(buf + 11, s->history_samples);
  }
  return size;
}

static inline hc_result hc_decode_status(const uint8_t *buf, size_t len, hc_status_frame *s, hc_error *err) {
  uint8_t gyr;
  if (len < HC_STATUS_BYTES) return hc_fail(err, HC_ERR_TRUNCATED, len, (uint32_t)len);
  gyr = (uint8_t)((buf[1] >> 5) & 7u);
  if (gyr > HC_GYR_RANGE_CODE_MAX) return hc_fail(err, HC_ERR_INVALID_FIELD, 1, gyr);
  if (buf[5] > 100u && buf[5] != HC_BATTERY_UNKNOWN) return hc_fail(err, HC_ERR_INVALID_FIELD, 5, buf[5]);
  s->rate_code = (uint8_t)(buf[1] & 7u);
  s->acc_range_code = (uint8_t)((buf[1] >> 3) & 3u);
  s->gyr_range_code = gyr;
  s->fw_major = buf[2];
  s->fw_minor = buf[3];
  s->fw_patch = buf[4];
  s->battery_pct = buf[5];
  s->streaming = (buf[6] & 1u) ? 1u : 0u;
  s->mag_enabled = (buf[6] & 2u) ? 1u : 0u;
  s->error_flags = hc_get_u16(buf + 7);
  /* v1.1 appends the history; with fewer than 13 bytes the extra bytes are trailing (a v1.0 reader's view). */
  s->has_history = len >= HC_STATUS_BYTES_HISTORY ? 1u : 0u;
  s->backfilling = (s->has_history && (buf[6] & 4u)) ? 1u : 0u;
  s->history_oldest_seq = s->has_history ? hc_get_u16(buf + 9) : 0u;
  s->history_samples = s->has_history ? hc_get_u16(buf + 11) : 0u;
  s->trailing_bytes = len - (s->has_history ? HC_STATUS_BYTES_HISTORY : HC_STATUS_BYTES);
  return HC_OK;
}

/* ---- control frame ---- */

/** Size of a control frame with this opcode (haptic: with `steps` steps), 0 for unknown opcodes. */
static inline size_t hc_control_bytes(uint8_t opcode, uint8_t steps) {
  switch (opcode) {
    case HC_OP_START_STREAMING:
    case HC_OP_STOP_STREAMING: return 2;
    case HC_OP_SET_SAMPLE_RATE:
    case HC_OP_IDENTIFY:
    case HC_OP_SET_MAGNETOMETER: return 3;
    case HC_OP_SET_RANGES: return 4;
    case HC_OP_RESEND_FROM: return 6;
    case HC_OP_HAPTIC: return 4u + 2u * (size_t)steps;
    default: return 0;
  }
}

static inline size_t hc_encode_control(uint8_t *buf, size_t cap, const hc_control_frame *c) {
  size_t size = hc_control_bytes(c->opcode, c->steps);
  uint8_t i;
  if (size == 0 || size > cap) return 0;
  buf[0] = hc_header_byte(HC_TYPE_CONTROL, 0);
  buf[1] = c->opcode;
  switch (c->opcode) {
    case HC_OP_SET_SAMPLE_RATE:
      if (c->rate_code > HC_RATE_CODE_MAX) return 0;
      buf[2] = c->rate_code;
      break;
    case HC_OP_SET_RANGES:
      if (c->acc_range_code > HC_ACC_RANGE_CODE_MAX || c->gyr_range_code > HC_GYR_RANGE_CODE_MAX) return 0;
      buf[2] = c->acc_range_code;
      buf[3] = c->gyr_range_code;
      break;
    case HC_OP_HAPTIC:
      if (c->intensity_pct > 100u || c->steps < 1u || c->steps > HC_HAPTIC_MAX_STEPS) return 0;
      buf[2] = c->intensity_pct;
      buf[3] = c->steps;
      for (i = 0; i < c->steps; i++) hc_put_u16(buf + 4 + 2 * i, c->pattern_ms[i]);
      break;
    case HC_OP_IDENTIFY: buf[2] = c->duration_s; break;
    case HC_OP_SET_MAGNETOMETER:
      if (c->enabled > 1u) return 0;
      buf[2] = c->enabled;
      break;
    case HC_OP_RESEND_FROM:
      hc_put_u16(buf + 2, c->seq);
      hc_put_u16(buf + 4, c->count);
      break;
    default: break;
  }
  return size;
}

static inline hc_result hc_decode_control(const uint8_t *buf, size_t len, hc_control_frame *c, hc_error *err) {
  size_t size;
  uint8_t i;
  if (len < 2) return hc_fail(err, HC_ERR_TRUNCATED, len, (uint32_t)len);
  c->opcode = buf[1];
  if (hc_control_bytes(c->opcode, 0) == 0) return hc_fail(err, HC_ERR_UNKNOWN_OPCODE, 1, c->opcode);
  if (c->opcode == HC_OP_HAPTIC) {
    if (len < 4) return hc_fail(err, HC_ERR_TRUNCATED, len, (uint32_t)len);
    if (buf[2] > 100u) return hc_fail(err, HC_ERR_INVALID_FIELD, 2, buf[2]);
    if (buf[3] < 1u || buf[3] > HC_HAPTIC_MAX_STEPS) return hc_fail(err, HC_ERR_INVALID_FIELD, 3, buf[3]);
  }
  size = hc_control_bytes(c->opcode, c->opcode == HC_OP_HAPTIC ? buf[3] : 0);
  if (len < size) return hc_fail(err, HC_ERR_TRUNCATED, len, (uint32_t)len);
  switch (c->opcode) {
    case HC_OP_SET_SAMPLE_RATE:
      if (buf[2] > HC_RATE_CODE_MAX) return hc_fail(err, HC_ERR_INVALID_FIELD, 2, buf[2]);
      c->rate_code = buf[2];
      break;
    case HC_OP_SET_RANGES:
      if (buf[2] > HC_ACC_RANGE_CODE_MAX) return hc_fail(err, HC_ERR_INVALID_FIELD, 2, buf[2]);
      if (buf[3] > HC_GYR_RANGE_CODE_MAX) return hc_fail(err, HC_ERR_INVALID_FIELD, 3, buf[3]);
      c->acc_range_code = buf[2];
      c->gyr_range_code = buf[3];
      break;
    case HC_OP_HAPTIC:
      c->intensity_pct = buf[2];
      c->steps = buf[3];
      for (i = 0; i < c->steps; i++) c->pattern_ms[i] = hc_get_u16(buf + 4 + 2 * i);
      break;
    case HC_OP_IDENTIFY: c->duration_s = buf[2]; break;
    case HC_OP_SET_MAGNETOMETER:
      if (buf[2] > 1u) return hc_fail(err, HC_ERR_INVALID_FIELD, 2, buf[2]);
      c->enabled = buf[2];
      break;
    case HC_OP_RESEND_FROM:
      c->seq = hc_get_u16(buf + 2);
      c->count = hc_get_u16(buf + 4);
      break;
    default: break;
  }
  c->trailing_bytes = len - size;
  return HC_OK;
}

/* ---- any hipcue frame ---- */

/** Decodes one frame (notification, read value or control write). On error, `out` is unspecified. */
static inline hc_result hc_decode(const uint8_t *buf, size_t len, hc_frame *out, hc_error *err) {
  uint8_t version, type;
  if (len < 1) return hc_fail(err, HC_ERR_TRUNCATED, 0, 0);
  version = (uint8_t)(buf[0] & 7u);
  type = (uint8_t)((buf[0] >> 3) & 3u);
  if (version != HC_PROTOCOL_VERSION) return hc_fail(err, HC_ERR_UNKNOWN_VERSION, 0, version);
  out->type = type;
  switch (type) {
    case HC_TYPE_IMU: return hc_decode_imu(buf, len, &out->u.imu, err);
    case HC_TYPE_STATUS: return hc_decode_status(buf, len, &out->u.status, err);
    case HC_TYPE_CONTROL: return hc_decode_control(buf, len, &out->u.control, err);
    default: return hc_fail(err, HC_ERR_UNKNOWN_TYPE, 0, type);
  }
}

/* ---- Nordic Thingy:52 stock firmware, Thingy Motion Service (see PROTOCOL.md) ---- */

/** Raw data characteristic EF680406-...: acc Q6.10 g, gyro Q11.5 °/s, compass Q12.4 µT. */
static inline hc_result hc_decode_thingy_raw(const uint8_t *buf, size_t len, hc_thingy_raw *r, hc_error *err) {
  int k;
  if (len < HC_THINGY_RAW_BYTES) return hc_fail(err, HC_ERR_TRUNCATED, len, (uint32_t)len);
  for (k = 0; k < 3; k++) {
    r->acc[k] = hc_get_i16(buf + 2 * k);
    r->gyr[k] = hc_get_i16(buf + 6 + 2 * k);
    r->mag[k] = hc_get_i16(buf + 12 + 2 * k);
  }
  r->trailing_bytes = len - HC_THINGY_RAW_BYTES;
  return HC_OK;
}

static inline size_t hc_encode_thingy_raw(uint8_t *buf, size_t cap, const hc_thingy_raw *r) {
  int k;
  if (cap < HC_THINGY_RAW_BYTES) return 0;
  for (k = 0; k < 3; k++) {
    hc_put_i16(buf + 2 * k, r->acc[k]);
    hc_put_i16(buf + 6 + 2 * k, r->gyr[k]);
    hc_put_i16(buf + 12 + 2 * k, r->mag[k]);
  }
  return HC_THINGY_RAW_BYTES;
}

/** Motion configuration characteristic EF680401-..., with the firmware's own limits. */
static inline hc_result hc_decode_thingy_config(const uint8_t *buf, size_t len, hc_thingy_config *c, hc_error *err) {
  static const uint16_t lo[4] = {100u, 100u, 100u, 1u};
  static const uint16_t hi[4] = {5000u, 5000u, 5000u, 200u};
  uint16_t v[4];
  int k;
  if (len < HC_THINGY_CONFIG_BYTES) return hc_fail(err, HC_ERR_TRUNCATED, len, (uint32_t)len);
  for (k = 0; k < 4; k++) {
    v[k] = hc_get_u16(buf + 2 * k);
    if (v[k] < lo[k] || v[k] > hi[k]) return hc_fail(err, HC_ERR_INVALID_FIELD, (size_t)(2 * k), v[k]);
  }
  if (buf[8] > 1u) return hc_fail(err, HC_ERR_INVALID_FIELD, 8, buf[8]);
  c->pedo_interval_ms = v[0];
  c->temp_interval_ms = v[1];
  c->compass_interval_ms = v[2];
  c->motion_freq_hz = v[3];
  c->wake_on_motion = buf[8];
  c->trailing_bytes = len - HC_THINGY_CONFIG_BYTES;
  return HC_OK;
}

static inline size_t hc_encode_thingy_config(uint8_t *buf, size_t cap, const hc_thingy_config *c) {
  if (cap < HC_THINGY_CONFIG_BYTES) return 0;
  if (c->pedo_interval_ms < 100u || c->pedo_interval_ms > 5000u || c->temp_interval_ms < 100u ||
      c->temp_interval_ms > 5000u || c->compass_interval_ms < 100u || c->compass_interval_ms > 5000u ||
      c->motion_freq_hz < 1u || c->motion_freq_hz > 200u || c->wake_on_motion > 1u)
    return 0;
  hc_put_u16(buf, c->pedo_interval_ms);
  hc_put_u16(buf + 2, c->temp_interval_ms);
  hc_put_u16(buf + 4, c->compass_interval_ms);
  hc_put_u16(buf + 6, c->motion_freq_hz);
  buf[8] = c->wake_on_motion;
  return HC_THINGY_CONFIG_BYTES;
}

/* ---- v1.1 history ring buffer (PROTOCOL.md § Backfill) ---- */

#define HC_HISTORY_RECORD_BYTES 16u     /* 12 data + u32 time */
#define HC_HISTORY_RECORD_BYTES_MAG 24u /* 18 data + u32 time, padded */

/**
 * Keeps the last samples (caller-provided memory, e.g. a static uint8_t[HC_HISTORY_BYTES]) and produces BACKFILL
 * frames for resendFrom. Records carry no config: pushing a sample with another config or a non-contiguous seq
 * clears the history first.
 */
typedef struct {
  uint8_t *mem;
  size_t mem_bytes;
  uint16_t capacity; /* records that fit for the current record size */
  uint16_t count;
  uint16_t head;     /* record index of the oldest sample */
  uint16_t oldest_seq;
  uint8_t config;    /* config byte of every buffered sample */
  uint8_t has_mag;
  uint16_t resend_offset; /* from the oldest: next sample to resend */
  uint16_t resend_left;
} hc_history;

static inline void hc_history_clear(hc_history *h) {
  h->count = 0;
  h->head = 0;
  h->resend_offset = 0;
  h->resend_left = 0;
}

static inline void hc_history_init(hc_history *h, uint8_t *mem, size_t mem_bytes) {
  h->mem = mem;
  h->mem_bytes = mem_bytes;
  h->config = 0;
  h->has_mag = 0;
  h->oldest_seq = 0;
  h->capacity = (uint16_t)((mem_bytes / HC_HISTORY_RECORD_BYTES) > 0xFFFFu ? 0xFFFFu : mem_bytes / HC_HISTORY_RECORD_BYTES);
  hc_history_clear(h);
}

static inline uint8_t *hc_history_record(const hc_history *h, uint16_t offset_from_oldest) {
  size_t stride = h->has_mag ? HC_HISTORY_RECORD_BYTES_MAG : HC_HISTORY_RECORD_BYTES;
  return h->mem + (size_t)((h->head + offset_from_oldest) % h->capacity) * stride;
}

/** Records one sample with its seq, sensor time and the config (hc_config_byte) it was taken with. */
static inline void hc_history_push(hc_history *h, uint16_t seq, uint32_t time_us, uint8_t config, uint8_t has_mag,
                                   const hc_imu_sample *s) {
  uint8_t *r;
  int k;
  if (h->count > 0 && (config != h->config || has_mag != h->has_mag || seq != (uint16_t)(h->oldest_seq + h->count)))
    hc_history_clear(h);
  if (h->count == 0) {
    size_t stride = has_mag ? HC_HISTORY_RECORD_BYTES_MAG : HC_HISTORY_RECORD_BYTES;
    size_t cap = h->mem_bytes / stride;
    h->capacity = (uint16_t)(cap > 0xFFFFu ? 0xFFFFu : cap);
    h->config = config;
    h->has_mag = has_mag ? 1u : 0u;
    h->oldest_seq = seq;
  }
  if (h->capacity == 0) return;
  if (h->count == h->capacity) {
    h->head = (uint16_t)((h->head + 1u) % h->capacity);
    h->oldest_seq++;
    h->count--;
    if (h->resend_offset > 0) h->resend_offset--;
    else if (h->resend_left > 0) h->resend_left--; /* the next sample to resend fell out */
  }
  r = hc_history_record(h, h->count);
  for (k = 0; k < 3; k++) {
    hc_put_i16(r + 2 * k, s->acc[k]);
    hc_put_i16(r + 6 + 2 * k, s->gyr[k]);
    if (h->has_mag) hc_put_i16(r + 16 + 2 * k, s->mag[k]);
  }
  hc_put_u32(r + 12, time_us);
  h->count++;
}

/** Fills the v1.1 history fields of a status frame. */
static inline void hc_history_status(const hc_history *h, hc_status_frame *s) {
  s->has_history = 1;
  s->history_oldest_seq = h->oldest_seq;
  s->history_samples = h->count;
  s->backfilling = h->resend_left > 0 ? 1u : 0u;
}

/**
 * Starts (or replaces) a resend of `count` samples from `seq` (0 = up to the newest). Returns the number of samples
 * that will be resent; *too_old (optional) gets the wanted samples older than the buffer.
 */
static inline uint16_t hc_history_resend_from(hc_history *h, uint16_t seq, uint16_t count, uint16_t *too_old) {
  uint16_t offset = (uint16_t)(seq - h->oldest_seq);
  uint32_t start, old = 0, available, wanted;
  if (offset < h->count) start = offset;
  else if (offset >= 0x8000u) {
    old = 0x10000u - offset;
    start = 0;
  } else {
    start = h->count;
  }
  available = h->count - start;
  wanted = count == 0 ? available + old : count;
  if (count != 0 && old >= wanted) {
    old = wanted;
    start = h->count;
    available = 0;
  }
  h->resend_offset = (uint16_t)start;
  h->resend_left = (uint16_t)(available < wanted - old ? available : wanted - old);
  if (too_old) *too_old = (uint16_t)old;
  return h->resend_left;
}

/**
 * Encodes the next BACKFILL frame of the resend in progress (at most max_samples samples) into buf.
 * Returns its size, or 0 when nothing is left (or cap is too small for one sample).
 * The caller applies the pacing rules: live frames first, at most HC_BACKFILL_FRAMES_PER_LIVE_FRAME per live frame.
 */
static inline size_t hc_history_next_backfill(hc_history *h, uint8_t *buf, size_t cap, uint16_t max_samples) {
  size_t per = h->has_mag ? HC_IMU_SAMPLE_BYTES_MAG : HC_IMU_SAMPLE_BYTES;
  uint32_t period = hc_sample_period_us((uint8_t)(h->config & 7u));
  const uint8_t *first;
  uint32_t t0;
  uint16_t n = 0, fit;
  size_t o = HC_IMU_HEADER_BYTES;
  if (h->resend_left == 0 || max_samples == 0 || cap < HC_IMU_HEADER_BYTES + per) return 0;
  fit = (uint16_t)((cap - HC_IMU_HEADER_BYTES) / per > 0xFFFFu ? 0xFFFFu : (cap - HC_IMU_HEADER_BYTES) / per);
  if (fit < max_samples) max_samples = fit;
  first = hc_history_record(h, h->resend_offset);
  t0 = hc_get_u32(first + 12);
  while (n < max_samples && n < h->resend_left) {
    const uint8_t *r = hc_history_record(h, (uint16_t)(h->resend_offset + n));
    if (hc_get_u32(r + 12) != (uint32_t)(t0 + (uint32_t)n * period)) break;
    {
      size_t b;
      for (b = 0; b < 12; b++) buf[o + b] = r[b];
      if (h->has_mag)
        for (b = 0; b < 6; b++) buf[o + 12 + b] = r[16 + b];
    }
    o += per;
    n++;
  }
  buf[0] = hc_header_byte(HC_TYPE_IMU, (uint8_t)(HC_FLAG_BACKFILL | (h->has_mag ? HC_FLAG_MAG : 0u)));
  buf[1] = h->config;
  hc_put_u16(buf + 2, (uint16_t)(h->oldest_seq + h->resend_offset));
  hc_put_u32(buf + 4, t0);
  h->resend_offset = (uint16_t)(h->resend_offset + n);
  h->resend_left = (uint16_t)(h->resend_left - n);
  return o;
}

#endif /* HIPCUE_PROTOCOL_H */
