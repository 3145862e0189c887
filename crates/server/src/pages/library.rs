//! The exercise library for staff: every exercise grouped by body region with a filter by
//! position, purpose and region, and each exercise's page (figures, instructions, default dose
//! in words, ladder, camera tracking, credits).

use axum::{extract::State, response::IntoResponse};
use maud::{Markup, PreEscaped, html};
use physio_clinic::exercise::{BodyRegion, Dose, Exercise, Position, Purpose, Tracking};
use physio_motion::exercises::validation::{Evidence, MIN_EXACT_PCT, MIN_PEOPLE, Validation};
use serde::Deserialize;

use crate::{
    care::{self, library::ClinicLibrary},
    error::{ApiPath, ApiQuery},
    pages::{
        PageResult, PageUser,
        figure::{FIGURE_CSS, animated, still},
        layout::{page, sentence},
    },
    state::AppState,
};

#[derive(Debug, Default, Deserialize)]
pub(crate) struct LibraryQuery {
    #[serde(default)]
    position: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    region: String,
}

/// The tags every list entry and exercise page shows: the clinic's own, camera tracking, and
/// the movements precautions act on.
pub(crate) fn exercise_tags(e: &Exercise, own: bool) -> Markup {
    html! {
        ul.tag-list {
            @if own { li { span.tag.tag-own { "Your clinic's" } } }
            @if let Some(t) = &e.tracking {
                li { span.tag.tag-camera { "Camera" @if t.validated() { ": counting validated" } @else { ": counting not yet validated" } } }
            }
            @for t in &e.tags { li { span.tag.tag-grey { (t.label()) } } }
        }
    }
}

/// How an exercise's counting has been checked, in a few plain sentences with the figures:
/// validated, or "Counting not yet validated" with what it has been checked on and why that
/// is not enough, and what that means for a patient.
fn counting(v: &Validation) -> Markup {
    let sets = |n: u32| if n == 1 { "1 set".to_owned() } else { format!("{n} sets") };
    let people = |n: u32| if n == 1 { "1 person".to_owned() } else { format!("{n} people") };
    let mut counts = vec![format!("{} of {} counted exactly", v.exact, sets(v.sets))];
    if v.off_by_one > 0 {
        counts.push(format!("{} off by one", v.off_by_one));
    }
    if v.off_by_more() > 0 {
        counts.push(format!("{} off by more than one", v.off_by_more()));
    }
    let whom = if v.people > 0 { format!("; {}", people(v.people)) } else { String::new() };
    let figures = format!("{} ({}{whom})", counts.join(", "), v.source);
    let extra = html! {
        @if let Some(s) = v.median_boundary_s { " Median error of a repetition's start or end: " (format!("{s:.2}")) " s." }
        @if let Some(pct) = v.label_agreement_pct { " Judged against the person's own reference, correct and incorrect repetitions agree with the recordings' labels " (pct) "\u{a0}% of the time." }
    };
    if v.validated() {
        return html! { "Counting validated on real recordings: " (figures) "." (extra) };
    }
    let mut short = Vec::new();
    if v.people < MIN_PEOPLE {
        short.push(format!("recordings of at least {MIN_PEOPLE} people"));
    }
    if v.exact * 100 < MIN_EXACT_PCT * v.sets {
        short.push(format!("at least {MIN_EXACT_PCT}\u{a0}% of sets counted exactly"));
    }
    if v.off_by_more() > 0 {
        short.push("no set off by more than one".to_owned());
    }
    html! {
        // Plain text first, so that it lines up with its term in the list.
        strong { "Counting not yet validated." } " "
        @match v.evidence {
            Evidence::Real => {
                "Checked on real recordings: " (figures) "." (extra)
                @if !short.is_empty() { " Validation needs " (short.join(" and ")) "." }
            },
            Evidence::Synthetic => { "Checked only on a generated movement, not on people: " (figures) "." },
            Evidence::None => "Not yet checked on any recording.",
        }
        p { "A patient is offered camera counting of this exercise only if you choose it in their programme (\u{201c}Offer camera counting\u{201d}); check the count with them." }
    }
}

/// A dose in words, with its details (rest, load, effort) after it.
pub(crate) fn dose_words(d: &Dose) -> String {
    let mut text = sentence(&d.patient_text());
    text.push('.');
    for extra in d.details_text() {
        text.push(' ');
        text.push_str(&extra);
    }
    text
}

/// `GET /library`: every exercise a clinic can prescribe, by body region.
pub(crate) async fn list(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiQuery(q): ApiQuery<LibraryQuery>,
) -> PageResult {
    let lib = care::library::list(&state, &p).await?;
    let position: Option<Position> = q.position.parse().ok();
    let purpose: Option<Purpose> = q.purpose.parse().ok();
    let region: Option<BodyRegion> = q.region.parse().ok();
    let fits = |e: &Exercise| {
        position.is_none_or(|x| x == e.position)
            && purpose.is_none_or(|x| x == e.purpose)
            && region.is_none_or(|x| x == e.region)
    };
    let total = lib.all().count();
    let shown: Vec<&Exercise> = lib.all().filter(|e| fits(e)).collect();
    let groups: Vec<(BodyRegion, Vec<&Exercise>)> = BodyRegion::ALL
        .iter()
        .map(|r| (*r, shown.iter().copied().filter(|e| e.region == *r).collect::<Vec<_>>()))
        .filter(|(_, list)| !list.is_empty())
        .collect();
    let filtered = position.is_some() || purpose.is_some() || region.is_some();
    let body = html! {
        style { (PreEscaped(FIGURE_CSS)) }
        h1 { "Exercise library" }
        p.lead { "Every exercise you can prescribe: the built-in library and your clinic's own." }
        form.library-filter method="get" action="/library" {
            fieldset {
                legend { "Show only" }
                div.filter-row {
                    (filter_select("position", "Position", Position::ALL.iter().map(|x| (x.as_str(), x.label())), position.map(Position::as_str)))
                    (filter_select("purpose", "Purpose", Purpose::ALL.iter().map(|x| (x.as_str(), x.label())), purpose.map(Purpose::as_str)))
                    (filter_select("region", "Body region", BodyRegion::ALL.iter().map(|x| (x.as_str(), x.label())), region.map(BodyRegion::as_str)))
                    div.filter-buttons {
                        button.button type="submit" { "Show exercises" }
                        @if filtered { a href="/library" { "Clear filters" } }
                    }
                }
            }
        }
        p aria-live="polite" {
            @if filtered { (shown.len()) " of " (total) " exercises match." }
            @else { (total) " exercises." }
        }
        @if groups.len() > 1 {
            nav.region-jump aria-label="Body regions" {
                ul.inline-list {
                    @for (r, list) in &groups {
                        li { a href={ "#region-" (r.as_str()) } { (sentence(r.label())) " (" (list.len()) ")" } }
                    }
                }
            }
        }
        @if shown.is_empty() {
            p { "No exercise matches all of these. " a href="/library" { "Show every exercise" } }
        }
        @for (r, list) in &groups {
            section aria-labelledby={ "region-" (r.as_str()) } {
                h2 id={ "region-" (r.as_str()) } { (sentence(r.label())) }
                ul.library-list {
                    @for e in list { (list_item(&lib, e)) }
                }
            }
        }
    };
    Ok(page("Exercise library", Some(&p), body).into_response())
}

fn filter_select<'a>(
    name: &str,
    label: &str,
    options: impl Iterator<Item = (&'a str, &'a str)>,
    chosen: Option<&str>,
) -> Markup {
    html! {
        div.field {
            label for={ "filter-" (name) } { (label) }
            select id={ "filter-" (name) } name=(name) {
                option value="" { "Any" }
                @for (value, text) in options {
                    option value=(value) selected[chosen == Some(value)] { (sentence(text)) }
                }
            }
        }
    }
}

fn list_item(lib: &ClinicLibrary, e: &Exercise) -> Markup {
    html! {
        li.library-item {
            div.thumb aria-hidden="true" { (still(&e.figure, &e.name)) }
            div.library-text {
                h3 { a href={ "/library/" (e.id) } { (e.name) } }
                p { (e.summary) }
                p.meta {
                    span { strong { "Position: " } (e.position.label()) }
                    " · "
                    span { strong { "Default dose: " } (e.dose.patient_text()) }
                }
                (exercise_tags(e, lib.is_own(&e.id)))
            }
        }
    }
}

fn view_words(t: &Tracking) -> &'static str {
    match t.view.as_str() {
        "front" => "from the front: the patient faces the camera",
        "side" => "from the side: the patient stands side-on to the camera",
        _ => "from the front or the side",
    }
}

fn or_none(text: Option<String>) -> String {
    text.unwrap_or_else(|| "None".to_owned())
}

fn plural(n: impl Into<u32>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Every field of a dose, in words.
fn dose_list(d: &Dose) -> Markup {
    html! {
        dl.summary-list {
            div { dt { "In words" } dd { (dose_words(d)) } }
            div { dt { "Sets" } dd { (d.sets) } }
            div { dt { "Repetitions" } dd { (or_none(d.reps.map(|r| format!("{r} per set")))) } }
            div { dt { "Hold" } dd { (or_none(d.hold_s.map(|h| plural(h, "second", "seconds")))) } }
            div { dt { "Minutes" } dd { (or_none(d.minutes.map(|m| plural(m, "minute", "minutes")))) } }
            div { dt { "Rest between sets" } dd { @if d.rest_s == 0 { "None" } @else { (plural(d.rest_s, "second", "seconds")) } } }
            div { dt { "Side" } dd { (sentence(d.side.label())) } }
            div { dt { "When" } dd { (sentence(&d.schedule_text())) } }
            div { dt { "Load" } dd { (or_none(d.load.clone())) } }
            div { dt { "Effort" } dd { (or_none(d.effort.map(|e| format!("{e} out of 10")))) } }
        }
    }
}

/// `GET /library/{exercise_id}`: one exercise, all of it.
pub(crate) async fn show(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(exercise_id): ApiPath<String>,
) -> PageResult {
    let (e, own) = care::library::get(&state, &p, &exercise_id).await?;
    // Names of the ladder's steps (the read above is the audited one).
    let lib = care::library::load(state.store(), p.user.clinic_id).await?;
    let ladder = |ids: &[String]| -> Markup {
        html! {
            @for id in ids { li { a href={ "/library/" (id) } { (lib.name(id)) } } }
        }
    };
    let spec = e.tracking.as_ref().and_then(|t| physio_motion::exercises::find(&t.spec));
    let i = &e.instructions;
    let body = html! {
        style { (PreEscaped(FIGURE_CSS)) }
        a.back-link href="/library" { "Back to the library" }
        h1 { (e.name) }
        p.lead { (e.summary) }
        (exercise_tags(&e, own))
        div.exercise-detail {
            div.exercise-figures {
                figure.exercise-figure {
                    (animated(&e.figure, &e.name))
                    (still(&e.figure, &e.name))
                    figcaption.hint { "Figure: " (e.figure_credit.line()) }
                }
            }
            div.exercise-facts {
                dl.summary-list {
                    div { dt { "Purpose" } dd { (sentence(e.purpose.label())) } }
                    div { dt { "Body region" } dd { (sentence(e.region.label())) } }
                    div { dt { "Position" } dd { (sentence(e.position.label())) } }
                    div { dt { "Equipment" } dd {
                        @if e.equipment.is_empty() { "None" }
                        @else { (sentence(&e.equipment.iter().map(|x| x.label()).collect::<Vec<_>>().join(", "))) }
                    } }
                    div { dt { "Movements" } dd {
                        @if e.tags.is_empty() { "None that a precaution acts on" }
                        @else { (sentence(&e.tags.iter().map(|t| t.label()).collect::<Vec<_>>().join(", "))) }
                    } }
                    div { dt { "Default dose" } dd { (dose_words(&e.dose)) } }
                }
            }
        }
        h2 { "How to do it" }
        h3 { "Starting position" }
        p { (i.start) }
        h3 { "Steps" }
        ol.steps { @for s in &i.steps { li { (s) } } }
        h3 { "Cues" }
        ul { @for s in &i.cues { li { (s) } } }
        h3 { "Common mistakes" }
        ul { @for s in &i.mistakes { li { (s) } } }
        h3 { "What it should feel like" }
        p { (i.feel) }
        h3 { "When to stop" }
        p.stop-if { (i.stop_if) }
        h2 { "Default dose" }
        p.hint { "What a programme starts with unless you change it." }
        (dose_list(&e.dose))
        h2 { "Easier and harder" }
        @if e.easier.is_empty() && e.harder.is_empty() {
            p { "No easier or harder variant in the library." }
        }
        @if !e.easier.is_empty() { h3 { "Easier" } ul { (ladder(&e.easier)) } }
        @if !e.harder.is_empty() { h3 { "Harder" } ul { (ladder(&e.harder)) } }
        h2 { "Camera tracking" }
        @match (&e.tracking, spec) {
            (Some(t), Some(s)) => {
                dl.summary-list {
                    div { dt { "Counted as" } dd { (s.name) " (" (t.spec) ")" } }
                    div { dt { "Angle measured" } dd { (s.primary.describe()) } }
                    @if let Some(reach) = s.reach { div { dt { "Range asked for" } dd { (format!("{reach:.0}°")) } } }
                    @if let Some(limit) = s.limit { div { dt { "Clearly beyond the range" } dd { (format!("{limit:.0}°")) } } }
                    div { dt { "Camera view" } dd { (sentence(view_words(t))) } }
                    div { dt { "Counting" } dd.counting { (counting(&t.validation())) } }
                }
            },
            _ => p { "The camera does not follow this exercise." },
        }
        h2 { "Credits" }
        ul {
            li { "Figure: " (e.figure_credit.line()) }
            @for m in &e.media {
                li {
                    a href=(m.url) { (m.title) }
                    " (" @match m.kind { physio_clinic::exercise::MediaKind::Image => "picture", physio_clinic::exercise::MediaKind::Video => "video" } "): " (m.credit.line())
                }
            }
        }
    };
    Ok(page(&e.name, Some(&p), body).into_response())
}
