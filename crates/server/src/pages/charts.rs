//! Progress charts as SVG drawn on the server: one metric per chart, dates along the bottom,
//! the last value labelled, and an optional band (such as the clinically important change).
//! A table of the same numbers sits beside each chart for screen readers and printing.

use maud::{Markup, PreEscaped, html};
use time::OffsetDateTime;

/// One measurement.
pub(crate) struct Point {
    pub(crate) at: OffsetDateTime,
    pub(crate) value: f64,
}

pub(crate) struct Chart<'a> {
    pub(crate) title: &'a str,
    pub(crate) points: &'a [Point],
    /// The axis range: the instrument's possible scores.
    pub(crate) y_min: f64,
    pub(crate) y_max: f64,
    /// A shaded horizontal band, e.g. the zone within the clinically important change of
    /// baseline, with its legend.
    pub(crate) band: Option<(f64, f64, &'a str)>,
}

const W: f64 = 560.0;
const H: f64 = 220.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 70.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 34.0;

fn fmt(v: f64) -> String {
    if (v - v.round()).abs() < 0.05 { format!("{:.0}", v.round()) } else { format!("{v:.1}") }
}

pub(crate) fn line_chart(c: &Chart<'_>) -> Markup {
    let span = (c.y_max - c.y_min).max(f64::EPSILON);
    let y =
        |v: f64| TOP + (H - TOP - BOTTOM) * (1.0 - (v.clamp(c.y_min, c.y_max) - c.y_min) / span);
    let (t0, t1) = match (c.points.first(), c.points.last()) {
        (Some(a), Some(b)) => (a.at.unix_timestamp() as f64, b.at.unix_timestamp() as f64),
        _ => (0.0, 0.0),
    };
    let x = |at: OffsetDateTime| {
        if t1 > t0 {
            LEFT + (W - LEFT - RIGHT) * ((at.unix_timestamp() as f64 - t0) / (t1 - t0))
        } else {
            LEFT + (W - LEFT - RIGHT) / 2.0
        }
    };
    let path: Vec<String> =
        c.points.iter().map(|p| format!("{:.1},{:.1}", x(p.at), y(p.value))).collect();
    let date = |at: OffsetDateTime| format!("{} {}", at.day(), &at.month().to_string()[..3]);
    let mut svg = String::new();
    svg.push_str(&format!(
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{}: chart of {} values" xmlns="http://www.w3.org/2000/svg">"#,
        html_escape(c.title),
        c.points.len()
    ));
    if let Some((lo, hi, _)) = c.band {
        svg.push_str(&format!(
            r##"<rect x="{LEFT}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#dbe9f4"/>"##,
            y(hi),
            W - LEFT - RIGHT,
            (y(lo) - y(hi)).max(0.0)
        ));
    }
    for v in [c.y_min, (c.y_min + c.y_max) / 2.0, c.y_max] {
        svg.push_str(&format!(
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#c4cbd1"/><text x="{:.1}" y="{:.1}" font-size="12" text-anchor="end" fill="#4a5560">{}</text>"##,
            W - RIGHT,
            y(v),
            y(v),
            LEFT - 6.0,
            y(v) + 4.0,
            fmt(v)
        ));
    }
    if let (Some(first), Some(last)) = (c.points.first(), c.points.last()) {
        svg.push_str(&format!(
            r##"<text x="{:.1}" y="{:.1}" font-size="12" fill="#4a5560">{}</text>"##,
            x(first.at) - 10.0,
            H - 10.0,
            date(first.at)
        ));
        if c.points.len() > 1 {
            svg.push_str(&format!(
                r##"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="end" fill="#4a5560">{}</text>"##,
                x(last.at) + 10.0,
                H - 10.0,
                date(last.at)
            ));
        }
        svg.push_str(&format!(
            r##"<polyline points="{}" fill="none" stroke="#0b5c8c" stroke-width="3"/>"##,
            path.join(" ")
        ));
        for p in c.points {
            svg.push_str(&format!(
                r##"<circle cx="{:.1}" cy="{:.1}" r="5" fill="#0b5c8c"/>"##,
                x(p.at),
                y(p.value)
            ));
        }
        svg.push_str(&format!(
            r##"<text x="{:.1}" y="{:.1}" font-size="14" font-weight="700" fill="#1d2329">{}</text>"##,
            x(last.at) + 10.0,
            y(last.value) + 5.0,
            fmt(last.value)
        ));
    }
    svg.push_str("</svg>");
    html! {
        figure.chart-figure {
            figcaption { (c.title) }
            (PreEscaped(svg))
            @if let Some((_, _, legend)) = c.band { p.hint { span.swatch {} (legend) } }
        }
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn draws_every_point_and_labels_the_last() {
        let pts = [
            Point { at: datetime!(2026-01-01 0:00 UTC), value: 40.0 },
            Point { at: datetime!(2026-02-01 0:00 UTC), value: 28.0 },
            Point { at: datetime!(2026-03-01 0:00 UTC), value: 18.5 },
        ];
        let svg = line_chart(&Chart {
            title: "ODI <%>",
            points: &pts,
            y_min: 0.0,
            y_max: 100.0,
            band: None,
        })
        .into_string();
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains(">18.5</text>"));
        assert!(svg.contains("1 Jan") && svg.contains("1 Mar"));
        assert!(svg.contains("ODI &lt;%&gt;"), "titles are escaped");
    }

    #[test]
    fn one_point_and_out_of_range_values_stay_inside() {
        let pts = [Point { at: datetime!(2026-01-01 0:00 UTC), value: 140.0 }];
        let svg = line_chart(&Chart {
            title: "x",
            points: &pts,
            y_min: 0.0,
            y_max: 100.0,
            band: Some((0.0, 10.0, "b")),
        })
        .into_string();
        assert!(svg.contains(r#"cy="14.0""#), "clamped to the top of the plot: {svg}");
    }
}
