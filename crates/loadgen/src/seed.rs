//! `physio-loadgen seed`: scales a running demo clinic (`physio demo`) up to N patients through
//! the server's public HTTP API only, and writes `clinic.json` for `physio-loadgen api`.
//!
//! As the clinic's admin (a bearer token made after signing in) it adds clinicians until there
//! is one per `--per-clinician` patients, then patients (date of birth, a one-line summary),
//! each with a care team (the least-loaded clinician, and a second one for some). Every
//! clinician and every patient then signs in and makes an API token. Most new patients
//! (all but `--not-started`) send an intake drawn from a spread of stories (every triage
//! tier), their baseline questionnaires and, for some, one or two follow-up sets; PHQ-9 item 9
//! above 0 raises an alert, as in real use. Clinicians then review part of the triage
//! decisions that wait for them and acknowledge part of the alerts; the rest stay open for the
//! benchmark's clinicians to act on.
//!
//! What the API cannot do, and so this does not do: back-date anything (every record is
//! stamped by the server's clock when it is sent, so a "week 4" answer is filed as `adhoc`),
//! send weekly check-ins (pages only), or give a patient a token without their sign-in.
//! Sign-in is rate limited per client address (30 per 5 minutes), so each sign-in comes from
//! its own loopback address (127.77.x.y), at most 25 per address, as the clinic's many users
//! would from their own devices.

use std::{
    collections::BTreeMap,
    net::{IpAddr, Ipv4Addr},
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::{Context, Result, ensure};
use futures_util::{StreamExt, stream};
use rand::{Rng, SeedableRng, rngs::StdRng, seq::SliceRandom};
use reqwest::{Method, Url};
use serde_json::{Value, json};
use time::Date;

use crate::clinic::{Api, ClinicFile, Clinician, OpenAlert, Patient, PendingTriage, make_token};

#[derive(Debug, clap::Parser)]
#[command(
    name = "physio-loadgen seed",
    about = "Scales a demo clinic up to N patients through the server's HTTP API and writes the \
             clinic file for `physio-loadgen api`"
)]
pub(crate) struct SeedArgs {
    /// The server's address, e.g. http://127.0.0.1:8080 (loopback only).
    #[arg(long)]
    url: String,
    /// The clinic admin's e-mail.
    #[arg(long, default_value = "admin@demo.physio.test")]
    admin: String,
    /// The password of the admin and of every existing account; new accounts get it too.
    #[arg(long, env = "PHYSIO_LOADGEN_PASSWORD")]
    password: String,
    /// Patients the clinic should have in the end (existing ones count).
    #[arg(long, default_value_t = 10_000)]
    patients: usize,
    /// Patients per clinician: clinicians are added until there is one per this many patients.
    #[arg(long, default_value_t = 100)]
    per_clinician: usize,
    /// Share of the new patients who have not started (no intake, no token).
    #[arg(long, default_value_t = 0.1)]
    not_started: f64,
    /// Share of the waiting triage decisions clinicians review while seeding.
    #[arg(long, default_value_t = 0.5)]
    reviewed: f64,
    /// Share of the alerts clinicians acknowledge while seeding.
    #[arg(long, default_value_t = 0.2)]
    acknowledged: f64,
    /// Requests in flight at once (the server hashes passwords on its two cores).
    #[arg(long, default_value_t = 4)]
    parallel: usize,
    /// Seed of the random choices (stories, answers, care teams).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write the clinic file.
    #[arg(long)]
    out: PathBuf,
}

/// Sign-ins per loopback source address; the server allows 30 per 5 minutes.
const SIGN_INS_PER_ADDRESS: usize = 25;
const TOKEN_NAME: &str = "physio-loadgen api benchmark";

pub(crate) fn main(args: &SeedArgs) -> Result<()> {
    ensure!(args.patients >= 1 && args.patients <= 100_000, "--patients must be 1 to 100000");
    ensure!(args.per_clinician >= 1, "--per-clinician must be at least 1");
    ensure!((1..=64).contains(&args.parallel), "--parallel must be 1 to 64");
    for (v, what) in [
        (args.not_started, "--not-started"),
        (args.reviewed, "--reviewed"),
        (args.acknowledged, "--acknowledged"),
    ] {
        ensure!((0.0..=1.0).contains(&v), "{what} must be 0 to 1");
    }
    let base = crate::loopback(&args.url)?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let file = rt.block_on(seed(args, base))?;
    file.save(&args.out)?;
    eprintln!("seed: wrote {}", args.out.display());
    println!("{}", serde_json::to_string_pretty(&file.about)?);
    Ok(())
}

/// Hands out loopback source addresses, `SIGN_INS_PER_ADDRESS` sign-ins each.
struct Sources(AtomicUsize);

impl Sources {
    fn next(&self) -> IpAddr {
        let a = self.0.fetch_add(1, Ordering::Relaxed) / SIGN_INS_PER_ADDRESS;
        IpAddr::V4(Ipv4Addr::new(127, 77, (a / 250) as u8, (1 + a % 250) as u8))
    }
}

struct Ctx {
    api: Api,
    base: Url,
    password: String,
    sources: Sources,
    seed: u64,
    today: Date,
    done: AtomicUsize,
    started: Instant,
}

impl Ctx {
    fn rng(&self, stream: u64, i: usize) -> StdRng {
        StdRng::seed_from_u64(
            self.seed
                ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15)
                ^ (i as u64).wrapping_mul(0xBF58_476D_1CE4_E5B9),
        )
    }

    async fn token(&self, email: &str) -> Result<(String, Value)> {
        make_token(&self.base, email, &self.password, Some(self.sources.next()), TOKEN_NAME).await
    }

    fn progress(&self, what: &str, total: usize) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if n.is_multiple_of(250) || n == total {
            eprintln!(
                "seed: {what} {n}/{total} ({:.0} s since the start)",
                self.started.elapsed().as_secs_f64()
            );
        }
    }
}

async fn seed(args: &SeedArgs, base: Url) -> Result<ClinicFile> {
    let t0 = Instant::now();
    let api = Api::new(base.clone(), Duration::from_secs(120))?;
    let ctx = Arc::new(Ctx {
        api: api.clone(),
        base: base.clone(),
        password: args.password.clone(),
        sources: Sources(AtomicUsize::new(0)),
        seed: args.seed,
        today: time::OffsetDateTime::now_utc().date(),
        done: AtomicUsize::new(0),
        started: t0,
    });
    let (admin, _) = ctx.token(&args.admin).await.context("the admin")?;

    // What is there already (the demo clinic).
    let users = api.call(Method::GET, "/api/v1/users?role=clinician", &admin, None).await?;
    let mut clinicians: Vec<(String, String)> = users["users"]
        .as_array()
        .context("no users in the list")?
        .iter()
        .filter(|u| u["active"] == true)
        .map(|u| (str_of(&u["id"]), str_of(&u["email"])))
        .collect();
    let listed = api.call(Method::GET, "/api/v1/patients", &admin, None).await?;
    let existing: Vec<(String, String, Vec<String>)> = listed["patients"]
        .as_array()
        .context("no patients in the list")?
        .iter()
        .map(|p| {
            let team = p["care_team"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|m| str_of(&m["clinician_id"]))
                .collect();
            (str_of(&p["id"]), str_of(&p["email"]), team)
        })
        .collect();
    ensure!(
        existing.len() <= args.patients,
        "the clinic already has {} patients, more than --patients",
        existing.len()
    );
    eprintln!(
        "seed: the clinic has {} clinicians and {} patients; growing it to {} patients",
        clinicians.len(),
        existing.len(),
        args.patients
    );

    // Clinicians: one per `per_clinician` patients.
    let want = args.patients.div_ceil(args.per_clinician);
    let new_clinicians: Vec<usize> = (clinicians.len()..want.max(clinicians.len())).collect();
    ctx.done.store(0, Ordering::Relaxed);
    let made: Vec<Result<(String, String)>> = stream::iter(new_clinicians.iter().copied())
        .map(|k| {
            let (ctx, admin) = (ctx.clone(), admin.clone());
            let total = new_clinicians.len();
            async move {
                let (first, last) = name(&mut ctx.rng(1, k));
                let email = format!("pt{k:04}.{}@bench.physio.test", slug(last));
                let body = json!({
                    "email": email, "name": format!("{first} {last}"), "role": "clinician",
                    "password": ctx.password,
                    "licence_number": format!("PT-BN-{:05}", 10_000 + k),
                    "licence_jurisdiction": "Ontario",
                });
                let u = ctx.api.call(Method::POST, "/api/v1/users", &admin, Some(&body)).await?;
                ctx.progress("clinicians created", total);
                Ok((str_of(&u["id"]), email))
            }
        })
        .buffered(args.parallel)
        .collect()
        .await;
    for m in made {
        clinicians.push(m?);
    }
    ctx.done.store(0, Ordering::Relaxed);
    let nc = clinicians.len();
    let tokens: Vec<Result<(String, Value)>> = stream::iter(clinicians.clone())
        .map(|(_, email)| {
            let ctx = ctx.clone();
            async move {
                let t = ctx.token(&email).await;
                ctx.progress("clinicians signed in", nc);
                t
            }
        })
        .buffered(args.parallel)
        .collect()
        .await;
    let mut file = ClinicFile::default();
    for ((id, email), t) in clinicians.iter().zip(tokens) {
        let (token, _) = t?;
        file.clinicians.push(Clinician {
            id: id.clone(),
            email: email.clone(),
            token,
            patients: vec![],
        });
    }
    let clinician_index: BTreeMap<&str, usize> =
        clinicians.iter().enumerate().map(|(i, (id, _))| (id.as_str(), i)).collect();

    // Care teams: every new patient's primary clinician is the least loaded; some get a second.
    let mut load = vec![0usize; nc];
    for (_, _, team) in &existing {
        if let Some(&c) = team.first().and_then(|c| clinician_index.get(c.as_str())) {
            load[c] += 1;
        }
    }
    let mut rng = ctx.rng(2, 0);
    let fresh = args.patients - existing.len();
    let mut teams = Vec::with_capacity(fresh);
    for _ in 0..fresh {
        let primary = (0..nc).min_by_key(|&c| (load[c], c)).context("no clinicians")?;
        load[primary] += 1;
        let mut team = vec![primary];
        if nc > 1 && rng.random_bool(0.15) {
            let other = (primary + 1 + rng.random_range(0..nc - 1)) % nc;
            team.push(other);
        }
        teams.push(team);
    }

    // The existing (demo) patients sign in; their histories are the demo's.
    ctx.done.store(0, Ordering::Relaxed);
    let ne = existing.len();
    let old: Vec<Result<Seeded>> = stream::iter(existing.iter().cloned().enumerate())
        .map(|(i, (id, email, team))| {
            let ctx = ctx.clone();
            let team: Vec<usize> =
                team.iter().filter_map(|c| clinician_index.get(c.as_str()).copied()).collect();
            let clinician_tokens: Vec<String> =
                team.iter().map(|&c| file.clinicians[c].token.clone()).collect();
            async move {
                let s = demo_patient(&ctx, i, id, email, team, clinician_tokens).await;
                ctx.progress("demo patients signed in", ne);
                s
            }
        })
        .buffered(args.parallel)
        .collect()
        .await;

    // The new patients: account, care team, and (most) their history.
    ctx.done.store(0, Ordering::Relaxed);
    let not_started = args.not_started;
    let new: Vec<Result<Seeded>> = stream::iter(teams.into_iter().enumerate())
        .map(|(k, team)| {
            let (ctx, admin) = (ctx.clone(), admin.clone());
            let team_ids: Vec<String> = team.iter().map(|&c| clinicians[c].0.clone()).collect();
            async move {
                let s = new_patient(&ctx, &admin, ne + k, team, team_ids, not_started).await;
                ctx.progress("patients created", fresh);
                s
            }
        })
        .buffered(args.parallel)
        .collect()
        .await;

    let mut pending = vec![];
    let mut alerting = vec![];
    let mut tiers: BTreeMap<String, usize> = BTreeMap::new();
    let mut responses = 0usize;
    for s in old.into_iter().chain(new) {
        let s = s?;
        let index = file.patients.len();
        for &c in &s.patient.care_team {
            file.clinicians[c].patients.push(index);
        }
        if let Some(t) = &s.patient.tier {
            *tiers.entry(t.clone()).or_default() += 1;
        }
        if let Some((id, tier)) = s.pending {
            pending.push(PendingTriage { id, patient: index, tier });
        }
        if s.alert {
            alerting.push(index);
        }
        responses += s.responses;
        file.patients.push(s.patient);
    }
    let t_patients = t0.elapsed().as_secs_f64();

    // Clinicians review part of what waits for them and acknowledge part of the alerts.
    let mut rng = ctx.rng(3, 0);
    pending.shuffle(&mut rng);
    let n_review = (pending.len() as f64 * args.reviewed).round() as usize;
    let reviewed = pending.drain(..n_review).collect::<Vec<_>>();
    let file_ref = &file;
    let api = &api;
    let results: Vec<Result<()>> = stream::iter(reviewed.iter())
        .map(|t| async move {
            let c = file_ref.patients[t.patient].care_team[0];
            let path = format!("/api/v1/triage/{}/review", t.id);
            let body = json!({ "final_tier": t.tier });
            api.call(Method::POST, &path, &file_ref.clinicians[c].token, Some(&body)).await?;
            Ok(())
        })
        .buffered(args.parallel)
        .collect()
        .await;
    results.into_iter().collect::<Result<Vec<()>>>()?;
    let found: Vec<Result<Vec<OpenAlert>>> = stream::iter(alerting.iter().copied())
        .map(|p| async move {
            let patient = &file_ref.patients[p];
            let c = patient.care_team[0];
            let path = format!("/api/v1/patients/{}/alerts", patient.id);
            let list = api.call(Method::GET, &path, &file_ref.clinicians[c].token, None).await?;
            Ok(list["alerts"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|a| a["closed_at"].is_null())
                .map(|a| OpenAlert { id: str_of(&a["id"]), patient: p })
                .collect())
        })
        .buffered(args.parallel)
        .collect()
        .await;
    let mut alerts = vec![];
    for f in found {
        alerts.extend(f?);
    }
    alerts.shuffle(&mut rng);
    let n_ack = (alerts.len() as f64 * args.acknowledged).round() as usize;
    let acked = alerts.drain(..n_ack).collect::<Vec<_>>();
    let results: Vec<Result<()>> = stream::iter(acked.iter())
        .map(|a| async move {
            let c = file_ref.patients[a.patient].care_team[0];
            let path = format!("/api/v1/alerts/{}/close", a.id);
            let note = json!({ "note": "Phoned the patient (seeded)" });
            api.call(Method::POST, &path, &file_ref.clinicians[c].token, Some(&note)).await?;
            Ok(())
        })
        .buffered(args.parallel)
        .collect()
        .await;
    results.into_iter().collect::<Result<Vec<()>>>()?;

    let started = file.patients.iter().filter(|p| p.started).count();
    let caseloads: Vec<usize> = file.clinicians.iter().map(|c| c.patients.len()).collect();
    file.about = json!({
        "url": base.as_str(),
        "seed": args.seed,
        "seeded_at": time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        "clinicians": nc,
        "clinicians_added": new_clinicians.len(),
        "patients": file.patients.len(),
        "patients_added": fresh,
        "patients_started": started,
        "patients_with_token": file.patients.iter().filter(|p| p.token.is_some()).count(),
        "caseload_min": caseloads.iter().min(),
        "caseload_max": caseloads.iter().max(),
        "intake_tiers": tiers,
        "questionnaire_responses_sent": responses,
        "triage_reviewed": reviewed.len(),
        "triage_pending": pending.len(),
        "alerts_acknowledged": acked.len(),
        "alerts_open": alerts.len(),
        "seconds_accounts_and_histories": (t_patients * 10.0).round() / 10.0,
        "seconds_total": (t0.elapsed().as_secs_f64() * 10.0).round() / 10.0,
    });
    file.pending_triage = pending;
    file.open_alerts = alerts;
    Ok(file)
}

/// One patient, as seeded.
struct Seeded {
    patient: Patient,
    /// A triage decision waiting for review: (id, tier).
    pending: Option<(String, String)>,
    /// Raised at least one alert.
    alert: bool,
    responses: usize,
}

async fn demo_patient(
    ctx: &Ctx,
    _i: usize,
    id: String,
    email: String,
    team: Vec<usize>,
    clinician_tokens: Vec<String>,
) -> Result<Seeded> {
    let (token, _) = ctx.token(&email).await?;
    let path = format!("/api/v1/patients/{id}/episodes");
    let eps = ctx.api.call(Method::GET, &path, &token, None).await?;
    let started =
        eps["episodes"].as_array().and_then(|e| e.first()).is_some_and(|e| e["status"] != "intake");
    let (mut tier, mut pending) = (None, None);
    if let (true, Some(ct)) = (started, clinician_tokens.first()) {
        let path = format!("/api/v1/patients/{id}/triage");
        let list = ctx.api.call(Method::GET, &path, ct, None).await?;
        if let Some(t) = list["decisions"].as_array().and_then(|d| d.last()) {
            tier = t["tier"].as_str().map(str::to_owned);
            if t["review"].is_null() && t["tier"] != "exercise" {
                pending = Some((str_of(&t["id"]), str_of(&t["tier"])));
            }
        }
    }
    Ok(Seeded {
        patient: Patient {
            id,
            email,
            token: Some(token),
            started,
            neck: false,
            care_team: team,
            tier,
        },
        pending,
        alert: false,
        responses: 0,
    })
}

async fn new_patient(
    ctx: &Ctx,
    admin: &str,
    k: usize,
    team: Vec<usize>,
    team_ids: Vec<String>,
    not_started: f64,
) -> Result<Seeded> {
    let mut rng = ctx.rng(4, k);
    let story = pick_story(&mut rng);
    let (first, last) = name(&mut rng);
    let email = format!("{}.{}.{k:05}@bench.physio.test", slug(first), slug(last));
    let age = rng.random_range(story.ages.0..=story.ages.1);
    let dob = Date::from_calendar_date(
        ctx.today.year() - age,
        time::Month::try_from(rng.random_range(1..=12u8))?,
        rng.random_range(1..=28),
    )?;
    let body = json!({
        "email": email, "name": format!("{first} {last}"), "role": "patient",
        "password": ctx.password, "date_of_birth": dob.to_string(), "summary": story.summary,
    });
    let u = ctx.api.call(Method::POST, "/api/v1/users", admin, Some(&body)).await?;
    let id = str_of(&u["id"]);
    let path = format!("/api/v1/patients/{id}/care-team");
    ctx.api.call(Method::PUT, &path, admin, Some(&json!({ "clinician_ids": team_ids }))).await?;
    let neck = story.regions == ["cervical"];
    if rng.random_bool(not_started) {
        let patient =
            Patient { id, email, token: None, started: false, neck, care_team: team, tier: None };
        return Ok(Seeded { patient, pending: None, alert: false, responses: 0 });
    }

    let (token, _) = ctx.token(&email).await?;
    let intake = (story.intake)(&mut rng, ctx.today);
    let t = ctx.api.call(Method::POST, "/api/v1/intake", &token, Some(&intake)).await?;
    let tier = str_of(&t["tier"]);
    let waits = t["decision"]["needs_clinician_review"].as_bool().unwrap_or(tier != "exercise");
    let pending = (waits && t["review"].is_null()).then(|| (str_of(&t["id"]), tier.clone()));

    // Baseline questionnaires, then follow-ups for some: pain eases for most, not for all.
    let mut pain = intake["pain_now"].as_i64().unwrap_or(5) as i32;
    let mut sets = vec![Set::Baseline];
    if rng.random_bool(0.5) {
        sets.push(Set::FollowUp);
        if rng.random_bool(0.4) {
            sets.push(Set::FollowUp);
        }
    }
    let (mut alert, mut responses) = (false, 0);
    for set in sets {
        if set == Set::FollowUp {
            pain = if rng.random_bool(0.15) {
                (pain + rng.random_range(1..=2)).min(10)
            } else {
                (pain - rng.random_range(0..=3)).max(0)
            };
        }
        for (instrument, answers) in answers(&mut rng, set, pain, neck) {
            if instrument == "phq9" && answers[8] > 0 {
                alert = true;
            }
            let path = format!("/api/v1/questionnaires/{instrument}");
            // Follow-ups go without a time point: the server files them as `adhoc`, since it
            // stamps them today and no reassessment is due yet.
            let body = match set {
                Set::Baseline => json!({ "answers": answers, "timepoint": "baseline" }),
                Set::FollowUp => json!({ "answers": answers }),
            };
            ctx.api.call(Method::POST, &path, &token, Some(&body)).await?;
            responses += 1;
        }
    }
    let patient = Patient {
        id,
        email,
        token: Some(token),
        started: true,
        neck,
        care_team: team,
        tier: Some(tier),
    };
    Ok(Seeded { patient, pending, alert, responses })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Set {
    Baseline,
    FollowUp,
}

/// The questionnaires of one set with answers that fit the pain level (0–10).
fn answers(rng: &mut StdRng, set: Set, pain: i32, neck: bool) -> Vec<(&'static str, Vec<i32>)> {
    let jitter =
        |rng: &mut StdRng, v: i32, lo: i32, hi: i32| (v + rng.random_range(-1..=1)).clamp(lo, hi);
    let disability: Vec<i32> = (0..10).map(|_| jitter(rng, pain / 2, 0, 5)).collect();
    let psfs: Vec<i32> = (0..3).map(|_| jitter(rng, 10 - pain, 0, 10)).collect();
    let mut out =
        vec![("nprs", vec![pain]), (if neck { "ndi" } else { "odi" }, disability), ("psfs", psfs)];
    match set {
        Set::Baseline => {
            let low = |rng: &mut StdRng, n: usize| -> Vec<i32> {
                (0..n)
                    .map(|_| if rng.random_bool(0.35) { rng.random_range(1..=2) } else { 0 })
                    .collect()
            };
            let mut phq9 = low(rng, 9);
            phq9[8] = i32::from(rng.random_bool(0.06));
            out.push(("phq9", phq9));
            out.push(("gad7", low(rng, 7)));
            let mut sb: Vec<i32> =
                (0..8).map(|_| i32::from(rng.random_bool(f64::from(pain) / 14.0))).collect();
            sb.push((pain / 2 - 1).clamp(0, 4));
            out.push(("startback", sb));
        }
        Set::FollowUp => out.push((
            "pgic",
            vec![if pain <= 3 { rng.random_range(1..=3) } else { rng.random_range(3..=5) }],
        )),
    }
    out
}

/// A kind of patient: who they are and what their intake says.
struct Story {
    weight: u32,
    regions: &'static [&'static str],
    ages: (i32, i32),
    summary: &'static str,
    intake: fn(&mut StdRng, Date) -> Value,
}

fn pick_story(rng: &mut StdRng) -> &'static Story {
    let total: u32 = STORIES.iter().map(|s| s.weight).sum();
    let mut r = rng.random_range(0..total);
    for s in STORIES {
        if r < s.weight {
            return s;
        }
        r -= s.weight;
    }
    &STORIES[0]
}

#[allow(
    clippy::too_many_arguments,
    reason = "one argument per intake question reads best in the table of stories"
)]
fn intake(
    regions: &[&str],
    duration: Value,
    pain: i32,
    history: &[&str],
    trauma: &str,
    symptoms: &[&str],
    imaging: Option<Value>,
    care_weeks: i32,
    helped: bool,
    surgery: Value,
) -> Value {
    let mut v = json!({
        "regions": regions, "duration": duration, "pain_now": pain, "history": history,
        "trauma": trauma, "symptoms": symptoms,
        "conservative_care": if care_weeks > 0 { json!({"weeks": care_weeks, "helped": helped}) } else { json!({"weeks": 0}) },
        "surgery": surgery,
        "goals": ["Get through a working day", "Sleep without waking from pain"],
    });
    if let Some(i) = imaging {
        v["imaging"] = i;
    }
    v
}

/// The spread of stories: mostly exercise care (acute and persistent low back, neck, mid-back,
/// before and after surgery), then specialist, urgent and emergency tiers.
const STORIES: &[Story] = &[
    Story {
        weight: 33,
        regions: &["lumbar"],
        ages: (22, 70),
        summary: "Low back pain after lifting, a few weeks; no surgery.",
        intake: |r, _| {
            let trauma = if r.random_bool(0.5) { "minor" } else { "none" };
            intake(
                &["lumbar"],
                json!({"days": r.random_range(4..=40)}),
                r.random_range(3..=7),
                &[],
                trauma,
                &[],
                None,
                0,
                false,
                json!({"status": "none"}),
            )
        },
    },
    Story {
        weight: 15,
        regions: &["lumbar"],
        ages: (30, 80),
        summary: "Persistent low back pain for over a year; physiotherapy helped before.",
        intake: |r, _| {
            intake(
                &["lumbar"],
                json!({"weeks": r.random_range(52..=300)}),
                r.random_range(3..=6),
                &[],
                "none",
                &[],
                Some(json!({"findings": []})),
                r.random_range(4..=20),
                true,
                json!({"status": "none"}),
            )
        },
    },
    Story {
        weight: 12,
        regions: &["cervical"],
        ages: (25, 75),
        summary: "Neck pain and stiffness from desk work.",
        intake: |r, _| {
            intake(
                &["cervical"],
                json!({"weeks": r.random_range(2..=30)}),
                r.random_range(2..=6),
                &[],
                "none",
                &[],
                None,
                0,
                false,
                json!({"status": "none"}),
            )
        },
    },
    Story {
        weight: 6,
        regions: &["thoracic"],
        ages: (25, 65),
        summary: "Mid-back stiffness, worse after long days at the desk.",
        intake: |r, _| {
            intake(
                &["thoracic"],
                json!({"weeks": r.random_range(2..=12)}),
                r.random_range(2..=5),
                &[],
                "none",
                &[],
                Some(json!({"findings": []})),
                0,
                false,
                json!({"status": "none"}),
            )
        },
    },
    Story {
        weight: 5,
        regions: &["lumbar"],
        ages: (45, 75),
        summary: "Lumbar fusion some weeks ago for a slip; recovering.",
        intake: |r, today| {
            let date = today - time::Duration::days(r.random_range(14..=80));
            let mut v = intake(
                &["lumbar"],
                json!({"weeks": r.random_range(40..=120)}),
                r.random_range(3..=6),
                &[],
                "none",
                &[],
                Some(json!({"findings": [{"kind": "instability", "region": "lumbar"}]})),
                r.random_range(12..=40),
                false,
                json!({"status": "done", "procedure": "fusion", "date": date.to_string()}),
            );
            v["lifting_limit_kg"] = json!(4);
            v
        },
    },
    Story {
        weight: 3,
        regions: &["lumbar"],
        ages: (45, 75),
        summary: "Fusion planned for a lumbar slip; preparing with exercise.",
        intake: |r, today| {
            let date = today + time::Duration::days(r.random_range(20..=120));
            let mut v = intake(
                &["lumbar"],
                json!({"weeks": r.random_range(30..=100)}),
                r.random_range(4..=7),
                &[],
                "none",
                &[],
                Some(json!({"findings": [{"kind": "instability", "region": "lumbar"}]})),
                r.random_range(12..=40),
                false,
                json!({"status": "scheduled", "procedure": "fusion", "date": date.to_string()}),
            );
            v["lifting_limit_kg"] = json!(2.5);
            v
        },
    },
    Story {
        weight: 9,
        regions: &["thoracic"],
        ages: (30, 65),
        summary: "Thoracic disc herniation on MRI; months of care have not helped.",
        intake: |r, _| {
            intake(
                &["thoracic"],
                json!({"weeks": r.random_range(12..=40)}),
                r.random_range(5..=7),
                &[],
                "none",
                &[],
                Some(json!({"findings": [{"kind": "disc_herniation", "region": "thoracic"}]})),
                r.random_range(8..=20),
                false,
                json!({"status": "none"}),
            )
        },
    },
    Story {
        weight: 4,
        regions: &["thoracic", "lumbar"],
        ages: (70, 90),
        summary: "Sudden back pain after a small fall; has osteoporosis.",
        intake: |r, _| {
            intake(
                &["thoracic", "lumbar"],
                json!({"days": r.random_range(2..=14)}),
                r.random_range(6..=9),
                &["osteoporosis"],
                "minor",
                &[],
                None,
                0,
                false,
                json!({"status": "none"}),
            )
        },
    },
    Story {
        weight: 3,
        regions: &["thoracic", "lumbar"],
        ages: (50, 85),
        summary: "Back pain at night; treated for cancer some years ago.",
        intake: |r, _| {
            intake(
                &["thoracic", "lumbar"],
                json!({"weeks": r.random_range(2..=8)}),
                r.random_range(5..=7),
                &["cancer"],
                "none",
                &["night_pain_not_eased_by_position"],
                None,
                0,
                false,
                json!({"status": "none"}),
            )
        },
    },
    Story {
        weight: 1,
        regions: &["lumbar"],
        ages: (30, 60),
        summary: "Low back pain with new numbness; sent on to the emergency department.",
        intake: |r, _| {
            intake(
                &["lumbar"],
                json!({"days": r.random_range(3..=14)}),
                r.random_range(6..=8),
                &[],
                "none",
                &["saddle_numbness", "bladder_or_bowel_change"],
                None,
                0,
                false,
                json!({"status": "none"}),
            )
        },
    },
];

const FIRST: &[&str] = &[
    "Ada", "Ben", "Chloé", "Dev", "Elif", "Farah", "Gus", "Hana", "Ivo", "Jana", "Kofi", "Lena",
    "Mateo", "Nia", "Owen", "Pia", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Viktor", "Wen", "Yara",
    "Zane", "Amir", "Bea", "Cyril", "Dina", "Emil",
];
const LAST: &[&str] = &[
    "Abara", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova",
    "Jensen", "Kaur", "Larsen", "Moreau", "Nakamura", "Okoro", "Petrova", "Quist", "Rossi",
    "Silva", "Tanaka", "Usman", "Varga", "Weber", "Xu", "Yilmaz", "Zhou", "Murphy", "Novak",
    "Olsen", "Park",
];

fn name(rng: &mut StdRng) -> (&'static str, &'static str) {
    (FIRST[rng.random_range(0..FIRST.len())], LAST[rng.random_range(0..LAST.len())])
}

/// An e-mail-safe form of a name.
fn slug(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'é' => 'e',
            c => c.to_ascii_lowercase(),
        })
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

fn str_of(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}
