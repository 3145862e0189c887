//! Progress charts as SVG drawn on the server: one metric per chart, dates along the bottom,
//! the last value labelled, and an optional band (such as the clinically important change).
//! A table of the same numbers sits beside each chart for screen readers and printing.
//!
//! A chart scales with the width it is given, text and all, so its [`Size`] is drawn for the
//! narrowest width it will be shown at: the staff pages' laptop size, or a phone's, where the
//! text must not shrink below 12 CSS pixels.

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
    pub(crate) size: Size,
}

/// The drawing's own units: its width and height, the margins around the plot (room for the
/// axis labels and the last value), and the text sizes, all in the viewBox's units.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Size {
    w: f64,
    h: f64,
    left: f64,
    right: f64,
    font: f64,
    value_font: f64,
    /// The class the page's CSS sizes it by.
    class: &'static str,
}

impl Size {
    /// The staff pages: a laptop's column, up to 40rem wide.
    pub(crate) const STAFF: Size = Size {
        w: 560.0,
        h: 220.0,
        left: 44.0,
        right: 70.0,
        font: 12.0,
        value_font: 14.0,
        class: "chart",
    };
    /// The patient's pages: drawn 340 units wide for a phone's column of about 358 CSS pixels
    /// (390 less the page's margins), so 13-unit text shows at about 13.7 pixels there and
    /// never below 12 down to a 300-pixel column. On a laptop it grows to 30rem at most.
    pub(crate) const PHONE: Size = Size {
        w: 340.0,
        h: 210.0,
        left: 34.0,
        right: 46.0,
        font: 13.0,
        value_font: 16.0,
        class: "chart chart-phone",
    };
}

const TOP: f64 = 14.0;
const BOTTOM: f64 = 34.0;

fn fmt(v: f64) -> String {
    if (v - v.round()).abs() < 0.05 { format!("{:.0}", v.round()) } else { format!("{v:.1}") }
}

pub(crate) fn line_chart(c: &Chart<'_>) -> Markup {
    let Size { w, h, left, right, font, value_font, class } = c.size;
    let span = (c.y_max - c.y_min).max(f64::EPSILON);
    let y =
        |v: f64| TOP + (h - TOP - BOTTOM) * (1.0 - (v.clamp(c.y_min, c.y_max) - c.y_min) / span);
    let (t0, t1) = match (c.points.first(), c.points.last()) {
        (Some(a), Some(b)) => (a.at.unix_timestamp() as f64, b.at.unix_timestamp() as f64),
        _ => (0.0, 0.0),
    };
    let x = |at: OffsetDateTime| {
        if t1 > t0 {
            left + (w - left - right) * ((at.unix_timestamp() as f64 - t0) / (t1 - t0))
        } else {
            left + (w - left - right) / 2.0
        }
    };
    let path: Vec<String> =
        c.points.iter().map(|p| format!("{:.1},{:.1}", x(p.at), y(p.value))).collect();
    let mut svg = String::new();
    svg.push_str(&format!(
        r#"<svg class="{class}" viewBox="0 0 {w} {h}" role="img" aria-label="{}: chart of {} values" xmlns="http://www.w3.org/2000/svg">"#,
        html_escape(c.title),
        c.points.len()
    ));
    if let Some((lo, hi, _)) = c.band {
        svg.push_str(&format!(
            r##"<rect x="{left}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#dbe9f4"/>"##,
            y(hi),
            w - left - right,
            (y(lo) - y(hi)).max(0.0)
        ));
    }
    for v in [c.y_min, (c.y_min + c.y_max) / 2.0, c.y_max] {
        svg.push_str(&format!(
            r##"<line x1="{left}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#c4cbd1"/><text x="{:.1}" y="{:.1}" font-size="{font}" text-anchor="end" fill="#4a5560">{}</text>"##,
            w - right,
            y(v),
            y(v),
            left - 6.0,
            y(v) + font / 3.0,
            fmt(v)
        ));
    }
    for (at, anchor) in date_labels(c.points, &x, font) {
        svg.push_str(&format!(
            r##"<text x="{:.1}" y="{:.1}" font-size="{font}" text-anchor="{anchor}" fill="#4a5560">{}</text>"##,
            x(at),
            h - 10.0,
            date(at)
        ));
    }
    if let Some(last) = c.points.last() {
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
            r##"<text x="{:.1}" y="{:.1}" font-size="{value_font}" font-weight="700" fill="#1d2329">{}</text>"##,
            x(last.at) + 10.0,
            y(last.value) + value_font / 3.0,
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

/// A date on the axis: "3 Mar".
fn date(at: OffsetDateTime) -> String {
    format!("{} {}", at.day(), &at.month().to_string()[..3])
}

/// Which points' dates the axis shows, and how each is anchored: the first and the last
/// always, and those between where they fit without touching a neighbour. A day already
/// labelled is not labelled again.
fn date_labels(
    points: &[Point],
    x: &dyn Fn(OffsetDateTime) -> f64,
    font: f64,
) -> Vec<(OffsetDateTime, &'static str)> {
    // "30 Sep" at this size is about 3.2 ems wide; a little air each side.
    let room = font * 3.6;
    let (Some(first), Some(last)) = (points.first(), points.last()) else { return Vec::new() };
    let mut out = vec![(first.at, "start")];
    if points.len() == 1 {
        out[0].1 = "middle";
        return out;
    }
    let end = x(last.at);
    let mut right_edge = x(first.at) + room;
    for p in &points[1..points.len() - 1] {
        let px = x(p.at);
        let same_day = out.last().is_some_and(|(at, _)| at.date() == p.at.date());
        if !same_day && px - room / 2.0 >= right_edge && px + room / 2.0 <= end - room {
            out.push((p.at, "middle"));
            right_edge = px + room / 2.0;
        }
    }
    if last.at.date() != first.at.date() || out.len() > 1 {
        out.push((last.at, "end"));
    }
    out
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
            size: Size::STAFF,
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
            size: Size::STAFF,
        })
        .into_string();
        assert!(svg.contains(r#"cy="14.0""#), "clamped to the top of the plot: {svg}");
    }

    #[test]
    fn dates_between_show_only_where_they_fit() {
        // Weekly scores over ten weeks on a phone: first and last always, a few between, none
        // closer than a label's width.
        let start = datetime!(2026-01-05 9:00 UTC);
        let pts: Vec<Point> =
            (0..11).map(|k| Point { at: start + time::Duration::weeks(k), value: 5.0 }).collect();
        let size = Size::PHONE;
        let x = |at: OffsetDateTime| {
            let t = (at - start).whole_seconds() as f64 / (10.0 * 7.0 * 86_400.0);
            size.left + (size.w - size.left - size.right) * t
        };
        let labels = date_labels(&pts, &x, size.font);
        assert_eq!(labels.first().map(|l| l.1), Some("start"));
        assert_eq!(labels.last().map(|l| (l.0, l.1)), Some((pts[10].at, "end")));
        assert!(labels.len() > 2 && labels.len() < 11, "{} labels", labels.len());
        for pair in labels.windows(2) {
            assert!(x(pair[1].0) - x(pair[0].0) >= size.font * 3.6 / 2.0, "{pair:?}");
        }
        let one = date_labels(&pts[..1], &x, size.font);
        assert_eq!(one, vec![(start, "middle")]);
    }
}
