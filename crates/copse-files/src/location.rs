//! Where the bytes live, parsed once from `--files-url` and the S3 settings.

use std::fmt;
use std::path::PathBuf;

/// A folder, or a bucket of an S3-compatible service with a prefix inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// Created when missing.
    Folder(PathBuf),
    S3 {
        bucket: String,
        /// Names are kept under it (`prefix/…`); empty for the whole bucket.
        prefix: String,
        settings: S3Settings,
    },
}

/// How to reach an S3-compatible service.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct S3Settings {
    /// The service's address, e.g. `http://127.0.0.1:9000` for one that is not AWS itself;
    /// `http://` is allowed only when it is named here.
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

/// The secret never reaches a log.
impl fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Settings")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"…")
            .finish()
    }
}

impl Location {
    /// `s3://bucket/prefix` (with `settings`), `file:///a/folder` or a plain folder path.
    pub fn parse(url: &str, settings: S3Settings) -> Result<Location, String> {
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            let bucket_ok = (3..=63).contains(&bucket.len())
                && bucket
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-".contains(c));
            if !bucket_ok {
                return Err(format!(
                    "files URL {url:?}: the bucket name must be 3 to 63 lowercase letters, digits, dots or dashes"
                ));
            }
            return Ok(Location::S3 {
                bucket: bucket.to_string(),
                prefix: prefix.trim_matches('/').to_string(),
                settings,
            });
        }
        let path = url.strip_prefix("file://").unwrap_or(url);
        if path.is_empty() || url.contains("://") && !url.starts_with("file://") {
            return Err(format!(
                "files URL {url:?}: use s3://bucket/prefix or a folder (file:///path)"
            ));
        }
        Ok(Location::Folder(PathBuf::from(path)))
    }

    /// For the log at start-up: where files go, without secrets.
    pub fn describe(&self) -> String {
        match self {
            Location::Folder(path) => format!("folder {}", path.display()),
            Location::S3 {
                bucket,
                prefix,
                settings,
            } => format!(
                "s3://{bucket}/{prefix} at {}",
                settings.endpoint.as_deref().unwrap_or("AWS")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_forms_and_refuses_others() {
        let s3 = Location::parse("s3://copse-files/site/a/", S3Settings::default()).unwrap();
        assert_eq!(
            s3,
            Location::S3 {
                bucket: "copse-files".into(),
                prefix: "site/a".into(),
                settings: S3Settings::default()
            }
        );
        assert_eq!(
            Location::parse("file:///srv/files", S3Settings::default()).unwrap(),
            Location::Folder("/srv/files".into())
        );
        assert_eq!(
            Location::parse("data/files", S3Settings::default()).unwrap(),
            Location::Folder("data/files".into())
        );
        assert!(Location::parse("s3://UPPER/x", S3Settings::default()).is_err());
        assert!(Location::parse("gs://bucket", S3Settings::default()).is_err());
        assert!(Location::parse("", S3Settings::default()).is_err());
    }

    #[test]
    fn the_secret_stays_out_of_debug() {
        let settings = S3Settings {
            secret_access_key: "hunter2".into(),
            ..S3Settings::default()
        };
        assert!(!format!("{settings:?}").contains("hunter2"));
    }
}
