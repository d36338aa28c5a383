//! Writing one community's archive: its rows as JSON Lines per table, its people, its files'
//! bytes, and a manifest, packed into a `.tar.gz`. The page's job and `copse export
//! --community` both write it, table by table, so each can show its progress its own way.
//!
//! The archive holds, in order:
//! - `copse-export.json`, the manifest: `kind` ("copse-community-export"), `format` (this
//!   layout's version, 1), `copse_version`, `schema_version` (the newest migration of the
//!   database it came from), `created_at`, `community` (slug, name), `exported_by` (handle and
//!   whether as a site admin), `cut` (which circles went in, whether conversations did, whether
//!   people's e-mail addresses did), `tables` (name, rows), `people`, `files`, `rows_left_out`;
//! - `data/<table>.jsonl`, one JSON object per row, named by column, in load order — the
//!   tables of the site export, cut down to the community;
//! - `people.jsonl`, one object per person the rows name: `id`, `handle`, `display_name`,
//!   `bio`, `organisation`, `department`, `country`, `time_zone`, `expertise` (a list),
//!   `created_at`, `deleted`,
//!   `email_verified`, and either `email` (a site admin's archive) or `email_sha256`, the
//!   SHA-256 of the verified address in lower case (a coordinator's: coordinators do not see
//!   addresses, but an import can still match people who have an account there);
//! - `files/<id>`, the bytes of each file the rows keep.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};

use copse_core::{Error, OrInternal, Result};
use copse_files::FileStore;
use copse_store::{ArchivedPerson, CommunityCut, CommunityDump, Row, Store};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub const FORMAT: u32 = 1;
pub const KIND: &str = "copse-community-export";
pub const MANIFEST: &str = "copse-export.json";

/// Who exports, as the manifest says it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Exporter {
    pub handle: String,
    pub site_admin: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TableCount {
    pub name: String,
    pub rows: u64,
}

/// The archive's manifest (see the module's documentation).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub kind: String,
    pub format: u32,
    pub copse_version: String,
    pub schema_version: i64,
    pub created_at: String,
    pub community: Value,
    pub exported_by: Exporter,
    pub cut: Value,
    pub tables: Vec<TableCount>,
    pub people: u64,
    pub files: u64,
    pub rows_left_out: u64,
}

/// An archive being written into a folder of parts, then packed.
pub struct ArchiveWriter<'a> {
    store: &'a Store,
    files: &'a FileStore,
    dump: CommunityDump,
    cut: Value,
    with_addresses: bool,
    parts: PathBuf,
    tables: Vec<TableCount>,
    file_ids: BTreeSet<String>,
}

impl<'a> ArchiveWriter<'a> {
    /// Starts an archive of `cut`'s community in the empty folder `parts`. A site admin's
    /// archive carries e-mail addresses; anyone else's their digests.
    pub async fn begin(
        store: &'a Store,
        files: &'a FileStore,
        cut: CommunityCut,
        with_addresses: bool,
        parts: PathBuf,
    ) -> Result<ArchiveWriter<'a>> {
        fs::create_dir_all(parts.join("data")).or_internal()?;
        fs::create_dir_all(parts.join("files")).or_internal()?;
        let described = json!({
            "circles": match &cut.circles { None => json!("all"), Some(ids) => json!(ids) },
            "conversations": cut.private_exchanges,
            "email_addresses": with_addresses,
        });
        Ok(ArchiveWriter {
            store,
            files,
            dump: store.community_dump(cut).await?,
            cut: described,
            with_addresses,
            parts,
            tables: Vec::new(),
            file_ids: BTreeSet::new(),
        })
    }

    /// How many tables there are to write.
    pub fn table_count(&self) -> usize {
        self.dump.tables().count()
    }

    /// The `i`th table's name.
    pub fn table_name(&self, i: usize) -> String {
        self.dump
            .tables()
            .nth(i)
            .map(|t| t.name.clone())
            .unwrap_or_default()
    }

    /// How many rows there are to read, before the cut leaves any out.
    pub async fn rows_to_read(&self) -> Result<u64> {
        let mut total = 0;
        for i in 0..self.table_count() {
            total += self.store.community_row_count(&self.dump, i).await?;
        }
        Ok(total)
    }

    /// Writes the `i`th table's rows; answers how many went in.
    pub async fn write_table(&mut self, i: usize) -> Result<u64> {
        let name = self.table_name(i);
        let path = self.parts.join("data").join(format!("{name}.jsonl"));
        let mut out = BufWriter::new(File::create(&path).or_internal()?);
        let is_files = name == "files";
        let mut file_ids = Vec::new();
        let rows = self
            .store
            .read_community_table(&mut self.dump, i, |row: Row| {
                if is_files && let Some(id) = row.get("id").and_then(Value::as_str) {
                    file_ids.push(id.to_string());
                }
                serde_json::to_writer(&mut out, &row)
                    .and_then(|()| out.write_all(b"\n").map_err(serde_json::Error::io))
                    .or_internal()
            })
            .await?;
        out.flush().or_internal()?;
        self.file_ids.extend(file_ids);
        self.tables.push(TableCount { name, rows });
        Ok(rows)
    }

    /// Writes the people and the files' bytes, then packs everything into `out` (made new, and
    /// only once it is whole); answers the manifest.
    pub async fn finish(
        self,
        community: Value,
        exported_by: Exporter,
        out: &Path,
    ) -> Result<Manifest> {
        let people = self.write_people().await?;
        let files = self.copy_files().await?;
        let manifest = Manifest {
            kind: KIND.into(),
            format: FORMAT,
            copse_version: env!("CARGO_PKG_VERSION").into(),
            schema_version: self
                .store
                .schema_version()
                .await
                .map_err(|e| Error::internal(e.to_string()))?,
            created_at: chrono::Utc::now().to_rfc3339(),
            community,
            exported_by,
            cut: self.cut,
            tables: self.tables,
            people,
            files,
            rows_left_out: self.dump.rows_left_out,
        };
        let (parts, out, packed) = (self.parts, out.to_path_buf(), manifest.clone());
        tokio::task::spawn_blocking(move || pack(&out, &parts, &packed))
            .await
            .or_internal()??;
        Ok(manifest)
    }

    async fn write_people(&self) -> Result<u64> {
        let people = self.store.archived_people(&self.dump.people()).await?;
        let mut out = BufWriter::new(File::create(self.parts.join("people.jsonl")).or_internal()?);
        for person in &people {
            let line = person_line(person, self.with_addresses);
            serde_json::to_writer(&mut out, &line).or_internal()?;
            out.write_all(b"\n").or_internal()?;
        }
        out.flush().or_internal()?;
        Ok(people.len() as u64)
    }

    /// Copies each kept file's bytes; one whose bytes are gone is left out (and its row stays).
    async fn copy_files(&self) -> Result<u64> {
        let mut copied = 0;
        for id in &self.file_ids {
            let Some(mut fetched) = self.files.get(id, None).await? else {
                continue;
            };
            let mut out = File::create(self.parts.join("files").join(id)).or_internal()?;
            while let Some(chunk) = fetched.body.next().await {
                out.write_all(&chunk.or_internal()?).or_internal()?;
            }
            copied += 1;
        }
        Ok(copied)
    }
}

/// A person as the archive names them: who they are, and how an import may know them again.
fn person_line(p: &ArchivedPerson, with_address: bool) -> Value {
    let verified = p.email_verified_at.is_some();
    let mut line = json!({
        "id": p.id.get(),
        "handle": p.handle,
        "display_name": p.display_name,
        "bio": p.bio,
        "organisation": p.organisation,
        "department": p.department,
        "country": p.country,
        "time_zone": p.time_zone,
        "expertise": p.expertise,
        "created_at": p.created_at,
        "deleted": p.deleted_at.is_some(),
        "email_verified": verified,
    });
    if with_address {
        line["email"] = json!(p.email);
    } else if verified {
        line["email_sha256"] = json!(email_digest(&p.email));
    }
    line
}

/// The digest an archive names a verified address by.
pub fn email_digest(address: &str) -> String {
    hex::encode(Sha256::digest(address.trim().to_lowercase().as_bytes()))
}

fn pack(out: &Path, parts: &Path, manifest: &Manifest) -> Result<()> {
    let partial = PathBuf::from(format!("{}.partial", out.display()));
    let written = (|| -> std::io::Result<()> {
        let file = File::create_new(&partial)?;
        let gzip = flate2::write::GzEncoder::new(BufWriter::new(file), flate2::Compression::fast());
        let mut archive = tar::Builder::new(gzip);
        let json = serde_json::to_vec_pretty(manifest)?;
        append_bytes(&mut archive, MANIFEST, &json)?;
        for table in &manifest.tables {
            let name = format!("data/{}.jsonl", table.name);
            archive.append_path_with_name(parts.join(&name), &name)?;
        }
        archive.append_path_with_name(parts.join("people.jsonl"), "people.jsonl")?;
        let mut names: Vec<_> = fs::read_dir(parts.join("files"))?
            .filter_map(|e| e.ok().map(|e| e.file_name()))
            .collect();
        names.sort();
        for name in names {
            let inside = format!("files/{}", name.to_string_lossy());
            archive.append_path_with_name(parts.join(&inside), &inside)?;
        }
        let file = archive
            .into_inner()?
            .finish()?
            .into_inner()
            .map_err(|e| e.into_error())?;
        file.sync_all()
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&partial);
        return Err(Error::internal(format!("writing {}: {e}", out.display())));
    }
    fs::rename(&partial, out).or_internal()
}

/// Adds `bytes` as the file `name` of a tar archive (read-write for its owner alone).
pub fn append_bytes<W: std::io::Write>(
    archive: &mut tar::Builder<W>,
    name: &str,
    bytes: &[u8],
) -> std::io::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes.len() as u64);
    header.set_mode(0o600);
    header.set_mtime(chrono::Utc::now().timestamp().max(0) as u64);
    header.set_cksum();
    archive.append_data(&mut header, name, bytes)
}
