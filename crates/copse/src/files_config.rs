//! Where uploaded files are kept and how large they may be: `--files-url` (a folder under
//! the data folder by default, or `s3://bucket/prefix`), the S3 service's settings, and the
//! `[files]` table of the config file.

use std::path::Path;

use clap::Args;
use copse_core::domain::files::FileGroup;
use copse_core::domain::uploads::FileLimits;
use copse_files::{Location, S3Settings};
use serde::Deserialize;

const MIB: u64 = 1024 * 1024;

/// Flags of `serve` and `demo` about files.
#[derive(Debug, Clone, Default, Args)]
pub struct FilesArgs {
    /// Where uploads are kept: a folder (`file:///srv/copse/files`) or S3-compatible storage
    /// (`s3://bucket/prefix`, with the --s3-… settings) for many nodes. Default: `files` in
    /// the data folder.
    #[arg(long, env = "COPSE_FILES_URL")]
    pub files_url: Option<String>,
    /// The S3 service's address when it is not AWS, e.g. http://127.0.0.1:9000.
    #[arg(long, env = "COPSE_S3_ENDPOINT")]
    pub s3_endpoint: Option<String>,
    #[arg(long, env = "COPSE_S3_REGION")]
    pub s3_region: Option<String>,
    #[arg(long, env = "COPSE_S3_ACCESS_KEY_ID")]
    pub s3_access_key_id: Option<String>,
    #[arg(long, env = "COPSE_S3_SECRET_ACCESS_KEY", hide_env_values = true)]
    pub s3_secret_access_key: Option<String>,
    /// Largest upload, in MiB (default 20).
    #[arg(long, env = "COPSE_MAX_FILE_MIB")]
    pub max_file_mib: Option<u64>,
}

/// The `[files]` table; what it leaves out keeps its default.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilesEntry {
    pub url: Option<String>,
    pub s3_endpoint: Option<String>,
    pub s3_region: Option<String>,
    pub s3_access_key_id: Option<String>,
    pub s3_secret_access_key: Option<String>,
    pub max_file_mib: Option<u64>,
    /// What one account may upload in a day, in MiB (default 200).
    pub daily_mib_per_account: Option<u64>,
    /// What one community's files may hold, in MiB (default 5120).
    pub community_mib: Option<u64>,
    /// Kinds accepted: any of images, pdf, office, text, archives (default all).
    pub allowed_types: Option<Vec<String>>,
}

/// The files' location and limits, flags over the file's table over defaults.
pub fn merge(
    args: &FilesArgs,
    entry: FilesEntry,
    data_dir: &Path,
) -> anyhow::Result<(Location, FileLimits)> {
    let settings = S3Settings {
        endpoint: args.s3_endpoint.clone().or(entry.s3_endpoint),
        region: args
            .s3_region
            .clone()
            .or(entry.s3_region)
            .unwrap_or_else(|| "us-east-1".into()),
        access_key_id: args
            .s3_access_key_id
            .clone()
            .or(entry.s3_access_key_id)
            .unwrap_or_default(),
        secret_access_key: args
            .s3_secret_access_key
            .clone()
            .or(entry.s3_secret_access_key)
            .unwrap_or_default(),
    };
    let location = match args.files_url.clone().or(entry.url) {
        Some(url) => Location::parse(&url, settings).map_err(anyhow::Error::msg)?,
        None => Location::Folder(data_dir.join("files")),
    };
    let d = FileLimits::default();
    let allowed = match entry.allowed_types {
        Some(names) => names
            .iter()
            .map(|n| FileGroup::parse(n).map_err(|e| anyhow::anyhow!("[files] allowed_types: {e}")))
            .collect::<anyhow::Result<Vec<_>>>()?,
        None => d.allowed.clone(),
    };
    let limits = FileLimits {
        max_file_bytes: args
            .max_file_mib
            .or(entry.max_file_mib)
            .map_or(d.max_file_bytes, |m| m.clamp(1, 10 * 1024) * MIB),
        daily_bytes_per_account: entry
            .daily_mib_per_account
            .map_or(d.daily_bytes_per_account, |m| m.max(1) * MIB),
        bytes_per_community: entry
            .community_mib
            .map_or(d.bytes_per_community, |m| m.max(1) * MIB),
        allowed,
        ..d
    };
    Ok((location, limits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_in_the_data_dir_by_default_and_s3_when_named() {
        let (location, limits) = merge(
            &FilesArgs::default(),
            FilesEntry::default(),
            Path::new("/d"),
        )
        .unwrap();
        assert_eq!(location, Location::Folder("/d/files".into()));
        assert_eq!(limits, FileLimits::default());
        let args = FilesArgs {
            files_url: Some("s3://copse/site".into()),
            s3_endpoint: Some("http://127.0.0.1:9000".into()),
            max_file_mib: Some(5),
            ..FilesArgs::default()
        };
        let entry = FilesEntry {
            allowed_types: Some(vec!["images".into(), "pdf".into()]),
            ..FilesEntry::default()
        };
        let (location, limits) = merge(&args, entry, Path::new("/d")).unwrap();
        assert!(matches!(location, Location::S3 { ref bucket, .. } if bucket == "copse"));
        assert_eq!(limits.max_file_bytes, 5 * MIB);
        assert_eq!(limits.allowed, vec![FileGroup::Images, FileGroup::Pdf]);
        let bad = FilesEntry {
            allowed_types: Some(vec!["programs".into()]),
            ..FilesEntry::default()
        };
        assert!(merge(&FilesArgs::default(), bad, Path::new("/d")).is_err());
    }
}
