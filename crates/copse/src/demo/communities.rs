//! The demo's people and communities: accounts with profiles, three communities with their
//! members, roles, join requests, observers and an invitation, seeded through a store whose
//! clock walks forward so that join dates look like a real past.

use std::collections::HashMap;

use anyhow::Context;
use copse_app::passwords;
use copse_core::clock::FixedClock;
use copse_core::domain::*;
use copse_store::{Invitee, Store};

use super::people::{ENGINEERS, MAPPERS, NURSES, handle_email};
use super::{ADMIN_EMAIL, COORDINATOR_EMAIL, DAY, DEMO_PASSWORD, MEMBER_EMAIL};

/// The demo's accounts by handle.
pub async fn people(store: &Store) -> anyhow::Result<HashMap<&'static str, AccountId>> {
    let hash = passwords::hash(DEMO_PASSWORD.to_string()).await?;
    let mut ids = HashMap::new();
    for people in [NURSES, ENGINEERS, MAPPERS] {
        for (handle, name, org, dept, country, tz, expertise, bio) in people {
            let email = match *handle {
                "maya" => COORDINATOR_EMAIL.to_string(),
                "tom_becker" => MEMBER_EMAIL.to_string(),
                h => handle_email(h, org),
            };
            let account = store
                .create_account(&NewAccount {
                    handle: Handle::parse(handle)?,
                    email: Email::parse(&email)?,
                    password_hash: hash.clone(),
                    profile: Profile {
                        display_name: name.to_string(),
                        bio: Some(bio.to_string()),
                        organisation: Some(org.to_string()),
                        department: Some(dept.to_string()),
                        country: Some(country.to_string()),
                        time_zone: Some(tz.to_string()),
                        expertise: expertise.iter().map(|s| s.to_string()).collect(),
                    },
                    is_admin: false,
                    email_verified: true,
                })
                .await
                .with_context(|| format!("demo account {handle}"))?;
            ids.insert(*handle, account.id);
        }
    }
    // The site's administrator, who belongs to no community: the user administration's door.
    store
        .create_account(&NewAccount {
            handle: Handle::parse("site_admin")?,
            email: Email::parse(ADMIN_EMAIL)?,
            password_hash: hash.clone(),
            profile: Profile {
                display_name: "Site administrator".into(),
                ..Profile::default()
            },
            is_admin: true,
            email_verified: true,
        })
        .await
        .context("demo admin account")?;
    Ok(ids)
}

/// Infection-control nurses across hospitals: public, joins on approval.
pub async fn ipc(
    store: &Store,
    clock: &FixedClock,
    id: &impl Fn(&str) -> AccountId,
) -> anyhow::Result<Community> {
    let ipc = store
        .create_community(
            &NewCommunity {
                slug: Slug::parse("ipc-nurses")?,
                name: "Infection Prevention & Control Nurses".into(),
                domain_statement: "We are infection prevention and control (IPC) nurses and link nurses from hospitals in \
                    five countries. We share what works on the ward: **hand hygiene audits** that change behaviour, \
                    isolation in crowded departments, line care bundles, outbreak playbooks and the surveillance data \
                    behind them.\n\nBring a question from your shift, an audit tool you are proud of, or a story of \
                    something that went wrong and what you learned."
                    .into(),
                visibility: Visibility::Public,
                listed: true,
                join_policy: JoinPolicy::Approval,
                join_questions: vec![
                    "Which hospital and ward do you work in?".into(),
                    "What would you like to learn or share here?".into(),
                ],
                stage: Stage::Coalescing,
            },
            id("maya"),
        )
        .await?;
    let mut members = vec![];
    for (h, ..) in &NURSES[1..12] {
        clock.advance(9 * DAY);
        store.join(ipc.id, id(h)).await?;
        members.push(*h);
    }
    for (h, role) in [
        ("henrik", Role::Leader),
        ("aoife", Role::Leader),
        ("lucie", Role::Leader),
    ] {
        store.set_role(ipc.id, id(h), role, id("maya")).await?;
    }
    clock.advance(30 * DAY);
    store
        .update_community(
            ipc.id,
            &CommunityChange {
                domain_statement: Some(
                    "We are infection prevention and control (IPC) nurses and link nurses from hospitals in \
                     five countries. We share what works on the ward: **hand hygiene audits** that change behaviour, \
                     isolation in crowded departments, line care bundles, outbreak playbooks, the surveillance data \
                     behind them — and, since 2025, **antimicrobial stewardship** at the bedside.\n\nBring a question \
                     from your shift, an audit tool you are proud of, or a story of something that went wrong and what \
                     you learned."
                        .into(),
                ),
                reason: Some("Stewardship nurses asked to join; it belongs to our practice".into()),
                stage: Some(Stage::Maturing),
                ..CommunityChange::default()
            },
            id("maya"),
        )
        .await?;
    ask_to_join_ipc(store, clock, ipc.id, id).await?;
    Ok(ipc)
}

/// Two nurses asked to join and wait for an answer.
async fn ask_to_join_ipc(
    store: &Store,
    clock: &FixedClock,
    ipc: CommunityId,
    id: &impl Fn(&str) -> AccountId,
) -> anyhow::Result<()> {
    for h in ["oliver", "nadia"] {
        clock.advance(2 * DAY);
        store
            .request_to_join(
                ipc,
                id(h),
                &[
                    JoinAnswer {
                        question: "Which hospital and ward do you work in?".into(),
                        answer: if h == "oliver" {
                            "Lakeshore Children's, NICU".into()
                        } else {
                            "Hôpital Saint-Clair, quality department".into()
                        },
                    },
                    JoinAnswer {
                        question: "What would you like to learn or share here?".into(),
                        answer: if h == "oliver" {
                            "How other units audit central lines in neonates.".into()
                        } else {
                            "How you design audits that nurses actually use.".into()
                        },
                    },
                ],
            )
            .await?;
    }

    Ok(())
}

/// Data engineering across one company's departments: private but listed, approval.
pub async fn data_engineering(
    store: &Store,
    clock: &FixedClock,
    id: &impl Fn(&str) -> AccountId,
) -> anyhow::Result<Community> {
    let de = store
        .create_community(
            &NewCommunity {
                slug: Slug::parse("data-engineering")?,
                name: "Data Engineering Guild".into(),
                domain_statement: "The data engineers, analytics engineers and curious analysts of Alder & Finch, from \
                    every department. Claims, Underwriting, Finance and Marketing all build pipelines; we learn from \
                    each other instead of solving the same problem four times.\n\nOur practice: data contracts, \
                    testing pipelines, cost-aware cloud use, and handling personal data with care."
                    .into(),
                visibility: Visibility::Private,
                listed: true,
                join_policy: JoinPolicy::Approval,
                join_questions: vec!["Which team are you in, and what data do you work with?".into()],
                stage: Stage::Maturing,
            },
            id("lena"),
        )
        .await?;
    for (h, ..) in ENGINEERS[1..].iter().filter(|p| p.0 != "hannah") {
        clock.advance(11 * DAY);
        store.join(de.id, id(h)).await?;
    }
    store
        .set_role(de.id, id("raj"), Role::Leader, id("lena"))
        .await?;
    store
        .set_role(de.id, id("marcus"), Role::Leader, id("lena"))
        .await?;
    store
        .set_role(de.id, id("anna"), Role::Coordinator, id("lena"))
        .await?;
    clock.advance(DAY);
    store
        .request_to_join(
            de.id,
            id("hannah"),
            &[JoinAnswer {
                question: "Which team are you in, and what data do you work with?".into(),
                answer: "HR, people analytics. I want to learn to build proper pipelines instead of exports."
                    .into(),
            }],
        )
        .await?;

    Ok(de)
}

/// Open-source GIS practitioners across countries: public and open.
pub async fn open_gis(
    store: &Store,
    clock: &FixedClock,
    id: &impl Fn(&str) -> AccountId,
) -> anyhow::Result<Community> {
    let gis = store
        .create_community(
            &NewCommunity {
                slug: Slug::parse("open-gis")?,
                name: "Open GIS Practitioners".into(),
                domain_statement: "People who make maps and spatial data with open-source tools — QGIS, PostGIS, GDAL, \
                    MapLibre, OpenStreetMap — in city halls, NGOs, cooperatives and research institutes on four \
                    continents.\n\nWe help each other with the practical side: projections that bite, tile \
                    pipelines, field data collection offline, and teaching GIS to colleagues."
                    .into(),
                visibility: Visibility::Public,
                listed: true,
                join_policy: JoinPolicy::Open,
                join_questions: vec![],
                stage: Stage::Stewardship,
            },
            id("amara"),
        )
        .await?;
    for (h, ..) in &MAPPERS[1..] {
        clock.advance(7 * DAY);
        store.join(gis.id, id(h)).await?;
    }
    store
        .set_role(gis.id, id("joost"), Role::Leader, id("amara"))
        .await?;
    store
        .set_role(gis.id, id("beatriz"), Role::Leader, id("amara"))
        .await?;
    store
        .set_role(gis.id, id("ingrid"), Role::Coordinator, id("amara"))
        .await?;

    Ok(gis)
}

/// Observers of the public communities, members of two, and an invitation for the demo member.
pub async fn ties(
    store: &Store,
    clock: &FixedClock,
    [ipc, de, gis]: [CommunityId; 3],
    id: &impl Fn(&str) -> AccountId,
) -> anyhow::Result<()> {
    // Observers: people who follow a public community without joining.
    for (community, who) in [
        (ipc, &["pedro", "laura", "hannah", "moses"][..]),
        (gis, &["tom_becker", "anna", "david", "mei"][..]),
    ] {
        for h in who {
            clock.advance(DAY);
            store.follow(community, id(h)).await?;
        }
    }
    // Cross-community members: a nurse who maps, an engineer who maps.
    store.join(gis, id("samir")).await?;
    store.join(gis, id("carlos")).await?;
    // An invitation waiting for the demo member.
    store
        .invite(
            de,
            &Invitee::Account(id("tom_becker")),
            Role::Member,
            "demo-invitation-not-a-secret",
            id("lena"),
        )
        .await?;

    Ok(())
}
