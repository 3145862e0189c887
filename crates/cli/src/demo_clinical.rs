//! Clinical data for the demo clinic: each patient's intake (as the patient would have filled it
//! in) and their questionnaire answers over time, matching their story in `demo_data`. Fictional;
//! our own words.
//!
//! The data is written for "today" = 2026-11-25 (the date the surgery dates are set against):
//! every intake was checked with `physio triage --today <2026-11-25 minus intake_days_ago>` and
//! every answer list with `physio score`. The comment above each entry gives what triage returned:
//! the tier, then the pathway on the exercise tier or the rules that fired above it.
//!
//! Coverage: every tier (emergency, urgent, specialist, exercise) and every pathway
//! (conservative lumbar, thoracic and cervical, prehab, and after discectomy or decompression,
//! fusion and vertebral augmentation). Patients whose intake is 4 weeks old or more have a week-4
//! follow-up, and a week-8 one from 8 weeks: most improve, many past the MCID; Hiroshi Tanaka,
//! Vikram Singh, Aisha Bello and Beatriz Santos change little; Nikolai Petrov and Leila Haddad
//! get worse. Beatriz Santos is the only patient to answer PHQ-9 item 9 above 0, so the demo
//! shows that alert. Patients not listed here (Deborah Klein, Priyanka Shah, Omar Farouk, Ruth
//! Abernathy, Carmen Delgado) are new and have not started their intake.

/// One patient's clinical history for the demo.
pub(crate) struct DemoClinical {
    /// Matches `DemoPatient::email` in demo_data.
    pub(crate) email: &'static str,
    /// Days before "today" that the intake was sent (the episode opened then).
    pub(crate) intake_days_ago: u32,
    /// The intake JSON (docs/intake.md), valid on 2026-11-25 — leave out `date_of_birth`/`age`,
    /// the seeder fills in the date of birth from the patient's record.
    pub(crate) intake: &'static str,
    /// Questionnaire responses: (instrument id, days ago, answers JSON `{"answers": [...]}`),
    /// oldest first.
    pub(crate) responses: &'static [(&'static str, u32, &'static str)],
}

/// The demo caseload's clinical histories, in `demo_data::PATIENTS` order.
pub(crate) const CLINICAL: &[DemoClinical] = &[
    // exercise: conservative_lumbar (acute, improves past the MCID)
    DemoClinical {
        email: "maria.lopez@demo.physio.test",
        intake_days_ago: 36,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"days": 10},
            "pain_now": 6,
            "history": [],
            "trauma": "minor",
            "symptoms": [],
            "conservative_care": {"weeks": 0},
            "surgery": {"status": "none"},
            "goals": [
                "Lift my suitcase into the overhead bin",
                "Sit through a full working day",
                "Get back to my Saturday yoga class"
            ]
        }"#,
        responses: &[
            ("nprs", 36, r#"{"answers": [6]}"#),
            ("odi", 36, r#"{"answers": [3, 1, 4, 1, 2, 2, 1, 1, 1, 1]}"#),
            ("psfs", 36, r#"{"answers": [3, 4, 2]}"#),
            ("phq9", 36, r#"{"answers": [0, 1, 1, 1, 0, 0, 0, 0, 0]}"#),
            ("gad7", 36, r#"{"answers": [1, 1, 1, 1, 0, 0, 0]}"#),
            ("startback", 36, r#"{"answers": [0, 0, 1, 0, 0, 1, 0, 0, 2]}"#),
            ("nprs", 8, r#"{"answers": [2]}"#),
            ("odi", 8, r#"{"answers": [1, 0, 2, 0, 1, 1, 0, 0, 0, 0]}"#),
            ("psfs", 8, r#"{"answers": [8, 8, 7]}"#),
            ("pgic", 8, r#"{"answers": [2]}"#),
        ],
    },
    // specialist: cord_compression_or_instability
    // slip seen on X-ray; declined surgery for now, kept exercising: unchanged
    DemoClinical {
        email: "hiroshi.tanaka@demo.physio.test",
        intake_days_ago: 62,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"weeks": 260},
            "pain_now": 4,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "imaging": {"findings": [{"kind": "instability", "region": "lumbar"}]},
            "conservative_care": {"weeks": 26, "helped": true},
            "surgery": {"status": "none"},
            "goals": [
                "Walk to the park and back without sitting down",
                "Stand long enough to cook dinner",
                "Take my grandchildren to the playground"
            ]
        }"#,
        responses: &[
            ("nprs", 62, r#"{"answers": [4]}"#),
            ("odi", 62, r#"{"answers": [2, 0, 2, 4, 1, 3, 0, null, 2, 1]}"#),
            ("psfs", 62, r#"{"answers": [3, 4, 5]}"#),
            ("phq9", 62, r#"{"answers": [0, 1, 1, 0, 0, 0, 0, 0, 0]}"#),
            ("gad7", 62, r#"{"answers": [1, 1, 1, 0, 0, 0, 0]}"#),
            ("startback", 62, r#"{"answers": [1, 0, 1, 0, 0, 0, 0, 0, 2]}"#),
            ("nprs", 34, r#"{"answers": [4]}"#),
            ("odi", 34, r#"{"answers": [2, 0, 2, 4, 1, 3, 0, null, 2, 1]}"#),
            ("psfs", 34, r#"{"answers": [3, 5, 5]}"#),
            ("pgic", 34, r#"{"answers": [4]}"#),
            ("nprs", 5, r#"{"answers": [4]}"#),
            ("odi", 5, r#"{"answers": [2, 0, 2, 4, 1, 2, 0, null, 2, 1]}"#),
            ("psfs", 5, r#"{"answers": [4, 4, 5]}"#),
            ("pgic", 5, r#"{"answers": [4]}"#),
        ],
    },
    // urgent: possible_tumour (cancer history and night pain)
    DemoClinical {
        email: "grace.oconnell@demo.physio.test",
        intake_days_ago: 18,
        intake: r#"{
            "regions": ["thoracic", "lumbar"],
            "duration": {"weeks": 3},
            "pain_now": 6,
            "history": ["cancer"],
            "trauma": "none",
            "symptoms": ["night_pain_not_eased_by_position"],
            "conservative_care": {"weeks": 0},
            "surgery": {"status": "none"},
            "goals": [
                "Sleep through the night",
                "Walk the dog around the block",
                "Look after my grandson on Fridays"
            ]
        }"#,
        responses: &[
            ("nprs", 18, r#"{"answers": [6]}"#),
            ("odi", 18, r#"{"answers": [3, 1, 2, 1, 2, 2, 4, null, 2, 1]}"#),
            ("psfs", 18, r#"{"answers": [4, 5, 4]}"#),
            ("phq9", 18, r#"{"answers": [1, 1, 1, 1, 0, 1, 1, 0, 0]}"#),
            ("gad7", 18, r#"{"answers": [2, 2, 2, 2, 0, 1, 1]}"#),
            ("startback", 18, r#"{"answers": [0, 0, 0, 0, 1, 1, 0, 0, 3]}"#),
        ],
    },
    // exercise: conservative_lumbar (pelvic girdle pain in pregnancy)
    DemoClinical {
        email: "fatima.benali@demo.physio.test",
        intake_days_ago: 12,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"weeks": 6},
            "pain_now": 5,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "conservative_care": {"weeks": 0},
            "surgery": {"status": "none"},
            "goals": [
                "Turn over in bed without pain",
                "Carry my toddler up the stairs",
                "Stand on one leg to get dressed"
            ]
        }"#,
        responses: &[
            ("nprs", 12, r#"{"answers": [5]}"#),
            ("odi", 12, r#"{"answers": [3, 1, 3, 1, 2, 2, 1, 1, 2, 1]}"#),
            ("psfs", 12, r#"{"answers": [3, 2, 4]}"#),
            ("phq9", 12, r#"{"answers": [1, 1, 1, 1, 0, 1, 0, 0, 0]}"#),
            ("gad7", 12, r#"{"answers": [1, 1, 1, 1, 0, 1, 1]}"#),
            ("startback", 12, r#"{"answers": [0, 0, 1, 1, 0, 1, 0, 0, 2]}"#),
        ],
    },
    // exercise: conservative_lumbar (sciatica settling, past the MCID)
    DemoClinical {
        email: "oluwaseun.adeyemi@demo.physio.test",
        intake_days_ago: 40,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"weeks": 5},
            "pain_now": 7,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "imaging": {"findings": [{"kind": "disc_herniation", "region": "lumbar"}]},
            "conservative_care": {"weeks": 3, "helped": false},
            "surgery": {"status": "none"},
            "goals": [
                "Drive to work without leg pain",
                "Play football with my son",
                "Sleep through the night"
            ]
        }"#,
        responses: &[
            ("nprs", 40, r#"{"answers": [7]}"#),
            ("odi", 40, r#"{"answers": [4, 0, 2, 1, 5, 2, 1, 1, 2, 4]}"#),
            ("psfs", 40, r#"{"answers": [3, 1, 4]}"#),
            ("phq9", 40, r#"{"answers": [1, 2, 1, 1, 0, 1, 1, 0, 0]}"#),
            ("gad7", 40, r#"{"answers": [1, 1, 1, 1, 0, 1, 1]}"#),
            ("startback", 40, r#"{"answers": [1, 0, 1, 1, 1, 1, 0, 0, 3]}"#),
            ("nprs", 12, r#"{"answers": [4]}"#),
            ("odi", 12, r#"{"answers": [3, 0, 1, 0, 3, 1, 1, 0, 1, 3]}"#),
            ("psfs", 12, r#"{"answers": [6, 4, 7]}"#),
            ("pgic", 12, r#"{"answers": [2]}"#),
        ],
    },
    // exercise: conservative_lumbar (workplace injury; slow start, then past the MCID)
    DemoClinical {
        email: "tomasz.nowak@demo.physio.test",
        intake_days_ago: 58,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"weeks": 6},
            "pain_now": 6,
            "history": [],
            "trauma": "minor",
            "symptoms": [],
            "conservative_care": {"weeks": 3, "helped": false},
            "surgery": {"status": "none"},
            "goals": [
                "Go back to full duties in the warehouse",
                "Lift my daughter into her car seat",
                "Cut the grass"
            ]
        }"#,
        responses: &[
            ("nprs", 58, r#"{"answers": [6]}"#),
            ("odi", 58, r#"{"answers": [3, 1, 5, 1, 2, 2, 1, 1, 2, 2]}"#),
            ("psfs", 58, r#"{"answers": [2, 4, 5]}"#),
            ("phq9", 58, r#"{"answers": [1, 2, 2, 1, 0, 1, 1, 0, 0]}"#),
            ("gad7", 58, r#"{"answers": [2, 1, 1, 1, 0, 1, 1]}"#),
            ("startback", 58, r#"{"answers": [0, 0, 1, 1, 1, 1, 1, 0, 2]}"#),
            ("wpai", 58, r#"{"answers": [1, 8, 0, 32, 6, 6]}"#),
            ("nprs", 29, r#"{"answers": [5]}"#),
            ("odi", 29, r#"{"answers": [3, 1, 4, 1, 2, 2, 1, 0, 1, 1]}"#),
            ("psfs", 29, r#"{"answers": [4, 5, 6]}"#),
            ("pgic", 29, r#"{"answers": [3]}"#),
            ("wpai", 29, r#"{"answers": [1, 4, 0, 36, 4, 5]}"#),
            ("nprs", 2, r#"{"answers": [3]}"#),
            ("odi", 2, r#"{"answers": [2, 0, 3, 0, 1, 1, 1, 0, 1, 1]}"#),
            ("psfs", 2, r#"{"answers": [7, 7, 8]}"#),
            ("pgic", 2, r#"{"answers": [2]}"#),
            ("wpai", 2, r#"{"answers": [1, 0, 0, 40, 2, 2]}"#),
        ],
    },
    // exercise: conservative_thoracic (steady improvement)
    DemoClinical {
        email: "ananya.iyer@demo.physio.test",
        intake_days_ago: 63,
        intake: r#"{
            "regions": ["thoracic"],
            "duration": {"weeks": 17},
            "pain_now": 4,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "conservative_care": {"weeks": 0},
            "surgery": {"status": "none"},
            "goals": [
                "Work a full day at my laptop without stiffness",
                "Go bouldering again",
                "Carry my backpack on the commute"
            ]
        }"#,
        responses: &[
            ("nprs", 63, r#"{"answers": [4]}"#),
            ("odi", 63, r#"{"answers": [2, 0, 1, 0, 2, 1, 0, 0, 1, 2]}"#),
            ("psfs", 63, r#"{"answers": [4, 3, 5]}"#),
            ("phq9", 63, r#"{"answers": [1, 1, 1, 1, 0, 0, 0, 0, 0]}"#),
            ("gad7", 63, r#"{"answers": [1, 1, 1, 1, 0, 1, 0]}"#),
            ("startback", 63, r#"{"answers": [0, 1, 0, 0, 0, 0, 0, 0, 2]}"#),
            ("nprs", 35, r#"{"answers": [3]}"#),
            ("odi", 35, r#"{"answers": [1, 0, 1, 0, 2, 0, 0, 0, 1, 1]}"#),
            ("psfs", 35, r#"{"answers": [6, 5, 7]}"#),
            ("pgic", 35, r#"{"answers": [3]}"#),
            ("nprs", 6, r#"{"answers": [1]}"#),
            ("odi", 6, r#"{"answers": [1, 0, 0, 0, 1, 0, 0, 0, 0, 1]}"#),
            ("psfs", 6, r#"{"answers": [8, 7, 9]}"#),
            ("pgic", 6, r#"{"answers": [2]}"#),
        ],
    },
    // exercise: post_op_discectomy_or_decompression (6 weeks after microdiscectomy at intake)
    DemoClinical {
        email: "dmitri.volkov@demo.physio.test",
        intake_days_ago: 30,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"weeks": 22},
            "pain_now": 3,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "imaging": {"findings": [{"kind": "disc_herniation", "region": "lumbar"}]},
            "conservative_care": {"weeks": 10, "helped": false},
            "surgery": {
                "status": "done",
                "procedure": "discectomy_or_decompression",
                "date": "2026-09-14"
            },
            "lifting_limit_kg": 5,
            "goals": [
                "Sit through a two-hour meeting",
                "Drive three hours to the cottage",
                "Cycle to work again"
            ]
        }"#,
        responses: &[
            ("nprs", 30, r#"{"answers": [3]}"#),
            ("odi", 30, r#"{"answers": [3, 0, 2, 0, 3, 1, 1, 0, 1, 3]}"#),
            ("psfs", 30, r#"{"answers": [3, 2, 2]}"#),
            ("phq9", 30, r#"{"answers": [0, 1, 1, 1, 0, 0, 0, 0, 0]}"#),
            ("gad7", 30, r#"{"answers": [1, 1, 1, 1, 0, 0, 0]}"#),
            ("startback", 30, r#"{"answers": [0, 0, 0, 0, 1, 0, 0, 0, 1]}"#),
            ("nprs", 2, r#"{"answers": [2]}"#),
            ("odi", 2, r#"{"answers": [2, 0, 1, 0, 2, 0, 0, 0, 1, 2]}"#),
            ("psfs", 2, r#"{"answers": [6, 5, 4]}"#),
            ("pgic", 2, r#"{"answers": [2]}"#),
        ],
    },
    // exercise: post_op_vertebral_augmentation (10 days after kyphoplasty at intake; worry eases)
    DemoClinical {
        email: "eleanor.whitaker@demo.physio.test",
        intake_days_ago: 33,
        intake: r#"{
            "regions": ["thoracic", "lumbar"],
            "duration": {"weeks": 5},
            "pain_now": 4,
            "history": ["osteoporosis"],
            "trauma": "none",
            "symptoms": [],
            "imaging": {"findings": [{"kind": "fracture", "region": "thoracic"}]},
            "conservative_care": {"weeks": 3, "helped": false},
            "surgery": {
                "status": "done",
                "procedure": "vertebral_augmentation",
                "date": "2026-10-13"
            },
            "lifting_limit_kg": 3,
            "goals": [
                "Carry my shopping home from the corner shop",
                "Bend down to feed my cat",
                "Walk to church on Sundays"
            ]
        }"#,
        responses: &[
            ("nprs", 33, r#"{"answers": [4]}"#),
            ("odi", 33, r#"{"answers": [3, 3, 4, 1, 1, 2, 1, null, 3, 1]}"#),
            ("psfs", 33, r#"{"answers": [2, 1, 4]}"#),
            ("phq9", 33, r#"{"answers": [1, 1, 1, 1, 0, 1, 0, 0, 0]}"#),
            ("gad7", 33, r#"{"answers": [2, 2, 2, 2, 1, 1, 1]}"#),
            ("startback", 33, r#"{"answers": [0, 0, 1, 1, 1, 1, 0, 0, 2]}"#),
            ("nprs", 5, r#"{"answers": [2]}"#),
            ("odi", 5, r#"{"answers": [2, 2, 3, 0, 1, 1, 1, null, 1, 1]}"#),
            ("psfs", 5, r#"{"answers": [5, 4, 7]}"#),
            ("pgic", 5, r#"{"answers": [2]}"#),
            ("gad7", 5, r#"{"answers": [2, 1, 1, 1, 0, 1, 1]}"#),
        ],
    },
    // urgent: suspected_infection (fevers, night sweats, IV drug use)
    DemoClinical {
        email: "jamal.washington@demo.physio.test",
        intake_days_ago: 4,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"days": 10},
            "pain_now": 9,
            "history": ["iv_drug_use"],
            "trauma": "none",
            "symptoms": ["fever_or_chills", "night_pain_not_eased_by_position"],
            "conservative_care": {"weeks": 0},
            "surgery": {"status": "none"},
            "goals": [
                "Sleep without the pain waking me",
                "Walk to the bus stop",
                "Get back to my job at the restaurant"
            ]
        }"#,
        responses: &[
            ("nprs", 4, r#"{"answers": [9]}"#),
            ("odi", 4, r#"{"answers": [5, 2, 5, 3, 4, 4, 3, 1, 3, 3]}"#),
            ("psfs", 4, r#"{"answers": [1, 2, 0]}"#),
            ("phq9", 4, r#"{"answers": [2, 2, 2, 2, 0, 1, 1, 0, 0]}"#),
            ("gad7", 4, r#"{"answers": [2, 2, 2, 1, 0, 1, 1]}"#),
            ("startback", 4, r#"{"answers": [0, 0, 1, 1, 1, 1, 1, 1, 4]}"#),
        ],
    },
    // exercise: post_op_fusion (3 months after fusion at intake)
    DemoClinical {
        email: "kwame.mensah@demo.physio.test",
        intake_days_ago: 60,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"weeks": 70},
            "pain_now": 3,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "imaging": {"findings": [{"kind": "instability", "region": "lumbar"}]},
            "conservative_care": {"weeks": 24, "helped": false},
            "surgery": {"status": "done", "procedure": "fusion", "date": "2026-06-27"},
            "lifting_limit_kg": 10,
            "goals": [
                "Play nine holes of golf",
                "Walk for an hour with my wife",
                "Lift my grandson"
            ]
        }"#,
        responses: &[
            ("nprs", 60, r#"{"answers": [3]}"#),
            ("odi", 60, r#"{"answers": [3, 1, 3, 1, 1, 1, 1, 0, 1, 1]}"#),
            ("psfs", 60, r#"{"answers": [1, 5, 3]}"#),
            ("phq9", 60, r#"{"answers": [0, 1, 1, 0, 0, 0, 0, 0, 0]}"#),
            ("gad7", 60, r#"{"answers": [1, 0, 1, 0, 0, 0, 0]}"#),
            ("startback", 60, r#"{"answers": [0, 0, 0, 0, 0, 0, 0, 0, 1]}"#),
            ("nprs", 31, r#"{"answers": [2]}"#),
            ("odi", 31, r#"{"answers": [2, 0, 2, 1, 1, 1, 0, 0, 1, 1]}"#),
            ("psfs", 31, r#"{"answers": [3, 7, 5]}"#),
            ("pgic", 31, r#"{"answers": [2]}"#),
            ("nprs", 4, r#"{"answers": [1]}"#),
            ("odi", 4, r#"{"answers": [1, 0, 1, 0, 1, 1, 0, 0, 1, 1]}"#),
            ("psfs", 4, r#"{"answers": [6, 9, 7]}"#),
            ("pgic", 4, r#"{"answers": [1]}"#),
        ],
    },
    // exercise: conservative_thoracic (rib stress injury suspected, bone scan pending)
    DemoClinical {
        email: "sofia.rossi@demo.physio.test",
        intake_days_ago: 12,
        intake: r#"{
            "regions": ["thoracic"],
            "duration": {"weeks": 3},
            "pain_now": 4,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "conservative_care": {"weeks": 0},
            "surgery": {"status": "none"},
            "goals": [
                "Row a full training session",
                "Take a deep breath without a sharp pain",
                "Sleep on my left side"
            ]
        }"#,
        responses: &[
            ("nprs", 12, r#"{"answers": [4]}"#),
            ("odi", 12, r#"{"answers": [2, 0, 2, 0, 1, 1, 0, 0, 1, 1]}"#),
            ("psfs", 12, r#"{"answers": [0, 5, 4]}"#),
            ("phq9", 12, r#"{"answers": [1, 1, 1, 1, 0, 0, 0, 0, 0]}"#),
            ("gad7", 12, r#"{"answers": [2, 1, 1, 1, 0, 1, 1]}"#),
            ("startback", 12, r#"{"answers": [0, 0, 0, 0, 0, 1, 0, 0, 2]}"#),
        ],
    },
    // urgent: myelopathy (clumsy hands)
    DemoClinical {
        email: "rajesh.kumar@demo.physio.test",
        intake_days_ago: 16,
        intake: r#"{
            "regions": ["cervical"],
            "duration": {"weeks": 8},
            "pain_now": 5,
            "history": [],
            "trauma": "none",
            "symptoms": ["unsteady_walking_or_clumsy_hands"],
            "conservative_care": {"weeks": 4, "helped": false},
            "surgery": {"status": "none"},
            "goals": [
                "Do up my shirt buttons",
                "Hold my keys without dropping them",
                "Read the newspaper without neck pain"
            ]
        }"#,
        responses: &[
            ("nprs", 16, r#"{"answers": [5]}"#),
            ("ndi", 16, r#"{"answers": [2, 3, 2, 2, 1, 1, 2, 2, 1, 1]}"#),
            ("psfs", 16, r#"{"answers": [3, 4, 5]}"#),
            ("phq9", 16, r#"{"answers": [1, 1, 1, 1, 0, 1, 0, 0, 0]}"#),
            ("gad7", 16, r#"{"answers": [2, 1, 2, 1, 0, 1, 1]}"#),
            ("startback", 16, r#"{"answers": [0, 1, 0, 1, 0, 1, 0, 0, 2]}"#),
        ],
    },
    // exercise: prehab (microdiscectomy booked for 10 December)
    DemoClinical {
        email: "chen.wei@demo.physio.test",
        intake_days_ago: 9,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"weeks": 17},
            "pain_now": 6,
            "history": [],
            "trauma": "none",
            "symptoms": ["weakness_in_one_limb"],
            "imaging": {"findings": [{"kind": "disc_herniation", "region": "lumbar"}]},
            "conservative_care": {"weeks": 14, "helped": false},
            "surgery": {
                "status": "scheduled",
                "procedure": "discectomy_or_decompression",
                "date": "2026-12-10"
            },
            "goals": [
                "Walk for 30 minutes without leg pain",
                "Climb the stairs pushing off my left foot",
                "Sit through a film"
            ]
        }"#,
        responses: &[
            ("nprs", 9, r#"{"answers": [6]}"#),
            ("odi", 9, r#"{"answers": [3, 0, 3, 5, 1, 4, 1, 1, 3, 2]}"#),
            ("psfs", 9, r#"{"answers": [3, 2, 3]}"#),
            ("phq9", 9, r#"{"answers": [1, 1, 1, 1, 0, 1, 1, 0, 0]}"#),
            ("gad7", 9, r#"{"answers": [2, 2, 2, 1, 0, 1, 1]}"#),
            ("startback", 9, r#"{"answers": [1, 0, 1, 1, 1, 1, 0, 0, 3]}"#),
        ],
    },
    // exercise: conservative_cervical (radiculopathy settling, past the MCID)
    DemoClinical {
        email: "linh.nguyen@demo.physio.test",
        intake_days_ago: 44,
        intake: r#"{
            "regions": ["cervical"],
            "duration": {"weeks": 6},
            "pain_now": 6,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "conservative_care": {"weeks": 2, "helped": false},
            "surgery": {"status": "none"},
            "goals": [
                "Paint the rest of the house",
                "Work at my computer for an hour",
                "Sleep through the night"
            ]
        }"#,
        responses: &[
            ("nprs", 44, r#"{"answers": [6]}"#),
            ("ndi", 44, r#"{"answers": [3, 1, 2, 2, 1, 1, 2, 2, 3, 1]}"#),
            ("psfs", 44, r#"{"answers": [2, 4, 3]}"#),
            ("phq9", 44, r#"{"answers": [1, 1, 1, 1, 0, 0, 0, 0, 0]}"#),
            ("gad7", 44, r#"{"answers": [1, 1, 1, 1, 0, 1, 0]}"#),
            ("startback", 44, r#"{"answers": [0, 1, 0, 0, 0, 0, 0, 0, 2]}"#),
            ("nprs", 16, r#"{"answers": [3]}"#),
            ("ndi", 16, r#"{"answers": [2, 1, 1, 1, 0, 1, 1, 1, 1, 1]}"#),
            ("psfs", 16, r#"{"answers": [5, 7, 6]}"#),
            ("pgic", 16, r#"{"answers": [2]}"#),
        ],
    },
    // emergency: cauda_equina (saddle numbness: sent to the emergency department)
    DemoClinical {
        email: "patrick.murphy@demo.physio.test",
        intake_days_ago: 1,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"weeks": 2},
            "pain_now": 7,
            "history": [],
            "trauma": "none",
            "symptoms": ["saddle_numbness"],
            "conservative_care": {"weeks": 0},
            "surgery": {"status": "none"},
            "goals": ["Get back to driving my taxi", "Sleep through the night", "Walk the dog"]
        }"#,
        responses: &[
            ("nprs", 1, r#"{"answers": [7]}"#),
            ("odi", 1, r#"{"answers": [4, 1, 4, 2, 3, 3, 2, 1, 3, 3]}"#),
        ],
    },
    // urgent: suspected_fracture (minor fall on long-term steroids)
    DemoClinical {
        email: "margaret.campbell@demo.physio.test",
        intake_days_ago: 2,
        intake: r#"{
            "regions": ["thoracic"],
            "duration": {"days": 4},
            "pain_now": 8,
            "history": ["long_term_steroids"],
            "trauma": "minor",
            "symptoms": [],
            "conservative_care": {"weeks": 0},
            "surgery": {"status": "none"},
            "goals": [
                "Get out of my armchair without help",
                "Walk to the mailbox",
                "Do my own shopping"
            ]
        }"#,
        responses: &[
            ("nprs", 2, r#"{"answers": [8]}"#),
            ("odi", 2, r#"{"answers": [5, 2, 5, 3, 4, 3, 2, null, 3, 3]}"#),
            ("psfs", 2, r#"{"answers": [2, 3, 1]}"#),
            ("phq9", 2, r#"{"answers": [1, 1, 1, 1, 0, 1, 1, 0, 0]}"#),
            ("gad7", 2, r#"{"answers": [2, 1, 2, 1, 0, 1, 1]}"#),
            ("startback", 2, r#"{"answers": [0, 0, 1, 1, 1, 1, 0, 0, 3]}"#),
        ],
    },
    // exercise: prehab (fusion 5 weeks after intake)
    DemoClinical {
        email: "ahmed.hassan@demo.physio.test",
        intake_days_ago: 7,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"weeks": 104},
            "pain_now": 6,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "imaging": {"findings": [{"kind": "instability", "region": "lumbar"}]},
            "conservative_care": {"weeks": 30, "helped": false},
            "surgery": {"status": "scheduled", "procedure": "fusion", "date": "2026-12-23"},
            "goals": [
                "Walk 15 minutes without stopping",
                "Stand through Friday prayers",
                "Climb the stairs at home"
            ]
        }"#,
        responses: &[
            ("nprs", 7, r#"{"answers": [6]}"#),
            ("odi", 7, r#"{"answers": [4, 0, 3, 5, 1, 4, 1, 1, 3, 3]}"#),
            ("psfs", 7, r#"{"answers": [3, 4, 5]}"#),
            ("phq9", 7, r#"{"answers": [1, 2, 1, 1, 0, 1, 1, 0, 0]}"#),
            ("gad7", 7, r#"{"answers": [2, 2, 2, 2, 0, 1, 1]}"#),
            ("startback", 7, r#"{"answers": [1, 0, 1, 1, 1, 1, 1, 0, 3]}"#),
        ],
    },
    // exercise: conservative_lumbar (small gains, below the MCID except PSFS)
    DemoClinical {
        email: "aisha.bello@demo.physio.test",
        intake_days_ago: 70,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"weeks": 35},
            "pain_now": 5,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "conservative_care": {"weeks": 0},
            "surgery": {"status": "none"},
            "goals": [
                "Sit at my desk all afternoon",
                "Drive two hours to my parents'",
                "Go to a spin class"
            ]
        }"#,
        responses: &[
            ("nprs", 70, r#"{"answers": [5]}"#),
            ("odi", 70, r#"{"answers": [3, 0, 1, 0, 3, 1, 1, 0, 1, 3]}"#),
            ("psfs", 70, r#"{"answers": [4, 3, 5]}"#),
            ("phq9", 70, r#"{"answers": [1, 1, 1, 1, 0, 0, 0, 0, 0]}"#),
            ("gad7", 70, r#"{"answers": [1, 1, 1, 1, 0, 1, 1]}"#),
            ("startback", 70, r#"{"answers": [0, 0, 0, 0, 0, 1, 0, 0, 2]}"#),
            ("nprs", 42, r#"{"answers": [4]}"#),
            ("odi", 42, r#"{"answers": [2, 0, 1, 0, 3, 1, 1, 0, 1, 3]}"#),
            ("psfs", 42, r#"{"answers": [5, 5, 6]}"#),
            ("pgic", 42, r#"{"answers": [3]}"#),
            ("nprs", 13, r#"{"answers": [4]}"#),
            ("odi", 13, r#"{"answers": [2, 0, 1, 0, 2, 1, 1, 0, 1, 2]}"#),
            ("psfs", 13, r#"{"answers": [6, 6, 7]}"#),
            ("pgic", 13, r#"{"answers": [3]}"#),
        ],
    },
    // exercise: prehab (thoracic discectomy on 14 January)
    DemoClinical {
        email: "isabel.fernandes@demo.physio.test",
        intake_days_ago: 12,
        intake: r#"{
            "regions": ["thoracic"],
            "duration": {"weeks": 39},
            "pain_now": 6,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "imaging": {"findings": [{"kind": "disc_herniation", "region": "thoracic"}]},
            "conservative_care": {"weeks": 26, "helped": false},
            "surgery": {
                "status": "scheduled",
                "procedure": "discectomy_or_decompression",
                "date": "2027-01-14"
            },
            "goals": [
                "Sit through a working day",
                "Sleep without waking from pain",
                "Swim lengths again"
            ]
        }"#,
        responses: &[
            ("nprs", 12, r#"{"answers": [6]}"#),
            ("odi", 12, r#"{"answers": [4, 1, 2, 1, 2, 2, 5, 1, 2, 1]}"#),
            ("psfs", 12, r#"{"answers": [3, 2, 1]}"#),
            ("phq9", 12, r#"{"answers": [1, 2, 2, 2, 0, 1, 1, 0, 0]}"#),
            ("gad7", 12, r#"{"answers": [2, 1, 2, 1, 0, 1, 1]}"#),
            ("startback", 12, r#"{"answers": [0, 0, 0, 0, 1, 1, 1, 0, 3]}"#),
        ],
    },
    // exercise: conservative_lumbar (flare settles)
    DemoClinical {
        email: "mateo.herrera@demo.physio.test",
        intake_days_ago: 29,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"weeks": 2},
            "pain_now": 7,
            "history": [],
            "trauma": "minor",
            "symptoms": [],
            "conservative_care": {"weeks": 0},
            "surgery": {"status": "none"},
            "goals": ["Lay blocks for a full shift", "Pick up my kids", "Play five-a-side football"]
        }"#,
        responses: &[
            ("nprs", 29, r#"{"answers": [7]}"#),
            ("odi", 29, r#"{"answers": [3, 1, 5, 1, 2, 2, 1, 1, 2, 2]}"#),
            ("psfs", 29, r#"{"answers": [2, 4, 3]}"#),
            ("phq9", 29, r#"{"answers": [0, 1, 1, 1, 0, 0, 0, 0, 0]}"#),
            ("gad7", 29, r#"{"answers": [1, 1, 1, 1, 0, 0, 0]}"#),
            ("startback", 29, r#"{"answers": [0, 0, 1, 1, 0, 0, 0, 0, 3]}"#),
            ("nprs", 1, r#"{"answers": [3]}"#),
            ("odi", 1, r#"{"answers": [2, 0, 2, 0, 1, 1, 0, 0, 1, 1]}"#),
            ("psfs", 1, r#"{"answers": [6, 8, 6]}"#),
            ("pgic", 1, r#"{"answers": [2]}"#),
        ],
    },
    // exercise: conservative_lumbar
    // fear of movement (STarT Back high); slow, ODI past the MCID by week 8
    DemoClinical {
        email: "walter.schmidt@demo.physio.test",
        intake_days_ago: 57,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"weeks": 40},
            "pain_now": 5,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "conservative_care": {"weeks": 6, "helped": false},
            "surgery": {"status": "none"},
            "goals": [
                "Get back to gardening",
                "Bend down to tie my shoes",
                "Carry the watering can"
            ]
        }"#,
        responses: &[
            ("nprs", 57, r#"{"answers": [5]}"#),
            ("odi", 57, r#"{"answers": [4, 3, 5, 1, 1, 2, 1, null, 3, 1]}"#),
            ("psfs", 57, r#"{"answers": [1, 3, 2]}"#),
            ("phq9", 57, r#"{"answers": [1, 1, 1, 1, 0, 1, 1, 0, 0]}"#),
            ("gad7", 57, r#"{"answers": [2, 2, 2, 1, 0, 1, 1]}"#),
            ("startback", 57, r#"{"answers": [0, 0, 1, 1, 1, 1, 1, 1, 2]}"#),
            ("nprs", 29, r#"{"answers": [5]}"#),
            ("odi", 29, r#"{"answers": [3, 3, 5, 1, 1, 2, 1, null, 3, 1]}"#),
            ("psfs", 29, r#"{"answers": [2, 3, 3]}"#),
            ("pgic", 29, r#"{"answers": [4]}"#),
            ("nprs", 0, r#"{"answers": [4]}"#),
            ("odi", 0, r#"{"answers": [3, 2, 4, 1, 1, 1, 1, null, 2, 1]}"#),
            ("psfs", 0, r#"{"answers": [4, 5, 4]}"#),
            ("pgic", 0, r#"{"answers": [3]}"#),
        ],
    },
    // exercise: conservative_lumbar (acute spasm, first episode)
    DemoClinical {
        email: "yuki.sato@demo.physio.test",
        intake_days_ago: 2,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"days": 4},
            "pain_now": 7,
            "history": [],
            "trauma": "minor",
            "symptoms": [],
            "conservative_care": {"weeks": 0},
            "surgery": {"status": "none"},
            "goals": ["Deadlift again", "Put on my socks", "Cycle to university"]
        }"#,
        responses: &[
            ("nprs", 2, r#"{"answers": [7]}"#),
            ("odi", 2, r#"{"answers": [3, 3, 4, 1, 1, 2, 1, 1, 2, 1]}"#),
            ("psfs", 2, r#"{"answers": [0, 3, 2]}"#),
            ("phq9", 2, r#"{"answers": [0, 1, 1, 0, 0, 0, 0, 0, 0]}"#),
            ("gad7", 2, r#"{"answers": [1, 1, 1, 1, 0, 1, 0]}"#),
            ("startback", 2, r#"{"answers": [0, 0, 1, 1, 0, 1, 0, 0, 3]}"#),
        ],
    },
    // exercise: conservative_thoracic (costovertebral pain settles)
    DemoClinical {
        email: "samuel.osei@demo.physio.test",
        intake_days_ago: 36,
        intake: r#"{
            "regions": ["thoracic"],
            "duration": {"weeks": 5},
            "pain_now": 5,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "conservative_care": {"weeks": 0},
            "surgery": {"status": "none"},
            "goals": [
                "Cough or sneeze without a stab of pain",
                "Sleep on my right side",
                "Sing with my church choir"
            ]
        }"#,
        responses: &[
            ("nprs", 36, r#"{"answers": [5]}"#),
            ("odi", 36, r#"{"answers": [2, 0, 1, 1, 1, 1, 2, 0, 1, 1]}"#),
            ("psfs", 36, r#"{"answers": [3, 2, 4]}"#),
            ("phq9", 36, r#"{"answers": [0, 1, 1, 1, 0, 0, 0, 0, 0]}"#),
            ("gad7", 36, r#"{"answers": [1, 1, 1, 1, 0, 0, 0]}"#),
            ("startback", 36, r#"{"answers": [0, 0, 0, 0, 0, 1, 0, 0, 2]}"#),
            ("nprs", 8, r#"{"answers": [2]}"#),
            ("odi", 8, r#"{"answers": [1, 0, 1, 0, 1, 1, 1, 0, 0, 0]}"#),
            ("psfs", 8, r#"{"answers": [7, 6, 7]}"#),
            ("pgic", 8, r#"{"answers": [2]}"#),
        ],
    },
    // exercise: conservative_lumbar (surgery discussed, not planned; gets worse past the MCID)
    DemoClinical {
        email: "nikolai.petrov@demo.physio.test",
        intake_days_ago: 65,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"weeks": 104},
            "pain_now": 5,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "conservative_care": {"weeks": 12, "helped": true},
            "surgery": {"status": "recommended", "procedure": "discectomy_or_decompression"},
            "goals": [
                "Walk round the supermarket without leaning on the cart",
                "Walk 20 minutes to the park",
                "Stand at my workbench"
            ]
        }"#,
        responses: &[
            ("nprs", 65, r#"{"answers": [5]}"#),
            ("odi", 65, r#"{"answers": [2, 0, 2, 4, 1, 3, 1, null, 2, 2]}"#),
            ("psfs", 65, r#"{"answers": [4, 3, 4]}"#),
            ("phq9", 65, r#"{"answers": [1, 1, 1, 1, 0, 0, 0, 0, 0]}"#),
            ("gad7", 65, r#"{"answers": [1, 1, 1, 0, 0, 0, 0]}"#),
            ("startback", 65, r#"{"answers": [1, 0, 1, 0, 0, 0, 0, 0, 2]}"#),
            ("nprs", 37, r#"{"answers": [6]}"#),
            ("odi", 37, r#"{"answers": [3, 0, 2, 4, 1, 3, 1, null, 3, 2]}"#),
            ("psfs", 37, r#"{"answers": [3, 3, 3]}"#),
            ("pgic", 37, r#"{"answers": [5]}"#),
            ("nprs", 8, r#"{"answers": [7]}"#),
            ("odi", 8, r#"{"answers": [3, 0, 3, 5, 1, 4, 1, null, 3, 3]}"#),
            ("psfs", 8, r#"{"answers": [2, 2, 3]}"#),
            ("pgic", 8, r#"{"answers": [6]}"#),
        ],
    },
    // exercise: conservative_lumbar (PHQ-9 item 9 alert at intake; pain about the same)
    DemoClinical {
        email: "beatriz.santos@demo.physio.test",
        intake_days_ago: 59,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"weeks": 312},
            "pain_now": 7,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "imaging": {"findings": []},
            "conservative_care": {"weeks": 52, "helped": false},
            "surgery": {"status": "none"},
            "goals": [
                "Sleep five hours without waking",
                "Work a full shift at the pharmacy",
                "Walk to the market and back"
            ]
        }"#,
        responses: &[
            ("nprs", 59, r#"{"answers": [7]}"#),
            ("odi", 59, r#"{"answers": [4, 1, 2, 2, 2, 2, 5, 1, 2, 1]}"#),
            ("psfs", 59, r#"{"answers": [2, 3, 3]}"#),
            ("phq9", 59, r#"{"answers": [2, 3, 3, 2, 1, 1, 1, 0, 1]}"#),
            ("gad7", 59, r#"{"answers": [2, 2, 2, 2, 1, 1, 1]}"#),
            ("startback", 59, r#"{"answers": [0, 0, 1, 1, 1, 1, 1, 1, 3]}"#),
            ("nprs", 31, r#"{"answers": [6]}"#),
            ("odi", 31, r#"{"answers": [4, 1, 2, 1, 2, 2, 5, 1, 2, 1]}"#),
            ("psfs", 31, r#"{"answers": [3, 3, 4]}"#),
            ("pgic", 31, r#"{"answers": [4]}"#),
            ("nprs", 2, r#"{"answers": [6]}"#),
            ("odi", 2, r#"{"answers": [3, 1, 2, 1, 2, 2, 4, 1, 2, 1]}"#),
            ("psfs", 2, r#"{"answers": [3, 4, 4]}"#),
            ("pgic", 2, r#"{"answers": [3]}"#),
            ("phq9", 2, r#"{"answers": [2, 2, 2, 2, 1, 1, 1, 0, 0]}"#),
            ("gad7", 2, r#"{"answers": [2, 2, 2, 1, 0, 1, 1]}"#),
        ],
    },
    // exercise: conservative_lumbar (sacroiliac pain after a slip on ice)
    DemoClinical {
        email: "thomas.lefebvre@demo.physio.test",
        intake_days_ago: 42,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"weeks": 7},
            "pain_now": 5,
            "history": [],
            "trauma": "minor",
            "symptoms": [],
            "imaging": {"findings": []},
            "conservative_care": {"weeks": 3, "helped": false},
            "surgery": {"status": "none"},
            "goals": ["Sit through a hockey game", "Walk 5 km", "Get in and out of the car"]
        }"#,
        responses: &[
            ("nprs", 42, r#"{"answers": [5]}"#),
            ("odi", 42, r#"{"answers": [2, 0, 1, 0, 3, 1, 1, 0, 1, 3]}"#),
            ("psfs", 42, r#"{"answers": [3, 4, 4]}"#),
            ("phq9", 42, r#"{"answers": [0, 1, 1, 1, 0, 0, 0, 0, 0]}"#),
            ("gad7", 42, r#"{"answers": [1, 1, 1, 1, 0, 1, 1]}"#),
            ("startback", 42, r#"{"answers": [0, 0, 0, 0, 0, 1, 0, 0, 2]}"#),
            ("nprs", 13, r#"{"answers": [3]}"#),
            ("odi", 13, r#"{"answers": [1, 0, 1, 0, 2, 0, 0, 0, 1, 2]}"#),
            ("psfs", 13, r#"{"answers": [6, 7, 7]}"#),
            ("pgic", 13, r#"{"answers": [2]}"#),
        ],
    },
    // exercise: conservative_lumbar
    // microdiscectomy 53 weeks before intake; leg pain worse, repeat MRI
    DemoClinical {
        email: "leila.haddad@demo.physio.test",
        intake_days_ago: 32,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"weeks": 3},
            "pain_now": 5,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "imaging": {"findings": [{"kind": "disc_herniation", "region": "lumbar"}]},
            "conservative_care": {"weeks": 2, "helped": false},
            "surgery": {
                "status": "done",
                "procedure": "discectomy_or_decompression",
                "date": "2025-10-18"
            },
            "goals": [
                "Walk my kids to school",
                "Sit through a dinner out",
                "Get back to my Pilates class"
            ]
        }"#,
        responses: &[
            ("nprs", 32, r#"{"answers": [5]}"#),
            ("odi", 32, r#"{"answers": [2, 0, 1, 0, 3, 1, 1, 0, 1, 3]}"#),
            ("psfs", 32, r#"{"answers": [5, 4, 3]}"#),
            ("phq9", 32, r#"{"answers": [1, 1, 1, 1, 0, 1, 0, 0, 0]}"#),
            ("gad7", 32, r#"{"answers": [2, 2, 2, 1, 0, 1, 1]}"#),
            ("startback", 32, r#"{"answers": [1, 0, 1, 0, 1, 1, 0, 0, 2]}"#),
            ("nprs", 3, r#"{"answers": [7]}"#),
            ("odi", 3, r#"{"answers": [3, 0, 2, 1, 4, 1, 1, 1, 2, 4]}"#),
            ("psfs", 3, r#"{"answers": [3, 2, 1]}"#),
            ("pgic", 3, r#"{"answers": [6]}"#),
        ],
    },
    // specialist: structural_failed_care (old T8 fracture, care has not helped)
    DemoClinical {
        email: "meiling.chan@demo.physio.test",
        intake_days_ago: 10,
        intake: r#"{
            "regions": ["thoracic"],
            "duration": {"weeks": 104},
            "pain_now": 4,
            "history": ["osteoporosis"],
            "trauma": "none",
            "symptoms": [],
            "imaging": {"findings": [{"kind": "fracture", "region": "thoracic"}]},
            "conservative_care": {"weeks": 12, "helped": false},
            "surgery": {"status": "none"},
            "goals": [
                "Lift my granddaughter safely",
                "Stand tall through a concert",
                "Carry groceries up to my flat"
            ]
        }"#,
        responses: &[
            ("nprs", 10, r#"{"answers": [4]}"#),
            ("odi", 10, r#"{"answers": [3, 0, 2, 1, 1, 1, 1, 0, 1, 1]}"#),
            ("psfs", 10, r#"{"answers": [3, 5, 4]}"#),
            ("phq9", 10, r#"{"answers": [1, 1, 1, 1, 0, 0, 0, 0, 0]}"#),
            ("gad7", 10, r#"{"answers": [2, 2, 2, 2, 0, 1, 1]}"#),
            ("startback", 10, r#"{"answers": [0, 0, 0, 0, 1, 1, 0, 0, 2]}"#),
        ],
    },
    // specialist: cord_compression_or_instability (scoliosis with a lateral slip on X-ray)
    DemoClinical {
        email: "george.papadopoulos@demo.physio.test",
        intake_days_ago: 24,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"weeks": 156},
            "pain_now": 5,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "imaging": {"findings": [{"kind": "instability", "region": "lumbar"}]},
            "conservative_care": {"weeks": 16, "helped": true},
            "surgery": {"status": "none"},
            "goals": [
                "Stand at the counter to cook Sunday lunch",
                "Walk along the harbour",
                "Tend my tomatoes"
            ]
        }"#,
        responses: &[
            ("nprs", 24, r#"{"answers": [5]}"#),
            ("odi", 24, r#"{"answers": [2, 0, 2, 2, 1, 4, 1, null, 2, 1]}"#),
            ("psfs", 24, r#"{"answers": [3, 5, 4]}"#),
            ("phq9", 24, r#"{"answers": [0, 1, 1, 0, 0, 0, 0, 0, 0]}"#),
            ("gad7", 24, r#"{"answers": [1, 1, 1, 0, 0, 0, 0]}"#),
            ("startback", 24, r#"{"answers": [0, 0, 1, 0, 0, 0, 0, 0, 2]}"#),
        ],
    },
    // exercise: post_op_discectomy_or_decompression (8 weeks after laminectomy at intake)
    DemoClinical {
        email: "ingrid.johansson@demo.physio.test",
        intake_days_ago: 31,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"weeks": 60},
            "pain_now": 3,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "imaging": {"findings": []},
            "conservative_care": {"weeks": 20, "helped": false},
            "surgery": {
                "status": "done",
                "procedure": "discectomy_or_decompression",
                "date": "2026-08-30"
            },
            "lifting_limit_kg": 5,
            "goals": [
                "Walk 3 km on the forest trail",
                "Cross-country ski this winter",
                "Garden for an hour"
            ]
        }"#,
        responses: &[
            ("nprs", 31, r#"{"answers": [3]}"#),
            ("odi", 31, r#"{"answers": [2, 0, 2, 3, 0, 2, 0, 0, 2, 1]}"#),
            ("psfs", 31, r#"{"answers": [4, 2, 4]}"#),
            ("phq9", 31, r#"{"answers": [0, 1, 1, 0, 0, 0, 0, 0, 0]}"#),
            ("gad7", 31, r#"{"answers": [1, 0, 1, 0, 0, 0, 0]}"#),
            ("startback", 31, r#"{"answers": [0, 0, 0, 0, 0, 0, 0, 0, 1]}"#),
            ("nprs", 3, r#"{"answers": [2]}"#),
            ("odi", 3, r#"{"answers": [1, 0, 1, 2, 0, 1, 0, 0, 1, 1]}"#),
            ("psfs", 3, r#"{"answers": [7, 4, 6]}"#),
            ("pgic", 3, r#"{"answers": [1]}"#),
        ],
    },
    // exercise: conservative_lumbar (off work, graded return by week 4)
    DemoClinical {
        email: "diego.ramirez@demo.physio.test",
        intake_days_ago: 33,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"weeks": 3},
            "pain_now": 6,
            "history": [],
            "trauma": "minor",
            "symptoms": [],
            "conservative_care": {"weeks": 0},
            "surgery": {"status": "none"},
            "goals": [
                "Go back to my shifts in the emergency department",
                "Help turn a patient in bed safely",
                "Play with my dog in the park"
            ]
        }"#,
        responses: &[
            ("nprs", 33, r#"{"answers": [6]}"#),
            ("odi", 33, r#"{"answers": [3, 1, 5, 1, 2, 2, 1, 1, 2, 2]}"#),
            ("psfs", 33, r#"{"answers": [1, 1, 4]}"#),
            ("phq9", 33, r#"{"answers": [1, 2, 1, 1, 0, 1, 1, 0, 0]}"#),
            ("gad7", 33, r#"{"answers": [2, 1, 2, 1, 0, 1, 1]}"#),
            ("startback", 33, r#"{"answers": [0, 0, 1, 1, 1, 1, 0, 0, 3]}"#),
            ("wpai", 33, r#"{"answers": [1, 36, 0, 0, null, 7]}"#),
            ("nprs", 5, r#"{"answers": [4]}"#),
            ("odi", 5, r#"{"answers": [3, 1, 4, 0, 1, 1, 1, 0, 1, 1]}"#),
            ("psfs", 5, r#"{"answers": [5, 4, 6]}"#),
            ("pgic", 5, r#"{"answers": [3]}"#),
            ("wpai", 5, r#"{"answers": [1, 16, 0, 20, 5, 4]}"#),
        ],
    },
    // urgent: suspected_fracture (road accident; cleared by the Canadian C-spine rule at review)
    DemoClinical {
        email: "kofi.asante@demo.physio.test",
        intake_days_ago: 19,
        intake: r#"{
            "regions": ["cervical"],
            "duration": {"weeks": 3},
            "pain_now": 5,
            "history": [],
            "trauma": "major",
            "symptoms": [],
            "conservative_care": {"weeks": 0},
            "surgery": {"status": "none"},
            "goals": [
                "Check my blind spot when driving",
                "Play basketball",
                "Work at my desk for a full day"
            ]
        }"#,
        responses: &[
            ("nprs", 19, r#"{"answers": [5]}"#),
            ("ndi", 19, r#"{"answers": [3, 1, 2, 1, 1, 1, 1, 2, 1, 1]}"#),
            ("psfs", 19, r#"{"answers": [3, 2, 5]}"#),
            ("phq9", 19, r#"{"answers": [1, 1, 1, 1, 0, 1, 0, 0, 0]}"#),
            ("gad7", 19, r#"{"answers": [2, 2, 2, 1, 0, 1, 1]}"#),
            ("startback", 19, r#"{"answers": [0, 1, 0, 0, 1, 1, 0, 0, 2]}"#),
        ],
    },
    // exercise: conservative_cervical (neck and headaches, past the MCID by week 8)
    DemoClinical {
        email: "hannah.goldberg@demo.physio.test",
        intake_days_ago: 64,
        intake: r#"{
            "regions": ["cervical"],
            "duration": {"weeks": 52},
            "pain_now": 5,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "conservative_care": {"weeks": 0},
            "surgery": {"status": "none"},
            "goals": [
                "Get through an afternoon of video calls without a headache",
                "Read in bed in the evening",
                "Swim front crawl"
            ]
        }"#,
        responses: &[
            ("nprs", 64, r#"{"answers": [5]}"#),
            ("ndi", 64, r#"{"answers": [2, 0, 1, 3, 3, 2, 2, 1, 1, 1]}"#),
            ("psfs", 64, r#"{"answers": [3, 4, 4]}"#),
            ("phq9", 64, r#"{"answers": [1, 1, 1, 1, 0, 1, 0, 0, 0]}"#),
            ("gad7", 64, r#"{"answers": [2, 1, 1, 1, 0, 1, 1]}"#),
            ("startback", 64, r#"{"answers": [0, 1, 0, 0, 0, 1, 0, 0, 2]}"#),
            ("nprs", 35, r#"{"answers": [4]}"#),
            ("ndi", 35, r#"{"answers": [1, 0, 1, 2, 2, 1, 2, 1, 1, 1]}"#),
            ("psfs", 35, r#"{"answers": [5, 5, 5]}"#),
            ("pgic", 35, r#"{"answers": [3]}"#),
            ("nprs", 8, r#"{"answers": [3]}"#),
            ("ndi", 8, r#"{"answers": [1, 0, 1, 2, 2, 1, 1, 0, 0, 1]}"#),
            ("psfs", 8, r#"{"answers": [7, 7, 6]}"#),
            ("pgic", 8, r#"{"answers": [2]}"#),
        ],
    },
    // exercise: conservative_lumbar (fusion 5 years ago; unchanged)
    DemoClinical {
        email: "vikram.singh@demo.physio.test",
        intake_days_ago: 45,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"weeks": 26},
            "pain_now": 5,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "imaging": {"findings": []},
            "conservative_care": {"weeks": 8, "helped": false},
            "surgery": {"status": "done", "procedure": "fusion", "date": "2021-10-04"},
            "goals": [
                "Walk 30 minutes to the gurdwara",
                "Stand to cook for the family",
                "Bowl to my grandsons at cricket"
            ]
        }"#,
        responses: &[
            ("nprs", 45, r#"{"answers": [5]}"#),
            ("odi", 45, r#"{"answers": [2, 0, 2, 4, 1, 3, 1, 0, 2, 1]}"#),
            ("psfs", 45, r#"{"answers": [3, 4, 2]}"#),
            ("phq9", 45, r#"{"answers": [0, 1, 1, 1, 0, 0, 0, 0, 0]}"#),
            ("gad7", 45, r#"{"answers": [1, 0, 1, 0, 0, 0, 0]}"#),
            ("startback", 45, r#"{"answers": [0, 0, 1, 0, 0, 0, 1, 0, 2]}"#),
            ("nprs", 16, r#"{"answers": [5]}"#),
            ("odi", 16, r#"{"answers": [2, 0, 2, 4, 1, 3, 0, 0, 2, 1]}"#),
            ("psfs", 16, r#"{"answers": [3, 4, 3]}"#),
            ("pgic", 16, r#"{"answers": [4]}"#),
        ],
    },
    // exercise: conservative_lumbar (leg pain resolves, past the MCID)
    DemoClinical {
        email: "amelia.thompson@demo.physio.test",
        intake_days_ago: 38,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"days": 10},
            "pain_now": 6,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "conservative_care": {"weeks": 0},
            "surgery": {"status": "none"},
            "goals": [
                "Garden for an afternoon",
                "Walk the dog for 45 minutes",
                "Sit through a film at the cinema"
            ]
        }"#,
        responses: &[
            ("nprs", 38, r#"{"answers": [6]}"#),
            ("odi", 38, r#"{"answers": [2, 0, 2, 4, 1, 3, 1, 1, 2, 1]}"#),
            ("psfs", 38, r#"{"answers": [2, 4, 4]}"#),
            ("phq9", 38, r#"{"answers": [0, 1, 1, 1, 0, 0, 0, 0, 0]}"#),
            ("gad7", 38, r#"{"answers": [1, 1, 1, 1, 0, 1, 0]}"#),
            ("startback", 38, r#"{"answers": [1, 0, 1, 0, 0, 1, 0, 0, 2]}"#),
            ("nprs", 9, r#"{"answers": [2]}"#),
            ("odi", 9, r#"{"answers": [1, 0, 1, 2, 0, 1, 0, 0, 1, 0]}"#),
            ("psfs", 9, r#"{"answers": [7, 8, 8]}"#),
            ("pgic", 9, r#"{"answers": [1]}"#),
        ],
    },
    // urgent: inflammatory_disease (morning stiffness; axial SpA already under rheumatology)
    DemoClinical {
        email: "junho.park@demo.physio.test",
        intake_days_ago: 20,
        intake: r#"{
            "regions": ["lumbar"],
            "duration": {"weeks": 52},
            "pain_now": 4,
            "history": ["immunosuppression"],
            "trauma": "none",
            "symptoms": ["marked_morning_stiffness"],
            "imaging": {"findings": []},
            "conservative_care": {"weeks": 12, "helped": true},
            "surgery": {"status": "none"},
            "goals": [
                "Get ready for work without an hour of stiffness",
                "Run 10 km",
                "Play on the floor with my kids"
            ]
        }"#,
        responses: &[
            ("nprs", 20, r#"{"answers": [4]}"#),
            ("odi", 20, r#"{"answers": [2, 0, 2, 1, 1, 1, 1, 0, 1, 1]}"#),
            ("psfs", 20, r#"{"answers": [3, 5, 6]}"#),
            ("phq9", 20, r#"{"answers": [0, 1, 1, 1, 0, 0, 0, 0, 0]}"#),
            ("gad7", 20, r#"{"answers": [1, 1, 1, 1, 0, 0, 0]}"#),
            ("startback", 20, r#"{"answers": [0, 0, 0, 1, 0, 0, 0, 0, 2]}"#),
        ],
    },
];
