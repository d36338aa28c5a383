//! The demo's practice in the community of the infection prevention and control nurses: its topics, its longer threads
//! with replies and answers, and the many shorter ones a living community accumulates, with the
//! things its members say in reply.

use copse_core::domain::ThreadKind::{
    Announcement as A, Discussion as D, Question as Q, Resource as R,
};

use super::practice::{Short, ThreadSeed};

pub const IPC_TOPICS: &[(&str, &str, &str)] = &[
    (
        "hand-hygiene",
        "Hand hygiene",
        "Audits, feedback and the five moments",
    ),
    (
        "line-care",
        "Line care",
        "Central and peripheral lines, bundles, CLABSI",
    ),
    (
        "outbreaks",
        "Outbreaks",
        "Norovirus, C. difficile, flu and how to contain them",
    ),
    (
        "surveillance",
        "Surveillance",
        "Collecting and showing infection data",
    ),
    ("isolation", "Isolation", "Side rooms, cohorting and PPE"),
    (
        "stewardship",
        "Antimicrobial stewardship",
        "Antibiotics at the bedside",
    ),
];

pub const IPC_THREADS: &[ThreadSeed] = &[
    (
        "aoife",
        Q,
        false,
        &["hand-hygiene"],
        "How do you stop hand hygiene audits turning into a tick-box exercise?",
        "Our monthly audits report 98% compliance, and nobody believes the number — least of all the ward staff. How do you keep audits honest and useful?",
        &[
            (
                "maya",
                "We moved to **covert observation by peers from another ward** and report the result with one concrete example each month. The number dropped to 71% and suddenly people talked about it.",
            ),
            (
                "henrik",
                "Same experience in Riverside. We also stopped publishing ward league tables — shame made people game it.",
            ),
            (
                "tom_becker",
                "On ICU we ask the observed nurse to say which moment they missed. It turns the audit into a two-minute teaching moment.",
            ),
        ],
        Some(0),
        true,
    ),
    (
        "tom_becker",
        Q,
        false,
        &["line-care"],
        "Chlorhexidine bathing in ICU: daily or only for lines?",
        "We're revising our CLABSI bundle. Do you bathe every ICU patient with 2% chlorhexidine daily, or only patients with central lines?",
        &[
            (
                "henrik",
                "Every patient, daily. Our CLABSI rate fell by about a third in the first year, and we saw fewer MRSA acquisitions too.",
            ),
            (
                "elena",
                "Daily for all, but watch skin reactions in long-stay patients — we switch to soap for a day if the skin breaks down.",
            ),
        ],
        Some(0),
        true,
    ),
    (
        "samir",
        Q,
        false,
        &["isolation"],
        "Isolating suspected norovirus in an ED with two side rooms",
        "We have two side rooms and winter is coming. How do other EDs decide who gets a side room when three patients are vomiting at once?",
        &[
            (
                "maya",
                "We use a simple priority list: confirmed > suspected with diarrhoea > vomiting only. The list is laminated at the nurses' station so nobody has to decide at 3 a.m.",
            ),
            (
                "grace",
                "In paediatrics we cohort siblings together, which frees a room more often than you'd think.",
            ),
        ],
        Some(0),
        false,
    ),
    (
        "lucie",
        R,
        false,
        &["hand-hygiene"],
        "Our endoscope reprocessing checklist (French and English)",
        "Here is the one-page checklist we use for endoscope reprocessing, with the English translation. Free to adapt — please tell us what you change.",
        &[
            (
                "kwame",
                "Thank you! Our theatre team translated it into German and added a line for the drying cabinet.",
            ),
            (
                "aoife",
                "Adopted at St Brigid's for the endoscopy unit. The photo of each step helps new staff a lot.",
            ),
        ],
        None,
        true,
    ),
    (
        "henrik",
        D,
        false,
        &["stewardship"],
        "Nurse-led antibiotic time-outs at 48 hours",
        "We started a 48-hour antibiotic time-out led by the bedside nurse, not the doctor. Three months in, 22% of courses are stopped or narrowed at the time-out. Anyone else tried nurse-led reviews?",
        &[
            (
                "fatima",
                "We tried it on the renal unit. The hardest part was confidence: nurses felt they were questioning prescribers. A script helped.",
            ),
            (
                "priya",
                "Could you share the script? Our surgical ward would like to try it.",
            ),
        ],
        None,
        false,
    ),
    (
        "maya",
        A,
        false,
        &[],
        "Monthly meeting moved to the second Tuesday",
        "From next month our monthly meeting is on the second Tuesday, 14:00 UK time, to suit colleagues in Toronto. The link stays the same.",
        &[],
        None,
        false,
    ),
    (
        "priya",
        Q,
        false,
        &["surveillance"],
        "What counts as a surgical site infection in your surveillance?",
        "We keep arguing whether superficial wound redness treated with antibiotics by the GP counts as an SSI. Which definition do you use?",
        &[
            (
                "aoife",
                "We use the ECDC definitions strictly: superficial incisional SSI needs at least one of pus, organisms, or signs plus deliberate opening. GP antibiotics alone don't count.",
            ),
            (
                "jonas",
                "Same here, but we record the GP-treated cases separately so we don't lose them.",
            ),
        ],
        Some(0),
        true,
    ),
    (
        "grace",
        Q,
        false,
        &["hand-hygiene"],
        "Teaching hand hygiene to parents on a children's ward",
        "Parents are often the ones touching lines and feeding tubes. How do you teach them hand hygiene without making them feel blamed?",
        &[
            (
                "jonas",
                "We give every family a short video on admission and a sticker chart for the children, who then police their parents very effectively.",
            ),
            (
                "maya",
                "Ask the parent to teach it back to you. It's respectful and you see at once what they understood.",
            ),
        ],
        Some(1),
        false,
    ),
    (
        "elena",
        Q,
        true,
        &["outbreaks"],
        "Our C. difficile cluster: what would you check first?",
        "Three C. difficile cases in ten days on our ICU. Environmental cleaning has been stepped up. What would you check next?",
        &[
            (
                "henrik",
                "Commodes and bedpan washers. In our last cluster the washer's temperature log had been faked for weeks.",
            ),
            (
                "maya",
                "Check antibiotic exposure too — all three on co-amoxiclav? And ribotype the isolates before you assume transmission.",
            ),
        ],
        Some(1),
        false,
    ),
    (
        "jonas",
        D,
        false,
        &["stewardship", "outbreaks"],
        "Flu vaccination uptake among nurses: what moved the needle?",
        "We're at 54% uptake among nursing staff. What actually increased uptake in your hospital?",
        &[
            (
                "samir",
                "Peer vaccinators on every shift. People say yes to a colleague with a trolley far more than to a clinic.",
            ),
            (
                "aoife",
                "Publishing uptake by ward — positively, celebrating the best wards — worked for us.",
            ),
        ],
        None,
        false,
    ),
    (
        "kwame",
        Q,
        false,
        &["isolation"],
        "Theatre traffic: how many door openings is too many?",
        "We counted 40 door openings in a two-hour hip replacement. Do you have a target or a way to reduce it?",
        &[(
            "lucie",
            "We aim for under 20 per hour and put a simple counter on the door. Just showing the number halved it.",
        )],
        Some(0),
        false,
    ),
    (
        "fatima",
        Q,
        false,
        &["line-care"],
        "Dialysis line locks: heparin or citrate?",
        "We're reviewing our tunnelled line lock solution after two bacteraemias. Heparin, 4% citrate or taurolidine?",
        &[
            (
                "henrik",
                "We moved to taurolidine-citrate for patients with a previous line infection. No infections in that group for eight months.",
            ),
            (
                "tom_becker",
                "Check the cost with pharmacy first; it was the main objection in our hospital.",
            ),
        ],
        None,
        false,
    ),
];

pub const IPC: &[Short] = &[
    (
        Q,
        "Alcohol rub for C. difficile rooms?",
        "We know soap and water is preferred. Do you still put alcohol rub at the door of C. diff rooms?",
    ),
    (
        Q,
        "How long do you keep contact precautions after MRSA decolonisation?",
        "Three negative screens, or until discharge?",
    ),
    (
        D,
        "Glove overuse on our ward",
        "Staff wear gloves for everything, including writing notes. How did you shift the habit?",
    ),
    (
        Q,
        "Cleaning mobile phones on the ward",
        "Do you have a policy for staff phones? Wipes, UV boxes, nothing?",
    ),
    (
        R,
        "Poster: the five moments in Portuguese",
        "A colleague translated the WHO five moments poster into Portuguese for our cleaners.",
    ),
    (
        Q,
        "Peripheral cannula: routine replacement or clinically indicated?",
        "We still replace every 72 hours. Has anyone moved to clinically indicated replacement?",
    ),
    (
        Q,
        "Urinary catheter removal reminders",
        "What prompts work best to remove catheters early — stickers, EHR alerts, nurse-led protocols?",
    ),
    (
        D,
        "Bare below the elbows and winter cardigans",
        "Every winter the cardigans come back. How strict are you?",
    ),
    (
        Q,
        "Screening new admissions for CPE",
        "Do you screen everyone transferred from abroad, or only from high-prevalence countries?",
    ),
    (
        R,
        "Our norovirus outbreak checklist",
        "One page, from first case to declaring the outbreak over. Adapt freely.",
    ),
    (
        Q,
        "Who cleans shared equipment between patients?",
        "Nurses, healthcare assistants or domestics? Our blood pressure cuffs fall between the cracks.",
    ),
    (
        Q,
        "Flushing PICC lines: how often when not in use?",
        "Weekly, or every 72 hours like peripheral lines?",
    ),
    (
        D,
        "Link nurses: protected time or goodwill?",
        "Our link nurses get no protected time and the role is fading. What works elsewhere?",
    ),
    (
        Q,
        "Respiratory hygiene stations in outpatients",
        "Masks and tissues at the entrance: worth it outside flu season?",
    ),
    (
        Q,
        "Aseptic non-touch technique training for new starters",
        "Do you assess ANTT competence on the first week, or later?",
    ),
    (
        R,
        "Slides: teaching hand hygiene with UV gel",
        "The slides we use with the UV light box. The 'after' photos do the teaching.",
    ),
    (
        Q,
        "Isolation signage that respects privacy",
        "Our signs say 'MRSA'. Patients hate it. What do your door signs say?",
    ),
    (
        Q,
        "Surgical site infection follow-up after discharge",
        "How do you capture SSIs that present to GPs after discharge?",
    ),
    (
        D,
        "Audit fatigue",
        "We audit nine things a month. Is anyone cutting back to fewer, better audits?",
    ),
    (
        Q,
        "Blood culture contamination rate target",
        "What contamination rate do you aim for, and how do you feed back to the ED?",
    ),
    (
        Q,
        "Mattress audits: how often?",
        "We found 12% of mattresses failing. How often do you check them?",
    ),
    (
        R,
        "Checklist for opening a new ward",
        "Water safety, cleaning, sinks: the IPC checklist we used when our new wing opened.",
    ),
    (
        Q,
        "Visitors and flu season",
        "Do you restrict child visitors in winter?",
    ),
    (
        D,
        "Sinks as reservoirs of resistant bacteria",
        "We removed sinks from ICU bed spaces. Results after a year, and what we would do differently.",
    ),
    (
        Q,
        "Re-using tourniquets",
        "Single use or cleaned between patients?",
    ),
    (
        Q,
        "Feedback to cleaners after ATP testing",
        "How do you share ATP results without it feeling like blame?",
    ),
    (
        R,
        "A simple run chart template for infection rates",
        "Spreadsheet with the median line and rules for shifts already built in.",
    ),
    (
        Q,
        "Neonatal unit: bathing with chlorhexidine?",
        "Any experience with CHG bathing in term neonates?",
    ),
    (
        Q,
        "Ward closures during norovirus",
        "At what point do you close a ward to admissions?",
    ),
    (
        D,
        "Getting doctors to take part in audits",
        "Our audits are all about nurses. How did you involve medical staff?",
    ),
    (
        Q,
        "Aprons: colour coding by task?",
        "Does colour coding aprons (white for care, yellow for isolation) help in practice?",
    ),
    (
        Q,
        "Hospital-onset COVID definitions today",
        "Which definition are you still using for hospital-onset cases?",
    ),
    (
        R,
        "Reading list for new IPC nurses",
        "The ten papers and guidelines I give every new IPC nurse in their first month.",
    ),
    (
        Q,
        "Scabies on a care-of-the-elderly ward",
        "Treating contacts: staff too? How wide do you go?",
    ),
    (
        Q,
        "Curtain changing schedule",
        "Disposable curtains: six months, or on visible soiling?",
    ),
    (
        D,
        "What made you become an IPC nurse?",
        "For newcomers thinking about the role: what drew you in?",
    ),
    (
        Q,
        "Water safety: flushing little-used outlets",
        "Who flushes the outlets in rooms that stay empty?",
    ),
    (
        Q,
        "Documenting line insertions",
        "Paper sticker or EHR? Our insertion dates go missing.",
    ),
    (
        R,
        "Patient leaflet: why we clean our hands",
        "A plain-language leaflet reviewed by our patient panel.",
    ),
    (
        Q,
        "Antibiotic prophylaxis timing in theatre",
        "How do you make sure prophylaxis is given within 60 minutes before incision?",
    ),
];

pub const IPC_REPLIES: &[(&str, &str)] = &[
    (
        "maya",
        "We tried this at Northfield. What worked was making it someone's named job on each shift.",
    ),
    (
        "henrik",
        "Our data say yes, but only when the ward owns the change — a policy alone did nothing.",
    ),
    (
        "aoife",
        "St Brigid's guidance is attached to our intranet page; happy to send it if you message me.",
    ),
    (
        "lucie",
        "À Saint-Clair we do this weekly. The key was a short checklist at the point of care.",
    ),
    (
        "tom_becker",
        "On ICU we review it at the morning huddle, which takes two minutes and catches most misses.",
    ),
    (
        "samir",
        "In the ED we can't always, but a laminated card by the door helps at 3 a.m.",
    ),
    (
        "grace",
        "For children we involve the parents; they remind us more often than we remind them.",
    ),
    (
        "priya",
        "We ran a small PDSA cycle on this last spring; the first change that stuck was the simplest one.",
    ),
    (
        "jonas",
        "Occupational health sees the other side of this — staff need it to be easy before it's right.",
    ),
    (
        "elena",
        "Night shift is where it slips. We started auditing at night too and the picture changed.",
    ),
    (
        "fatima",
        "On the renal unit we follow the national guidance but check it quarterly with a quick audit.",
    ),
    (
        "kwame",
        "In theatres this is part of the sign-in; once it's in the checklist it happens.",
    ),
];
