//! The house rules, checked on the source itself so that a change breaking them fails the suite:
//! no source file over 600 lines and no function over 80 (tests included); no import circle
//! between the files of a crate; copse-web reaches no store; jobs are dispatched by type, never
//! by comparing their kind as a string.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

const MAX_FILE_LINES: usize = 600;
const MAX_FN_LINES: usize = 80;

fn crates_dir() -> PathBuf {
    crate::support::workspace_root().join("crates")
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn relative(path: &Path) -> String {
    path.strip_prefix(crate::support::workspace_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Functions longer than the limit, as `file:line name (lines)`.
struct LongFunctions<'a> {
    file: &'a str,
    found: Vec<String>,
}

impl LongFunctions<'_> {
    fn measure(&mut self, name: &syn::Ident, sig: proc_macro2::Span, end: proc_macro2::Span) {
        let lines = end.end().line - sig.start().line + 1;
        if lines > MAX_FN_LINES {
            let at = sig.start().line;
            self.found
                .push(format!("{}:{at} {name} ({lines} lines)", self.file));
        }
    }
}

impl<'ast> Visit<'ast> for LongFunctions<'_> {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        let sig = syn::spanned::Spanned::span(&f.sig.fn_token);
        self.measure(&f.sig.ident, sig, f.block.brace_token.span.close());
        syn::visit::visit_item_fn(self, f);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        let sig = syn::spanned::Spanned::span(&f.sig.fn_token);
        self.measure(&f.sig.ident, sig, f.block.brace_token.span.close());
        syn::visit::visit_impl_item_fn(self, f);
    }
}

#[test]
fn no_file_over_600_lines_and_no_function_over_80() {
    let mut long_files = Vec::new();
    let mut long_fns = Vec::new();
    for path in rust_files(&crates_dir()) {
        let text = std::fs::read_to_string(&path).unwrap();
        let file = relative(&path);
        let lines = text.lines().count();
        if lines > MAX_FILE_LINES {
            long_files.push(format!("{file} ({lines} lines)"));
        }
        let syntax = syn::parse_file(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let mut visitor = LongFunctions {
            file: &file,
            found: Vec::new(),
        };
        visitor.visit_file(&syntax);
        long_fns.extend(visitor.found);
    }
    assert!(
        long_files.is_empty() && long_fns.is_empty(),
        "files over {MAX_FILE_LINES} lines (split them by use case or subject):\n{}\n\
         functions over {MAX_FN_LINES} lines:\n{}",
        long_files.join("\n"),
        long_fns.join("\n")
    );
}

/// A crate's modules: each module's file, the names it defines and the names it re-exports
/// (`pub use`), so that a path naming a re-exported item leads to the file that defines it
/// (tests left out, as `cfg(test)` modules may look into their parent).
struct Modules {
    /// module path (`["threads", "post"]`) → file
    files: BTreeMap<Vec<String>, PathBuf>,
    /// module path → names of the items it defines
    defined: BTreeMap<Vec<String>, BTreeSet<String>>,
    /// module path → (name → the path it re-exports)
    named: BTreeMap<Vec<String>, BTreeMap<String, Vec<String>>>,
    /// module path → paths it re-exports whole (`pub use x::*`)
    globs: BTreeMap<Vec<String>, Vec<Vec<String>>>,
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Path>()
                .is_ok_and(|p| p.is_ident("test"))
    })
}

/// The name an item defines, if it is one a path can name.
fn item_name(item: &syn::Item) -> Option<String> {
    let ident = match item {
        syn::Item::Fn(i) => &i.sig.ident,
        syn::Item::Struct(i) => &i.ident,
        syn::Item::Enum(i) => &i.ident,
        syn::Item::Const(i) => &i.ident,
        syn::Item::Static(i) => &i.ident,
        syn::Item::Type(i) => &i.ident,
        syn::Item::Trait(i) => &i.ident,
        syn::Item::Macro(i) => i.ident.as_ref()?,
        _ => return None,
    };
    Some(ident.to_string())
}

impl Modules {
    fn of_crate(src: &Path) -> Modules {
        let mut m = Modules {
            files: BTreeMap::new(),
            defined: BTreeMap::new(),
            named: BTreeMap::new(),
            globs: BTreeMap::new(),
        };
        m.add(Vec::new(), src.join("lib.rs"), src);
        m
    }

    /// Adds the module at `path` kept in `file`, and the file-backed modules it declares.
    fn add(&mut self, path: Vec<String>, file: PathBuf, dir: &Path) {
        let text = std::fs::read_to_string(&file).unwrap();
        let syntax = syn::parse_file(&text).unwrap();
        self.files.insert(path.clone(), file);
        for item in &syntax.items {
            if let Some(name) = item_name(item) {
                self.defined.entry(path.clone()).or_default().insert(name);
            }
            if let syn::Item::Use(u) = item
                && !matches!(u.vis, syn::Visibility::Inherited)
            {
                let mut found = Vec::new();
                use_paths(&mut Vec::new(), &u.tree, &mut found);
                for (full, alias, glob) in found {
                    if glob {
                        self.globs.entry(path.clone()).or_default().push(full);
                    } else {
                        self.named
                            .entry(path.clone())
                            .or_default()
                            .insert(alias, full);
                    }
                }
            }
            let syn::Item::Mod(m) = item else { continue };
            if m.content.is_some() || is_cfg_test(&m.attrs) {
                continue;
            }
            let name = m.ident.to_string();
            let child_file = if dir.join(format!("{name}.rs")).exists() {
                dir.join(format!("{name}.rs"))
            } else {
                dir.join(&name).join("mod.rs")
            };
            let mut child = path.clone();
            child.push(name.clone());
            self.add(child, child_file, &dir.join(&name));
        }
    }

    /// The module a path starts from, and the rest of it: `crate::…`, `super::…`, `self::…`, or
    /// a child module of `from` named first.
    fn start<'p>(
        &self,
        from: &[String],
        segments: &'p [String],
    ) -> Option<(Vec<String>, &'p [String])> {
        match segments.first().map(String::as_str) {
            Some("crate") => Some((Vec::new(), &segments[1..])),
            Some("super") => {
                let mut at = from.to_vec();
                let mut rest = segments;
                while rest.first().map(String::as_str) == Some("super") {
                    at.pop();
                    rest = &rest[1..];
                }
                Some((at, rest))
            }
            Some("self") => Some((from.to_vec(), &segments[1..])),
            Some(first) => {
                let mut child = from.to_vec();
                child.push(first.to_string());
                self.files
                    .contains_key(&child)
                    .then_some((from.to_vec(), segments))
            }
            None => None,
        }
    }

    /// The file a path names: the module it leads to, or the file that defines the item it
    /// names (following re-exports).
    fn resolve(&self, from: &[String], segments: &[String], depth: usize) -> Option<&PathBuf> {
        let (mut at, mut rest) = self.start(from, segments)?;
        while let Some(segment) = rest.first() {
            let mut next = at.clone();
            next.push(segment.clone());
            if !self.files.contains_key(&next) {
                break;
            }
            at = next;
            rest = &rest[1..];
        }
        let Some(name) = rest.first() else {
            return self.files.get(&at);
        };
        if depth < 8 && !self.defined.get(&at).is_some_and(|d| d.contains(name)) {
            if let Some(target) = self.named.get(&at).and_then(|n| n.get(name))
                && let Some(file) = self.resolve(&at, target, depth + 1)
            {
                return Some(file);
            }
            for glob in self.globs.get(&at).into_iter().flatten() {
                let mut path = glob.clone();
                path.push(name.clone());
                if let Some(file) = self.resolve(&at, &path, depth + 1)
                    && Some(file) != self.files.get(&at)
                {
                    return Some(file);
                }
            }
        }
        self.files.get(&at)
    }
}

/// Every path of a file that may lead into another of its crate's files: its `use` trees and
/// the paths in its code (`crate::jobs::Job::add(…)`, `post::create(…)`), test modules left out.
#[derive(Default)]
struct Paths(Vec<Vec<String>>);

/// The paths of a `use` tree: (path, the name it is known by, whether it is a glob).
fn use_paths(
    prefix: &mut Vec<String>,
    tree: &syn::UseTree,
    out: &mut Vec<(Vec<String>, String, bool)>,
) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(prefix, &p.tree, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let mut full = prefix.clone();
            let name = n.ident.to_string();
            if name != "self" {
                full.push(name.clone());
            }
            let alias = full.last().cloned().unwrap_or(name);
            out.push((full, alias, false));
        }
        syn::UseTree::Rename(r) => {
            let mut full = prefix.clone();
            full.push(r.ident.to_string());
            out.push((full, r.rename.to_string(), false));
        }
        syn::UseTree::Glob(_) => out.push((prefix.clone(), String::new(), true)),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                use_paths(prefix, t, out);
            }
        }
    }
}

impl<'ast> Visit<'ast> for Paths {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if !is_cfg_test(&m.attrs) {
            syn::visit::visit_item_mod(self, m);
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        let mut found = Vec::new();
        use_paths(&mut Vec::new(), &u.tree, &mut found);
        self.0.extend(found.into_iter().map(|(path, _, _)| path));
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        if segments.len() > 1 {
            self.0.push(segments);
        }
        syn::visit::visit_path(self, p);
    }
}

/// The arrows between a crate's files: where each file's paths lead. (A `mod` declaration is
/// containment, not an import: it draws no arrow.)
fn arrows(src: &Path) -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let modules = Modules::of_crate(src);
    let mut arrows: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for (path, file) in &modules.files {
        let text = std::fs::read_to_string(file).unwrap();
        let mut paths = Paths::default();
        paths.visit_file(&syn::parse_file(&text).unwrap());
        for p in paths.0 {
            if let Some(target) = modules.resolve(path, &p, 0)
                && target != file
            {
                arrows
                    .entry(file.clone())
                    .or_default()
                    .insert(target.clone());
            }
        }
    }
    arrows
}

/// The circles among the arrows (Tarjan's strongly connected components of more than one file).
fn circles(arrows: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Vec<Vec<PathBuf>> {
    struct Tarjan<'a> {
        arrows: &'a BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'a PathBuf, (usize, usize)>,
        stack: Vec<&'a PathBuf>,
        next: usize,
        found: Vec<Vec<PathBuf>>,
    }
    impl<'a> Tarjan<'a> {
        fn visit(&mut self, v: &'a PathBuf) {
            self.index.insert(v, (self.next, self.next));
            self.next += 1;
            self.stack.push(v);
            for w in self.arrows.get(v).into_iter().flatten() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.index[v].1.min(self.index[w].1);
                    self.index.get_mut(v).unwrap().1 = low;
                } else if self.stack.contains(&w) {
                    let low = self.index[v].1.min(self.index[w].0);
                    self.index.get_mut(v).unwrap().1 = low;
                }
            }
            if self.index[v].0 == self.index[v].1 {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    component.push(w.clone());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    self.found.push(component);
                }
            }
        }
    }
    let mut t = Tarjan {
        arrows,
        index: BTreeMap::new(),
        stack: Vec::new(),
        next: 0,
        found: Vec::new(),
    };
    for v in arrows.keys() {
        if !t.index.contains_key(v) {
            t.visit(v);
        }
    }
    t.found
}

#[test]
fn no_crate_has_an_import_circle_between_its_files() {
    let mut found = Vec::new();
    for name in [
        "copse-core",
        "copse-store",
        "copse-files",
        "copse-app",
        "copse-web",
    ] {
        let src = crates_dir().join(name).join("src");
        for circle in circles(&arrows(&src)) {
            let files: Vec<String> = circle.iter().map(|f| relative(f)).collect();
            found.push(format!("{name}: {}", files.join(" ⇄ ")));
        }
    }
    assert!(found.is_empty(), "import circles:\n{}", found.join("\n"));
}

#[test]
fn the_circle_finder_sees_a_circle() {
    // The guard above must be able to fail: two files that import each other are a circle.
    let a = PathBuf::from("a.rs");
    let b = PathBuf::from("b.rs");
    let mut arrows = BTreeMap::new();
    arrows.insert(a.clone(), BTreeSet::from([b.clone()]));
    arrows.insert(b.clone(), BTreeSet::from([a.clone()]));
    assert_eq!(circles(&arrows).len(), 1);
    arrows.get_mut(&b).unwrap().clear();
    assert!(circles(&arrows).is_empty());
}

#[test]
fn the_web_crate_reaches_no_store() {
    let manifest = std::fs::read_to_string(crates_dir().join("copse-web/Cargo.toml")).unwrap();
    let manifest: toml::Table = toml::from_str(&manifest).unwrap();
    let deps = manifest["dependencies"].as_table().unwrap();
    assert!(
        !deps.contains_key("copse-store"),
        "copse-web must reach storage only through copse-app's use cases"
    );
    for path in rust_files(&crates_dir().join("copse-web/src")) {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("copse_store"), "{}", relative(&path));
    }
}

#[test]
fn jobs_are_dispatched_by_type_not_by_string() {
    for name in [
        "copse-core",
        "copse-store",
        "copse-files",
        "copse-app",
        "copse-web",
        "copse",
    ] {
        for path in rust_files(&crates_dir().join(name).join("src")) {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                !text.contains("kind =="),
                "{}: a job's kind is matched as a string",
                relative(&path)
            );
        }
    }
}
