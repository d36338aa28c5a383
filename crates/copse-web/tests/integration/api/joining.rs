//! Joining by each policy: open, approval, invitation; roles and removal.

use super::*;

#[tokio::test]
async fn joining_by_policy_requests_invitations_and_roles() {
    for app in apps().await {
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        coord.community("open", "public", true, "open").await;
        coord
            .community("approval", "public", true, "approval")
            .await;
        coord
            .community("invite", "private", false, "invitation")
            .await;

        open_communities_are_joined_at_once(&ada, &app).await;
        approval_waits_for_a_coordinator(&ada, &bob, &coord).await;
        invitations_are_sent_and_accepted(&bob, &coord, &ada).await;
        roles_and_removal(&ada, &coord).await;
        app.finish().await;
    }
}

/// Open: join at once; joining twice is a conflict.
async fn open_communities_are_joined_at_once(ada: &Api, app: &TestApp) {
    let joined = ada.post_empty("/api/v1/communities/open/join").await;
    assert_eq!(
        (joined.status, joined.body["status"].as_str()),
        (200, Some("joined"))
    );
    assert_eq!(
        ada.post_empty("/api/v1/communities/open/join").await.status,
        409
    );
    assert_eq!(
        app.api()
            .post_empty("/api/v1/communities/open/join")
            .await
            .status,
        401
    );
}

/// Approval: answers are required; a request waits; only a coordinator decides.
async fn approval_waits_for_a_coordinator(ada: &Api, bob: &Api, coord: &Api) {
    let missing = ada.post_empty("/api/v1/communities/approval/join").await;
    assert_eq!(
        (missing.status, missing.body["error"]["field"].as_str()),
        (422, Some("answers"))
    );
    let req = ada
        .post(
            "/api/v1/communities/approval/join",
            json!({"answers": ["Ward 3B"]}),
        )
        .await;
    assert_eq!(req.body["status"], "requested");
    let id = req.body["request"]["id"].as_i64().unwrap();
    assert_eq!(
        ada.post(
            "/api/v1/communities/approval/join",
            json!({"answers": ["again"]})
        )
        .await
        .status,
        409
    );
    assert_eq!(
        bob.get("/api/v1/communities/approval/join-requests")
            .await
            .status,
        403
    );
    assert_eq!(
        bob.post_empty(&format!(
            "/api/v1/communities/approval/join-requests/{id}/approve"
        ))
        .await
        .status,
        403
    );
    let pending = coord
        .get("/api/v1/communities/approval/join-requests")
        .await;
    assert_eq!(pending.body["items"][0]["answers"][0]["answer"], "Ward 3B");
    assert_eq!(
        coord
            .post_empty(&format!(
                "/api/v1/communities/approval/join-requests/{id}/approve"
            ))
            .await
            .status,
        204
    );
    assert_eq!(
        ada.get("/api/v1/communities/approval").await.body["your_role"],
        "member"
    );
    assert_eq!(
        coord
            .post_empty(&format!(
                "/api/v1/communities/approval/join-requests/{id}/decline"
            ))
            .await
            .status,
        404
    );
}

/// Invitation: joining is refused; leaders may not invite as coordinator; an invited
/// person sees the community and accepts.
async fn invitations_are_sent_and_accepted(bob: &Api, coord: &Api, ada: &Api) {
    assert_eq!(
        bob.post_empty("/api/v1/communities/invite/join")
            .await
            .status,
        404,
        "hidden from bob"
    );
    let inv = coord
        .post(
            "/api/v1/communities/invite/invitations",
            json!({"invitee": "@ada", "role": "leader"}),
        )
        .await;
    assert_eq!(inv.status, 201, "{}", inv.text);
    assert!(
        inv.body["link"]
            .as_str()
            .unwrap()
            .contains("/invitations/link/cpi_")
    );
    assert_eq!(
        ada.get("/api/v1/communities/invite").await.status,
        200,
        "invited people see the listing"
    );
    assert_eq!(
        ada.post_empty("/api/v1/communities/invite/join")
            .await
            .status,
        403
    );
    let mine = ada.get("/api/v1/me/invitations").await;
    let inv_id = mine.body["items"][0]["id"].as_i64().unwrap();
    assert_eq!(
        bob.post_empty(&format!("/api/v1/me/invitations/{inv_id}/accept"))
            .await
            .status,
        404
    );
    assert_eq!(
        ada.post_empty(&format!("/api/v1/me/invitations/{inv_id}/accept"))
            .await
            .status,
        204
    );
    assert_eq!(
        ada.get("/api/v1/communities/invite").await.body["your_role"],
        "leader"
    );
    let as_coord = ada
        .post(
            "/api/v1/communities/invite/invitations",
            json!({"invitee": "@bob", "role": "coordinator"}),
        )
        .await;
    assert_eq!(as_coord.status, 403);
    let as_member = ada
        .post(
            "/api/v1/communities/invite/invitations",
            json!({"invitee": "bob@example.org"}),
        )
        .await;
    assert_eq!(as_member.status, 201);
    let nobody = ada
        .post(
            "/api/v1/communities/invite/invitations",
            json!({"invitee": "@nobody"}),
        )
        .await;
    assert_eq!(
        (nobody.status, nobody.body["error"]["field"].as_str()),
        (422, Some("invitee"))
    );
}

/// Roles and removal: coordinators only; the last coordinator stays.
async fn roles_and_removal(ada: &Api, coord: &Api) {
    assert_eq!(
        ada.put(
            "/api/v1/communities/open/members/coord",
            json!({"role": "member"})
        )
        .await
        .status,
        403
    );
    let last = coord
        .put(
            "/api/v1/communities/open/members/coord",
            json!({"role": "member"}),
        )
        .await;
    assert_eq!(last.status, 409);
    assert_eq!(
        coord
            .post_empty("/api/v1/communities/open/leave")
            .await
            .status,
        409
    );
    assert_eq!(
        coord
            .put(
                "/api/v1/communities/open/members/ada",
                json!({"role": "coordinator"})
            )
            .await
            .status,
        204
    );
    assert_eq!(
        coord
            .post_empty("/api/v1/communities/open/leave")
            .await
            .status,
        204
    );
    assert_eq!(
        ada.delete("/api/v1/communities/open/members/coord")
            .await
            .status,
        404,
        "no longer a member"
    );
    assert_eq!(
        ada.put(
            "/api/v1/communities/open/members/ada",
            json!({"role": "observer"})
        )
        .await
        .status,
        422
    );
}
