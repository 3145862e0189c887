//! A 0 to 10 rating answered with a thumb: eleven large numbered tiles (two rows on a phone,
//! one on a laptop), the ends named in words, the whole tile clickable. [`pain_scale`] asks for
//! pain; [`rating`] is the same control for any whole-number scale (a questionnaire's 0 to 10
//! items). The tiles are radio buttons, so it works without JavaScript and with a keyboard
//! (arrow keys move along the scale). Styled by the "Rating tiles" block of `app.css`.

use maud::{Markup, html};

/// One rating question.
pub(crate) struct Rating<'a> {
    /// The form field's name; also the fieldset's id, which an error summary links to.
    pub(crate) name: &'a str,
    /// The question.
    pub(crate) legend: &'a str,
    /// Show the question as the page's heading (a page that asks only this).
    pub(crate) heading: bool,
    /// A line of help under the question.
    pub(crate) hint: Option<&'a str>,
    /// The lowest and highest values, with what each end means.
    pub(crate) min: i32,
    pub(crate) max: i32,
    pub(crate) min_label: &'a str,
    pub(crate) max_label: &'a str,
    /// The value chosen so far.
    pub(crate) value: Option<i32>,
    /// What to put right, shown at the question.
    pub(crate) error: Option<&'a str>,
    /// More choices inside the same group, after the tiles ("I'm not sure").
    pub(crate) after: Option<Markup>,
}

/// The 0 to 10 pain question. `name` is the field (and the fieldset's id, for an error summary
/// link); `value` is the answer so far; `error` the message shown at the question.
pub(crate) fn pain_scale(
    name: &str,
    legend: &str,
    hint: Option<&str>,
    value: Option<u8>,
    error: Option<&str>,
) -> Markup {
    rating(&Rating {
        name,
        legend,
        heading: false,
        hint,
        min: 0,
        max: 10,
        min_label: "no pain",
        max_label: "the worst pain you can imagine",
        value: value.map(i32::from),
        error,
        after: None,
    })
}

/// Any whole-number scale as rating tiles.
pub(crate) fn rating(r: &Rating<'_>) -> Markup {
    let name = r.name;
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    let ends_id = format!("{name}-ends");
    let mut described = vec![];
    if r.hint.is_some() {
        described.push(hint_id.as_str());
    }
    if r.error.is_some() {
        described.push(error_id.as_str());
    }
    described.push(ends_id.as_str());
    let described = described.join(" ");
    html! {
        div.field.rating-field.field-invalid[r.error.is_some()] {
            fieldset.rating id=(name) aria-describedby=(described) {
                @if r.heading {
                    legend.legend-heading { h1 { (r.legend) } }
                } @else {
                    legend { (r.legend) }
                }
                @if let Some(h) = r.hint { p.hint id=(hint_id) { (h) } }
                @if let Some(e) = r.error {
                    p.field-error id=(error_id) { span.visually-hidden { "Error: " } (e) }
                }
                p.rating-ends id=(ends_id) {
                    span { (r.min) " means " (r.min_label) } " "
                    span { (r.max) " means " (r.max_label) }
                }
                div.rating-options {
                    @for v in r.min..=r.max {
                        @let id = format!("{name}-{v}");
                        div.rating-option {
                            input type="radio" id=(id) name=(name) value=(v) checked[r.value == Some(v)];
                            label for=(id) {
                                (v)
                                @if v == r.min { span.visually-hidden { ", " (r.min_label) } }
                                @if v == r.max { span.visually-hidden { ", " (r.max_label) } }
                            }
                        }
                    }
                }
                @if let Some(after) = &r.after { (after) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eleven_tiles_with_the_answer_checked_and_the_error_at_the_question() {
        let html = pain_scale(
            "pain",
            "How bad is your pain?",
            Some("Right now"),
            Some(6),
            Some("Choose a number"),
        )
        .into_string();
        assert_eq!(html.matches("type=\"radio\"").count(), 11);
        assert!(html.contains("id=\"pain-6\" name=\"pain\" value=\"6\" checked"), "{html}");
        assert_eq!(html.matches("checked").count(), 1);
        assert!(html.contains("class=\"field-error\" id=\"pain-error\""));
        assert!(html.contains("aria-describedby=\"pain-hint pain-error pain-ends\""));
        assert!(html.contains("0 means no pain"));
        let plain = pain_scale("pain", "Pain", None, None, None).into_string();
        assert!(!plain.contains("checked") && !plain.contains("field-error"));
    }
}
