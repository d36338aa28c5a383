//! Password hashing with argon2id (19 MiB, t=2, p=1 — the OWASP minimum), run on the blocking
//! pool so that a burst of sign-ins does not stall the async workers.

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, PasswordHash, Version};
use copse_core::OrInternal;
use copse_core::Result;

fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub async fn hash(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        hasher()
            .hash_password(password.as_bytes())
            .map(|h: PasswordHash| h.to_string())
            .or_internal()
    })
    .await
    .or_internal()?
}

/// True when the password matches the stored PHC string. A malformed stored hash is a mismatch.
pub async fn verify(password: String, stored: String) -> Result<bool> {
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .or_internal()
}

/// A hash of a password nobody has: verifying against it when an account does not exist makes
/// a failed sign-in take as long whether the account exists or not.
pub async fn decoy_hash() -> String {
    static DECOY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DECOY
        .get_or_init(|| async {
            hash(crate::secrets::new_secret("decoy"))
                .await
                .unwrap_or_default()
        })
        .await
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_with_the_required_cost() {
        let h = hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(
            verify("correct horse battery".into(), h.clone())
                .await
                .unwrap()
        );
        assert!(!verify("wrong".into(), h).await.unwrap());
        assert!(!verify("x".into(), "not a hash".into()).await.unwrap());
    }
}
