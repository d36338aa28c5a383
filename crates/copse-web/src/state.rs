//! What every handler shares: the use cases' [`App`] and the web layer's own settings, loaded
//! once by the binary.

use std::ops::Deref;
use std::sync::Arc;

use copse_app::App;

/// Settings of the web layer alone (the use cases' settings are in [`copse_app::AppConfig`]).
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure`: set when copse is served over HTTPS (directly or behind a proxy).
    pub secure_cookies: bool,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            max_body_bytes: 256 * 1024,
        }
    }
}

/// The router's state. It derefs to [`App`], so a handler passes `&state` to a use case.
#[derive(Clone)]
pub struct WebState {
    pub app: App,
    pub web: Arc<WebConfig>,
}

impl WebState {
    pub fn new(app: App, web: WebConfig) -> Self {
        WebState {
            app,
            web: Arc::new(web),
        }
    }
}

impl Deref for WebState {
    type Target = App;

    fn deref(&self) -> &App {
        &self.app
    }
}
