/*
 * fit.c: the families of fit.h: their estimators, CDFs, densities, and
 * how each is written in a scenario. Testing and ranking the fits is in
 * fit_rank.c.
 */
#include "input/fit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ---- special functions ----------------------------------------------------- */

/* Digamma by the recurrence up to x >= 6 and the asymptotic series there; |error| < 1e-13. */
double sf_fit_digamma(double x)
{
    double r = 0, f;
    while (x < 6) {
        r -= 1 / x;
        x += 1;
    }
    f = 1 / (x * x);
    return r + log(x) - 0.5 / x - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))));
}

double sf_fit_trigamma(double x)
{
    double r = 0, f;
    while (x < 6) {
        r += 1 / (x * x);
        x += 1;
    }
    f = 1 / (x * x);
    return r + 1 / x + f / 2 + (1 / (x * x * x)) * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f / 30)));
}

/* P(a, x): the series below a + 1, Lentz's continued fraction for Q above. */
double sf_fit_gamma_p(double a, double x)
{
    double lead;
    if (x <= 0)
        return 0;
    if (isinf(x))
        return 1;
    lead = a * log(x) - x - lgamma(a);
    if (x < a + 1) {
        double term = 1 / a, sum = term;
        for (int k = 1; k < 10000; k++) {
            term *= x / (a + k);
            sum += term;
            if (fabs(term) < fabs(sum) * 1e-16)
                break;
        }
        return sum * exp(lead);
    }
    double b = x + 1 - a, c = 1e300, d = 1 / b, h = d;
    for (int k = 1; k < 10000; k++) {
        double an = -k * (k - a), del;
        b += 2;
        d = an * d + b;
        if (fabs(d) < 1e-300)
            d = 1e-300;
        c = b + an / c;
        if (fabs(c) < 1e-300)
            c = 1e-300;
        d = 1 / d;
        del = d * c;
        h *= del;
        if (fabs(del - 1) < 1e-16)
            break;
    }
    return 1 - exp(lead) * h;
}

static double Phi(double z) /* standard normal CDF, accurate in the lower tail */
{
    return 0.5 * erfc(-z / sqrt(2.0));
}

/* ---- Nelder-Mead in two dimensions ---------------------------------------- */

typedef double (*objective)(const double v[2], void *ctx);

/*
 * Minimise f from v with initial steps (s0, s1): the simplex method with
 * the standard coefficients, until the spread of values is below 1e-10
 * (relative) or 400 iterations. Deterministic; about 2 to 4 evaluations an
 * iteration.
 */
static void nelder_mead(objective f, void *ctx, double v[2], double s0, double s1)
{
    double p[3][2] = {{v[0], v[1]}, {v[0] + s0, v[1]}, {v[0], v[1] + s1}}, y[3];
    for (int i = 0; i < 3; i++)
        y[i] = f(p[i], ctx);
    for (int it = 0; it < 400; it++) {
        int hi = 0, lo = 0, mid;
        double c[2], r[2], yr;
        for (int i = 1; i < 3; i++) {
            if (y[i] > y[hi]) hi = i;
            if (y[i] < y[lo]) lo = i;
        }
        mid = 3 - hi - lo;
        if (hi == lo)
            break;
        if (fabs(y[hi] - y[lo]) <= 1e-10 * (fabs(y[lo]) + 1e-10) && isfinite(y[hi]))
            break;
        for (int k = 0; k < 2; k++) {
            c[k] = (p[lo][k] + p[mid][k]) / 2;
            r[k] = c[k] + (c[k] - p[hi][k]);
        }
        yr = f(r, ctx);
        if (yr < y[lo]) {
            double e[2] = {c[0] + 2 * (c[0] - p[hi][0]), c[1] + 2 * (c[1] - p[hi][1])}, ye = f(e, ctx);
            if (ye < yr) {
                memcpy(p[hi], e, sizeof e);
                y[hi] = ye;
            } else {
                memcpy(p[hi], r, sizeof r);
                y[hi] = yr;
            }
        } else if (yr < y[mid]) {
            memcpy(p[hi], r, sizeof r);
            y[hi] = yr;
        } else {
            double k[2] = {c[0] + 0.5 * (p[hi][0] - c[0]), c[1] + 0.5 * (p[hi][1] - c[1])}, yk = f(k, ctx);
            if (yk < y[hi]) {
                memcpy(p[hi], k, sizeof k);
                y[hi] = yk;
            } else { /* shrink towards the best */
                for (int i = 0; i < 3; i++)
                    if (i != lo) {
                        p[i][0] = p[lo][0] + 0.5 * (p[i][0] - p[lo][0]);
                        p[i][1] = p[lo][1] + 0.5 * (p[i][1] - p[lo][1]);
                        y[i] = f(p[i], ctx);
                    }
            }
        }
    }
    int best = 0;
    for (int i = 1; i < 3; i++)
        if (y[i] < y[best])
            best = i;
    v[0] = p[best][0];
    v[1] = p[best][1];
}

/* ---- the estimators ----------------------------------------------------------- */

typedef struct data {
    const double *x;
    size_t n;
    double lo; /* normal: truncation point */
    double min_a; /* triangular: the lowest allowed minimum (0 or -inf) */
    double *work; /* triangular: n + 1 prefix sums */
} data;

static void moments(const double *x, size_t n, double *mean, double *mlog, double *slog)
{
    double s = 0, sl = 0, sl2 = 0;
    for (size_t i = 0; i < n; i++) {
        s += x[i];
        if (x[i] > 0)
            sl += log(x[i]);
    }
    *mean = s / (double)n;
    *mlog = sl / (double)n;
    for (size_t i = 0; i < n; i++)
        if (x[i] > 0)
            sl2 += (log(x[i]) - *mlog) * (log(x[i]) - *mlog);
    *slog = sqrt(sl2 / (double)n);
}

/* Gamma: log k - psi(k) = log(mean) - mean(log x), by Newton from Minka's start. */
static void fit_gamma(sf_fit_model *m, const double *x, size_t n)
{
    double mean, mlog, slog, s, k;
    moments(x, n, &mean, &mlog, &slog);
    s = log(mean) - mlog;
    if (!(s > 0)) {
        snprintf(m->why, sizeof m->why, "the data have no spread in their logarithms");
        return;
    }
    k = (3 - s + sqrt((s - 3) * (s - 3) + 24 * s)) / (12 * s);
    for (int it = 0; it < 100; it++) {
        double f = log(k) - sf_fit_digamma(k) - s, d = 1 / k - sf_fit_trigamma(k), next = k - f / d;
        if (next <= 0)
            next = k / 2;
        if (fabs(next - k) < 1e-13 * k) {
            k = next;
            break;
        }
        k = next;
    }
    m->p[0] = k;
    m->p[1] = mean / k;
    m->ok = isfinite(k) && k > 0;
}

/*
 * Weibull: sum x^k log x / sum x^k - 1/k - mean(log x) = 0, increasing in
 * k, by Newton (halving a step that would leave k > 0) from the start
 * 1.2825 / sd(log x). Values are scaled by the largest, so x^k stays in range.
 */
static void fit_weibull(sf_fit_model *m, const double *x, size_t n)
{
    double mean, mlog, slog, k, top = x[n - 1], ml = 0;
    moments(x, n, &mean, &mlog, &slog);
    if (!(slog > 0)) {
        snprintf(m->why, sizeof m->why, "the data have no spread in their logarithms");
        return;
    }
    ml = mlog - log(top);
    k = 1.2825 / slog;
    for (int it = 0; it < 200; it++) {
        double a = 0, b = 0, c = 0, g, dg, next;
        for (size_t i = 0; i < n; i++) {
            double l = log(x[i] / top), w = exp(k * l);
            a += w;
            b += w * l;
            c += w * l * l;
        }
        g = b / a - 1 / k - ml;
        dg = (c * a - b * b) / (a * a) + 1 / (k * k);
        next = k - g / dg;
        while (next <= 0)
            next = (next + k) / 2 <= 0 ? k / 2 : (next + k) / 2;
        if (fabs(next - k) < 1e-12 * k) {
            k = next;
            break;
        }
        k = next;
    }
    double a = 0;
    for (size_t i = 0; i < n; i++)
        a += exp(k * log(x[i] / top));
    m->p[0] = k;
    m->p[1] = top * pow(a / (double)n, 1 / k);
    m->ok = isfinite(m->p[1]) && k > 0;
}

/* Minus the log-likelihood of a normal truncated at d->lo, at (mu, log sigma). */
static double trunc_nll(const double v[2], void *ctx)
{
    const data *d = ctx;
    double mu = v[0], s = exp(v[1]), sum = 0, tail;
    for (size_t i = 0; i < d->n; i++) {
        double z = (d->x[i] - mu) / s;
        sum += 0.5 * z * z;
    }
    tail = Phi((mu - d->lo) / s); /* P(X > lo) */
    if (!(tail > 0))
        return INFINITY;
    return sum + (double)d->n * (v[1] + log(tail));
}

static void fit_normal(sf_fit_model *m, const double *x, size_t n, bool positive)
{
    double mean = 0, ss = 0;
    for (size_t i = 0; i < n; i++)
        mean += x[i];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    m->p[0] = mean;
    m->p[1] = sqrt(ss / (double)n);
    m->lo = positive ? 0 : -INFINITY;
    if (positive && mean < 9 * m->p[1]) { /* the truncation moves the estimate: maximise its likelihood */
        data d = {x, n, 0, 0, NULL};
        double v[2] = {mean, log(m->p[1])};
        nelder_mead(trunc_nll, &d, v, 0.1 * m->p[1], 0.1);
        nelder_mead(trunc_nll, &d, v, 0.01 * m->p[1], 0.01); /* restart: the simplex may have collapsed */
        m->p[0] = v[0];
        m->p[1] = exp(v[1]);
    }
    m->ok = m->p[1] > 0 && isfinite(m->p[0]) && isfinite(m->p[1]);
    if (m->ok && positive && Phi(m->p[0] / m->p[1]) < 1e-12) {
        m->ok = false;
        snprintf(m->why, sizeof m->why, "the likelihood runs off to a mean far below 0");
    }
}

/*
 * Triangular profile: for min a and max b, the mode's ML is an order
 * statistic x(r) (Oliver 1972), found in O(n) with prefix sums of
 * log(x - a) and suffix sums of log(b - x). Returns minus the
 * log-likelihood and the mode in *mode.
 */
static double tri_profile(const data *d, double a, double b, double *mode)
{
    const double *x = d->x;
    size_t n = d->n;
    double *pre = d->work, suf = 0, best = -INFINITY;
    pre[0] = 0;
    for (size_t i = 0; i < n; i++)
        pre[i + 1] = pre[i] + log(x[i] - a);
    *mode = x[0];
    /* r: the mode is x[r]; points 0..r lie left of it, r+1..n-1 right. */
    for (size_t r = n; r-- > 0;) {
        double c = x[r], ll = pre[r + 1] - (double)(r + 1) * log(c - a);
        if (c > a && b > c)
            ll += suf - (double)(n - r - 1) * log(b - c);
        else if (r + 1 < n)
            ll = -INFINITY;
        if (ll > best) {
            best = ll;
            *mode = c;
        }
        suf += log(b - x[r]);
    }
    return -(best + (double)n * (log(2) - log(b - a)));
}

static double tri_nll(const double v[2], void *ctx)
{
    const data *d = ctx;
    double range = d->x[d->n - 1] - d->x[0], a = d->x[0] - range * exp(v[0]), b = d->x[d->n - 1] + range * exp(v[1]);
    double mode;
    if (a < d->min_a || v[0] < -30 || v[1] < -30)
        return INFINITY;
    return tri_profile(d, a, b, &mode);
}

static void fit_triangular(sf_fit_model *m, const double *x, size_t n, bool positive, double *work)
{
    data d = {x, n, 0, positive ? 0 : -INFINITY, work};
    double range = x[n - 1] - x[0], v[2] = {log(1.0 / (double)n), log(1.0 / (double)n)}, a, b, mode;
    if (positive && x[0] - range * exp(v[0]) < 0)
        v[0] = log(x[0] / range / 2);
    nelder_mead(tri_nll, &d, v, 1, 1);
    nelder_mead(tri_nll, &d, v, 0.2, 0.2);
    a = x[0] - range * exp(v[0]);
    b = x[n - 1] + range * exp(v[1]);
    tri_profile(&d, a, b, &mode);
    m->p[0] = a;
    m->p[1] = mode;
    m->p[2] = b;
    m->ok = a < mode && mode < b;
}

static void fit_uniform(sf_fit_model *m, const double *x, size_t n, bool positive)
{
    double lo = x[0], hi = x[n - 1], k = (double)n;
    m->p[0] = (k * lo - hi) / (k - 1);
    m->p[1] = (k * hi - lo) / (k - 1);
    if (positive && m->p[0] < 0) {
        snprintf(m->why, sizeof m->why, "min held at 0 (the unbiased estimate %.4g would allow negative times)",
                 m->p[0]);
        m->p[0] = 0;
    }
    m->ok = m->p[0] < m->p[1];
}

/* Type-7 quantiles at k / (K - 1), K = min(n, 21), merged where equal values would repeat. */
static void fit_empirical(sf_fit_model *m, const double *x, size_t n)
{
    size_t k = n < SF_FIT_TABLE ? n : SF_FIT_TABLE;
    m->tn = 0;
    for (size_t i = 0; i < k; i++) {
        double p = (double)i / (double)(k - 1), h = p * (double)(n - 1), q;
        size_t j = (size_t)floor(h);
        q = j + 1 < n ? x[j] + (h - (double)j) * (x[j + 1] - x[j]) : x[n - 1];
        if (m->tn > 0 && q <= m->tx[m->tn - 1]) {
            m->tc[m->tn - 1] = p; /* a repeated value: its step ends here */
            continue;
        }
        m->tx[m->tn] = q;
        m->tc[m->tn++] = p;
    }
    if (m->tn >= 2)
        m->tc[0] = 0, m->tc[m->tn - 1] = 1;
    m->ok = m->tn >= 2;
}

void sf_fit_family_ml(sf_fit_model *m, sf_fit_family f, const double *x, size_t n, bool positive)
{
    double mean, mlog, slog;
    memset(m, 0, sizeof *m);
    m->family = f;
    m->lo = -INFINITY;
    m->loglik = m->ad = m->ks = m->ad_p = m->ks_p = NAN;
    for (int i = 0; i < 3; i++)
        m->ci_lo[i] = m->ci_hi[i] = NAN;
    bool logs_ok = x[0] > 0;
    switch (f) {
    case SF_FIT_EXPONENTIAL:
        moments(x, n, &mean, &mlog, &slog);
        m->p[0] = mean;
        m->ok = logs_ok;
        break;
    case SF_FIT_GAMMA:
        if (logs_ok)
            fit_gamma(m, x, n);
        break;
    case SF_FIT_LOGNORMAL:
        moments(x, n, &mean, &mlog, &slog);
        m->p[0] = mlog;
        m->p[1] = slog;
        m->ok = logs_ok && slog > 0;
        break;
    case SF_FIT_WEIBULL:
        if (logs_ok)
            fit_weibull(m, x, n);
        break;
    case SF_FIT_NORMAL:
        fit_normal(m, x, n, positive);
        break;
    case SF_FIT_TRIANGULAR: {
        double *work = sf_malloc((n + 1) * sizeof *work);
        if (work)
            fit_triangular(m, x, n, positive, work);
        else
            snprintf(m->why, sizeof m->why, "out of memory");
        free(work);
        break;
    }
    case SF_FIT_UNIFORM:
        fit_uniform(m, x, n, positive);
        break;
    case SF_FIT_EMPIRICAL:
    case SF_FIT_NFAMILIES:
        fit_empirical(m, x, n);
        break;
    }
    if (!logs_ok && f <= SF_FIT_WEIBULL && !m->why[0])
        snprintf(m->why, sizeof m->why, "needs values above 0");
    if (!m->ok && !m->why[0])
        snprintf(m->why, sizeof m->why, "the estimate did not converge");
    if (m->ok && f != SF_FIT_EMPIRICAL) {
        double ll = 0;
        for (size_t i = 0; i < n; i++)
            ll += log(sf_fit_pdf(m, x[i]));
        m->loglik = ll;
    }
}

/* ---- CDF, density, quantile ------------------------------------------------------ */

double sf_fit_cdf(const sf_fit_model *m, double x)
{
    const double *p = m->p;
    switch (m->family) {
    case SF_FIT_EXPONENTIAL:
        return x <= 0 ? 0 : -expm1(-x / p[0]);
    case SF_FIT_GAMMA:
        return sf_fit_gamma_p(p[0], x / p[1]);
    case SF_FIT_LOGNORMAL:
        return x <= 0 ? 0 : Phi((log(x) - p[0]) / p[1]);
    case SF_FIT_WEIBULL:
        return x <= 0 ? 0 : -expm1(-pow(x / p[1], p[0]));
    case SF_FIT_NORMAL: {
        double below = isinf(m->lo) ? 0 : Phi((m->lo - p[0]) / p[1]);
        if (x <= m->lo)
            return 0;
        if (x > p[0]) /* upper side: through the upper tail, accurately */
            return 1 - Phi((p[0] - x) / p[1]) / (1 - below);
        return (Phi((x - p[0]) / p[1]) - below) / (1 - below);
    }
    case SF_FIT_TRIANGULAR:
        if (x <= p[0])
            return 0;
        if (x >= p[2])
            return 1;
        if (x <= p[1])
            return (x - p[0]) * (x - p[0]) / ((p[2] - p[0]) * (p[1] - p[0]));
        return 1 - (p[2] - x) * (p[2] - x) / ((p[2] - p[0]) * (p[2] - p[1]));
    case SF_FIT_UNIFORM:
        return x <= p[0] ? 0 : x >= p[1] ? 1 : (x - p[0]) / (p[1] - p[0]);
    case SF_FIT_EMPIRICAL:
    case SF_FIT_NFAMILIES:
        if (x <= m->tx[0])
            return 0;
        for (size_t i = 1; i < m->tn; i++)
            if (x < m->tx[i])
                return m->tc[i - 1] + (m->tc[i] - m->tc[i - 1]) * (x - m->tx[i - 1]) / (m->tx[i] - m->tx[i - 1]);
        return 1;
    }
    return NAN;
}

double sf_fit_pdf(const sf_fit_model *m, double x)
{
    const double *p = m->p;
    switch (m->family) {
    case SF_FIT_EXPONENTIAL:
        return x < 0 ? 0 : exp(-x / p[0]) / p[0];
    case SF_FIT_GAMMA:
        return x <= 0 ? 0 : exp((p[0] - 1) * log(x / p[1]) - x / p[1] - lgamma(p[0])) / p[1];
    case SF_FIT_LOGNORMAL: {
        double z;
        if (x <= 0)
            return 0;
        z = (log(x) - p[0]) / p[1];
        return exp(-0.5 * z * z) / (x * p[1] * sqrt(2 * M_PI));
    }
    case SF_FIT_WEIBULL:
        return x <= 0 ? 0 : p[0] / p[1] * pow(x / p[1], p[0] - 1) * exp(-pow(x / p[1], p[0]));
    case SF_FIT_NORMAL: {
        double z = (x - p[0]) / p[1], mass = isinf(m->lo) ? 1 : Phi((p[0] - m->lo) / p[1]);
        return x < m->lo ? 0 : exp(-0.5 * z * z) / (p[1] * sqrt(2 * M_PI)) / mass;
    }
    case SF_FIT_TRIANGULAR:
        if (x < p[0] || x > p[2])
            return 0;
        return x <= p[1] ? 2 * (x - p[0]) / ((p[2] - p[0]) * (p[1] - p[0]))
                         : 2 * (p[2] - x) / ((p[2] - p[0]) * (p[2] - p[1]));
    case SF_FIT_UNIFORM:
        return x < p[0] || x > p[1] ? 0 : 1 / (p[1] - p[0]);
    case SF_FIT_EMPIRICAL:
    case SF_FIT_NFAMILIES:
        for (size_t i = 1; i < m->tn; i++)
            if (x >= m->tx[i - 1] && x < m->tx[i])
                return (m->tc[i] - m->tc[i - 1]) / (m->tx[i] - m->tx[i - 1]);
        return 0;
    }
    return NAN;
}

double sf_fit_quantile(const sf_fit_model *m, double p)
{
    double lo, hi;
    /* a bracket: from the support's ends, or grown from the mean's scale */
    switch (m->family) {
    case SF_FIT_TRIANGULAR:
        lo = m->p[0], hi = m->p[2];
        break;
    case SF_FIT_UNIFORM:
        lo = m->p[0], hi = m->p[1];
        break;
    case SF_FIT_EMPIRICAL:
    case SF_FIT_NFAMILIES:
        lo = m->tx[0], hi = m->tx[m->tn - 1];
        break;
    case SF_FIT_NORMAL:
        lo = isinf(m->lo) ? m->p[0] - 40 * m->p[1] : m->lo, hi = m->p[0] + 40 * m->p[1];
        break;
    default:
        lo = 0, hi = 1;
        while (sf_fit_cdf(m, hi) < p && hi < 1e300)
            hi *= 2;
    }
    for (int it = 0; it < 200 && hi - lo > 1e-14 * (fabs(lo) + fabs(hi)); it++) {
        double mid = (lo + hi) / 2;
        if (sf_fit_cdf(m, mid) < p)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

/* ---- as a distribution and as YAML ------------------------------------------- */

int sf_fit_to_dist(const sf_fit_model *m, sf_dist *d, char *err)
{
    const double *p = m->p;
    switch (m->family) {
    case SF_FIT_EXPONENTIAL:
        return sf_dist_exponential(d, p[0], err);
    case SF_FIT_GAMMA:
        return sf_dist_gamma(d, p[0], p[1], err);
    case SF_FIT_LOGNORMAL:
        return sf_dist_lognormal(d, exp(p[0] + p[1] * p[1] / 2), exp(p[0] + p[1] * p[1] / 2) * sqrt(expm1(p[1] * p[1])),
                                 err);
    case SF_FIT_WEIBULL:
        return sf_dist_weibull(d, p[0], p[1], err);
    case SF_FIT_NORMAL:
        return isinf(m->lo) ? sf_dist_normal(d, p[0], p[1], err) : sf_dist_truncnormal(d, p[0], p[1], m->lo, INFINITY, err);
    case SF_FIT_TRIANGULAR:
        return sf_dist_triangular(d, p[0], p[1], p[2], err);
    case SF_FIT_UNIFORM:
        return sf_dist_uniform(d, p[0], p[1], err);
    default:
        return sf_dist_empirical(d, m->tx, m->tc, m->tn, err);
    }
}

static const char *num(double v, double factor, const char *unit, char *buf, size_t len)
{
    snprintf(buf, len, "%.4g%s%s", v / factor, *unit ? " " : "", unit);
    return buf;
}

char *sf_fit_yaml(const sf_fit_model *m, double factor, const char *unit, char *buf, size_t len)
{
    char a[64], b[64], c[64], d[64];
    const double *p = m->p;
    switch (m->family) {
    case SF_FIT_EXPONENTIAL:
        snprintf(buf, len, "exp(%s)", num(p[0], factor, unit, a, sizeof a));
        break;
    case SF_FIT_GAMMA:
        snprintf(buf, len, "gamma(%.4g, %s)", p[0], num(p[1], factor, unit, a, sizeof a));
        break;
    case SF_FIT_LOGNORMAL: {
        double mean = exp(p[0] + p[1] * p[1] / 2);
        snprintf(buf, len, "lognorm(%s, %s)", num(mean, factor, unit, a, sizeof a),
                 num(mean * sqrt(expm1(p[1] * p[1])), factor, unit, b, sizeof b));
        break;
    }
    case SF_FIT_WEIBULL:
        snprintf(buf, len, "weibull(%.4g, %s)", p[0], num(p[1], factor, unit, a, sizeof a));
        break;
    case SF_FIT_NORMAL:
        if (isinf(m->lo))
            snprintf(buf, len, "norm(%s, %s)", num(p[0], factor, unit, a, sizeof a), num(p[1], factor, unit, b, sizeof b));
        else
            snprintf(buf, len, "truncnorm(%s, %s, %s, %s)", num(p[0], factor, unit, a, sizeof a),
                     num(p[1], factor, unit, b, sizeof b), num(m->lo, factor, unit, c, sizeof c),
                     num(p[0] + 20 * p[1], factor, unit, d, sizeof d));
        break;
    case SF_FIT_TRIANGULAR:
        snprintf(buf, len, "tri(%s, %s, %s)", num(p[0], factor, unit, a, sizeof a), num(p[1], factor, unit, b, sizeof b),
                 num(p[2], factor, unit, c, sizeof c));
        break;
    case SF_FIT_UNIFORM:
        snprintf(buf, len, "uniform(%s, %s)", num(p[0], factor, unit, a, sizeof a), num(p[1], factor, unit, b, sizeof b));
        break;
    default: {
        size_t used = (size_t)snprintf(buf, len, "{empirical: [");
        for (size_t i = 0; i < m->tn && used < len; i++)
            used += (size_t)snprintf(buf + used, len - used, "%s[%s, %.4g]", i ? ", " : "",
                                     num(m->tx[i], factor, unit, a, sizeof a), m->tc[i]);
        if (used < len)
            snprintf(buf + used, len - used, "]}");
        break;
    }
    }
    return buf;
}

static const char *const family_names[] = {"exponential", "gamma",      "lognormal", "weibull",
                                           "normal",      "triangular", "uniform",   "empirical"};

const char *sf_fit_family_name(sf_fit_family f)
{
    return f < SF_FIT_NFAMILIES ? family_names[f] : "?";
}

const char *sf_fit_estimator(sf_fit_family f)
{
    switch (f) {
    case SF_FIT_TRIANGULAR:
        return "maximum likelihood (mode an order statistic, ends by Nelder-Mead)";
    case SF_FIT_UNIFORM:
        return "unbiased order statistics (n x(1) - x(n)) / (n - 1), mirrored";
    case SF_FIT_EMPIRICAL:
        return "sample quantiles (type 7), linear between";
    default:
        return "maximum likelihood";
    }
}

size_t sf_fit_param_names(sf_fit_family f, const char *names[3])
{
    static const char *const tab[][3] = {
        {"mean"}, {"k", "theta"}, {"mu", "sigma"}, {"k", "lambda"}, {"mu", "sigma"}, {"min", "mode", "max"}, {"min", "max"}, {0},
    };
    static const size_t count[] = {1, 2, 2, 2, 2, 3, 2, 0};
    if (f >= SF_FIT_NFAMILIES)
        return 0;
    for (size_t i = 0; i < 3; i++)
        names[i] = tab[f][i];
    return count[f];
}
