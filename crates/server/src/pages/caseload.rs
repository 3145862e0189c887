//! The clinician's caseload page (`/caseload`): a table with a column per fact, sorted on the
//! server by any column (header links carry `aria-sort`), filtered by a GET form that works
//! without JavaScript; on a phone each row reads as a card. And the same facts for one patient
//! at the top of their page. The facts and rules are `care::caseload` and
//! `physio_clinic::caseload`.

use axum::{extract::State, response::IntoResponse};
use maud::{Markup, html};
use physio_clinic::caseload::{AlertKind, Attention, Dir, Direction, Facts, PainSource, SortKey};
use physio_clinic::day::WeekCount;
use physio_clinic::pathway::{Pathway, Phase};
use physio_store::Role;
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use crate::{
    auth::Principal,
    care::{
        self,
        caseload::{Caseload, CaseloadQuery, CaseloadRow},
    },
    error::ApiQuery,
    pages::{PageError, PageResult, PageUser, clinical::tier_label, layout::page},
    state::AppState,
};

/// The page's query string: the API's, with the form's empty choices meaning "any".
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PageQuery {
    q: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    #[serde(default)]
    attention: bool,
    pathway: Option<String>,
    phase: Option<String>,
    clinician: Option<String>,
}

impl PageQuery {
    fn care(&self) -> CaseloadQuery {
        CaseloadQuery {
            q: self.q.clone(),
            sort: self.sort.clone(),
            dir: self.dir.clone(),
            attention: self.attention,
            pathway: self.pathway.clone(),
            phase: self.phase.clone(),
            clinician: self.clinician.clone(),
        }
    }
}

/// Column headings: (sort key, heading).
const COLUMNS: [(SortKey, &str); 11] = [
    (SortKey::Name, "Patient"),
    (SortKey::Attention, "Needs you"),
    (SortKey::Adherence, "This week"),
    (SortKey::Pain, "Last pain"),
    (SortKey::Trend, "Pain trend"),
    (SortKey::LastSession, "Last session"),
    (SortKey::Proposals, "Proposals"),
    (SortKey::Contacts, "Contacts this week"),
    (SortKey::Pathway, "Pathway"),
    (SortKey::Phase, "Phase"),
    (SortKey::CareTeam, "Care team"),
];

/// The direction a column sorts in when first chosen: the end that needs help first.
fn first_dir(key: SortKey) -> Dir {
    match key {
        SortKey::Alerts
        | SortKey::Pain
        | SortKey::Trend
        | SortKey::LastSession
        | SortKey::Proposals => Dir::Desc,
        SortKey::Attention
        | SortKey::Name
        | SortKey::Adherence
        | SortKey::Contacts
        | SortKey::Pathway
        | SortKey::Phase
        | SortKey::CareTeam => Dir::Asc,
    }
}

fn sort_label(key: SortKey) -> &'static str {
    match key {
        SortKey::Attention => "Who needs help first",
        SortKey::Name => "Name",
        SortKey::Alerts => "Open alerts",
        SortKey::Adherence => "Sessions done this week",
        SortKey::Pain => "Last pain",
        SortKey::Trend => "Pain trend",
        SortKey::LastSession => "Days since the last session",
        SortKey::Proposals => "Proposals waiting",
        SortKey::Contacts => "Contacts this week",
        SortKey::Pathway => "Pathway",
        SortKey::Phase => "Phase",
        SortKey::CareTeam => "Care team",
    }
}

/// "1 of 2": contacts this week against the target (`physio_clinic::contact`).
fn contacts_text(n: u32) -> String {
    format!("{n} of {}", physio_clinic::contact::TARGET_PER_WEEK)
}

fn words(s: &str) -> String {
    s.replace('_', " ")
}

/// A wire name as a heading reads it: "Post op fusion".
fn label(wire: &str) -> String {
    crate::pages::layout::sentence(&words(wire))
}

fn pathway_label(p: Pathway) -> String {
    label(p.as_str())
}

fn phase_label(p: Phase) -> String {
    label(p.as_str())
}

/// "today", "yesterday", "5 days ago".
fn days_ago(days: u32) -> String {
    match days {
        0 => "today".to_owned(),
        1 => "yesterday".to_owned(),
        n => format!("{n} days ago"),
    }
}

fn since(day: Date, today: Date) -> String {
    days_ago(u32::try_from((today - day).whole_days()).unwrap_or(0))
}

/// A dash for "nothing", read out as "none".
fn none() -> Markup {
    html! { span aria-hidden="true" { "–" } span.visually-hidden { "none" } }
}

/// The link that keeps every filter and sets the order.
fn link(q: &PageQuery, key: SortKey, dir: Dir) -> String {
    let mut pairs: Vec<(&str, String)> = vec![];
    if let Some(v) = q.q.as_deref().filter(|v| !v.trim().is_empty()) {
        pairs.push(("q", v.to_owned()));
    }
    if q.attention {
        pairs.push(("attention", "true".to_owned()));
    }
    for (name, v) in [("pathway", &q.pathway), ("phase", &q.phase), ("clinician", &q.clinician)] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            pairs.push((name, v.to_owned()));
        }
    }
    pairs.push(("sort", key.as_str().to_owned()));
    pairs.push(("dir", dir.as_str().to_owned()));
    format!("/caseload?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
}

fn header(q: &PageQuery, c: &Caseload, key: SortKey, heading: &str) -> Markup {
    let current = c.sort == key;
    let next = if current { c.dir.flip() } else { first_dir(key) };
    let aria = match (current, c.dir) {
        (false, _) => None,
        (true, Dir::Asc) => Some("ascending"),
        (true, Dir::Desc) => Some("descending"),
    };
    html! {
        th scope="col" aria-sort=[aria] {
            a.sort-link href=(link(q, key, next)) {
                (heading)
                @if current {
                    span.sort-mark aria-hidden="true" { @if c.dir == Dir::Asc { " ▲" } @else { " ▼" } }
                }
            }
        }
    }
}

fn alert_tag(count: u32, kind: AlertKind) -> Markup {
    let class = match kind.urgency() {
        physio_clinic::alert::Urgency::Emergency => "tag-emergency",
        physio_clinic::alert::Urgency::Urgent => "tag-urgent",
        physio_clinic::alert::Urgency::Routine => "tag-routine",
    };
    html! {
        span.tag.(class) { (count) " alert" @if count != 1 { "s" } }
        " " span.hint-inline { (kind.title()) }
    }
}

/// Each reason the patient needs attention, as tags and words.
fn needs(f: &Facts) -> Markup {
    html! {
        @if f.attention.is_empty() { span.hint-inline { "Nothing waiting" } }
        ul.reasons {
            @for a in &f.attention {
                li {
                    @match a {
                        Attention::Alert { count, kind } => (alert_tag(*count, *kind)),
                        Attention::Review { tier } => {
                            @let (label, class) = tier_label(*tier);
                            span.tag.(class) { (label) ": review" }
                        },
                        Attention::PainUp => span.tag.tag-attention { "Pain up" },
                        Attention::Proposals { count } => span.tag.tag-attention { (count) " proposal" @if *count != 1 { "s" } },
                        Attention::NoSessions { days } => span.tag.tag-attention { "No session for " (days) " days" },
                    }
                }
            }
        }
    }
}

fn week_text(w: Option<WeekCount>) -> Markup {
    match w {
        None => html! { span.hint-inline { "No programme" } },
        Some(w) if w.planned == 0 && w.done == 0 => {
            html! { span.hint-inline { "None planned yet" } }
        }
        Some(w) => html! { (w.done) " of " (w.planned) " done" },
    }
}

fn pain_text(f: &Facts, today: Date) -> Markup {
    match f.last_pain {
        None => none(),
        Some(p) => html! {
            strong { (p.pain) "/10" } " "
            span.hint-inline {
                (since(p.day, today))
                @match p.source { PainSource::SessionCheck => ", before a session", PainSource::Nprs => ", pain score" }
            }
        },
    }
}

fn trend_text(f: &Facts) -> Markup {
    match f.trend {
        None => none(),
        Some(t) => {
            let arrow = match t.direction {
                Direction::Up => "↑ ",
                Direction::Down => "↓ ",
                Direction::Steady => "→ ",
            };
            html! {
                @if t.direction == Direction::Up { strong { span aria-hidden="true" { (arrow) } (t.words()) } }
                @else { span aria-hidden="true" { (arrow) } (t.words()) }
            }
        }
    }
}

fn session_text(f: &Facts) -> Markup {
    match f.days_since_session {
        None => html! { "never" },
        Some(d) => html! { (days_ago(d)) },
    }
}

fn row(r: &CaseloadRow, today: Date) -> Markup {
    let f = &r.facts;
    html! {
        tr data-patient-id=(r.id) {
            td { a href={ "/patients/" (r.id) } { (r.name) } }
            td { span.cell-label { "Needs you: " } (needs(f)) }
            td { span.cell-label { "This week: " } (week_text(f.week)) }
            td { span.cell-label { "Last pain: " } (pain_text(f, today)) }
            td { span.cell-label { "Pain trend: " } (trend_text(f)) }
            td { span.cell-label { "Last session: " } (session_text(f)) }
            td { span.cell-label { "Proposals: " } (f.proposals) }
            td { span.cell-label { "Contacts this week: " } (contacts_text(f.contacts_this_week)) }
            td { span.cell-label { "Pathway: " } @match f.pathway { Some(p) => (pathway_label(p)), None => (none()) } }
            td { span.cell-label { "Phase: " } @match f.phase { Some(p) => (phase_label(p)), None => (none()) } }
            td {
                span.cell-label { "Care team: " }
                (r.care_team.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join(", "))
            }
        }
    }
}

fn selected(v: &Option<String>, option: &str) -> bool {
    v.as_deref() == Some(option)
}

fn filters(q: &PageQuery, c: &Caseload) -> Markup {
    html! {
        form.caseload-filters method="get" action="/caseload" role="search" aria-label="Find and filter patients" {
            div.field {
                label for="q" { "Search your patients" }
                p.hint #q-hint { "By name, e-mail or what brought them in." }
                input #q type="search" name="q" value=(q.q.as_deref().unwrap_or("")) aria-describedby="q-hint";
            }
            div.filter-row {
                div.checkbox {
                    input #attention type="checkbox" name="attention" value="true" checked[q.attention];
                    label for="attention" { "Only patients who need attention" }
                }
            }
            div.filter-row {
                div.field {
                    label for="pathway" { "Pathway" }
                    select #pathway name="pathway" {
                        option value="" { "Any pathway" }
                        @for p in Pathway::ALL {
                            option value=(p.as_str()) selected[selected(&q.pathway, p.as_str())] { (pathway_label(p)) }
                        }
                    }
                }
                div.field {
                    label for="phase" { "Phase" }
                    select #phase name="phase" {
                        option value="" { "Any phase" }
                        @for p in Phase::ALL {
                            option value=(p.as_str()) selected[selected(&q.phase, p.as_str())] { (phase_label(p)) }
                        }
                    }
                }
                div.field {
                    label for="clinician" { "Clinician" }
                    select #clinician name="clinician" {
                        option value="" { "Anyone on the care team" }
                        @for m in &c.clinicians {
                            @let id = m.clinician_id.to_string();
                            option value=(id) selected[selected(&q.clinician, &id)] { (m.name) }
                        }
                    }
                }
                div.field {
                    label for="sort" { "Sort by" }
                    select #sort name="sort" {
                        @for k in SortKey::ALL {
                            option value=(k.as_str()) selected[c.sort == k] { (sort_label(k)) }
                        }
                    }
                }
                div.field {
                    label for="dir" { "Order" }
                    select #dir name="dir" {
                        option value="asc" selected[c.dir == Dir::Asc] { "Ascending" }
                        option value="desc" selected[c.dir == Dir::Desc] { "Descending" }
                    }
                }
            }
            button.button type="submit" { "Search" }
        }
    }
}

/// `GET /caseload`: the clinician's patients, who needs help first unless asked otherwise.
pub(crate) async fn show(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> PageResult {
    let c = care::caseload::caseload(&state, &p, &q.care()).await?;
    let searched = q.q.as_deref().is_some_and(|s| !s.trim().is_empty());
    let filtered = q.attention
        || [&q.pathway, &q.phase, &q.clinician]
            .iter()
            .any(|v| v.as_deref().is_some_and(|v| !v.is_empty()));
    let n = c.patients.len();
    let plural = |n: usize| if n == 1 { "patient" } else { "patients" };
    let body = html! {
        h1 { "My patients" }
        (filters(&q, &c))
        p.caseload-count aria-live="polite" {
            @if !searched && !filtered {
                strong { (n) } " " (plural(n)) " on your caseload."
            } @else if searched {
                strong { (n) } " of your patients match “" (q.q.as_deref().unwrap_or("").trim()) "”"
                @if filtered { " and the filters" } ". "
                a href="/caseload" { "Show all" }
            } @else {
                strong { (n) } " of " (c.total) " " (plural(c.total)) " shown. "
                a href="/caseload" { "Show all" }
            }
        }
        @if n > 0 {
            div.table-scroll {
                table #caseload {
                    caption.visually-hidden {
                        "Patients on your caseload, sorted by " (sort_label(c.sort).to_lowercase())
                        @if c.dir == Dir::Desc { ", descending" }
                    }
                    thead { tr { @for (key, heading) in COLUMNS { (header(&q, &c, key, heading)) } } }
                    tbody { @for r in &c.patients { (row(r, c.today)) } }
                }
            }
        }
    };
    Ok(page("My patients", Some(&p), body).into_response())
}

/// The patient's caseload facts at the top of their page, for their care team's clinicians;
/// nothing for anyone else.
pub(crate) async fn summary(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
) -> Result<Markup, PageError> {
    if p.role() != Role::Clinician {
        return Ok(html! {});
    }
    let r = care::caseload::summary(state, p, patient_id).await?;
    let today = care::programme::today(state, p.user.clinic_id).await?;
    let f = &r.facts;
    Ok(html! {
        section.at-a-glance aria-labelledby="glance-title" {
            h2 #glance-title { "At a glance" }
            dl.summary-list {
                div { dt { "Needs you" } dd { (needs(f)) } }
                div { dt { "This week" } dd { (week_text(f.week)) } }
                div { dt { "Last pain" } dd {
                    (pain_text(f, today))
                    @if f.trend.is_some() { span.hint-inline { "; trend: " } (trend_text(f)) }
                } }
                div { dt { "Last session" } dd {
                    (session_text(f))
                    @if let Some(d) = f.quiet_days.filter(|d| Some(*d) != f.days_since_session) {
                        span.hint-inline { " (programme started " (days_ago(d)) ")" }
                    }
                } }
                div { dt { "Proposals waiting" } dd {
                    (f.proposals)
                    @if f.proposals > 0 { " " a href="#progression-title" { "Decide them" } }
                } }
                div { dt { "Contacts this week" } dd { (contacts_text(f.contacts_this_week)) } }
                div { dt { "Pathway and phase" } dd {
                    @match (f.pathway, f.phase) {
                        (Some(p), Some(ph)) => { (pathway_label(p)) ", " (phase_label(ph).to_lowercase()) " phase" },
                        (Some(p), None) => { (pathway_label(p)) ", phase not worked out yet" },
                        _ => { "No pathway yet" },
                    }
                } }
            }
        }
    })
}
