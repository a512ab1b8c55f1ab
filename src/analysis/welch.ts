/**
 * Welch's t-test on 0/1 outcomes, the test Moore et al. used between stigma bars (on the
 * coded answers), so their comparisons can be reproduced beside careprobe's z-tests.
 * The Student t tail comes from the regularized incomplete beta function, evaluated with
 * a continued fraction (accurate to ~1e-12 for the degrees of freedom seen here).
 */

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, 9 coefficients). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0] ?? 0;
  for (let i = 1; i < 9; i++) sum += (c[i] ?? 0) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fraction of the incomplete beta (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
  let h = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = 1 + aa / c;
    c = Math.abs(c) < tiny ? tiny : c;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = 1 + aa / c;
    c = Math.abs(c) < tiny ? tiny : c;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  return x < (a + 1) / (a + b + 2)
    ? (front * betaFraction(a, b, x)) / a
    : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** Two-sided p-value of Student's t with `df` degrees of freedom. */
export function studentTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/**
 * Welch's t-test between two groups of 0/1 outcomes given as counts (k events of n).
 * Undefined variance (both groups constant, or n < 2) gives t = 0 and p = 1 when the
 * means agree, and p = 0 when they differ.
 */
export function welchTest(
  k1: number,
  n1: number,
  k2: number,
  n2: number,
): { t: number; df: number; p: number } {
  const m1 = k1 / n1;
  const m2 = k2 / n2;
  const v1 = n1 > 1 ? (k1 * (1 - m1) ** 2 + (n1 - k1) * m1 ** 2) / (n1 - 1) : 0;
  const v2 = n2 > 1 ? (k2 * (1 - m2) ** 2 + (n2 - k2) * m2 ** 2) / (n2 - 1) : 0;
  const se2 = v1 / n1 + v2 / n2;
  if (se2 === 0) return { t: 0, df: n1 + n2 - 2, p: m1 === m2 ? 1 : 0 };
  const t = (m1 - m2) / Math.sqrt(se2);
  const df =
    se2 ** 2 / ((v1 / n1) ** 2 / Math.max(n1 - 1, 1) + (v2 / n2) ** 2 / Math.max(n2 - 1, 1));
  return { t, df, p: studentTwoSidedP(t, df) };
}
