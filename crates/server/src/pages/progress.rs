//! The patient's progress page: for each pain and disability measure, a sentence on how it has
//! gone, a chart of the scores with the band of "no real change" around the first, and the same
//! numbers as a table; then guided sessions per week against the plan, and the exercises that
//! have moved up their ladder. Everything comes from `care::progress`.

use axum::{extract::State, response::IntoResponse};
use maud::{Markup, html};
use physio_clinic::progress::summary::num;
use physio_store::Role;

use crate::{
    care::{
        self,
        progress::{Measure, Move, Progress},
    },
    pages::{
        PageResult, PageUser,
        charts::{Chart, Point, Size, line_chart},
        layout::{long_date, page},
    },
    state::AppState,
    zone::Zone,
};
use physio_clinic::day::{WeekCount, plan};
use time::Date;

/// `GET /progress`: the signed-in patient's progress.
pub(crate) async fn show(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "progress").await?;
    let progress = care::progress::progress(&state, &p, p.user.id).await?;
    let zone = care::clinic::zone(&state, p.user.clinic_id).await?;
    Ok(page("Your progress", Some(&p), body(&progress, &zone)).into_response())
}

fn body(progress: &Progress, zone: &Zone) -> Markup {
    html! {
        a.back-link href="/home" { "Back to your home page" }
        h1 { "Your progress" }
        p.lead { "How your scores have changed since your first questionnaires, and how your exercise sessions are going." }
        @if progress.measures.is_empty() {
            h2 { "Your scores" }
            p { "Your first scores will show here after your first questionnaires." }
            p { a.button-secondary href="/questionnaires" { "See your questionnaires" } }
        }
        @for m in &progress.measures { (measure(m, zone)) }
        (sessions(&progress.weeks, progress.today))
        (moves(&progress.moves))
    }
}

/// One measure: its sentence, its chart and its table.
fn measure(m: &Measure, zone: &Zone) -> Markup {
    let id = m.instrument.as_str();
    let points: Vec<Point> =
        m.scores.iter().map(|s| Point { at: zone.local(s.at), value: s.value }).collect();
    let legend = m.threshold.map(|t| {
        format!(
            "The shaded area is within {} of your first score. A change that stays inside it is \
             too small to be sure it is real.",
            points_word(t)
        )
    });
    let caption = format!("Your scores, from {} to {}", num(m.min), num(m.max));
    html! {
        section.progress-measure aria-labelledby={ "measure-" (id) } {
            h2 #{ "measure-" (id) } { (m.title) }
            p.progress-summary { (m.summary.text) }
            p.hint { (m.summary.reading) }
            (line_chart(&Chart {
                title: &caption,
                points: &points,
                y_min: m.min,
                y_max: m.max,
                band: match (m.band, &legend) {
                    (Some(b), Some(l)) => Some((b.low, b.high, l.as_str())),
                    _ => None,
                },
                size: Size::PHONE,
            }))
            details.progress-table {
                summary { "See your scores as a table" }
                table {
                    caption.visually-hidden { (m.title) ": your scores" }
                    thead { tr { th scope="col" { "Date" } th scope="col" { "Score" } } }
                    tbody { @for s in &m.scores { tr { td { (long_date(s.day)) } td { (num(s.value)) } } } }
                }
            }
        }
    }
}

/// "10 points", "1.8 points", "1 point".
fn points_word(t: f64) -> String {
    let n = num(t);
    if n == "1" { "1 point".to_owned() } else { format!("{n} points") }
}

/// Guided sessions per week against the plan, with a bar for each week.
fn sessions(weeks: &[WeekCount], today: Date) -> Markup {
    let this_week = plan::week_start(today);
    let done: u32 = weeks.iter().map(|w| w.done).sum();
    let planned: u32 = weeks.iter().map(|w| w.planned).sum();
    html! {
        section aria-labelledby="sessions-title" {
            h2 #sessions-title { "Your exercise sessions" }
            @if weeks.is_empty() {
                p { "Your sessions will show here once your physiotherapist has set your exercises." }
            } @else {
                p { (total(done, planned, weeks.len())) }
                table.adherence.progress-weeks {
                    caption { "Sessions done each week" }
                    thead { tr { th scope="col" { "Week starting" } th scope="col" { "Done" } } }
                    tbody {
                        @for w in weeks.iter().rev() {
                            tr {
                                // This week's plan counts the days so far, so it says so.
                                td { @if w.monday == this_week { "This week, so far" } @else { (w.monday.day()) " " (w.monday.month()) } }
                                td {
                                    (w.done) " of " (w.planned)
                                    @let share = (100 * w.done.min(w.planned)).checked_div(w.planned).unwrap_or(0);
                                    span.week-bar aria-hidden="true" { span.week-bar-done style={ "width:" (share) "%" } {} }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The sessions over the weeks shown, as a sentence.
fn total(done: u32, planned: u32, weeks: usize) -> String {
    let span =
        if weeks == 1 { "This week".to_owned() } else { format!("Over the last {weeks} weeks") };
    let sessions = |n: u32| if n == 1 { "1 session".to_owned() } else { format!("{n} sessions") };
    match (done, planned) {
        (0, 0) => format!("{span} there were no sessions in your plan."),
        (0, p) => format!("{span} your plan had {}. Every session helps.", sessions(p)),
        (d, p) if d >= p => format!("{span} you did {}: the whole plan. Well done.", sessions(d)),
        (d, p) => format!("{span} you did {d} of the {} in your plan.", sessions(p)),
    }
}

/// Exercises that have moved up their ladder.
fn moves(moves: &[Move]) -> Markup {
    html! {
        section aria-labelledby="moves-title" {
            h2 #moves-title { "Exercises you have moved up" }
            @if moves.is_empty() {
                p { "When your physiotherapist moves you on to a harder version of an exercise, it will show here." }
            } @else {
                p { "Your physiotherapist has moved you on to harder versions of these exercises:" }
                ul.progress-moves {
                    @for m in moves {
                        li { strong { (m.to_name) } ", instead of " (m.from_name) ", since " (long_date(m.since)) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_read_as_sentences() {
        assert_eq!(total(3, 7, 1), "This week you did 3 of the 7 sessions in your plan.");
        assert_eq!(
            total(8, 6, 2),
            "Over the last 2 weeks you did 8 sessions: the whole plan. Well done."
        );
        assert_eq!(
            total(0, 1, 2),
            "Over the last 2 weeks your plan had 1 session. Every session helps."
        );
        assert_eq!(points_word(1.0), "1 point");
        assert_eq!(points_word(1.8), "1.8 points");
    }
}
