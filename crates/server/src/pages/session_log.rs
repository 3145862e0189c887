//! The session log on the patient's record (staff): each week's sessions against the plan,
//! then each session with the pain check, what was prescribed and done per exercise, pain and
//! effort, skips and early stops with their reasons, and the next-morning answer.

use maud::{Markup, html};
use physio_clinic::day::{Outcome, SessionStop};
use physio_clinic::programme::Item;
use physio_store::{DaySession, LoggedExercise};
use uuid::Uuid;

use crate::{
    auth::Principal,
    care::{self, day::SessionLog},
    pages::{PageError, layout::long_date},
    state::AppState,
    zone::Zone,
};

/// Weeks the record shows.
const WEEKS: u8 = 8;

/// The section, read through `care::day::log` (audited).
pub(crate) async fn section(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    z: &Zone,
) -> Result<Markup, PageError> {
    let log = care::day::log(state, p, patient_id, WEEKS).await?;
    let library = care::library::load(state.store(), p.user.clinic_id).await?;
    let name = |id: &str| library.find(id).map_or_else(|| id.replace('-', " "), |e| e.name.clone());
    Ok(render(&log, z, &name))
}

fn done_text(item: Option<&Item>, e: &LoggedExercise) -> String {
    let l = &e.log;
    let n = |v: Option<u16>| v.map_or("?".to_owned(), |v| v.to_string());
    match e.outcome {
        Outcome::Skipped(r) => format!("Skipped: {}", r.label().to_lowercase()),
        _ => {
            let amount = match item.map(|i| &i.dose) {
                Some(d) if d.minutes.is_some() => format!("{} min", n(l.minutes_done)),
                Some(d) if d.hold_s.is_some() => format!(
                    "{} × {} holds of {} s",
                    l.sets_done.map_or("?".to_owned(), |v| v.to_string()),
                    n(l.reps_done),
                    n(l.hold_s_done)
                ),
                _ => format!(
                    "{} × {}",
                    l.sets_done.map_or("?".to_owned(), |v| v.to_string()),
                    n(l.reps_done)
                ),
            };
            let stopped =
                if e.outcome == Outcome::StoppedForPain { ", stopped for pain" } else { "" };
            let camera = if e.camera_session.is_some() { ", camera" } else { "" };
            format!(
                "{amount}; pain {}/10, effort {}/10{stopped}{camera}",
                l.pain_during.map_or("?".to_owned(), |v| v.to_string()),
                l.effort.map_or("?".to_owned(), |v| v.to_string())
            )
        }
    }
}

fn prescribed_text(item: &Item) -> String {
    let d = &item.dose;
    match (d.minutes, d.hold_s, d.reps) {
        (Some(m), _, _) => format!("{m} min"),
        (_, Some(h), r) => format!("{} × {} holds of {h} s", d.sets, r.unwrap_or(1)),
        (_, _, r) => format!("{} × {}", d.sets, r.unwrap_or(0)),
    }
}

fn session_row(s: &DaySession, z: &Zone, name: &dyn Fn(&str) -> String) -> Markup {
    html! {
        li.session-entry {
            h4 {
                (long_date(s.day))
                @if s.number > 1 { ", session " (s.number) }
                " (programme version " (s.programme_version) ")"
            }
            p {
                "Pain before: " (s.pain_before) "/10"
                @if let Some(u) = s.usual_pain { " (usual " (u) ")" }
                @if let Some(c) = &s.closing {
                    @if let Some(a) = c.pain_after { "; after: " (a) "/10" }
                    @if let Some(f) = c.fatigue { "; tiredness " (f) "/10" }
                }
                @if let Some(m) = s.next_morning_pain { "; next morning: pain " (m) "/10" }
            }
            @match s.stopped {
                Some(SessionStop::HighPain { .. }) | Some(SessionStop::Flare { .. }) => {
                    p.session-stopped { strong { "Stopped before it started: " } (s.stopped.map(|x| x.staff_message()).unwrap_or_default()) }
                },
                None => {
                    @if s.ended_at.is_none() { p.hint { "Not finished (started " (z.date_time(s.started_at)) ")." } }
                    @if let Some(r) = s.closing.as_ref().and_then(|c| c.stopped_early) {
                        p { strong { "Stopped early: " } (r.label().to_lowercase())
                            @if let Some(n) = s.closing.as_ref().and_then(|c| c.note.as_deref()) { " (\u{201c}" (n) "\u{201d})" } }
                    }
                    table.session-table {
                        thead { tr { th scope="col" { "Exercise" } th scope="col" { "Prescribed" } th scope="col" { "Done" } } }
                        tbody {
                            @for item in &s.due {
                                @let logged = s.exercises.iter().find(|e| e.exercise == item.exercise);
                                tr {
                                    td { (name(&item.exercise)) }
                                    td { (prescribed_text(item)) }
                                    td { @match logged { Some(e) => (done_text(Some(item), e)), None => "Not recorded" } }
                                }
                            }
                        }
                    }
                },
            }
        }
    }
}

fn render(log: &SessionLog, z: &Zone, name: &dyn Fn(&str) -> String) -> Markup {
    html! {
        section.session-log aria-labelledby="session-log-title" {
            h2 #session-log-title { "Exercise sessions" }
            table.adherence {
                caption { "Sessions done against the plan, by week" }
                thead { tr { th scope="col" { "Week of" } th scope="col" { "Done" } th scope="col" { "Planned" } } }
                tbody {
                    @for w in &log.weeks {
                        tr { td { (long_date(w.monday)) } td { (w.done) } td { (w.planned) } }
                    }
                }
            }
            @if log.sessions.is_empty() {
                p { "No sessions recorded in the last " (WEEKS) " weeks." }
            } @else {
                ol.session-list { @for s in &log.sessions { (session_row(s, z, name)) } }
            }
        }
    }
}
