/* The LSTM and GRU time loops of `_lstm_loop.py` and `_gru_loop.py` in C:
   one call per sequence, forward and backward.

   Plain C, no PyTorch headers, so that it compiles in well under a second
   (issue 5, W2). The matmuls call the BLAS `?gemm_` that PyTorch links
   (passed in as a pointer); the gate nonlinearities and the state update
   run in one pass per step. Arrays are contiguous and row-major; shapes and
   the maths are documented in the two Python modules. For the LSTM, the c
   block of `projected` and `kernel` is doubled, so `g = 2 * sigmoid(z_c) -
   1`; the GRU computes `tanh(a)` as `2 * sigmoid(2 * a) - 1` itself. */

#include <math.h>
#include <string.h>

typedef void (*sgemm_t)(const char *, const char *, const int *, const int *,
                        const int *, const float *, const float *, const int *,
                        const float *, const int *, const float *, float *,
                        const int *);
typedef void (*dgemm_t)(const char *, const char *, const int *, const int *,
                        const int *, const double *, const double *,
                        const int *, const double *, const int *,
                        const double *, double *, const int *);

/* exp(x) for x in [-88, 88] (Cephes' expf polynomial, about 1 ulp), written
   so that the compiler vectorises the loops that call it. */
static inline float exp_f(float x) {
    const float shifter = 12582912.0f; /* 1.5 * 2^23: rounds to an integer */
    float n = (x * 1.44269504088896341f + shifter) - shifter;
    float r = x - n * 0.693359375f + n * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    union { float f; int i; } scale;
    scale.i = ((int)n + 127) << 23;
    return p * scale.f;
}

static inline float sigmoid_f(float x) {
    x = x > 88.0f ? 88.0f : x;
    x = x < -88.0f ? -88.0f : x;
    return 1.0f / (1.0f + exp_f(-x));
}

/* Doubles need the full range; this path serves gradient checks. */
static inline double sigmoid_d(double x) { return 1.0 / (1.0 + exp(-x)); }

/* One batch row of a forward step: `z` holds the four gates' sigmoids (the
   c block becomes g here), the rest are this row's `units` values. */
#define LSTM_ROW(T, SIGMOID, NAME)                                             \
static void NAME##_lstm_row(int units, T *restrict z,                          \
                            const T *restrict c_prev, T *restrict c_next,      \
                            T *restrict h_next, T *restrict tanh_c) {          \
    for (int j = 0; j < units; ++j) {                                          \
        T g = 2 * z[2 * units + j] - 1;                                        \
        T c = z[units + j] * c_prev[j] + z[j] * g;                             \
        T th = 2 * SIGMOID(2 * c) - 1;                                         \
        z[2 * units + j] = g;                                                  \
        tanh_c[j] = th;                                                        \
        c_next[j] = c;                                                         \
        h_next[j] = z[3 * units + j] * th;                                     \
    }                                                                          \
}

/* One batch row of a backward step: `dz` from `dh`, `dc`; `dc` becomes the
   previous step's (through the forget gate). */
#define LSTM_GRAD_ROW(T, NAME)                                                 \
static void NAME##_lstm_grad_row(int units, const T *restrict a,               \
                            const T *restrict tanh_c,                          \
                            const T *restrict c_prev,                          \
                            const T *restrict dh, T *restrict dc,              \
                            T *restrict dz) {                                  \
    for (int j = 0; j < units; ++j) {                                          \
        T i = a[j], f = a[units + j], g = a[2 * units + j];                    \
        T o = a[3 * units + j], th = tanh_c[j];                                \
        T dcj = dc[j] + dh[j] * o * (1 - th * th);                             \
        dz[j] = dcj * g * i * (1 - i);                                         \
        dz[units + j] = dcj * c_prev[j] * f * (1 - f);                         \
        dz[2 * units + j] = dcj * i * (1 - g * g) / 2;                         \
        dz[3 * units + j] = dh[j] * th * o * (1 - o);                          \
        dc[j] = dcj * f;                                                       \
    }                                                                          \
}

#define LSTM_LOOPS(T, SIGMOID, GEMM_T, NAME)                                   \
LSTM_ROW(T, SIGMOID, NAME)                                                     \
LSTM_GRAD_ROW(T, NAME)                                                         \
                                                                               \
void NAME##_lstm_forward(int steps, int batch, int units, const T *projected,  \
                    const T *recurrent_mask, const unsigned char *step_mask,   \
                    const T *kernel, T *gates, T *tanh_c, T *hs, T *cs,        \
                    T *work, GEMM_T gemm) {                                    \
    const int width = 4 * units, block = batch * units;                        \
    const T one = 1;                                                           \
    for (int t = 0; t < steps; ++t) {                                          \
        const T *h_prev = hs + (long)t * block;                                \
        const T *c_prev = cs + (long)t * block;                                \
        T *h_next = hs + (long)(t + 1) * block;                                \
        T *c_next = cs + (long)(t + 1) * block;                                \
        T *z = gates + (long)t * batch * width;                                \
        const T *h_in = h_prev;                                                \
        if (recurrent_mask) {                                                  \
            for (int k = 0; k < block; ++k)                                    \
                work[k] = h_prev[k] * recurrent_mask[k];                       \
            h_in = work;                                                       \
        }                                                                      \
        memcpy(z, projected + (long)t * batch * width,                         \
               sizeof(T) * batch * width);                                     \
        /* z (batch, 4u) += h_in (batch, u) @ kernel (u, 4u), row-major */     \
        gemm("N", "N", &width, &batch, &units, &one, kernel, &width, h_in,     \
             &units, &one, z, &width);                                         \
        for (long k = 0; k < (long)batch * width; ++k)                         \
            z[k] = SIGMOID(z[k]);                                              \
        for (int b = 0; b < batch; ++b) {                                      \
            long row = (long)b * units;                                        \
            NAME##_lstm_row(units, z + (long)b * width, c_prev + row,          \
                            c_next + row, h_next + row,                        \
                            tanh_c + (long)t * block + row);                   \
            if (step_mask && !step_mask[(long)t * batch + b]) {                \
                memcpy(c_next + row, c_prev + row, sizeof(T) * units);         \
                memcpy(h_next + row, h_prev + row, sizeof(T) * units);         \
            }                                                                  \
        }                                                                      \
    }                                                                          \
}                                                                              \
                                                                               \
void NAME##_lstm_backward(int steps, int batch, int units, const T *grad_hs,   \
                     const T *recurrent_mask, const unsigned char *step_mask,  \
                     const T *kernel, const T *gates, const T *tanh_c,         \
                     const T *cs, T *dh, T *dc, T *grad_z, T *work,            \
                     GEMM_T gemm) {                                            \
    const int width = 4 * units, block = batch * units;                        \
    const T one = 1, zero = 0;                                                 \
    for (int t = steps - 1; t >= 0; --t) {                                     \
        T *dz = grad_z + (long)t * batch * width;                              \
        if (grad_hs)                                                           \
            for (int k = 0; k < block; ++k)                                    \
                dh[k] += grad_hs[(long)t * block + k];                         \
        for (int b = 0; b < batch; ++b) {                                      \
            long row = (long)b * units;                                        \
            if (step_mask && !step_mask[(long)t * batch + b]) {                \
                memset(dz + (long)b * width, 0, sizeof(T) * width);            \
                continue; /* a masked step carries dh and dc through */        \
            }                                                                  \
            NAME##_lstm_grad_row(units, gates + ((long)t * batch + b) * width, \
                            tanh_c + (long)t * block + row,                    \
                            cs + (long)t * block + row, dh + row, dc + row,    \
                            dz + (long)b * width);                             \
        }                                                                      \
        /* work (batch, u) = dz (batch, 4u) @ kernel.T (4u, u), row-major */   \
        gemm("T", "N", &units, &batch, &width, &one, kernel, &width, dz,       \
             &width, &zero, work, &units);                                     \
        for (int b = 0; b < batch; ++b) {                                      \
            long row = (long)b * units;                                        \
            if (step_mask && !step_mask[(long)t * batch + b])                  \
                continue;                                                      \
            if (!recurrent_mask) {                                             \
                memcpy(dh + row, work + row, sizeof(T) * units);               \
                continue;                                                      \
            }                                                                  \
            for (int j = 0; j < units; ++j)                                    \
                dh[row + j] = work[row + j] * recurrent_mask[row + j];         \
        }                                                                      \
    }                                                                          \
}

LSTM_LOOPS(float, sigmoid_f, sgemm_t, float)
LSTM_LOOPS(double, sigmoid_d, dgemm_t, double)

/* One batch row of a GRU forward step. `x` is the projected input (z, r, h
   blocks), `inner` the recurrent part `h @ R + b` (z, r, h blocks). */
#define GRU_ROW(T, SIGMOID, NAME)                                              \
static void NAME##_gru_row(int units, const T *restrict x,                     \
                           const T *restrict inner, const T *restrict h_prev,  \
                           T *restrict gates, T *restrict inner_h,             \
                           T *restrict h_next) {                               \
    for (int j = 0; j < units; ++j) {                                          \
        T z = SIGMOID(x[j] + inner[j]);                                        \
        T r = SIGMOID(x[units + j] + inner[units + j]);                        \
        T n = 2 * SIGMOID(2 * (x[2 * units + j] + r * inner[2 * units + j]))   \
              - 1;                                                             \
        gates[j] = z;                                                          \
        gates[units + j] = r;                                                  \
        gates[2 * units + j] = n;                                              \
        inner_h[j] = inner[2 * units + j];                                     \
        h_next[j] = z * h_prev[j] + (1 - z) * n;                               \
    }                                                                          \
}

/* One batch row of a GRU backward step: the gradients of the projected
   input and of `inner`; `dh` becomes its direct part `dh * z`. */
#define GRU_GRAD_ROW(T, NAME)                                                  \
static void NAME##_gru_grad_row(int units, const T *restrict gates,            \
                                const T *restrict inner_h,                     \
                                const T *restrict h_prev, T *restrict dh,      \
                                T *restrict dx, T *restrict dinner) {          \
    for (int j = 0; j < units; ++j) {                                          \
        T z = gates[j], r = gates[units + j], n = gates[2 * units + j];        \
        T d = dh[j];                                                           \
        T dz = d * (h_prev[j] - n) * z * (1 - z);                              \
        T dn = d * (1 - z) * (1 - n * n);                                      \
        T dr = dn * inner_h[j] * r * (1 - r);                                  \
        dx[j] = dz;                                                            \
        dx[units + j] = dr;                                                    \
        dx[2 * units + j] = dn;                                                \
        dinner[j] = dz;                                                        \
        dinner[units + j] = dr;                                                \
        dinner[2 * units + j] = dn * r;                                        \
        dh[j] = d * z;                                                         \
    }                                                                          \
}

#define GRU_LOOPS(T, SIGMOID, GEMM_T, NAME)                                    \
GRU_ROW(T, SIGMOID, NAME)                                                      \
GRU_GRAD_ROW(T, NAME)                                                          \
                                                                               \
void NAME##_gru_forward(int steps, int batch, int units, const T *projected,   \
                        const T *recurrent_mask,                               \
                        const unsigned char *step_mask, const T *kernel,       \
                        const T *recurrent_bias, T *gates, T *inner_h, T *hs,  \
                        T *work, T *inner, GEMM_T gemm) {                      \
    const int width = 3 * units, block = batch * units;                        \
    const T one = 1, zero = 0;                                                 \
    for (int t = 0; t < steps; ++t) {                                          \
        const T *h_prev = hs + (long)t * block;                                \
        T *h_next = hs + (long)(t + 1) * block;                                \
        const T *h_in = h_prev;                                                \
        if (recurrent_mask) {                                                  \
            for (int k = 0; k < block; ++k)                                    \
                work[k] = h_prev[k] * recurrent_mask[k];                       \
            h_in = work;                                                       \
        }                                                                      \
        if (recurrent_bias)                                                    \
            for (int b = 0; b < batch; ++b)                                    \
                memcpy(inner + (long)b * width, recurrent_bias,                \
                       sizeof(T) * width);                                     \
        /* inner (batch, 3u) (+)= h_in (batch, u) @ kernel (u, 3u) */          \
        gemm("N", "N", &width, &batch, &units, &one, kernel, &width, h_in,     \
             &units, recurrent_bias ? &one : &zero, inner, &width);            \
        for (int b = 0; b < batch; ++b) {                                      \
            long row = (long)b * units, wide = ((long)t * batch + b) * width;  \
            NAME##_gru_row(units, projected + wide, inner + (long)b * width,   \
                           h_prev + row, gates + wide,                         \
                           inner_h + (long)t * block + row, h_next + row);     \
            if (step_mask && !step_mask[(long)t * batch + b])                  \
                memcpy(h_next + row, h_prev + row, sizeof(T) * units);         \
        }                                                                      \
    }                                                                          \
}                                                                              \
                                                                               \
void NAME##_gru_backward(int steps, int batch, int units, const T *grad_hs,    \
                         const T *recurrent_mask,                              \
                         const unsigned char *step_mask, const T *kernel,      \
                         const T *gates, const T *inner_h, const T *hs,        \
                         T *dh, T *grad_x, T *grad_inner, T *work,             \
                         GEMM_T gemm) {                                        \
    const int width = 3 * units, block = batch * units;                        \
    const T one = 1, zero = 0;                                                 \
    for (int t = steps - 1; t >= 0; --t) {                                     \
        T *dinner = grad_inner + (long)t * batch * width;                      \
        if (grad_hs)                                                           \
            for (int k = 0; k < block; ++k)                                    \
                dh[k] += grad_hs[(long)t * block + k];                         \
        for (int b = 0; b < batch; ++b) {                                      \
            long row = (long)b * units, wide = ((long)t * batch + b) * width;  \
            if (step_mask && !step_mask[(long)t * batch + b]) {                \
                memset(grad_x + wide, 0, sizeof(T) * width);                   \
                memset(grad_inner + wide, 0, sizeof(T) * width);               \
                continue; /* a masked step carries dh through */               \
            }                                                                  \
            NAME##_gru_grad_row(units, gates + wide,                           \
                                inner_h + (long)t * block + row,               \
                                hs + (long)t * block + row, dh + row,          \
                                grad_x + wide, grad_inner + wide);             \
        }                                                                      \
        /* work (batch, u) = dinner (batch, 3u) @ kernel.T (3u, u) */          \
        gemm("T", "N", &units, &batch, &width, &one, kernel, &width, dinner,   \
             &width, &zero, work, &units);                                     \
        for (int b = 0; b < batch; ++b) {                                      \
            long row = (long)b * units;                                        \
            if (step_mask && !step_mask[(long)t * batch + b])                  \
                continue;                                                      \
            if (!recurrent_mask) {                                             \
                for (int j = 0; j < units; ++j)                                \
                    dh[row + j] += work[row + j];                              \
                continue;                                                      \
            }                                                                  \
            for (int j = 0; j < units; ++j)                                    \
                dh[row + j] += work[row + j] * recurrent_mask[row + j];        \
        }                                                                      \
    }                                                                          \
}

GRU_LOOPS(float, sigmoid_f, sgemm_t, float)
GRU_LOOPS(double, sigmoid_d, dgemm_t, double)
