//! A page form that may carry files. Without JavaScript a form with a file field is sent as
//! `multipart/form-data`; its text fields are read (each at most the site's body limit) and
//! its files are streamed to storage as they arrive, as the viewer's unattached uploads, so the
//! handler gets the same fields as from an ordinary form plus the uploads' ids.
//!
//! An upload that is refused (too large, a kind not accepted) ends the reading there: the
//! rest of the body is not read, and the handler shows the form again with the problem.

use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Multipart, Request};
use axum::handler::Handler;
use axum::http::header;
use axum::routing::MethodRouter;
use copse_core::Error;
use serde::de::DeserializeOwned;

use crate::auth::PageViewer;
use crate::error::PageError;
use crate::extract::PageForm;
use crate::pages::guarded;
use crate::state::WebState;

/// A form's text fields in order, the uploads it carried, and the problem that stopped an
/// upload, if one did.
pub struct FormWithFiles {
    pub pairs: Vec<(String, String)>,
    pub files: Vec<String>,
    pub problem: Option<Error>,
}

impl FormWithFiles {
    /// The text fields as a form struct, as `PageForm` would read them.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, PageError> {
        let encoded = serde_urlencoded::to_string(&self.pairs).map_err(|e| bad_form(&e))?;
        serde_urlencoded::from_str(&encoded).map_err(|e| bad_form(&e))
    }

    /// The upload's problem, or the use case's result.
    pub fn or_problem<T>(&self, result: copse_core::Result<T>) -> copse_core::Result<T> {
        match &self.problem {
            Some(problem) => Err(problem.clone()),
            None => result,
        }
    }
}

fn bad_form(e: &dyn std::fmt::Display) -> PageError {
    PageError::new(
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        "Please check what you entered",
        format!("The form could not be read: {e}"),
    )
}

impl FromRequest<WebState> for FormWithFiles {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &WebState) -> Result<Self, PageError> {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            let PageForm(pairs) =
                PageForm::<Vec<(String, String)>>::from_request(req, state).await?;
            return Ok(FormWithFiles {
                pairs,
                files: Vec::new(),
                problem: None,
            });
        }
        let (mut parts, body) = req.into_parts();
        let PageViewer(viewer) = PageViewer::from_request_parts(&mut parts, state).await?;
        let req = Request::from_parts(parts, body);
        let mut form = Multipart::from_request(req, state)
            .await
            .map_err(|e| bad_form(&e.body_text()))?;
        read_fields(state, &viewer.actor(), &mut form).await
    }
}

async fn read_fields(
    state: &WebState,
    actor: &copse_core::policy::Actor,
    form: &mut Multipart,
) -> Result<FormWithFiles, PageError> {
    let mut out = FormWithFiles {
        pairs: Vec::new(),
        files: Vec::new(),
        problem: None,
    };
    let text_limit = state.web.max_body_bytes;
    while let Some(mut field) = form
        .next_field()
        .await
        .map_err(|e| bad_form(&e.body_text()))?
    {
        let name = field.name().unwrap_or_default().to_string();
        match field.file_name().map(str::to_string) {
            // A file field with no file chosen is sent with an empty name and no bytes.
            Some(file_name) if file_name.is_empty() => continue,
            Some(file_name) => {
                match copse_app::files::upload(state, actor, &file_name, &mut field).await {
                    Ok(file) => out.files.push(file.id.to_string()),
                    Err(e) => {
                        out.problem = Some(e);
                        break;
                    }
                }
            }
            None => {
                let mut value = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(|e| bad_form(&e.body_text()))? {
                    value.extend_from_slice(&chunk);
                    if value.len() > text_limit {
                        return Err(PageError::new(
                            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                            "That is too large",
                            format!("The field {name:?} is too long."),
                        ));
                    }
                }
                let value = String::from_utf8(value).map_err(|e| bad_form(&e))?;
                out.pairs.push((name, value));
            }
        }
    }
    Ok(out)
}

/// A page form route that takes uploads: Origin-checked like every page POST, with a body
/// limit of as many files as a post may carry.
pub fn guarded_upload<H, T>(state: &WebState, handler: H) -> MethodRouter<WebState>
where
    H: Handler<T, WebState>,
    T: 'static,
{
    let per_file = usize::try_from(state.config.files.max_file_bytes).unwrap_or(usize::MAX);
    let limit = per_file
        .saturating_mul(copse_app::files::MAX_FILES_PER_POST)
        .saturating_add(state.web.max_body_bytes);
    guarded(state, handler).layer(DefaultBodyLimit::max(limit))
}
