//! Settings → Profile → Your picture: upload (cropped to a square, three sizes) and remove.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};

use crate::auth::PageSignedIn;
use crate::pages::accounts::settings_page;
use crate::pages::{Notice, PageResult, done, form_problem, guarded, render_with_status};
use crate::state::WebState;
use copse_core::Error;

async fn upload_avatar(
    State(state): State<WebState>,
    PageSignedIn(viewer, account): PageSignedIn,
    mut form: Multipart,
) -> PageResult {
    let saved = async {
        while let Some(field) = form
            .next_field()
            .await
            .map_err(|e| Error::invalid("avatar", e.body_text()))?
        {
            let chosen = field.file_name().is_some_and(|n| !n.is_empty());
            if field.name() == Some("avatar") && chosen {
                return copse_app::files::set_avatar(&state, &viewer.actor(), field).await;
            }
        }
        Err(Error::invalid("avatar", "choose an image to upload"))
    }
    .await;
    match saved {
        Ok(_) => done("/settings/profile", "avatar-saved"),
        Err(e) => {
            let (status, message) = form_problem(e)?;
            let page = settings_page(
                &state,
                &viewer,
                &account,
                Notice(None),
                "profile",
                Some(message),
                None,
            )
            .await?;
            render_with_status(status, &page)
        }
    }
}

async fn remove_avatar(
    State(state): State<WebState>,
    PageSignedIn(viewer, _): PageSignedIn,
) -> PageResult {
    copse_app::files::remove_avatar(&state, &viewer.actor()).await?;
    done("/settings/profile", "avatar-removed")
}

pub fn routes(state: &WebState) -> Router<WebState> {
    let limit = usize::try_from(state.config.files.max_file_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(64 * 1024);
    Router::new()
        .route(
            "/settings/avatar",
            guarded(state, upload_avatar).layer(DefaultBodyLimit::max(limit)),
        )
        .route("/settings/avatar/remove", guarded(state, remove_avatar))
}
