//! `trend.svg`: the gates over the recorded runs, drawn by hand (a few dozen SVG elements do not
//! need a plotting crate). Top panel: each gate ratio, one colour per gate and one dash pattern per
//! size, with the gate's limit as a dash-dot line of the same colour. Bottom panel: the unchanged-skip
//! p50 on a log scale, against the 20 µs aim and the 2 ms limit.

use std::fmt::Write as _;

use crate::analyze::{GateKind, BATCH_OVER_BEST_BARE, DURABLE_OVER_BARE, FAST_OVER_DURABLE};
use crate::history::Entry;
use crate::workload::Size;

const WIDTH: f64 = 1000.0;
const LEFT: f64 = 70.0;
const PLOT_W: f64 = 640.0;
const LEGEND_X: f64 = LEFT + PLOT_W + 30.0;
const TOP1: f64 = 60.0;
const H1: f64 = 300.0;
const TOP2: f64 = TOP1 + H1 + 70.0;
const H2: f64 = 200.0;
const HEIGHT: f64 = TOP2 + H2 + 90.0;

const RATIO_GATES: [(GateKind, &str, &str, f64); 3] = [
    (
        GateKind::DurableVsBare,
        "durable / bare",
        "#1f77b4",
        DURABLE_OVER_BARE,
    ),
    (
        GateKind::FastVsDurable,
        "fast / durable",
        "#ff7f0e",
        FAST_OVER_DURABLE,
    ),
    (
        GateKind::BatchVsBestBare,
        "batch / best bare batch",
        "#2ca02c",
        BATCH_OVER_BEST_BARE,
    ),
];
const SKIP_COLOR: &str = "#7b3fa0";
/// Dash-dot: a limit, never a measurement.
const LIMIT_DASH: &str = "10 3 2 3";

fn dash(size: Size) -> &'static str {
    match size {
        Size::Small => "",
        Size::Medium => "8 4",
        Size::Large => "2 3",
    }
}

pub fn render(entries: &[Entry]) -> String {
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="{LEFT}" y="24" font-size="16" font-weight="bold">git-rtk write benchmark: gates over {} recorded run(s)</text>
"##,
        entries.len()
    );
    let x_of = |i: usize| -> f64 {
        if entries.len() <= 1 {
            LEFT + PLOT_W / 2.0
        } else {
            LEFT + PLOT_W * i as f64 / (entries.len() - 1) as f64
        }
    };

    // Top panel: ratios on a linear scale from 0.
    let max_ratio = entries
        .iter()
        .flat_map(|e| e.metrics.iter())
        .filter(|(m, _)| m.starts_with("ratio:"))
        .map(|(_, v)| *v)
        .fold(1.3f64, f64::max);
    let top = (max_ratio * 1.1 / 0.2).ceil() * 0.2;
    let y1 = |v: f64| TOP1 + H1 - (v.clamp(0.0, top) / top) * H1;
    panel_frame(&mut svg, TOP1, H1, "gate ratio (p50 / p50 of the same run)");
    let mut tick = 0.0;
    while tick <= top + 1e-9 {
        grid_line(&mut svg, y1(tick), &format!("{tick:.1}"));
        tick += 0.2;
    }
    let mut legend_y = TOP1 + 10.0;
    legend_title(&mut svg, legend_y, "gate ratios");
    legend_y += 18.0;
    for (kind, label, color, limit) in RATIO_GATES {
        limit_line(&mut svg, y1(limit), color);
        for size in Size::ALL {
            metric_series(
                &mut svg,
                entries,
                &format!("ratio:{}:{}", kind.id(), size.label()),
                (&x_of, &y1),
                (color, dash(size), &format!("{label}, {}", size.human())),
                &mut legend_y,
            );
        }
        let op = if kind == GateKind::FastVsDurable {
            "<"
        } else {
            "≤"
        };
        legend_entry(
            &mut svg,
            legend_y,
            color,
            LIMIT_DASH,
            &format!("limit: {label} {op} {limit:.2}"),
        );
        legend_y += 24.0;
    }

    // Bottom panel: skip p50 in µs on a log scale, 1 µs to 10 ms.
    let (lo_exp, hi_exp) = (0.0, 4.0);
    let y2 = |us: f64| {
        let e = us.max(1e-3).log10().clamp(lo_exp, hi_exp);
        TOP2 + H2 - (e - lo_exp) / (hi_exp - lo_exp) * H2
    };
    panel_frame(&mut svg, TOP2, H2, "unchanged (skip) p50, µs (log scale)");
    for (us, label) in [
        (1.0, "1"),
        (10.0, "10"),
        (100.0, "100"),
        (1000.0, "1000"),
        (10000.0, "10000"),
    ] {
        grid_line(&mut svg, y2(us), label);
    }
    let mut legend_y = TOP2 + 10.0;
    legend_title(&mut svg, legend_y, "unchanged (skip)");
    legend_y += 18.0;
    for size in [Size::Small, Size::Medium] {
        metric_series(
            &mut svg,
            entries,
            &format!("p50_us:skip:{}", size.label()),
            (&x_of, &y2),
            (
                SKIP_COLOR,
                dash(size),
                &format!("skip p50, {}", size.human()),
            ),
            &mut legend_y,
        );
    }
    for (us, label, color) in [
        (20.0, "aim: 1 KiB ≤ 20 µs", SKIP_COLOR),
        (2000.0, "limit: < 2 ms", "#d62728"),
    ] {
        limit_line(&mut svg, y2(us), color);
        legend_entry(&mut svg, legend_y, color, LIMIT_DASH, label);
        legend_y += 18.0;
    }

    // Run labels under the bottom panel, thinned out when there are many runs.
    let every = entries.len().div_ceil(12).max(1);
    for (i, e) in entries.iter().enumerate() {
        if i % every != 0 && i + 1 != entries.len() {
            continue;
        }
        let x = x_of(i);
        let short: String = e.commit.chars().take(7).collect();
        let day: String = e.date.chars().take(10).collect();
        for top in [TOP1 + H1, TOP2 + H2] {
            let _ = writeln!(
                svg,
                r##"<line x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{:.1}" stroke="#444"/>"##,
                top + 4.0
            );
        }
        let _ = writeln!(
            svg,
            r##"<text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="10">#{} {}</text>
<text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="10" fill="#555">{}</text>"##,
            TOP2 + H2 + 18.0,
            i + 1,
            escape(&short),
            TOP2 + H2 + 32.0,
            escape(&day)
        );
    }
    let _ = writeln!(
        svg,
        r##"<text x="{LEFT}" y="{:.1}" font-size="11" fill="#555">x: recorded runs in order (commit, date); a gate passes while its line stays on the good side of its limit.</text>"##,
        HEIGHT - 16.0
    );
    svg.push_str("</svg>\n");
    svg
}

fn panel_frame(svg: &mut String, top: f64, height: f64, title: &str) {
    let _ = writeln!(
        svg,
        r##"<text x="{LEFT}" y="{:.1}" font-size="13" font-weight="bold">{}</text>
<rect x="{LEFT}" y="{top}" width="{PLOT_W}" height="{height}" fill="none" stroke="#444"/>"##,
        top - 10.0,
        escape(title)
    );
}

fn grid_line(svg: &mut String, y: f64, label: &str) {
    let _ = writeln!(
        svg,
        r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#e4e4e4"/>
<text x="{:.1}" y="{:.1}" text-anchor="end" font-size="10" fill="#444">{label}</text>"##,
        LEFT + PLOT_W,
        LEFT - 6.0,
        y + 3.5
    );
}

/// A limit across the whole plot width: dash-dot, so it never reads as a measurement.
fn limit_line(svg: &mut String, y: f64, color: &str) {
    let _ = writeln!(
        svg,
        r#"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{color}" stroke-width="1.2" stroke-dasharray="{LIMIT_DASH}" opacity="0.8"/>"#,
        LEFT + PLOT_W
    );
}

/// Draws `metric` over the runs that recorded it, placed by `(x of run index, y of value)`, with
/// its legend entry at `legend_y` (then moved down); nothing at all when no run recorded it.
fn metric_series(
    svg: &mut String,
    entries: &[Entry],
    metric: &str,
    (x_of, y_of): (&dyn Fn(usize) -> f64, &dyn Fn(f64) -> f64),
    (color, dash, label): (&str, &str, &str),
    legend_y: &mut f64,
) {
    let points: Vec<(f64, f64)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| Some((x_of(i), y_of(e.get(metric)?))))
        .collect();
    if points.is_empty() {
        return;
    }
    series(svg, &points, color, dash);
    legend_entry(svg, *legend_y, color, dash, label);
    *legend_y += 18.0;
}

fn series(svg: &mut String, points: &[(f64, f64)], color: &str, dash: &str) {
    if points.len() > 1 {
        let path: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = writeln!(
            svg,
            r#"<polyline points="{}" fill="none" stroke="{color}" stroke-width="2" stroke-dasharray="{dash}"/>"#,
            path.join(" ")
        );
    }
    for (x, y) in points {
        let _ = writeln!(
            svg,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="3.5" fill="{color}"/>"#
        );
    }
}

fn legend_title(svg: &mut String, y: f64, title: &str) {
    let _ = writeln!(
        svg,
        r#"<text x="{LEGEND_X}" y="{y:.1}" font-weight="bold">{}</text>"#,
        escape(title)
    );
}

fn legend_entry(svg: &mut String, y: f64, color: &str, dash: &str, label: &str) {
    let _ = writeln!(
        svg,
        r#"<line x1="{LEGEND_X}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{color}" stroke-width="2" stroke-dasharray="{dash}"/>
<text x="{:.1}" y="{y:.1}">{}</text>"#,
        y - 4.0,
        LEGEND_X + 30.0,
        y - 4.0,
        LEGEND_X + 38.0,
        escape(label)
    );
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_one_series_per_recorded_ratio() {
        let entry = |commit: &str, r: f64| Entry {
            date: "2026-01-01T00:00:00Z".into(),
            commit: commit.into(),
            metrics: vec![
                ("ratio:durable_vs_bare:1KiB".into(), r),
                ("ratio:batch_vs_best_bare:128KiB".into(), 0.5),
                ("p50_us:skip:1KiB".into(), 9.0),
            ],
        };
        let svg = render(&[entry("aaa", 1.02), entry("b<b", 1.2)]);
        assert!(svg.starts_with("<svg"));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<polyline").count(), 3);
        assert!(svg.contains("durable / bare, 1 KiB"));
        assert!(svg.contains("b&lt;b"));
        assert!(svg.contains("limit: fast / durable &lt; 1.00"));
        assert!(!svg.contains("< 2 ms"));
    }
}
