/*
 * State-vector kernels for a tile held in WebAssembly memory, vectorised with 128-bit SIMD (f64x2: one complex128
 * amplitude per vector; f32x4: two complex64 amplitudes per vector). A tile is 2^t interleaved amplitudes (re at
 * 2i, im at 2i+1). Each kernel applies one gate on k tile bits `pos` (ascending; local bit j <-> pos[j]):
 *   dense_*: a 2^k x 2^k complex matrix (row-major, interleaved), k = 1..4;
 *   diag_*:  a diagonal of 2^k complex entries, k = 0..MAXDIAG.
 * Bases are the tile indices with zeros at the gate's bits, enumerated incrementally ((b | mask) + 1) & ~mask, so no
 * bits are gathered per amplitude. In single precision two consecutive bases share a vector when bit 0 is not one
 * of the gate's bits (it then is the lowest free bit); otherwise each base uses the low half of a vector.
 *
 * Built by scripts/build-wasm.mjs: clang --target=wasm32 -O3 -msimd128 -nostdlib.
 */
#include <wasm_simd128.h>

#define MAXK 4
#define MAXDIAG 6
#define MAXDIAGDIM (1 << MAXDIAG)

typedef unsigned int u32;

static u32 mask_of(int k, const int *pos) {
  u32 m = 0;
  for (int j = 0; j < k; j++) m |= 1u << pos[j];
  return m;
}

static void offsets_of(int k, const int *pos, u32 *offs) {
  for (int l = 0; l < (1 << k); l++) {
    u32 o = 0;
    for (int j = 0; j < k; j++)
      if ((l >> j) & 1) o |= 1u << pos[j];
    offs[l] = o;
  }
}

/* ---- complex128: one amplitude per f64x2 ---- */

static inline v128_t cmul64(v128_t a, v128_t mr, v128_t mi) {
  return wasm_f64x2_add(wasm_f64x2_mul(a, mr), wasm_f64x2_mul(wasm_i64x2_shuffle(a, a, 1, 0), mi));
}

#define DENSE64(K)                                                                                                   \
  static void dense64_##K(double *psi, int t, const int *pos, const double *m) {                                     \
    enum { D = 1 << K };                                                                                             \
    v128_t mr[D * D], mi[D * D];                                                                                     \
    for (int e = 0; e < D * D; e++) {                                                                                \
      mr[e] = wasm_f64x2_splat(m[2 * e]);                                                                            \
      mi[e] = wasm_f64x2_make(-m[2 * e + 1], m[2 * e + 1]);                                                          \
    }                                                                                                                \
    u32 offs[D];                                                                                                     \
    offsets_of(K, pos, offs);                                                                                        \
    u32 mask = mask_of(K, pos);                                                                                      \
    u32 nb = 1u << (t - K);                                                                                          \
    u32 b = 0;                                                                                                       \
    for (u32 j = 0; j < nb; j++, b = ((b | mask) + 1) & ~mask) {                                                     \
      v128_t v[D];                                                                                                   \
      for (int l = 0; l < D; l++) v[l] = wasm_v128_load(psi + 2 * (b + offs[l]));                                    \
      for (int r = 0; r < D; r++) {                                                                                  \
        v128_t acc = cmul64(v[0], mr[r * D], mi[r * D]);                                                             \
        for (int c = 1; c < D; c++) acc = wasm_f64x2_add(acc, cmul64(v[c], mr[r * D + c], mi[r * D + c]));          \
        wasm_v128_store(psi + 2 * (b + offs[r]), acc);                                                               \
      }                                                                                                              \
    }                                                                                                                \
  }
DENSE64(1)
DENSE64(2)
DENSE64(3)
DENSE64(4)

__attribute__((export_name("dense_f64"))) void dense_f64(double *psi, int t, int k, const int *pos, const double *m) {
  switch (k) {
    case 1: dense64_1(psi, t, pos, m); break;
    case 2: dense64_2(psi, t, pos, m); break;
    case 3: dense64_3(psi, t, pos, m); break;
    case 4: dense64_4(psi, t, pos, m); break;
  }
}

__attribute__((export_name("diag_f64"))) void diag_f64(double *psi, int t, int k, const int *pos, const double *d) {
  int dim = 1 << k;
  v128_t dr[MAXDIAGDIM], di[MAXDIAGDIM];
  for (int l = 0; l < dim; l++) {
    dr[l] = wasm_f64x2_splat(d[2 * l]);
    di[l] = wasm_f64x2_make(-d[2 * l + 1], d[2 * l + 1]);
  }
  u32 offs[MAXDIAGDIM];
  offsets_of(k, pos, offs);
  u32 mask = mask_of(k, pos);
  u32 nb = 1u << (t - k);
  u32 b = 0;
  for (u32 j = 0; j < nb; j++, b = ((b | mask) + 1) & ~mask) {
    for (int l = 0; l < dim; l++) {
      double *p = psi + 2 * (b + offs[l]);
      wasm_v128_store(p, cmul64(wasm_v128_load(p), dr[l], di[l]));
    }
  }
}

/* ---- complex64: two amplitudes per f32x4 (or one in the low half) ---- */

static inline v128_t cmul32(v128_t a, v128_t mr, v128_t mi) {
  return wasm_f32x4_add(wasm_f32x4_mul(a, mr), wasm_f32x4_mul(wasm_i32x4_shuffle(a, a, 1, 0, 3, 2), mi));
}

#define DENSE32(K)                                                                                                   \
  static void dense32_##K(float *psi, int t, const int *pos, const double *m) {                                      \
    enum { D = 1 << K };                                                                                             \
    v128_t mr[D * D], mi[D * D];                                                                                     \
    for (int e = 0; e < D * D; e++) {                                                                                \
      float re = (float)m[2 * e], im = (float)m[2 * e + 1];                                                          \
      mr[e] = wasm_f32x4_splat(re);                                                                                  \
      mi[e] = wasm_f32x4_make(-im, im, -im, im);                                                                     \
    }                                                                                                                \
    u32 offs[D];                                                                                                     \
    offsets_of(K, pos, offs);                                                                                        \
    u32 mask = mask_of(K, pos);                                                                                      \
    u32 nb = 1u << (t - K);                                                                                          \
    u32 b = 0;                                                                                                       \
    if (pos[0] > 0) {                                                                                                \
      /* Bases come in consecutive pairs (b, b + 1): one vector holds both. */                                       \
      for (u32 j = 0; j < nb; j += 2) {                                                                              \
        v128_t v[D];                                                                                                 \
        for (int l = 0; l < D; l++) v[l] = wasm_v128_load(psi + 2 * (b + offs[l]));                                  \
        for (int r = 0; r < D; r++) {                                                                                \
          v128_t acc = cmul32(v[0], mr[r * D], mi[r * D]);                                                           \
          for (int c = 1; c < D; c++) acc = wasm_f32x4_add(acc, cmul32(v[c], mr[r * D + c], mi[r * D + c]));        \
          wasm_v128_store(psi + 2 * (b + offs[r]), acc);                                                             \
        }                                                                                                            \
        b = ((b | mask) + 1) & ~mask;                                                                                \
        b = ((b | mask) + 1) & ~mask;                                                                                \
      }                                                                                                              \
    } else {                                                                                                         \
      for (u32 j = 0; j < nb; j++, b = ((b | mask) + 1) & ~mask) {                                                   \
        v128_t v[D];                                                                                                 \
        for (int l = 0; l < D; l++) v[l] = wasm_v128_load64_zero(psi + 2 * (b + offs[l]));                           \
        for (int r = 0; r < D; r++) {                                                                                \
          v128_t acc = cmul32(v[0], mr[r * D], mi[r * D]);                                                           \
          for (int c = 1; c < D; c++) acc = wasm_f32x4_add(acc, cmul32(v[c], mr[r * D + c], mi[r * D + c]));        \
          wasm_v128_store64_lane(psi + 2 * (b + offs[r]), acc, 0);                                                   \
        }                                                                                                            \
      }                                                                                                              \
    }                                                                                                                \
  }
DENSE32(1)
DENSE32(2)
DENSE32(3)
DENSE32(4)

__attribute__((export_name("dense_f32"))) void dense_f32(float *psi, int t, int k, const int *pos, const double *m) {
  switch (k) {
    case 1: dense32_1(psi, t, pos, m); break;
    case 2: dense32_2(psi, t, pos, m); break;
    case 3: dense32_3(psi, t, pos, m); break;
    case 4: dense32_4(psi, t, pos, m); break;
  }
}

__attribute__((export_name("diag_f32"))) void diag_f32(float *psi, int t, int k, const int *pos, const double *d) {
  int dim = 1 << k;
  v128_t dr[MAXDIAGDIM], di[MAXDIAGDIM];
  for (int l = 0; l < dim; l++) {
    float re = (float)d[2 * l], im = (float)d[2 * l + 1];
    dr[l] = wasm_f32x4_splat(re);
    di[l] = wasm_f32x4_make(-im, im, -im, im);
  }
  u32 offs[MAXDIAGDIM];
  offsets_of(k, pos, offs);
  u32 mask = mask_of(k, pos);
  u32 nb = 1u << (t - k);
  u32 b = 0;
  if (pos[0] > 0) {
    for (u32 j = 0; j < nb; j += 2) {
      for (int l = 0; l < dim; l++) {
        float *p = psi + 2 * (b + offs[l]);
        wasm_v128_store(p, cmul32(wasm_v128_load(p), dr[l], di[l]));
      }
      b = ((b | mask) + 1) & ~mask;
      b = ((b | mask) + 1) & ~mask;
    }
  } else {
    for (u32 j = 0; j < nb; j++, b = ((b | mask) + 1) & ~mask) {
      for (int l = 0; l < dim; l++) {
        float *p = psi + 2 * (b + offs[l]);
        wasm_v128_store64_lane(p, cmul32(wasm_v128_load64_zero(p), dr[l], di[l]), 0);
      }
    }
  }
}
