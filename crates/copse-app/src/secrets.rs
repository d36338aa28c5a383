//! Secrets handed to browsers and clients — session ids, API tokens, invitation links — are 256
//! random bits; only their SHA-256 hash is stored, so a copy of the database opens no session.

use sha2::{Digest, Sha256};

/// A new random secret as URL-safe text, with a prefix that tells what it is when found in a log.
pub fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("operating system randomness");
    format!("{prefix}_{}", hex::encode(bytes))
}

/// `N` random bytes from the operating system (a file's unguessable id takes 16).
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("operating system randomness");
    bytes
}

/// The stored form of a secret.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_random_and_hash_stably() {
        let a = new_secret("cps");
        let b = new_secret("cps");
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 64);
        assert_eq!(hash_secret(&a), hash_secret(&a));
        assert_ne!(hash_secret(&a), a);
    }
}
