//! Percentiles and confidence intervals. Distribution-free on purpose: fsync latency is skewed and
//! often bimodal (a journal commit either was already in flight or was not), so no normal
//! approximation is used anywhere.

use crate::rng::Rng;

/// Confidence level of every interval in the report.
pub const CONFIDENCE: f64 = 0.95;

/// Bootstrap resamples per ratio; with a fixed seed the report is reproducible from the raw CSV.
const BOOTSTRAP_RESAMPLES: usize = 2000;

/// The median: the mean of the two middle values for an even count.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    median_sorted(&sorted)
}

pub fn median_sorted(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Nearest-rank percentile (`p` in 0..=1): always one of the samples.
pub fn percentile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Order-statistics confidence interval for the median: `[x(k), x(n+1-k)]` with the largest `k`
/// such that a Binomial(n, ½) variable falls below `k` with probability at most (1 − level)/2.
/// Its coverage is at least `CONFIDENCE` whatever the distribution. `None` below 6 samples.
pub fn median_ci_sorted(sorted: &[f64]) -> Option<(f64, f64)> {
    let n = sorted.len();
    let tail = (1.0 - CONFIDENCE) / 2.0;
    // P(B <= j) accumulated in log space so large n cannot underflow 0.5^n to zero too early.
    let mut log_pmf = n as f64 * 0.5f64.ln();
    let mut cdf = 0.0;
    let mut k = 0;
    for j in 0..n {
        cdf += log_pmf.exp();
        if cdf > tail {
            break;
        }
        // P(B <= j) <= tail, so x(j+1) (1-based) is a valid lower bound.
        k = j + 1;
        log_pmf += ((n - j) as f64 / (j + 1) as f64).ln();
    }
    if k == 0 {
        return None;
    }
    Some((sorted[k - 1], sorted[n - k]))
}

/// `median(a) / median(b)` over paired rounds, with a percentile-bootstrap interval that resamples
/// whole rounds (both sides of a round ran back to back, so they share that moment's load).
pub fn ratio_of_medians(a: &[f64], b: &[f64], seed: u64) -> (f64, Option<(f64, f64)>) {
    debug_assert_eq!(a.len(), b.len());
    let n = a.len().min(b.len());
    let value = median(&a[..n]) / median(&b[..n]);
    if n < 6 {
        return (value, None);
    }
    let mut rng = Rng::new(seed);
    let mut ratios = Vec::with_capacity(BOOTSTRAP_RESAMPLES);
    let mut ra = vec![0.0; n];
    let mut rb = vec![0.0; n];
    for _ in 0..BOOTSTRAP_RESAMPLES {
        for i in 0..n {
            let pick = rng.below(n);
            ra[i] = a[pick];
            rb[i] = b[pick];
        }
        ratios.push(median(&ra) / median(&rb));
    }
    ratios.sort_by(f64::total_cmp);
    let tail = (1.0 - CONFIDENCE) / 2.0;
    let lo = ratios[((tail * ratios.len() as f64) as usize).min(ratios.len() - 1)];
    let hi = ratios[(((1.0 - tail) * ratios.len() as f64) as usize).min(ratios.len() - 1)];
    (value, Some((lo, hi)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_percentiles() {
        let sorted: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(median_sorted(&sorted), 5.5);
        assert_eq!(percentile_sorted(&sorted, 0.95), 10.0);
        assert_eq!(percentile_sorted(&sorted, 0.5), 5.0);
    }

    /// Ranks from published tables of the distribution-free median interval (95%).
    #[test]
    fn median_ci_uses_binomial_ranks() {
        let thirty: Vec<f64> = (1..=30).map(f64::from).collect();
        assert_eq!(median_ci_sorted(&thirty), Some((10.0, 21.0)));
        let sixty: Vec<f64> = (1..=60).map(f64::from).collect();
        assert_eq!(median_ci_sorted(&sixty), Some((22.0, 39.0)));
        let five: Vec<f64> = (1..=5).map(f64::from).collect();
        assert_eq!(median_ci_sorted(&five), None);
        let six: Vec<f64> = (1..=6).map(f64::from).collect();
        assert_eq!(median_ci_sorted(&six), Some((1.0, 6.0)));
    }

    #[test]
    fn ratio_interval_brackets_a_constant_ratio() {
        let b: Vec<f64> = (1..=40).map(f64::from).collect();
        let a: Vec<f64> = b.iter().map(|x| x * 2.0).collect();
        let (value, ci) = ratio_of_medians(&a, &b, 7);
        assert_eq!(value, 2.0);
        assert_eq!(ci, Some((2.0, 2.0)));
    }
}
