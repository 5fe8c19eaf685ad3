/*
 * Test driver for hipcue_protocol.h.
 *
 *   test_hipcue_protocol --self                      built-in checks (sizes, round trip, 200k random inputs)
 *   test_hipcue_protocol --history MEM SEQ0 T0 N RATE RESEND_SEQ RESEND_COUNT MAX
 *       history scenario: push N samples into a MEM-byte history, resend, print the plan and BACKFILL frames.
 *   test_hipcue_protocol KIND FILE.bin [KIND FILE.bin ...]
 *       KIND is hipcue | thingyRaw | thingyConfig. Prints one line per file: the decoded fields, the hex of
 *       re-encoding them, and the SI values. src/cReference.test.ts compares the lines with the vectors JSON files.
 */
#include "hipcue_protocol.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE 1024

static void print_hex(const uint8_t *b, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) printf("%02x", b[i]);
}

static void print_error(const hc_error *e) {
  printf("error code=%s offset=%lu value=%lu", hc_result_name(e->code), (unsigned long)e->offset,
         (unsigned long)e->value);
}

static void print_imu(const hc_imu_frame *f) {
  uint8_t out[MAX_FILE];
  hc_imu_sample s[HC_ATT_MTU_MAX / HC_IMU_SAMPLE_BYTES + 1];
  uint16_t i, n = f->n_samples;
  size_t len;
  int k;
  if (n > sizeof s / sizeof s[0]) n = (uint16_t)(sizeof s / sizeof s[0]);
  printf("imu backfill=%u mag=%u rate=%u acc=%u gyr=%u seq=%u t=%lu n=%u trailing=%lu samples=", f->backfill,
         f->has_mag, f->rate_code, f->acc_range_code, f->gyr_range_code, f->seq, (unsigned long)f->sensor_time_us,
         f->n_samples, (unsigned long)f->trailing_bytes);
  for (i = 0; i < n; i++) {
    hc_imu_get_sample(f, i, &s[i]);
    printf(i ? ";" : "");
    printf("%d,%d,%d,%d,%d,%d", s[i].acc[0], s[i].acc[1], s[i].acc[2], s[i].gyr[0], s[i].gyr[1], s[i].gyr[2]);
    if (f->has_mag) printf(",%d,%d,%d", s[i].mag[0], s[i].mag[1], s[i].mag[2]);
  }
  {
    hc_imu_frame h = *f;
    h.n_samples = n;
    len = hc_encode_imu(out, sizeof out, &h, s);
  }
  printf(" reenc=");
  print_hex(out, len);
  printf(" phys=");
  for (i = 0; i < n; i++) {
    for (k = 0; k < 3; k++) printf("%s%.17g", (i || k) ? "," : "", s[i].acc[k] * hc_acc_lsb_mps2(f->acc_range_code));
    for (k = 0; k < 3; k++) printf(",%.17g", s[i].gyr[k] * hc_gyr_lsb_rad_per_s(f->gyr_range_code));
    if (f->has_mag)
      for (k = 0; k < 3; k++) printf(",%.17g", s[i].mag[k] * hc_mag_lsb_ut());
  }
}

static void print_status(const hc_status_frame *s) {
  uint8_t out[HC_STATUS_BYTES_HISTORY];
  size_t len = hc_encode_status(out, sizeof out, s);
  printf("status rate=%u acc=%u gyr=%u fw=%u.%u.%u battery=%u streaming=%u mag=%u errors=%u history=", s->rate_code,
         s->acc_range_code, s->gyr_range_code, s->fw_major, s->fw_minor, s->fw_patch, s->battery_pct, s->streaming,
         s->mag_enabled, s->error_flags);
  if (s->has_history) printf("%u+%u%s", s->history_oldest_seq, s->history_samples, s->backfilling ? ",backfilling" : "");
  else printf("none");
  printf(" trailing=%lu reenc=", (unsigned long)s->trailing_bytes);
  print_hex(out, len);
}

static void print_control(const hc_control_frame *c) {
  uint8_t out[32];
  size_t len = hc_encode_control(out, sizeof out, c);
  uint8_t i;
  printf("control opcode=%u rate=%u acc=%u gyr=%u intensity=%u steps=%u pattern=", c->opcode, c->rate_code,
         c->acc_range_code, c->gyr_range_code, c->intensity_pct, c->steps);
  for (i = 0; i < c->steps && i < HC_HAPTIC_MAX_STEPS; i++) printf("%s%u", i ? "," : "", c->pattern_ms[i]);
  printf(" duration=%u enabled=%u seq=%u count=%u trailing=%lu reenc=", c->duration_s, c->enabled, c->seq, c->count,
         (unsigned long)c->trailing_bytes);
  print_hex(out, len);
}

static void run_file(const char *kind, const char *path) {
  uint8_t buf[MAX_FILE];
  size_t len;
  hc_error err;
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    printf("cannot-open %s\n", path);
    return;
  }
  len = fread(buf, 1, sizeof buf, fp);
  fclose(fp);
  memset(&err, 0, sizeof err);
  if (strcmp(kind, "hipcue") == 0) {
    hc_frame f;
    memset(&f, 0, sizeof f);
    if (hc_decode(buf, len, &f, &err) != HC_OK) print_error(&err);
    else if (f.type == HC_TYPE_IMU) print_imu(&f.u.imu);
    else if (f.type == HC_TYPE_STATUS) print_status(&f.u.status);
    else print_control(&f.u.control);
  } else if (strcmp(kind, "thingyRaw") == 0) {
    hc_thingy_raw r;
    uint8_t out[HC_THINGY_RAW_BYTES];
    memset(&r, 0, sizeof r);
    if (hc_decode_thingy_raw(buf, len, &r, &err) != HC_OK) print_error(&err);
    else {
      size_t n = hc_encode_thingy_raw(out, sizeof out, &r);
      printf("thingyRaw acc=%d,%d,%d gyr=%d,%d,%d mag=%d,%d,%d trailing=%lu reenc=", r.acc[0], r.acc[1], r.acc[2],
             r.gyr[0], r.gyr[1], r.gyr[2], r.mag[0], r.mag[1], r.mag[2], (unsigned long)r.trailing_bytes);
      print_hex(out, n);
      printf(" phys=%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g", r.acc[0] / 1024.0 * 9.80665,
             r.acc[1] / 1024.0 * 9.80665, r.acc[2] / 1024.0 * 9.80665, r.gyr[0] / 32.0 * 3.14159265358979323846 / 180.0,
             r.gyr[1] / 32.0 * 3.14159265358979323846 / 180.0, r.gyr[2] / 32.0 * 3.14159265358979323846 / 180.0,
             r.mag[0] / 16.0, r.mag[1] / 16.0, r.mag[2] / 16.0);
    }
  } else {
    hc_thingy_config c;
    uint8_t out[HC_THINGY_CONFIG_BYTES];
    memset(&c, 0, sizeof c);
    if (hc_decode_thingy_config(buf, len, &c, &err) != HC_OK) print_error(&err);
    else {
      size_t n = hc_encode_thingy_config(out, sizeof out, &c);
      printf("thingyConfig pedo=%u temp=%u compass=%u freq=%u wom=%u trailing=%lu reenc=", c.pedo_interval_ms,
             c.temp_interval_ms, c.compass_interval_ms, c.motion_freq_hz, c.wake_on_motion,
             (unsigned long)c.trailing_bytes);
      print_hex(out, n);
    }
  }
  printf("\n");
}

static int failures = 0;
#define CHECK(cond)                                                  \
  do {                                                               \
    if (!(cond)) {                                                   \
      printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);         \
      failures++;                                                    \
    }                                                                \
  } while (0)

static uint32_t lcg_state = 12345u;
static uint32_t lcg(void) {
  lcg_state = lcg_state * 1664525u + 1013904223u;
  return lcg_state >> 8;
}

static void self_test(void) {
  static const uint16_t mtu[4] = {23, 185, 247, 517};
  static const uint16_t n_plain[4] = {1, 14, 19, 42};
  static const uint16_t n_mag[4] = {0, 9, 13, 28};
  hc_imu_sample in[42], got;
  hc_imu_frame h, d;
  hc_frame any;
  hc_error err;
  uint8_t buf[HC_ATT_MTU_MAX];
  size_t len, i;
  int k, m;

  for (k = 0; k < 4; k++) {
    CHECK(hc_max_samples_per_frame(mtu[k], 0) == n_plain[k]);
    CHECK(hc_max_samples_per_frame(mtu[k], 1) == n_mag[k]);
  }
  CHECK(hc_imu_frame_bytes(1, 0) == 20);

  for (m = 0; m < 2; m++) {
    memset(&h, 0, sizeof h);
    h.has_mag = (uint8_t)m;
    h.backfill = 1;
    h.rate_code = 7;
    h.acc_range_code = 3;
    h.gyr_range_code = 4;
    h.seq = 65535;
    h.sensor_time_us = 4294967295u;
    h.n_samples = hc_max_samples_per_frame(HC_ATT_MTU_MAX, m);
    for (i = 0; i < h.n_samples; i++)
      for (k = 0; k < 3; k++) {
        in[i].acc[k] = (int16_t)(lcg() & 0xFFFF);
        in[i].gyr[k] = (int16_t)(lcg() & 0xFFFF);
        in[i].mag[k] = m ? (int16_t)(lcg() & 0xFFFF) : 0;
      }
    len = hc_imu_frame_bytes(h.n_samples, m);
    CHECK(hc_encode_imu(buf, len - 1, &h, in) == 0);
    CHECK(hc_encode_imu(buf, len, &h, in) == len);
    memset(&d, 0, sizeof d);
    CHECK(hc_decode_imu(buf, len, &d, &err) == HC_OK);
    CHECK(d.n_samples == h.n_samples && d.seq == h.seq && d.sensor_time_us == h.sensor_time_us);
    CHECK(d.backfill == 1 && d.has_mag == m && d.rate_code == 7 && d.acc_range_code == 3 && d.gyr_range_code == 4);
    CHECK(d.trailing_bytes == 0);
    for (i = 0; i < d.n_samples; i++) {
      hc_imu_get_sample(&d, (uint16_t)i, &got);
      CHECK(memcmp(got.acc, in[i].acc, sizeof got.acc) == 0);
      CHECK(memcmp(got.gyr, in[i].gyr, sizeof got.gyr) == 0);
      CHECK(memcmp(got.mag, in[i].mag, sizeof got.mag) == 0);
    }
  }

  /* Arbitrary bytes: decoders return, never read outside the buffer (run under ASan/UBSan by the TS test). */
  for (i = 0; i < 200000u; i++) {
    uint8_t *p;
    size_t n = lcg() % 48u;
    uint8_t tmp[48];
    for (k = 0; k < (int)n; k++) tmp[k] = (uint8_t)lcg();
    if (n > 0 && (lcg() & 1u)) tmp[0] = (uint8_t)((tmp[0] & 0xF8u) | 1u); /* mostly valid version */
    /* Copy into an exact-size slot at the end of buf so an overread crosses the array end. */
    p = buf + sizeof buf - n;
    memcpy(p, tmp, n);
    memset(&any, 0, sizeof any);
    if (hc_decode(p, n, &any, &err) == HC_OK && any.type == HC_TYPE_IMU) {
      uint16_t j;
      CHECK(hc_imu_frame_bytes(any.u.imu.n_samples, any.u.imu.has_mag) + any.u.imu.trailing_bytes == n);
      for (j = 0; j < any.u.imu.n_samples; j++) hc_imu_get_sample(&any.u.imu, j, &got);
    }
    {
      hc_thingy_raw r;
      hc_thingy_config c;
      (void)hc_decode_thingy_raw(p, n, &r, &err);
      (void)hc_decode_thingy_config(p, n, &c, &err);
    }
  }
}

/* Deterministic sample j of the history scenario (mirrored in src/cReference.test.ts). */
static void scenario_sample(uint32_t j, hc_imu_sample *s) {
  s->acc[0] = (int16_t)(uint16_t)(j * 7u);
  s->acc[1] = (int16_t)(uint16_t)(0u - j);
  s->acc[2] = (int16_t)(uint16_t)(j * 3u);
  s->gyr[0] = (int16_t)(uint16_t)j;
  s->gyr[1] = (int16_t)(uint16_t)(j * 5u);
  s->gyr[2] = (int16_t)(uint16_t)(0u - 2u * j);
  s->mag[0] = s->mag[1] = s->mag[2] = 0;
}

/* --history MEM_BYTES SEQ0 T0 N RATE RESEND_SEQ RESEND_COUNT MAX_SAMPLES: push N samples, resend, print frames. */
static int run_history(char **a) {
  static uint8_t mem[HC_HISTORY_BYTES];
  hc_history h;
  hc_status_frame st;
  hc_imu_sample s;
  uint8_t frame[HC_ATT_MTU_MAX];
  unsigned long v[8];
  uint16_t too_old = 0, planned;
  uint32_t j, period;
  size_t len;
  int k;
  for (k = 0; k < 8; k++) v[k] = strtoul(a[k], NULL, 10);
  if (v[0] > sizeof mem) return 2;
  hc_history_init(&h, mem, v[0]);
  period = hc_sample_period_us((uint8_t)v[4]);
  for (j = 0; j < v[3]; j++) {
    scenario_sample(j, &s);
    hc_history_push(&h, (uint16_t)(v[1] + j), (uint32_t)(v[2] + j * period), hc_config_byte((uint8_t)v[4], 1, 2), 0, &s);
  }
  planned = hc_history_resend_from(&h, (uint16_t)v[5], (uint16_t)v[6], &too_old);
  memset(&st, 0, sizeof st);
  hc_history_status(&h, &st);
  printf("plan samples=%u tooOld=%u oldest=%u count=%u backfilling=%u\n", planned, too_old, st.history_oldest_seq,
         st.history_samples, st.backfilling);
  while ((len = hc_history_next_backfill(&h, frame, sizeof frame, (uint16_t)v[7])) > 0) {
    print_hex(frame, len);
    printf("\n");
  }
  return 0;
}

int main(int argc, char **argv) {
  int i;
  if (argc == 10 && strcmp(argv[1], "--history") == 0) return run_history(argv + 2);
  if (argc == 2 && strcmp(argv[1], "--self") == 0) {
    self_test();
    printf(failures ? "self-test FAILED (%d)\n" : "self-test ok\n", failures);
    return failures ? 1 : 0;
  }
  if (argc < 3 || (argc - 1) % 2 != 0) {
    fprintf(stderr, "usage: %s --self | KIND FILE.bin [KIND FILE.bin ...]\n", argv[0]);
    return 2;
  }
  for (i = 1; i + 1 < argc; i += 2) run_file(argv[i], argv[i + 1]);
  return 0;
}
