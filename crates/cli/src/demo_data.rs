//! The demo clinic: one admin, three clinicians and 42 patients with varied, realistic back-pain
//! stories. Fictional people; every word is our own.

/// The clinic's display name.
pub(crate) const CLINIC_NAME: &str = "Riverside Spine & Back Physiotherapy (Demo)";

/// A staff account: the admin or a clinician.
pub(crate) struct DemoStaff {
    pub(crate) name: &'static str,
    pub(crate) email: &'static str,
    /// Empty for the admin.
    pub(crate) licence_number: &'static str,
    /// Empty for the admin.
    pub(crate) jurisdiction: &'static str,
}

/// The clinic administrator; not a clinician, so no licence.
pub(crate) const ADMIN: DemoStaff = DemoStaff {
    name: "Helen Kowalczyk",
    email: "admin@demo.physio.test",
    licence_number: "",
    jurisdiction: "",
};

/// Licensed physical therapists. `DemoPatient::care_team` indexes into this array.
pub(crate) const CLINICIANS: [DemoStaff; 3] = [
    DemoStaff {
        name: "Amara Okafor",
        email: "amara.okafor@demo.physio.test",
        licence_number: "PT-ON-58213",
        jurisdiction: "Ontario",
    },
    DemoStaff {
        name: "Priya Raman",
        email: "priya.raman@demo.physio.test",
        licence_number: "PT-ON-61847",
        jurisdiction: "Ontario",
    },
    DemoStaff {
        name: "Marc-André Tremblay",
        email: "marc-andre.tremblay@demo.physio.test",
        licence_number: "PT-QC-40392",
        jurisdiction: "Quebec",
    },
];

/// A patient on the demo caseload.
pub(crate) struct DemoPatient {
    pub(crate) name: &'static str,
    pub(crate) email: &'static str,
    /// (year, month 1-12, day)
    pub(crate) date_of_birth: (i32, u8, u8),
    /// One or two plain sentences a physical therapist would write on a caseload: region, how
    /// long, what happened, surgery status.
    pub(crate) summary: &'static str,
    /// Indexes into CLINICIANS: the care team (one or two clinicians).
    pub(crate) care_team: &'static [usize],
}

/// The demo caseload.
pub(crate) const PATIENTS: [DemoPatient; 42] = [
    DemoPatient {
        name: "Maria López",
        email: "maria.lopez@demo.physio.test",
        date_of_birth: (1968, 3, 14),
        summary: "Low back pain for 10 days after lifting a suitcase into an overhead bin. No leg \
            symptoms; no surgery.",
        care_team: &[0],
    },
    DemoPatient {
        name: "Hiroshi Tanaka",
        email: "hiroshi.tanaka@demo.physio.test",
        date_of_birth: (1946, 11, 20),
        summary: "Lumbar spinal stenosis for several years; can walk about 200 metres before his \
            legs feel heavy and he must sit down. Not keen on surgery at this stage.",
        care_team: &[1],
    },
    DemoPatient {
        name: "Grace O'Connell",
        email: "grace.oconnell@demo.physio.test",
        date_of_birth: (1955, 1, 30),
        summary: "Breast cancer treated 8 years ago; new thoracolumbar pain for 3 weeks that \
            wakes her at night and is not eased by rest. Flagged at triage and GP asked to \
            arrange urgent imaging.",
        care_team: &[0, 1],
    },
    DemoPatient {
        name: "Fatima Zahra Benali",
        email: "fatima.benali@demo.physio.test",
        date_of_birth: (1990, 5, 9),
        summary: "Pregnancy-related pelvic girdle pain at 28 weeks, worse turning in bed, on \
            stairs and standing on one leg. Second pregnancy; no surgical history.",
        care_team: &[2],
    },
    DemoPatient {
        name: "Oluwaseun Adeyemi",
        email: "oluwaseun.adeyemi@demo.physio.test",
        date_of_birth: (1979, 7, 2),
        summary: "Right-sided sciatica for 5 weeks with pain below the knee into the outer foot. \
            MRI shows an L5-S1 disc protrusion; managing without surgery for now.",
        care_team: &[0],
    },
    DemoPatient {
        name: "Tomasz Nowak",
        email: "tomasz.nowak@demo.physio.test",
        date_of_birth: (1983, 9, 17),
        summary: "Warehouse worker with low back pain for 6 weeks after lifting a heavy box at \
            work; workplace injury claim open. On modified duties, no leg symptoms.",
        care_team: &[0],
    },
    DemoPatient {
        name: "Ananya Iyer",
        email: "ananya.iyer@demo.physio.test",
        date_of_birth: (1996, 12, 3),
        summary: "Office worker with upper and mid-back stiffness for 4 months, worse at the end \
            of long days on a laptop. No trauma, no surgery.",
        care_team: &[2],
    },
    DemoPatient {
        name: "Dmitri Volkov",
        email: "dmitri.volkov@demo.physio.test",
        date_of_birth: (1972, 4, 22),
        summary: "6 weeks after L4-L5 microdiscectomy for left sciatica. Leg pain resolved; \
            residual back stiffness and sitting tolerance of about 30 minutes.",
        care_team: &[0],
    },
    DemoPatient {
        name: "Eleanor Whitaker",
        email: "eleanor.whitaker@demo.physio.test",
        date_of_birth: (1941, 6, 11),
        summary: "10 days after kyphoplasty for an osteoporotic T12 compression fracture. Pain \
            much improved; anxious about bending and lifting.",
        care_team: &[1, 2],
    },
    DemoPatient {
        name: "Jamal Washington",
        email: "jamal.washington@demo.physio.test",
        date_of_birth: (1993, 4, 26),
        summary: "Severe mid-lumbar pain for 10 days with fevers and night sweats; history of IV \
            drug use. Sent for urgent medical assessment before any treatment.",
        care_team: &[1],
    },
    DemoPatient {
        name: "Kwame Mensah",
        email: "kwame.mensah@demo.physio.test",
        date_of_birth: (1961, 2, 27),
        summary: "3 months after L5-S1 fusion for isthmic spondylolisthesis. Walking 30 minutes a \
            day; wants to get back to golf.",
        care_team: &[0],
    },
    DemoPatient {
        name: "Sofia Rossi",
        email: "sofia.rossi@demo.physio.test",
        date_of_birth: (1999, 8, 15),
        summary: "Competitive rower with left-sided rib pain for 3 weeks, sharp on deep breaths \
            and at the catch. Suspected rib stress injury; bone scan pending, training on hold.",
        care_team: &[2],
    },
    DemoPatient {
        name: "Rajesh Kumar",
        email: "rajesh.kumar@demo.physio.test",
        date_of_birth: (1958, 10, 5),
        summary: "Neck pain and stiffness for 2 months; lately drops his keys and struggles with \
            shirt buttons. Possible cervical myelopathy; awaiting spine surgeon review.",
        care_team: &[0, 1],
    },
    DemoPatient {
        name: "Chen Wei",
        email: "chen.wei@demo.physio.test",
        date_of_birth: (1980, 6, 30),
        summary: "Left sciatica for 4 months from a large L5-S1 disc herniation, with weak \
            push-off on the left foot. Microdiscectomy booked for next month.",
        care_team: &[1],
    },
    DemoPatient {
        name: "Linh Nguyen",
        email: "linh.nguyen@demo.physio.test",
        date_of_birth: (1975, 3, 19),
        summary: "Neck pain with tingling down the right arm into the thumb for 6 weeks, since \
            repainting a ceiling. Likely C6 radiculopathy; no surgery planned.",
        care_team: &[2],
    },
    DemoPatient {
        name: "Patrick Murphy",
        email: "patrick.murphy@demo.physio.test",
        date_of_birth: (1969, 12, 8),
        summary: "Low back pain with left sciatica for 2 weeks; reported new numbness in the \
            saddle area by phone. Told to go to the emergency department the same day.",
        care_team: &[0],
    },
    DemoPatient {
        name: "Margaret Campbell",
        email: "margaret.campbell@demo.physio.test",
        date_of_birth: (1950, 7, 13),
        summary: "On long-term oral steroids for COPD; sudden sharp mid-back pain after a minor \
            fall at home 4 days ago. Referred for an X-ray to rule out a fracture.",
        care_team: &[2],
    },
    DemoPatient {
        name: "Ahmed Hassan",
        email: "ahmed.hassan@demo.physio.test",
        date_of_birth: (1966, 1, 21),
        summary: "Chronic low back and bilateral leg pain from degenerative spondylolisthesis at \
            L4-L5. Lumbar fusion scheduled in 5 weeks; here for pre-operative conditioning.",
        care_team: &[0, 2],
    },
    DemoPatient {
        name: "Aisha Bello",
        email: "aisha.bello@demo.physio.test",
        date_of_birth: (1985, 10, 10),
        summary: "Accountant with low back pain for 8 months, worse after long periods of \
            sitting. No leg pain; no imaging or surgery.",
        care_team: &[1],
    },
    DemoPatient {
        name: "Isabel Fernandes",
        email: "isabel.fernandes@demo.physio.test",
        date_of_birth: (1963, 9, 2),
        summary: "Mid-back pain wrapping around to the ribs for 9 months from a T7-T8 disc \
            herniation; 6 months of conservative care did not help. Thoracic discectomy \
            scheduled.",
        care_team: &[1, 2],
    },
    DemoPatient {
        name: "Mateo Herrera",
        email: "mateo.herrera@demo.physio.test",
        date_of_birth: (1987, 2, 14),
        summary: "Bricklayer with recurring low back pain over 5 years; current flare for 2 weeks \
            after a long day lifting blocks. No surgery.",
        care_team: &[0],
    },
    DemoPatient {
        name: "Walter Schmidt",
        email: "walter.schmidt@demo.physio.test",
        date_of_birth: (1940, 5, 16),
        summary: "Chronic low back pain for many years; since a flare last winter he avoids \
            bending and has stopped gardening for fear of damaging his spine. No surgery.",
        care_team: &[0, 2],
    },
    DemoPatient {
        name: "Deborah Klein",
        email: "deborah.klein@demo.physio.test",
        date_of_birth: (1959, 11, 28),
        summary: "Low back pain for 3 months since she began lifting her husband after his \
            stroke. No leg symptoms; wants safer ways to help with transfers.",
        care_team: &[2],
    },
    DemoPatient {
        name: "Yuki Sato",
        email: "yuki.sato@demo.physio.test",
        date_of_birth: (2001, 1, 25),
        summary: "Acute low back spasm for 4 days after deadlifting at the gym. No leg symptoms; \
            first episode.",
        care_team: &[0],
    },
    DemoPatient {
        name: "Samuel Osei",
        email: "samuel.osei@demo.physio.test",
        date_of_birth: (1948, 3, 9),
        summary: "Right-sided rib pain beside the spine for 5 weeks after a bout of heavy \
            coughing. Fits costovertebral joint irritation; GP has ruled out chest causes.",
        care_team: &[1],
    },
    DemoPatient {
        name: "Nikolai Petrov",
        email: "nikolai.petrov@demo.physio.test",
        date_of_birth: (1954, 8, 4),
        summary: "Lumbar stenosis at L3-L4 and L4-L5 for 2 years; legs cramp after 10 minutes of \
            walking, eased by leaning on a shopping cart. Surgery discussed but not planned.",
        care_team: &[2],
    },
    DemoPatient {
        name: "Beatriz Santos",
        email: "beatriz.santos@demo.physio.test",
        date_of_birth: (1976, 7, 19),
        summary: "Chronic low back pain for 6 years with poor sleep and low mood. Facet \
            injections gave short-term relief; no surgery.",
        care_team: &[1],
    },
    DemoPatient {
        name: "Thomas Lefebvre",
        email: "thomas.lefebvre@demo.physio.test",
        date_of_birth: (1964, 4, 12),
        summary: "Left buttock and sacroiliac pain for 7 weeks after slipping on ice. No leg \
            numbness; pelvic X-ray normal.",
        care_team: &[0],
    },
    DemoPatient {
        name: "Priyanka Shah",
        email: "priyanka.shah@demo.physio.test",
        date_of_birth: (1995, 11, 1),
        summary: "Low back and pelvic pain for 4 months since the birth of her first child, worse \
            carrying the car seat. Vaginal delivery; no surgery.",
        care_team: &[2],
    },
    DemoPatient {
        name: "Leila Haddad",
        email: "leila.haddad@demo.physio.test",
        date_of_birth: (1971, 9, 23),
        summary: "Right leg pain back for 3 weeks, one year after a right L4-L5 microdiscectomy. \
            Surgeon has requested a repeat MRI.",
        care_team: &[0],
    },
    DemoPatient {
        name: "Mei Ling Chan",
        email: "meiling.chan@demo.physio.test",
        date_of_birth: (1960, 12, 17),
        summary: "Osteoporosis with a healed T8 compression fracture from 2 years ago; ongoing \
            mid-back ache and worry about her posture. Wants safe strength training.",
        care_team: &[1],
    },
    DemoPatient {
        name: "George Papadopoulos",
        email: "george.papadopoulos@demo.physio.test",
        date_of_birth: (1952, 6, 6),
        summary: "Degenerative lumbar scoliosis with aching back pain for 3 years, worse standing \
            at the kitchen counter. Managing without surgery.",
        care_team: &[0],
    },
    DemoPatient {
        name: "Omar Farouk",
        email: "omar.farouk@demo.physio.test",
        date_of_birth: (1982, 3, 3),
        summary: "Long-haul truck driver with low back pain for 1 year, worst after long shifts \
            in the cab. Intermittent left thigh ache; no surgery.",
        care_team: &[1],
    },
    DemoPatient {
        name: "Ruth Abernathy",
        email: "ruth.abernathy@demo.physio.test",
        date_of_birth: (1944, 10, 14),
        summary: "Low back and hip pain for 6 months with slow walking and two near-falls. Mild \
            stenosis on old imaging; walks with a cane; no surgery.",
        care_team: &[2],
    },
    DemoPatient {
        name: "Ingrid Johansson",
        email: "ingrid.johansson@demo.physio.test",
        date_of_birth: (1957, 2, 8),
        summary: "8 weeks after L3-L5 laminectomy for spinal stenosis. Now walks over a kilometre \
            before leg symptoms; building endurance.",
        care_team: &[0],
    },
    DemoPatient {
        name: "Diego Ramírez",
        email: "diego.ramirez@demo.physio.test",
        date_of_birth: (1974, 5, 27),
        summary: "Emergency nurse with low back pain for 3 weeks after helping reposition a \
            patient; off work on a workplace injury claim. No leg symptoms.",
        care_team: &[1],
    },
    DemoPatient {
        name: "Kofi Asante",
        email: "kofi.asante@demo.physio.test",
        date_of_birth: (1997, 6, 21),
        summary: "Neck pain for 3 weeks after a rear-end car collision. Neurologically normal and \
            no imaging needed on the Canadian C-spine rule.",
        care_team: &[0],
    },
    DemoPatient {
        name: "Hannah Goldberg",
        email: "hannah.goldberg@demo.physio.test",
        date_of_birth: (1978, 8, 8),
        summary: "Neck and upper-shoulder pain for 1 year, worse during long video calls, with \
            headaches by evening. No arm symptoms; no surgery.",
        care_team: &[1],
    },
    DemoPatient {
        name: "Vikram Singh",
        email: "vikram.singh@demo.physio.test",
        date_of_birth: (1950, 1, 29),
        summary: "Low back pain and reduced walking tolerance 5 years after an L4-L5 fusion; \
            stiffness at the level above. No further surgery planned.",
        care_team: &[2],
    },
    DemoPatient {
        name: "Amelia Thompson",
        email: "amelia.thompson@demo.physio.test",
        date_of_birth: (1967, 5, 5),
        summary: "Right leg pain into the calf for 10 days after a weekend of gardening, worse \
            than her back pain. Strength and reflexes normal; no surgery.",
        care_team: &[0],
    },
    DemoPatient {
        name: "Jun-ho Park",
        email: "junho.park@demo.physio.test",
        date_of_birth: (1989, 9, 12),
        summary: "Morning low back stiffness lasting over an hour for 1 year, easing with \
            activity. Rheumatology has confirmed axial spondyloarthritis; on a biologic.",
        care_team: &[1],
    },
    DemoPatient {
        name: "Carmen Delgado",
        email: "carmen.delgado@demo.physio.test",
        date_of_birth: (1953, 4, 1),
        summary: "Sudden low back pain 2 weeks ago while making a bed; past episodes settled \
            within weeks. No leg symptoms; keen to keep up her walking group.",
        care_team: &[1],
    },
];
