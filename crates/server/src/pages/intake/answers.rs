//! Reading a page's form into the intake draft, with a plain-words message for each field to
//! fix, and the reverse: the draft's answers as the page's form values. Every answer goes
//! through the clinic's own types, so the draft is always in the intake's wire form.

use physio_clinic::intake::{
    Answer, CareHelped, ConservativeCare, DurationUnit, Finding, FindingKind, Imaging,
    MAX_CARE_WEEKS, MAX_DURATION_DAYS, MAX_GOAL_CHARS, MAX_GOALS, NOT_SURE, PainDuration,
    Procedure, Region, RiskFactor, Surgery, SurgeryStatus, Symptom, Trauma,
};
use serde_json::{Map, Value};
use time::{Date, macros::format_description};

use crate::pages::{
    intake::{
        choice::Choice,
        fields::{NO, NONE, Values, YES},
        steps::{Step, get},
    },
    layout::FieldError,
};

type Pairs = Vec<(String, String)>;

fn error(field: &'static str, message: &str) -> Vec<FieldError> {
    vec![FieldError { field, message: message.to_owned() }]
}

fn put<T: serde::Serialize>(a: &mut Map<String, Value>, key: &str, value: &T) {
    // Our clinic types always encode; a failure would leave the question unanswered.
    if let Ok(v) = serde_json::to_value(value) {
        a.insert(key.to_owned(), v);
    }
}

fn whole_number(text: Option<&str>) -> Option<u32> {
    text.and_then(|t| t.parse::<u32>().ok())
}

const DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]");

/// Reads `step`'s form into the draft, or says what to fix (and then changes nothing).
pub(super) fn read(
    step: Step,
    form: &[(String, String)],
    a: &mut Map<String, Value>,
) -> Result<(), Vec<FieldError>> {
    let v = Values(form);
    match step {
        Step::Region => {
            let regions: Vec<Region> = v.all("regions").filter_map(Region::parse).collect();
            if regions.is_empty() {
                return Err(error("regions", "Tick where your pain is"));
            }
            put(a, "regions", &dedup(regions));
        }
        Step::Duration => {
            let not_sure = v.has("duration_not_sure", NOT_SURE);
            let amount = v.one("duration_amount");
            let duration = match (not_sure, amount) {
                (true, Some(_)) => {
                    return Err(error(
                        "duration_amount",
                        "Enter how long you have had the pain, or tick \"I'm not sure\", not both",
                    ));
                }
                (true, None) => PainDuration::NotSure,
                (false, None) => {
                    return Err(error(
                        "duration_amount",
                        "Enter how long you have had the pain, like 3, or tick \"I'm not sure\"",
                    ));
                }
                (false, Some(text)) => {
                    let Some(n) = whole_number(Some(text)) else {
                        return Err(error(
                            "duration_amount",
                            "Enter how long as a whole number, like 3",
                        ));
                    };
                    let Some(unit) = v.one("duration_unit").and_then(DurationUnit::parse) else {
                        return Err(error("duration_unit", "Choose days, weeks, months or years"));
                    };
                    let d = PainDuration::new(unit, n);
                    if d.days().is_some_and(|d| d > MAX_DURATION_DAYS) {
                        return Err(error(
                            "duration_amount",
                            "Check the number: that is longer than a lifetime",
                        ));
                    }
                    d
                }
            };
            put(a, "duration", &duration);
        }
        Step::Pain => {
            let pain: Answer<u8> = match v.one("pain_now") {
                Some(NOT_SURE) => Answer::NotSure,
                other => match whole_number(other).and_then(|n| u8::try_from(n).ok()) {
                    Some(n) if n <= 10 => Answer::Known(n),
                    _ => {
                        return Err(error(
                            "pain_now",
                            "Choose your pain now, from 0 to 10, or \"I'm not sure\"",
                        ));
                    }
                },
            };
            put(a, "pain_now", &pain);
        }
        Step::History => {
            let none = v.has("history", NONE);
            let history: Vec<RiskFactor> = v.all("history").filter_map(RiskFactor::parse).collect();
            match (none, history.is_empty()) {
                (false, true) => {
                    return Err(error(
                        "history",
                        "Tick the ones you have had, or tick \"None of these\"",
                    ));
                }
                (true, false) => {
                    return Err(error(
                        "history",
                        "You ticked \"None of these\" and something else: untick one of them",
                    ));
                }
                _ => put(a, "history", &dedup(history)),
            }
        }
        Step::Injury => {
            let Some(t) = v.one("trauma").and_then(Trauma::parse) else {
                return Err(error("trauma", "Say whether the pain started after an injury"));
            };
            put(a, "trauma", &t);
        }
        Step::Symptoms => {
            let (yes, not_sure) = read_symptoms(v)?;
            put(a, "symptoms", &yes);
            put(a, "symptoms_not_sure", &not_sure);
        }
        Step::Imaging => {
            let imaging = match v.one("had_scan") {
                Some(NO) => None,
                Some(YES) => Some(read_findings(v)?),
                _ => return Err(error("had_scan", "Say whether you have had a scan")),
            };
            put(a, "imaging", &imaging);
        }
        Step::Treatment => {
            let not_sure = v.has("care_weeks_not_sure", NOT_SURE);
            let weeks = match (not_sure, v.one("care_weeks")) {
                (true, Some(_)) => {
                    return Err(error(
                        "care_weeks",
                        "Enter the number of weeks, or tick \"I'm not sure\", not both",
                    ));
                }
                (true, None) => Answer::NotSure,
                (false, text) => match whole_number(text).and_then(|n| u16::try_from(n).ok()) {
                    Some(n) if n <= MAX_CARE_WEEKS => Answer::Known(n),
                    _ => {
                        return Err(error(
                            "care_weeks",
                            "Enter the number of weeks as a whole number, or 0 if you have had none",
                        ));
                    }
                },
            };
            let helped = v.one("care_helped").and_then(CareHelped::parse);
            let care = match (weeks, helped) {
                // No treatment: there is nothing to judge, whatever was chosen.
                (Answer::Known(0), _) => ConservativeCare { weeks, helped: None },
                (_, None) => {
                    return Err(error(
                        "care_helped",
                        "Say whether the treatment helped: yes, partly, no or not sure",
                    ));
                }
                (_, helped) => ConservativeCare { weeks, helped },
            };
            put(a, "conservative_care", &care);
        }
        Step::Surgery => {
            let Some(status) = v.one("surgery_status").and_then(SurgeryStatus::parse) else {
                return Err(error("surgery_status", "Choose one answer"));
            };
            let procedure = v.one("procedure").and_then(Procedure::parse);
            let surgery = match status {
                SurgeryStatus::None => Surgery::None {},
                SurgeryStatus::Recommended => Surgery::Recommended { procedure },
                SurgeryStatus::Scheduled | SurgeryStatus::Done => {
                    let Some(procedure) = procedure else {
                        return Err(error(
                            "procedure",
                            "Choose which operation. If you do not know, your surgeon's letter will say",
                        ));
                    };
                    let Some(date) = v.one("surgery_date").and_then(|d| Date::parse(d, DATE).ok())
                    else {
                        return Err(error(
                            "surgery_date",
                            "Enter the date of the operation, like 2026-12-14",
                        ));
                    };
                    if status == SurgeryStatus::Scheduled {
                        Surgery::Scheduled { procedure, date }
                    } else {
                        Surgery::Done { procedure, date }
                    }
                }
            };
            put(a, "surgery", &surgery);
        }
        Step::Goals => {
            let goals: Vec<String> = v
                .one("goals")
                .unwrap_or_default()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| l.chars().take(MAX_GOAL_CHARS).collect())
                .take(MAX_GOALS)
                .collect();
            put(a, "goals", &goals);
        }
    }
    Ok(())
}

/// Each warning sign answered yes, no or not sure: (those the patient has, those they are
/// unsure of). Every sign needs an answer; each one missing is its own error.
pub(super) fn read_symptoms(
    v: Values<'_>,
) -> Result<(Vec<Symptom>, Vec<Symptom>), Vec<FieldError>> {
    let (mut yes, mut unsure, mut errors) = (vec![], vec![], vec![]);
    for s in Symptom::ALL {
        match v.one(s.value()) {
            Some(YES) => yes.push(s),
            Some(NOT_SURE) => unsure.push(s),
            Some(NO) => {}
            _ => errors.push(FieldError {
                field: s.value(),
                message: format!("Answer yes, no or not sure: {}", s.words()),
            }),
        }
    }
    if errors.is_empty() { Ok((yes, unsure)) } else { Err(errors) }
}

fn read_findings(v: Values<'_>) -> Result<Imaging, Vec<FieldError>> {
    let kinds: Vec<FindingKind> = dedup(v.all("findings").filter_map(FindingKind::parse).collect());
    let none = v.has("findings", NONE);
    let not_sure = v.has("findings", NOT_SURE);
    if kinds.is_empty() && !none && !not_sure {
        return Err(error(
            "findings",
            "Tick what the scan showed, \"None of these\", or \"I'm not sure what it showed\"",
        ));
    }
    if none && (!kinds.is_empty() || not_sure) {
        return Err(error(
            "findings",
            "You ticked \"None of these\" and something else: untick one of them",
        ));
    }
    let region = v.one("finding_region").and_then(Region::parse);
    if region.is_none() && kinds.contains(&FindingKind::DiscHerniation) {
        return Err(error("finding_region", "Say which part of your spine the slipped disc is in"));
    }
    let findings = kinds.into_iter().map(|kind| Finding { kind, region }).collect();
    Ok(Imaging { findings, findings_not_sure: not_sure })
}

fn dedup<T: PartialEq>(items: Vec<T>) -> Vec<T> {
    let mut out = Vec::with_capacity(items.len());
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// The draft's answers to `step` as that page's form values, to fill the page in.
pub(super) fn to_form(step: Step, a: &Map<String, Value>) -> Pairs {
    let mut f = Pairs::new();
    let mut add = |name: &str, value: &str| f.push((name.to_owned(), value.to_owned()));
    match step {
        Step::Region => {
            for r in get::<Vec<Region>>(a, "regions").unwrap_or_default() {
                add("regions", r.value());
            }
        }
        Step::Duration => match get::<PainDuration>(a, "duration") {
            Some(d) => match d.parts() {
                Some((unit, n)) => {
                    add("duration_amount", &n.to_string());
                    add("duration_unit", unit.value());
                }
                None => add("duration_not_sure", NOT_SURE),
            },
            None => add("duration_unit", DurationUnit::Weeks.value()),
        },
        Step::Pain => match get::<Answer<u8>>(a, "pain_now") {
            Some(Answer::Known(n)) => add("pain_now", &n.to_string()),
            Some(Answer::NotSure) => add("pain_now", NOT_SURE),
            None => {}
        },
        Step::History => match get::<Vec<RiskFactor>>(a, "history") {
            Some(h) if h.is_empty() => add("history", NONE),
            Some(h) => h.into_iter().for_each(|r| add("history", r.value())),
            None => {}
        },
        Step::Injury => {
            if let Some(t) = get::<Trauma>(a, "trauma") {
                add("trauma", t.value());
            }
        }
        Step::Symptoms => {
            if a.contains_key("symptoms") {
                let yes = get::<Vec<Symptom>>(a, "symptoms").unwrap_or_default();
                let unsure = get::<Vec<Symptom>>(a, "symptoms_not_sure").unwrap_or_default();
                for s in Symptom::ALL {
                    let answer = if yes.contains(&s) {
                        YES
                    } else if unsure.contains(&s) {
                        NOT_SURE
                    } else {
                        NO
                    };
                    add(s.value(), answer);
                }
            }
        }
        Step::Imaging => {
            if a.contains_key("imaging") {
                match get::<Option<Imaging>>(a, "imaging").flatten() {
                    None => add("had_scan", NO),
                    Some(i) => {
                        add("had_scan", YES);
                        for f in &i.findings {
                            add("findings", f.kind.value());
                        }
                        if i.findings_not_sure {
                            add("findings", NOT_SURE);
                        }
                        if i.findings.is_empty() && !i.findings_not_sure {
                            add("findings", NONE);
                        }
                        if let Some(r) = i.findings.iter().find_map(|f| f.region) {
                            add("finding_region", r.value());
                        }
                    }
                }
            }
        }
        Step::Treatment => {
            if let Some(c) = get::<ConservativeCare>(a, "conservative_care") {
                match c.weeks {
                    Answer::Known(n) => add("care_weeks", &n.to_string()),
                    Answer::NotSure => add("care_weeks_not_sure", NOT_SURE),
                }
                if let Some(h) = c.helped {
                    add("care_helped", h.value());
                }
            }
        }
        Step::Surgery => {
            if let Some(s) = get::<Surgery>(a, "surgery") {
                add("surgery_status", s.kind().value());
                let (procedure, date) = match s {
                    Surgery::None {} => (None, None),
                    Surgery::Recommended { procedure } => (procedure, None),
                    Surgery::Scheduled { procedure, date } | Surgery::Done { procedure, date } => {
                        (Some(procedure), Some(date))
                    }
                };
                match (procedure, s.kind()) {
                    (Some(p), _) => add("procedure", p.value()),
                    (None, SurgeryStatus::Recommended) => add("procedure", NOT_SURE),
                    (None, _) => {}
                }
                if let Some(d) = date.and_then(|d| d.format(DATE).ok()) {
                    add("surgery_date", &d);
                }
            }
        }
        Step::Goals => {
            let goals = get::<Vec<String>>(a, "goals").unwrap_or_default();
            add("goals", &goals.join("\n"));
        }
    }
    f
}
