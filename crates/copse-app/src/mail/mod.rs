//! E-mail: the transport (SMTP or an outbox folder) and sending each message once.

pub mod delivery;
mod transport;

pub use delivery::{BatchOutcome, Delivered, Delivery, Postman};
pub use transport::{Mailer, OutgoingMail, header_safe};
