//! The prescription editor: one form holding a patient's whole programme (each exercise's
//! order, dose, days, dates, note, range, camera choice and override reason, a "remove" box,
//! and a row to add an exercise), saved as a new version with a reason. A refusal comes back
//! with everything as typed, an error summary linking to each control, and each message at its
//! control: the care layer names a field as `items[2].dose.reps` (the index into the programme
//! as sent), which [`Place::id`] turns into the id of the control in the form (`item-3-reps`,
//! `add-reps`).

use std::collections::BTreeMap;

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use maud::{Markup, PreEscaped, html};
use physio_clinic::exercise::{BodyRegion, Dose, Exercise, Side, Weekday};
use physio_clinic::programme::{Item, Override, RangeTarget, conflicts};
use physio_store::Role;
use time::Date;
use uuid::Uuid;

use super::Form;
use crate::{
    auth::Principal,
    care::{
        self,
        library::ClinicLibrary,
        programme::{ProgrammeRequest, ProgrammeView},
    },
    error::{ApiError, ApiPath},
    pages::{
        PageResult, PageUser,
        figure::{FIGURE_CSS, still},
        layout::{csrf_field, page, sentence},
        programme_staff::{dates_text, names, parse_date, patient_url},
    },
    state::AppState,
};

/// One row of the form, as typed (or as prescribed, when the editor opens).
#[derive(Debug, Clone, Default)]
struct Row {
    exercise: String,
    order: String,
    sets: String,
    reps: String,
    hold: String,
    minutes: String,
    rest: String,
    side: String,
    days: Vec<String>,
    times: String,
    load: String,
    effort: String,
    start: String,
    end: String,
    note: String,
    target: String,
    max: String,
    override_reason: String,
    /// Camera counting offered although not yet validated (the clinician's choice).
    camera: bool,
    remove: bool,
}

impl Row {
    fn of(item: &Item, k: usize) -> Row {
        let d = &item.dose;
        let text = |v: Option<u16>| v.map(|v| v.to_string()).unwrap_or_default();
        Row {
            exercise: item.exercise.clone(),
            order: (k + 1).to_string(),
            sets: d.sets.to_string(),
            reps: text(d.reps),
            hold: text(d.hold_s),
            minutes: text(d.minutes),
            rest: d.rest_s.to_string(),
            side: d.side.as_str().to_owned(),
            days: d.days.iter().map(|w| w.as_str().to_owned()).collect(),
            times: d.times_per_day.to_string(),
            load: d.load.clone().unwrap_or_default(),
            effort: d.effort.map(|e| e.to_string()).unwrap_or_default(),
            start: item.start.to_string(),
            end: item.end.map(|e| e.to_string()).unwrap_or_default(),
            note: item.note.clone().unwrap_or_default(),
            target: item.range.map(|r| r.target_deg.to_string()).unwrap_or_default(),
            max: item.range.map(|r| r.max_deg.to_string()).unwrap_or_default(),
            override_reason: item.override_.as_ref().map(|o| o.reason.clone()).unwrap_or_default(),
            camera: item.camera,
            remove: false,
        }
    }

    fn set(&mut self, field: &str, value: String) {
        let slot = match field {
            "exercise" => &mut self.exercise,
            "order" => &mut self.order,
            "sets" => &mut self.sets,
            "reps" => &mut self.reps,
            "hold" => &mut self.hold,
            "minutes" => &mut self.minutes,
            "rest" => &mut self.rest,
            "side" => &mut self.side,
            "times" => &mut self.times,
            "load" => &mut self.load,
            "effort" => &mut self.effort,
            "start" => &mut self.start,
            "end" => &mut self.end,
            "note" => &mut self.note,
            "target" => &mut self.target,
            "max" => &mut self.max,
            "override" => &mut self.override_reason,
            "days" => return self.days.push(value),
            "remove" => return self.remove = !value.is_empty(),
            "camera" => return self.camera = !value.is_empty(),
            _ => return,
        };
        *slot = value;
    }
}

/// The whole form.
#[derive(Debug, Clone, Default)]
struct Editor {
    rows: Vec<Row>,
    add: Row,
    reason: String,
    based_on: String,
}

/// Most rows read from one form (a programme holds at most 20 exercises).
const MAX_ROWS: usize = 100;

impl Editor {
    fn of(view: &ProgrammeView) -> Editor {
        Editor {
            rows: view.entries.iter().enumerate().map(|(k, e)| Row::of(&e.item, k)).collect(),
            add: Row::default(),
            reason: String::new(),
            based_on: view.current.as_ref().map_or(0, |c| c.version).to_string(),
        }
    }

    /// The form as posted: `items[k].field` for the programme's rows, `add.field` for the new
    /// one (a repeated `days` key per ticked day).
    fn parse(pairs: Vec<(String, String)>) -> Editor {
        let mut rows: BTreeMap<usize, Row> = BTreeMap::new();
        let mut ed = Editor::default();
        for (key, value) in pairs {
            if key == "reason" {
                ed.reason = value;
            } else if key == "based_on" {
                ed.based_on = value;
            } else if let Some(field) = key.strip_prefix("add.") {
                ed.add.set(field, value);
            } else if let Some((k, field)) =
                key.strip_prefix("items[").and_then(|rest| rest.split_once("]."))
                && let Ok(k) = k.parse::<usize>()
                && k < MAX_ROWS
            {
                rows.entry(k).or_default().set(field, value);
            }
        }
        ed.rows = rows.into_values().filter(|r| !r.exercise.is_empty()).collect();
        ed
    }
}

/// Where a control is: a row of the programme by its place in the form, or the added row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Row(usize),
    Add,
}

impl Place {
    /// The id of one of its controls (`item-3-reps`, `add-reps`).
    fn id(self, field: &str) -> String {
        match self {
            Place::Row(k) => format!("item-{k}-{field}"),
            Place::Add => format!("add-{field}"),
        }
    }

    /// The form name of one of its controls (`items[3].reps`, `add.reps`).
    fn name(self, field: &str) -> String {
        match self {
            Place::Row(k) => format!("items[{k}].{field}"),
            Place::Add => format!("add.{field}"),
        }
    }
}

/// One problem with the form: the control's id and how to fix it.
#[derive(Debug, Clone)]
struct Problem {
    id: String,
    message: String,
}

/// The id of the heading above the rows: problems with the programme as a whole link there.
const ITEMS_ID: &str = "programme-items";

/// The control a care-layer field path names: `items[i].…` is the `i`th item sent, found in
/// `sent`; its `exercise` is the row's override reason (where the clinician answers a
/// precaution) unless the added exercise is unknown or already in the programme.
fn control_of(field: &str, sent: &[Place], ed: &Editor, lib: &ClinicLibrary) -> String {
    let item =
        field.strip_prefix("items[").and_then(|rest| rest.split_once(']')).and_then(|(i, sub)| {
            Some((sent.get(i.parse::<usize>().ok()?)?, sub.trim_start_matches('.')))
        });
    let Some((place, sub)) = item else {
        return if field == "reason" { "reason".to_owned() } else { ITEMS_ID.to_owned() };
    };
    let control = match sub {
        "dose.sets" => "sets",
        "dose.reps" => "reps",
        "dose.hold_s" => "hold",
        "dose.minutes" => "minutes",
        "dose.rest_s" => "rest",
        "dose.side" => "side",
        "dose.days" => "days",
        "dose.times_per_day" => "times",
        "dose.load" => "load",
        "dose.effort" => "effort",
        "start" => "start",
        "end" => "end",
        "note" => "note",
        "range" | "range.target_deg" => "target",
        "range.max_deg" => "max",
        "camera" => "camera",
        "exercise" if *place == Place::Add => {
            let id = ed.add.exercise.trim();
            let kept = ed.rows.iter().any(|r| !r.remove && r.exercise == id);
            if lib.find(id).is_none() || kept { "exercise" } else { "override" }
        }
        _ => "override",
    };
    place.id(control)
}

/// Collects the problems of one row while its fields are read.
struct Reader<'a> {
    place: Place,
    problems: &'a mut Vec<Problem>,
    ok: bool,
}

impl Reader<'_> {
    fn take<T>(&mut self, field: &str, r: Result<T, String>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(message) => {
                self.problems.push(Problem { id: self.place.id(field), message });
                self.ok = false;
                None
            }
        }
    }
}

/// A whole number as typed: `None` when empty.
fn whole<T: std::str::FromStr>(text: &str, bad: &str) -> Result<Option<T>, String> {
    match text.trim() {
        "" => Ok(None),
        t => t.parse().map(Some).map_err(|_| bad.to_owned()),
    }
}

/// Degrees as typed (a comma works as the decimal point): `None` when empty.
fn degrees(text: &str, bad: &str) -> Result<Option<f32>, String> {
    match text.trim() {
        "" => Ok(None),
        t => t.replace(',', ".").parse::<f32>().map(Some).map_err(|_| bad.to_owned()),
    }
}

/// One row as a prescribed item. `default` is the exercise's default dose for the added row:
/// its empty dose fields take the default, and an empty start is today.
fn read_row(
    row: &Row,
    place: Place,
    default: Option<&Dose>,
    today: Date,
    problems: &mut Vec<Problem>,
) -> Option<Item> {
    let mut r = Reader { place, problems, ok: true };
    let sets = r.take(
        "sets",
        whole::<u8>(&row.sets, "Enter the number of sets as a whole number, like 3").and_then(
            |v| {
                v.or(default.map(|d| d.sets))
                    .ok_or_else(|| "Enter the number of sets, from 1 to 10".to_owned())
            },
        ),
    );
    let reps = r.take(
        "reps",
        whole::<u16>(&row.reps, "Enter the repetitions as a whole number, like 10")
            .map(|v| v.or(default.and_then(|d| d.reps))),
    );
    let hold_s = r.take(
        "hold",
        whole::<u16>(&row.hold, "Enter the hold in whole seconds, like 30")
            .map(|v| v.or(default.and_then(|d| d.hold_s))),
    );
    let minutes = r.take(
        "minutes",
        whole::<u16>(&row.minutes, "Enter the minutes as a whole number, like 15")
            .map(|v| v.or(default.and_then(|d| d.minutes))),
    );
    let rest_s = r.take(
        "rest",
        whole::<u16>(&row.rest, "Enter the rest in whole seconds, like 30, or leave it empty")
            .map(|v| v.or(default.map(|d| d.rest_s)).unwrap_or(0)),
    );
    let side = r.take(
        "side",
        match row.side.trim() {
            "" => default.map(|d| d.side).ok_or_else(|| "Choose a side".to_owned()),
            s => s.parse::<Side>().map_err(|_| "Choose a side from the list".to_owned()),
        },
    );
    let days = r.take(
        "days",
        if row.days.is_empty() {
            Ok(default.map(|d| d.days.clone()).unwrap_or_default())
        } else {
            row.days
                .iter()
                .map(|d| d.parse::<Weekday>())
                .collect::<Result<Vec<_>, _>>()
                .map(|days| Weekday::ALL.iter().copied().filter(|d| days.contains(d)).collect())
                .map_err(|_| "Choose days from the list".to_owned())
        },
    );
    let times_per_day = r.take(
        "times",
        whole::<u8>(&row.times, "Enter how many times a day as a whole number, like 2").and_then(
            |v| {
                v.or(default.map(|d| d.times_per_day))
                    .ok_or_else(|| "Enter how many times a day, from 1 to 6".to_owned())
            },
        ),
    );
    let effort = r.take(
        "effort",
        whole::<u8>(
            &row.effort,
            "Enter the effort as a whole number from 0 to 10, or leave it empty",
        )
        .map(|v| v.or(default.and_then(|d| d.effort))),
    );
    let load = match row.load.trim() {
        "" => default.and_then(|d| d.load.clone()),
        l => Some(l.to_owned()),
    };
    let example = format!("for example {today}");
    let start = r.take(
        "start",
        match row.start.trim() {
            "" if default.is_some() => Ok(today),
            "" => Err(format!("Enter the start date, {example}")),
            s => parse_date(s).ok_or_else(|| format!("Enter the start date as a date, {example}")),
        },
    );
    let end = r.take(
        "end",
        match row.end.trim() {
            "" => Ok(None),
            s => parse_date(s).map(Some).ok_or_else(|| {
                format!("Enter the end date as a date, {example}, or leave it empty")
            }),
        },
    );
    let target =
        r.take("target", degrees(&row.target, "Enter the target range in degrees, like 45"));
    let max = r.take("max", degrees(&row.max, "Enter the maximum range in degrees, like 60"));
    let range = match (target, max) {
        (Some(Some(target_deg)), Some(Some(max_deg))) => Some(RangeTarget { target_deg, max_deg }),
        (Some(Some(_)), Some(None)) => {
            r.take::<()>(
                "max",
                Err("Enter a maximum as well as the target, or leave both empty".into()),
            );
            None
        }
        (Some(None), Some(Some(_))) => {
            r.take::<()>(
                "target",
                Err("Enter a target as well as the maximum, or leave both empty".into()),
            );
            None
        }
        _ => None,
    };
    let override_ = match row.override_reason.trim() {
        "" => None,
        reason => Some(Override { reason: reason.to_owned(), precautions: vec![] }),
    };
    let note = Some(row.note.trim().to_owned()).filter(|n| !n.is_empty());
    if !r.ok {
        return None;
    }
    Some(Item {
        exercise: row.exercise.trim().to_owned(),
        dose: Dose {
            sets: sets?,
            reps: reps?,
            hold_s: hold_s?,
            minutes: minutes?,
            rest_s: rest_s?,
            side: side?,
            days: days?,
            times_per_day: times_per_day?,
            load,
            effort: effort?,
        },
        start: start?,
        end: end?,
        note,
        range,
        override_,
        camera: row.camera,
    })
}

/// The programme the form asks for, in the order of its order numbers with the added row
/// last; where each item came from; and the problems found reading it.
fn read_form(
    ed: &Editor,
    lib: &ClinicLibrary,
    today: Date,
) -> (Vec<Item>, Vec<Place>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut kept: Vec<(i64, usize, Item)> = Vec::new();
    for (k, row) in ed.rows.iter().enumerate().filter(|(_, r)| !r.remove) {
        let order = match row.order.trim() {
            "" => Some(k as i64 + 1),
            o => o.parse::<i64>().ok(),
        };
        if order.is_none() {
            problems.push(Problem {
                id: Place::Row(k).id("order"),
                message: "Enter the order as a whole number, like 2".to_owned(),
            });
        }
        let item = read_row(row, Place::Row(k), None, today, &mut problems);
        if let (Some(o), Some(item)) = (order, item) {
            kept.push((o, k, item));
        }
    }
    kept.sort_by_key(|(o, k, _)| (*o, *k));
    let (mut places, mut items): (Vec<Place>, Vec<Item>) =
        kept.into_iter().map(|(_, k, item)| (Place::Row(k), item)).unzip();
    let added = ed.add.exercise.trim();
    if !added.is_empty() {
        match lib.find(added) {
            None => problems.push(Problem {
                id: Place::Add.id("exercise"),
                message: "Choose an exercise from the list".to_owned(),
            }),
            Some(ex) => {
                if let Some(item) =
                    read_row(&ed.add, Place::Add, Some(&ex.dose), today, &mut problems)
                {
                    places.push(Place::Add);
                    items.push(item);
                }
            }
        }
    }
    (items, places, problems)
}

fn error_at(problems: &[Problem], id: &str) -> Markup {
    html! {
        @for p in problems.iter().filter(|p| p.id == id) {
            p.field-error id={ (id) "-error" } { span.visually-hidden { "Error: " } (p.message) }
        }
    }
}

fn invalid(problems: &[Problem], id: &str) -> bool {
    problems.iter().any(|p| p.id == id)
}

/// `aria-describedby` for a control: its hint and its error, as far as it has them.
fn described(problems: &[Problem], id: &str, hint: bool) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{id}-hint"));
    }
    if invalid(problems, id) {
        ids.push(format!("{id}-error"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// A short text input.
fn small(
    place: Place,
    field: &str,
    label: &str,
    value: &str,
    mode: &str,
    problems: &[Problem],
) -> Markup {
    let id = place.id(field);
    html! {
        div.field.rx-field {
            label for=(id) { (label) }
            (error_at(problems, &id))
            input id=(id) name=(place.name(field)) type="text" inputmode=(mode) value=(value)
                aria-invalid=(invalid(problems, &id)) aria-describedby=[described(problems, &id, false)];
        }
    }
}

fn date_field(place: Place, field: &str, label: &str, value: &str, problems: &[Problem]) -> Markup {
    let id = place.id(field);
    html! {
        div.field.rx-field {
            label for=(id) { (label) }
            (error_at(problems, &id))
            input id=(id) name=(place.name(field)) type="date" value=(value)
                aria-invalid=(invalid(problems, &id)) aria-describedby=[described(problems, &id, false)];
        }
    }
}

fn textarea(
    place: Place,
    field: &str,
    label: &str,
    hint: Option<&str>,
    value: &str,
    problems: &[Problem],
) -> Markup {
    let id = place.id(field);
    html! {
        div.field.rx-text {
            label for=(id) { (label) }
            @if let Some(h) = hint { p.hint id={ (id) "-hint" } { (h) } }
            (error_at(problems, &id))
            textarea id=(id) name=(place.name(field)) rows="3"
                aria-invalid=(invalid(problems, &id)) aria-describedby=[described(problems, &id, hint.is_some())] { (value) }
        }
    }
}

/// The dose, dates, days, note and range of one row (the programme's or the added one).
fn dose_fields(
    place: Place,
    row: &Row,
    tracked: Option<&Exercise>,
    problems: &[Problem],
) -> Markup {
    let add = place == Place::Add;
    let days_id = place.id("days");
    html! {
        div.rx-grid {
            (small(place, "sets", "Sets", &row.sets, "numeric", problems))
            (small(place, "reps", "Repetitions", &row.reps, "numeric", problems))
            (small(place, "hold", "Hold (seconds)", &row.hold, "numeric", problems))
            (small(place, "minutes", "Minutes", &row.minutes, "numeric", problems))
            (small(place, "rest", "Rest (seconds)", &row.rest, "numeric", problems))
            (small(place, "times", "Times a day", &row.times, "numeric", problems))
            (small(place, "effort", "Effort (0 to 10)", &row.effort, "numeric", problems))
        }
        div.rx-grid.rx-grid-wide {
            @let side_id = place.id("side");
            div.field.rx-field {
                label for=(side_id) { "Side" }
                (error_at(problems, &side_id))
                select id=(side_id) name=(place.name("side")) aria-invalid=(invalid(problems, &side_id)) {
                    @if add { option value="" { "The exercise's default" } }
                    @for s in Side::ALL {
                        option value=(s.as_str()) selected[row.side == s.as_str()] { (sentence(s.label())) }
                    }
                }
            }
            (small(place, "load", "Load (optional)", &row.load, "text", problems))
            (date_field(place, "start", if add { "Start date (empty: today)" } else { "Start date" }, &row.start, problems))
            (date_field(place, "end", "End date (optional)", &row.end, problems))
        }
        fieldset.rx-days {
            legend { "Days" @if add { span.legend-hint { " (none ticked: the exercise's default days)" } } }
            (error_at(problems, &days_id))
            div.rx-day-list {
                @for (n, d) in Weekday::ALL.iter().enumerate() {
                    @let id = if n == 0 { days_id.clone() } else { format!("{days_id}-{}", d.as_str()) };
                    div.checkbox {
                        input type="checkbox" id=(id) name=(place.name("days")) value=(d.as_str())
                            checked[row.days.iter().any(|x| x == d.as_str())];
                        label for=(id) { (d.label()) }
                    }
                }
            }
        }
        @if add || tracked.is_some() {
            @let spec = tracked.and_then(|e| e.tracking.as_ref()).and_then(|t| physio_motion::exercises::find(&t.spec));
            div.rx-range {
                @let hint_id = place.id("range-hint");
                p.hint id=(hint_id) {
                    @match spec {
                        Some(s) => {
                            "Camera range, in degrees of " (s.primary.describe()) ". "
                            @if let Some(reach) = s.reach { "The exercise asks for " (format!("{reach:.0}°")) @if let Some(limit) = s.limit { "; beyond " (format!("{limit:.0}°")) " is clearly too far" } ". " }
                            "Leave both empty to use the exercise's own."
                        },
                        None => "Only for an exercise the camera follows; leave both empty otherwise.",
                    }
                }
                div.rx-grid {
                    (small(place, "target", "Target range (°)", &row.target, "decimal", problems))
                    (small(place, "max", "Maximum range (°)", &row.max, "decimal", problems))
                }
                // Validated counting is always offered; the choice is the clinician's only where
                // counting is not yet validated (`physio_clinic::programme::camera`).
                @if add || tracked.and_then(|e| e.tracking.as_ref()).is_some_and(|t| !t.validated()) {
                    @let camera_id = place.id("camera");
                    div.checkbox.rx-camera {
                        (error_at(problems, &camera_id))
                        input type="checkbox" id=(camera_id) name=(place.name("camera")) value="yes" checked[row.camera]
                            aria-invalid=(invalid(problems, &camera_id)) aria-describedby={ (camera_id) "-hint" };
                        label for=(camera_id) { "Offer camera counting \u{2014} not yet validated for this exercise" }
                        p.hint id={ (camera_id) "-hint" } {
                            @if add { "Only for a camera exercise marked \u{201c}counting not yet validated\u{201d}; validated ones are always offered. " }
                            "Without it, the patient does this exercise without the camera."
                        }
                    }
                }
            }
        }
    }
}

/// One row of the programme.
fn row_fields(
    k: usize,
    row: &Row,
    lib: &ClinicLibrary,
    view: &ProgrammeView,
    problems: &[Problem],
) -> Markup {
    let place = Place::Row(k);
    let exercise = lib.find(&row.exercise);
    let name = exercise.map_or_else(|| row.exercise.clone(), |e| e.name.clone());
    let flags = view
        .entries
        .iter()
        .find(|e| e.item.exercise == row.exercise)
        .map(|e| e.flags.as_slice())
        .unwrap_or(&[]);
    let precautions = view.phase.as_ref().map_or(&[][..], |s| s.active_precautions.as_slice());
    let ruled_out = exercise.map(|e| conflicts(e, precautions)).unwrap_or_default();
    let override_id = place.id("override");
    let remove_id = place.id("remove");
    html! {
        fieldset.rx-row id={ "item-" (k) } {
            legend.rx-legend { (name) }
            input type="hidden" name=(place.name("exercise")) value=(row.exercise);
            div.rx-row-head {
                @if let Some(e) = exercise {
                    div.thumb aria-hidden="true" { (still(&e.figure, &e.name)) }
                }
                (small(place, "order", "Order", &row.order, "numeric", problems))
                div.checkbox.rx-remove {
                    input type="checkbox" id=(remove_id) name=(place.name("remove")) value="yes" checked[row.remove];
                    label for=(remove_id) { "Remove " (name) }
                }
            }
            (dose_fields(place, row, exercise.filter(|e| e.tracking.is_some()), problems))
            @for f in flags {
                div.rx-flag { p { strong { "Now conflicts with: " } (f.explain()) "." } }
            }
            div.rx-texts {
            (textarea(place, "note", "Note to the patient (optional)", None, &row.note, problems))
            div.field.rx-text {
                label for=(override_id) { "Reason to override a precaution" }
                p.hint id={ (override_id) "-hint" } {
                    @if ruled_out.is_empty() { "Only needed if a precaution rules this exercise out." }
                    @else { "A precaution in force rules this out: " (ruled_out.iter().map(|c| c.explain()).collect::<Vec<_>>().join("; and ")) ". Say why you prescribe it anyway, or remove it." }
                }
                (error_at(problems, &override_id))
                textarea id=(override_id) name=(place.name("override")) rows="2"
                    aria-invalid=(invalid(problems, &override_id)) aria-describedby=[described(problems, &override_id, true)] { (row.override_reason) }
            }
            }
        }
    }
}

/// The "Add an exercise" row: the whole library by body region.
fn add_fields(ed: &Editor, lib: &ClinicLibrary, problems: &[Problem]) -> Markup {
    let place = Place::Add;
    let row = &ed.add;
    let exercise_id = place.id("exercise");
    let override_id = place.id("override");
    let chosen = lib.find(row.exercise.trim());
    html! {
        fieldset.rx-row.rx-add #add {
            legend.rx-legend { "Add an exercise" }
            div.field {
                label for=(exercise_id) { "Exercise" }
                p.hint id={ (exercise_id) "-hint" } { "Leave a dose field empty to use the exercise's default dose. "
                    a href="/library" target="_blank" { "Open the library in a new tab" } }
                (error_at(problems, &exercise_id))
                select id=(exercise_id) name=(place.name("exercise"))
                    aria-invalid=(invalid(problems, &exercise_id)) aria-describedby=[described(problems, &exercise_id, true)] {
                    option value="" { "None" }
                    @for r in BodyRegion::ALL {
                        @let of: Vec<&Exercise> = lib.all().filter(|e| e.region == *r).collect();
                        @if !of.is_empty() {
                            optgroup label=(sentence(r.label())) {
                                @for e in of {
                                    option value=(e.id) selected[row.exercise == e.id] {
                                        (e.name)
                                        @if let Some(t) = &e.tracking {
                                            @if t.validated() { " (camera)" } @else { " (camera, counting not yet validated)" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (dose_fields(place, row, chosen.filter(|e| e.tracking.is_some()), problems))
            div.rx-texts {
            (textarea(place, "note", "Note to the patient (optional)", None, &row.note, problems))
            div.field.rx-text {
                label for=(override_id) { "Reason to override a precaution" }
                p.hint id={ (override_id) "-hint" } { "Only needed if a precaution rules this exercise out." }
                (error_at(problems, &override_id))
                textarea id=(override_id) name=(place.name("override")) rows="2"
                    aria-invalid=(invalid(problems, &override_id)) aria-describedby=[described(problems, &override_id, true)] { (row.override_reason) }
            }
            }
        }
    }
}

/// The editor page, holding `ed`, with `problems` (status 422) or a `conflict` (status 409).
#[allow(clippy::too_many_arguments, reason = "one page, drawn from what each caller has")]
async fn render(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    view: &ProgrammeView,
    lib: &ClinicLibrary,
    ed: &Editor,
    problems: &[Problem],
    conflict: Option<&str>,
) -> PageResult {
    let (patient, _) = care::records::patient(state, p, patient_id).await?;
    let who = names(state, p).await?;
    let z = care::clinic::zone(state, p.user.clinic_id).await?;
    let precautions: Vec<_> = view
        .phase
        .iter()
        .flat_map(|s| s.active_precautions.iter())
        .filter(|a| !a.forbids.is_empty())
        .collect();
    let action = format!("/patients/{patient_id}/programme/edit");
    let body = html! {
        style { (PreEscaped(FIGURE_CSS)) }
        a.back-link href=(patient_url(patient_id)) { "Back to " (patient.name) }
        @if !problems.is_empty() {
            div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                h2 #error-summary-title { "There is a problem" }
                ul { @for e in problems { li { a href={ "#" (e.id) } { (e.message) } } } }
            }
        }
        @if let Some(m) = conflict {
            div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                h2 #error-summary-title { "Someone else changed the programme" }
                p { (sentence(m)) "." }
                p { a href=(action) { "Open the programme as it is now" } }
            }
        }
        p.caption { (patient.name) }
        h1 { "Edit the programme" }
        @match &view.current {
            Some(v) => p { "Version " (v.version) ", changed " (z.date_time(v.created_at)) " by "
                (who.get(&v.created_by).map_or("someone no longer at the clinic", String::as_str)) ". Saving makes version " (v.version + 1) "." },
            None => p { "No programme yet: add the first exercise below." },
        }
        @if !precautions.is_empty() {
            div.rx-precautions {
                h2 { "Precautions in force" }
                ul { @for a in &precautions { li { strong { (a.instruction) } " " span.hint { "Rules out " (a.forbids.iter().map(|t| t.label()).collect::<Vec<_>>().join(", ")) "." } } } }
                p.hint { "An exercise these rule out needs a reason to override." }
            }
        }
        form.rx-editor method="post" action=(action) novalidate {
            (csrf_field(p))
            input type="hidden" name="based_on" value=(ed.based_on);
            h2 #(ITEMS_ID) tabindex="-1" { "Exercises" }
            @if ed.rows.is_empty() {
                p { "None yet." }
            } @else {
                p.hint { "Give repetitions, a hold (and how many holds), or minutes for a timed exercise. Change the order numbers to reorder." }
            }
            @for (k, row) in ed.rows.iter().enumerate() { (row_fields(k, row, lib, view, problems)) }
            (add_fields(ed, lib, problems))
            div.field.rx-reason {
                label for="reason" { "Reason for this change" }
                p.hint #reason-hint { "Required. It is shown in the version history." }
                (error_at(problems, "reason"))
                textarea #reason name="reason" rows="2" aria-invalid=(invalid(problems, "reason"))
                    aria-describedby=[described(problems, "reason", true)] { (ed.reason) }
            }
            div.button-row {
                button.button type="submit" { "Save the programme" }
                a href=(patient_url(patient_id)) { "Cancel" }
            }
        }
        @if let Some(v) = &view.current {
            p.hint { "Version " (v.version) " in force: " (view.entries.iter().map(|e| format!("{} ({})", lib.name(&e.item.exercise), dates_text(e.item.start, e.item.end))).collect::<Vec<_>>().join(", ")) "." }
        }
    };
    let status = if conflict.is_some() {
        StatusCode::CONFLICT
    } else if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = format!("Edit the programme: {}", patient.name);
    let title = if status == StatusCode::OK { title } else { format!("Error: {title}") };
    Ok((status, page(&title, Some(p), body)).into_response())
}

/// `GET /patients/{patient_id}/programme/edit`.
pub(crate) async fn edit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Clinician, "programme_editor").await?;
    let view = care::programme::read(&state, &p, patient_id).await?;
    let lib = care::library::list(&state, &p).await?;
    render(&state, &p, patient_id, &view, &lib, &Editor::of(&view), &[], None).await
}

/// `POST /patients/{patient_id}/programme/edit`: the whole programme, saved as a new version.
pub(crate) async fn save(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(patient_id): ApiPath<Uuid>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Clinician, "programme_editor").await?;
    let lib = care::library::list(&state, &p).await?;
    let today = care::programme::today(&state, p.user.clinic_id).await?;
    let ed = Editor::parse(pairs);
    let (items, sent, mut problems) = read_form(&ed, &lib, today);
    let mut conflict = None;
    if problems.is_empty() {
        let req = ProgrammeRequest {
            based_on: ed.based_on.trim().parse().unwrap_or(0),
            items,
            reason: ed.reason.clone(),
        };
        match care::programme::save(&state, &p, patient_id, req).await {
            Ok(_) => return Ok(Redirect::to(&patient_url(patient_id)).into_response()),
            Err(ApiError::Problems(list)) => {
                problems = list
                    .into_iter()
                    .map(|pr| Problem {
                        id: control_of(&pr.field, &sent, &ed, &lib),
                        message: sentence(&pr.message),
                    })
                    .collect();
            }
            Err(ApiError::Invalid { field, message }) => {
                problems = vec![Problem {
                    id: control_of(field, &sent, &ed, &lib),
                    message: sentence(&message),
                }];
            }
            Err(ApiError::Conflict(message)) => conflict = Some(message),
            Err(e) => return Err(e.into()),
        }
    } else if ed.reason.trim().is_empty() {
        problems.push(Problem {
            id: "reason".to_owned(),
            message: "Say why you are changing the programme".to_owned(),
        });
    }
    let view = care::programme::read(&state, &p, patient_id).await?;
    render(&state, &p, patient_id, &view, &lib, &ed, &problems, conflict.as_deref()).await
}
