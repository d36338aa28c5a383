//! The JSON API through HTTP against a real server, on every backend under test. Each allowed
//! case is paired with the refused case on the same setup.

mod accounts;
mod communities;
mod input;
mod joining;
mod token_scopes;

use crate::common::*;
use serde_json::Value;
use serde_json::json;
