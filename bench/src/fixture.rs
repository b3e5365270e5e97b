//! The benchmark repositories, built deterministically and cached under
//! `target/bench-repos/v<FIXTURE_VERSION>/<name>/`.
//!
//! The synthetic ones (medium, large, huge) are written with one `git fast-import` stream (fast even
//! for 50,000 files and 5,000 commits); `medium-real` is this project's own history at a pinned
//! commit, fetched from the workspace's repository (no network). Then real git finishes the job as
//! a user's clone would look: packed and with a commit-graph, a bare `origin` with the upstream
//! branches, a checked-out work tree (in `huge`, with git's untracked cache and split index turned
//! on), and a realistic uncommitted change set on top. A cached
//! repository is reused only while its HEAD and `git status --porcelain` still match what was
//! recorded right after the build, so a stray write by a plugin under development can never skew a
//! later run.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::hermetic::{HermeticEnv, EPOCH};
use crate::rng::Rng;
use crate::synth::{self, Author};

/// Bump whenever anything below changes what gets built: cached repositories of another version
/// are deleted and rebuilt.
pub const FIXTURE_VERSION: u32 = 1;

/// How big a benchmark repository is: which cases run on it and which targets judge it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Size {
    /// About a thousand files: every case runs, every target is judged.
    Medium,
    /// Tens of thousands of files.
    Large,
    /// Hundreds of thousands of files: only the commands whose cost grows with the work tree
    /// (status and the diffs) are worth measuring.
    Huge,
}

/// What a repository looks like.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub name: &'static str,
    size: Size,
    /// Files in the layout (a few are deleted along the history).
    files: usize,
    /// Commits in the whole repository, merges and side branches included (approximately).
    commits: usize,
    /// Length of a file in lines: smaller files are more common.
    lines: (usize, usize),
    /// Share of the files in the first commit; the rest arrive along the first two thirds.
    initial_percent: usize,
    /// A topic branch is merged about every this many commits.
    topic_every: usize,
    seed: u64,
    /// `git gc` (full repack) rather than only a commit-graph and packed refs.
    full_gc: bool,
    /// git's accelerations for big work trees are on, as in the repository of a user who enabled
    /// them: `core.untrackedCache=true` and `core.splitIndex=true`, applied with `git update-index
    /// --split-index --untracked-cache` after checkout and before the change set (whose two
    /// `git status` runs then fill the untracked cache).
    accelerated: bool,
}

pub const MEDIUM: Shape = Shape {
    name: "medium",
    size: Size::Medium,
    files: 1_000,
    commits: 320,
    lines: (15, 260),
    initial_percent: 75,
    topic_every: 9,
    seed: 0x6d65_6469_756d,
    full_gc: true,
    accelerated: false,
};

pub const LARGE: Shape = Shape {
    name: "large",
    size: Size::Large,
    files: 51_000,
    commits: 5_200,
    lines: (8, 90),
    initial_percent: 90,
    topic_every: 12,
    seed: 0x006c_6172_6765,
    full_gc: false,
    accelerated: false,
};

/// A work tree of 200,000 files with git's untracked cache and split index on: few commits, so
/// fast-import and checkout stay within minutes; small files, so the work tree stays a few hundred
/// megabytes.
pub const HUGE: Shape = Shape {
    name: "huge",
    size: Size::Huge,
    files: 200_000,
    commits: 600,
    lines: (4, 40),
    initial_percent: 95,
    topic_every: 12,
    seed: 0x6875_6765,
    full_gc: false,
    accelerated: true,
};

/// This project's own history at a pinned commit: a medium-sized repository with real commits,
/// real file sizes and real code.
#[derive(Debug, Clone, Copy)]
pub struct Pinned {
    pub name: &'static str,
    /// Full id of the commit `main` is at; the workspace's repository must contain it.
    pub commit: &'static str,
    /// Commits `origin/main` is behind `main` (`main` is ahead this many, behind none).
    ahead: usize,
    /// Seed of the change set.
    seed: u64,
}

pub const MEDIUM_REAL: Pinned = Pinned {
    name: "medium-real",
    commit: "3c940edd2472b7a26657fd2c678c6f8f988cc07d",
    ahead: 2,
    seed: 0x7265_616c_6d65_6469,
};

/// A benchmark repository: synthetic, or this project's own history.
#[derive(Debug, Clone, Copy)]
pub enum Repo {
    Synthetic(Shape),
    Pinned(Pinned),
}

impl Repo {
    pub fn name(&self) -> &'static str {
        match self {
            Repo::Synthetic(shape) => shape.name,
            Repo::Pinned(pinned) => pinned.name,
        }
    }

    /// The pinned history (about 1,200 files, 155 commits) is medium-sized.
    pub fn size(&self) -> Size {
        match self {
            Repo::Synthetic(shape) => shape.size,
            Repo::Pinned(_) => Size::Medium,
        }
    }

    /// A medium-sized repository: every case runs on it, and every target is judged on it.
    pub fn is_medium(&self) -> bool {
        self.size() == Size::Medium
    }

    /// git's untracked cache and split index are on (see [`Shape::accelerated`]).
    pub fn is_accelerated(&self) -> bool {
        match self {
            Repo::Synthetic(shape) => shape.accelerated,
            Repo::Pinned(_) => false,
        }
    }
}

/// Every benchmark repository, in the order they are measured and reported.
pub const ALL: [Repo; 4] = [
    Repo::Synthetic(MEDIUM),
    Repo::Pinned(MEDIUM_REAL),
    Repo::Synthetic(LARGE),
    Repo::Synthetic(HUGE),
];

/// The pinned commit is not in the workspace's repository (a shallow clone, or a source archive):
/// the repository cannot be built. The caller decides whether that skips it or fails the run.
#[derive(Debug)]
pub struct MissingCommit(pub String);

impl std::fmt::Display for MissingCommit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MissingCommit {}

/// A built repository, ready to measure.
#[derive(Debug, Clone)]
pub struct Fixture {
    pub repo: Repo,
    /// The work tree the commands run in.
    pub work: PathBuf,
    pub head: String,
    pub tracked_files: usize,
    pub commits: usize,
    /// Seconds the build took, when it was built by this run (`None`: reused from the cache).
    pub built_in: Option<f64>,
    /// Seconds of each build phase, in order, when built by this run.
    pub phases: Vec<(String, f64)>,
}

/// Returns the repository `repo`, building it unless a valid cached copy exists. `source` is the
/// workspace, whose repository holds the pinned history; a missing pinned commit is a
/// [`MissingCommit`] error.
pub fn ensure(
    env: &HermeticEnv,
    cache_root: &Path,
    repo: Repo,
    source: &Path,
    rebuild: bool,
) -> Result<Fixture> {
    let versioned = cache_root.join(format!("v{FIXTURE_VERSION}"));
    remove_other_versions(cache_root)?;
    let dir = versioned.join(repo.name());
    if !rebuild {
        match reuse(env, &dir, repo) {
            Ok(Some(fixture)) => return Ok(fixture),
            Ok(None) => {}
            Err(err) => eprintln!(
                "bench: cached {} repository is unusable ({err:#}); rebuilding",
                repo.name()
            ),
        }
    }
    build(env, &dir, repo, source)
}

fn remove_other_versions(cache_root: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(cache_root) else {
        return Ok(());
    };
    let current = format!("v{FIXTURE_VERSION}");
    for entry in entries {
        let entry = entry.with_context(|| format!("listing {}", cache_root.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_version = name.len() > 1
            && name.starts_with('v')
            && name[1..].bytes().all(|b| b.is_ascii_digit());
        if is_version && name != current {
            eprintln!("bench: removing repositories of fixture {name}");
            std::fs::remove_dir_all(entry.path())
                .with_context(|| format!("removing {}", entry.path().display()))?;
        }
    }
    Ok(())
}

const MANIFEST: &str = "manifest.txt";

/// What was true right after the build; compared on reuse.
struct Manifest {
    head: String,
    tracked_files: usize,
    commits: usize,
    status: String,
}

impl Manifest {
    fn render(&self) -> String {
        format!(
            "head {}\ntracked_files {}\ncommits {}\n--- git status --porcelain=v1 -b\n{}",
            self.head, self.tracked_files, self.commits, self.status
        )
    }

    fn parse(text: &str) -> Option<Manifest> {
        let (header, status) = text.split_once("--- git status --porcelain=v1 -b\n")?;
        let mut fields = HashMap::new();
        for line in header.lines() {
            let (key, value) = line.split_once(' ')?;
            fields.insert(key, value);
        }
        Some(Manifest {
            head: fields.get("head")?.to_string(),
            tracked_files: fields.get("tracked_files")?.parse().ok()?,
            commits: fields.get("commits")?.parse().ok()?,
            status: status.to_owned(),
        })
    }

    fn observe(env: &HermeticEnv, work: &Path) -> Result<Manifest> {
        let head = env.run(work, &["rev-parse", "HEAD"])?.trim().to_owned();
        let tracked_files = env
            .run(work, &["ls-tree", "-r", "--name-only", "HEAD"])?
            .lines()
            .count();
        let commits = env
            .run(work, &["rev-list", "--count", "--all"])?
            .trim()
            .parse()
            .context("parsing `git rev-list --count --all`")?;
        let status = env.run(work, &["status", "--porcelain=v1", "-b"])?;
        Ok(Manifest {
            head,
            tracked_files,
            commits,
            status,
        })
    }
}

fn reuse(env: &HermeticEnv, dir: &Path, repo: Repo) -> Result<Option<Fixture>> {
    let manifest_path = dir.join(MANIFEST);
    let Ok(text) = std::fs::read_to_string(&manifest_path) else {
        return Ok(None);
    };
    let recorded =
        Manifest::parse(&text).with_context(|| format!("malformed {}", manifest_path.display()))?;
    let work = dir.join("work");
    let now = Manifest::observe(env, &work)?;
    if now.head != recorded.head || now.status != recorded.status {
        bail!("its HEAD or status changed since it was built");
    }
    if let Repo::Pinned(pinned) = repo {
        // HEAD is the pinned commit (the change set is uncommitted): a new pin rebuilds.
        if recorded.head != pinned.commit {
            bail!(
                "it was built at {}, not at {}",
                recorded.head,
                pinned.commit
            );
        }
    }
    eprintln!(
        "bench: reusing the cached {} repository ({})",
        repo.name(),
        dir.display()
    );
    Ok(Some(Fixture {
        repo,
        work,
        head: recorded.head,
        tracked_files: recorded.tracked_files,
        commits: recorded.commits,
        built_in: None,
        phases: Vec::new(),
    }))
}

fn build(env: &HermeticEnv, dir: &Path, repo: Repo, source: &Path) -> Result<Fixture> {
    if let Repo::Pinned(pinned) = repo {
        check_source(env, source, pinned)?;
    }
    let start = Instant::now();
    let name = repo.name();
    let parent = dir.parent().context("cache directory has no parent")?;
    let building = parent.join(format!("{name}.building"));
    for stale in [dir, building.as_path()] {
        if stale.exists() {
            std::fs::remove_dir_all(stale)
                .with_context(|| format!("removing {}", stale.display()))?;
        }
    }
    std::fs::create_dir_all(&building)
        .with_context(|| format!("creating {}", building.display()))?;
    eprintln!(
        "bench: building the {name} repository in {}",
        building.display()
    );

    let mut phases = Vec::new();
    let mut phase = |name: &str, since: &mut Instant| {
        let secs = since.elapsed().as_secs_f64();
        eprintln!("bench:   {name}: {secs:.1}s");
        phases.push((name.to_owned(), secs));
        *since = Instant::now();
    };
    let mut t = Instant::now();

    let work = building.join("work");
    let final_work = dir.join("work");
    let final_origin = dir.join("origin.git");
    std::fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
    env.run(&work, &["init", "-q", "-b", "main"])?;
    let synthetic_layout = match repo {
        Repo::Synthetic(shape) => {
            let layout = import_history(env, &work, shape)?;
            env.run(&work, &["update-ref", "-d", SCRATCH_REF])?;
            phase("fast-import history", &mut t);

            if shape.full_gc {
                env.run(&work, &["gc", "-q"])?;
            } else {
                env.run(&work, &["pack-refs", "--all"])?;
                env.run(&work, &["commit-graph", "write", "--reachable"])?;
            }
            phase("gc / commit-graph", &mut t);
            Some(layout)
        }
        Repo::Pinned(pinned) => {
            fetch_pinned(env, &work, source, pinned)?;
            phase("fetch pinned history", &mut t);
            env.run(&work, &["gc", "-q"])?;
            phase("gc", &mut t);
            None
        }
    };

    make_origin(env, &building, &work, &final_origin)?;
    phase("bare origin and upstreams", &mut t);

    env.run(&work, &["reset", "-q", "--hard", "HEAD"])?;
    phase("checkout", &mut t);

    if repo.is_accelerated() {
        env.run(&work, &["config", "core.untrackedCache", "true"])?;
        env.run(&work, &["config", "core.splitIndex", "true"])?;
        env.run(
            &work,
            &["update-index", "--split-index", "--untracked-cache"],
        )?;
        phase("split index and untracked cache", &mut t);
    }

    match (repo, synthetic_layout) {
        (Repo::Synthetic(shape), Some(layout)) => {
            apply_change_set(env, &work, shape.name, shape.seed, &layout)?
        }
        (Repo::Pinned(pinned), _) => {
            // The project ignores only `/target`; a developer's own ignores (`*.log`) live in
            // `.git/info/exclude`, so the change set's build log is ignored as in the others.
            let exclude = work.join(".git/info/exclude");
            let mut text = std::fs::read_to_string(&exclude).unwrap_or_default();
            text.push_str("*.log\n");
            std::fs::write(&exclude, text)
                .with_context(|| format!("writing {}", exclude.display()))?;
            let layout = layout_from_tree(env, &work)?;
            apply_change_set(env, &work, pinned.name, pinned.seed, &layout)?
        }
        (Repo::Synthetic(_), None) => bail!("no layout for the {name} repository"),
    }
    // The session benchmark greps for two functions of a modified Rust file: fail here, at build
    // time, if the change set has none.
    crate::session::check_change_set(env, &work)
        .with_context(|| format!("the {name} repository's change set"))?;
    // A second passes so no entry is racily clean (same mtime second as the index), then git
    // refreshes the index once, as a user's first `git status` would.
    std::thread::sleep(Duration::from_millis(1100));
    env.run(&work, &["status", "--porcelain"])?;
    env.run(&work, &["status", "--porcelain"])?;
    phase("change set", &mut t);

    std::fs::rename(&building, dir)
        .with_context(|| format!("moving {} to {}", building.display(), dir.display()))?;
    let manifest = Manifest::observe(env, &final_work)?;
    let manifest_path = dir.join(MANIFEST);
    std::fs::write(&manifest_path, manifest.render())
        .with_context(|| format!("writing {}", manifest_path.display()))?;
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "bench: {name} repository ready in {secs:.1}s: {} files, {} commits",
        manifest.tracked_files, manifest.commits
    );
    Ok(Fixture {
        repo,
        work: final_work,
        head: manifest.head,
        tracked_files: manifest.tracked_files,
        commits: manifest.commits,
        built_in: Some(secs),
        phases,
    })
}

/// Fails with [`MissingCommit`] unless the workspace's repository has the pinned commit.
fn check_source(env: &HermeticEnv, source: &Path, pinned: Pinned) -> Result<()> {
    let object = format!("{}^{{commit}}", pinned.commit);
    let found = env
        .git(source, &["cat-file", "-e", &object])
        .output()
        .is_ok_and(|out| out.status.success());
    if found {
        return Ok(());
    }
    let how = match env.run(source, &["rev-parse", "--is-shallow-repository"]) {
        Ok(shallow) if shallow.trim() == "true" => format!(
            "it is a shallow clone: run `git -C {} fetch --unshallow` (in CI, check out with \
             `fetch-depth: 0`)",
            source.display()
        ),
        Ok(_) => format!(
            "fetch it: `git -C {} fetch origin {}`",
            source.display(),
            pinned.commit
        ),
        Err(_) => "it is not a git repository: clone the project with its history".to_owned(),
    };
    Err(MissingCommit(format!(
        "the {} repository is this project's history at commit {}, which {} does not have; {how}",
        pinned.name,
        pinned.commit,
        source.display()
    ))
    .into())
}

/// Fetches only what the pinned commit reaches from the workspace's repository (protocol v2
/// serves any reachable commit by id, git 2.26 and later), makes it `main`, and puts
/// `origin/main` `pinned.ahead` first-parent commits behind it.
fn fetch_pinned(env: &HermeticEnv, work: &Path, source: &Path, pinned: Pinned) -> Result<()> {
    env.run(
        work,
        &["fetch", "-q", "--no-tags", path_str(source)?, pinned.commit],
    )?;
    env.run(work, &["update-ref", MAIN_REF, pinned.commit])?;
    let behind = format!("{}~{}", pinned.commit, pinned.ahead);
    env.run(work, &["update-ref", "refs/remotes/origin/main", &behind])?;
    let fetch_head = work.join(".git/FETCH_HEAD");
    std::fs::remove_file(&fetch_head)
        .with_context(|| format!("removing {}", fetch_head.display()))?;
    Ok(())
}

/// The regular, non-executable files of HEAD with their extension and line count (files that are
/// not UTF-8 text are left out): what the change set picks from.
fn layout_from_tree(env: &HermeticEnv, work: &Path) -> Result<Layout> {
    let listing = env.run(work, &["ls-tree", "-r", "-z", "HEAD"])?;
    let mut files = Vec::new();
    for entry in listing.split('\0').filter(|e| !e.is_empty()) {
        let (meta, path) = entry
            .split_once('\t')
            .with_context(|| format!("unexpected ls-tree entry {entry:?}"))?;
        if !meta.starts_with("100644 ") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(work.join(path)) else {
            continue;
        };
        let ext = Path::new(path)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_owned();
        files.push((path.to_owned(), ext, text.lines().count()));
    }
    Ok(Layout { files })
}

/// A bare clone becomes `origin`; its branches are moved to where the work repository's
/// `refs/remotes/origin/*` point, so the local branches are ahead/behind their upstreams exactly as
/// after a real fetch.
fn make_origin(env: &HermeticEnv, building: &Path, work: &Path, final_origin: &Path) -> Result<()> {
    let origin = building.join("origin.git");
    let (work_s, origin_s) = (path_str(work)?, path_str(&origin)?);
    env.run(building, &["clone", "-q", "--bare", work_s, origin_s])?;
    let remote_refs = env.run(
        work,
        &[
            "for-each-ref",
            "--format=%(refname:lstrip=3) %(objectname)",
            "refs/remotes/origin/",
        ],
    )?;
    let local_heads = env.run(
        &origin,
        &[
            "for-each-ref",
            "--format=%(refname:lstrip=2)",
            "refs/heads/",
        ],
    )?;
    let mut upstream: HashMap<String, String> = HashMap::new();
    for line in remote_refs.lines() {
        let (name, id) = line
            .split_once(' ')
            .context("unexpected for-each-ref line")?;
        upstream.insert(name.to_owned(), id.to_owned());
    }
    let mut commands = String::new();
    for (name, id) in &upstream {
        writeln!(commands, "update refs/heads/{name} {id}")?;
    }
    for name in local_heads.lines() {
        if !upstream.contains_key(name) {
            writeln!(commands, "delete refs/heads/{name}")?;
        }
    }
    env.run_with_input(&origin, &["update-ref", "--stdin"], commands.as_bytes())?;

    env.run(work, &["remote", "add", "origin", path_str(final_origin)?])?;
    env.run(
        work,
        &[
            "symbolic-ref",
            "refs/remotes/origin/HEAD",
            "refs/remotes/origin/main",
        ],
    )?;
    for branch in [MAIN_REF, FEATURE_REF] {
        let name = branch.trim_start_matches("refs/heads/");
        if !upstream.contains_key(name) {
            continue;
        }
        env.run(
            work,
            &["config", &format!("branch.{name}.remote"), "origin"],
        )?;
        env.run(work, &["config", &format!("branch.{name}.merge"), branch])?;
    }
    Ok(())
}

fn path_str(path: &Path) -> Result<&str> {
    path.to_str()
        .with_context(|| format!("path is not UTF-8: {}", path.display()))
}

// ---------------------------------------------------------------------------------------------
// History

const SCRATCH_REF: &str = "refs/bench/scratch";
const MAIN_REF: &str = "refs/heads/main";
const FEATURE_REF: &str = "refs/heads/feature/parser";

/// A tracked file of the model and its content on `main`.
struct File {
    path: String,
    ext: &'static str,
    text: String,
    exec: bool,
    live: bool,
}

impl File {
    /// The change writing this file with `text`: its content on `main`, or a branch's.
    fn written_as<'a>(&'a self, text: &'a str) -> Change<'a> {
        Change::Write {
            path: &self.path,
            exec: self.exec,
            text,
        }
    }

    /// The change writing this file as it is on `main`.
    fn written(&self) -> Change<'_> {
        self.written_as(&self.text)
    }
}

/// A fast-import mark.
type Mark = usize;

/// One file change of a commit: new content, or deletion.
enum Change<'a> {
    Write {
        path: &'a str,
        exec: bool,
        text: &'a str,
    },
    Delete {
        path: &'a str,
    },
}

/// The files on `main` the change set picks from: (path, extension, lines). For a synthetic
/// repository, the layout's files that exist once the history is written; for the pinned one, its
/// tree.
pub struct Layout {
    files: Vec<(String, String, usize)>,
}

struct History<W: Write> {
    out: W,
    rng: Rng,
    shape: Shape,
    files: Vec<File>,
    /// Files not yet added, in layout order.
    pending: Vec<usize>,
    add_quota: f64,
    add_rate: f64,
    next_mark: Mark,
    time: i64,
    commits: usize,
    main_tip: Option<Mark>,
    main_commits: usize,
    tags: usize,
}

fn import_history(env: &HermeticEnv, work: &Path, shape: Shape) -> Result<Layout> {
    let mut child = env
        .git(work, &["fast-import", "--quiet", "--done"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("starting git fast-import")?;
    let stdin = child.stdin.take().context("git fast-import has no stdin")?;
    let written = write_history(BufWriter::with_capacity(1 << 20, stdin), shape);
    let output = child
        .wait_with_output()
        .context("waiting for git fast-import")?;
    if !output.status.success() {
        bail!(
            "git fast-import failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    written
}

fn write_history<W: Write>(out: W, shape: Shape) -> Result<Layout> {
    let mut rng = Rng::new(shape.seed);
    let files = layout(&mut rng, shape);
    let initial = files.len() * shape.initial_percent / 100;
    let pending: Vec<usize> = (initial..files.len()).collect();
    // About 70% of commits are plain main-line ones that may add files: spread the additions over
    // the first two thirds of the history.
    let add_rate = pending.len() as f64 / (shape.commits as f64 * 0.45);
    let mut history = History {
        out,
        rng,
        shape,
        files,
        pending,
        add_quota: 0.0,
        add_rate,
        next_mark: 1,
        time: EPOCH - 3 * 365 * 86_400,
        commits: 0,
        main_tip: None,
        main_commits: 0,
        tags: 0,
    };
    history.write_all(initial)?;
    let mut out = history.out;
    out.write_all(b"done\n")
        .context("writing to git fast-import")?;
    out.flush().context("writing to git fast-import")?;
    Ok(Layout {
        files: history
            .files
            .iter()
            .filter(|f| f.live)
            .map(|f| (f.path.clone(), f.ext.to_owned(), f.text.lines().count()))
            .collect(),
    })
}

/// Paths of the layout: nested directories of 4–16 files each, under a few top-level areas.
fn layout(rng: &mut Rng, shape: Shape) -> Vec<File> {
    const AREAS: &[(&str, &str, usize)] = &[
        ("crates", "rs", 46),
        ("tests", "rs", 12),
        ("examples", "rs", 6),
        ("tools", "py", 14),
        ("docs", "md", 12),
        ("scripts", "sh", 4),
        ("config", "toml", 6),
    ];
    let total_weight: usize = AREAS.iter().map(|a| a.2).sum();
    let mut files = Vec::with_capacity(shape.files);
    let mut push = |rng: &mut Rng, path: String, ext: &'static str, text: Option<String>| {
        let lines = skewed(rng, shape.lines);
        let text = text.unwrap_or_else(|| synth::file_text(rng, ext, lines));
        files.push(File {
            exec: ext == "sh",
            path,
            ext,
            text,
            live: false,
        });
    };
    push(rng, "README.md".into(), "md", None);
    push(rng, "Cargo.toml".into(), "toml", None);
    push(
        rng,
        ".gitignore".into(),
        "txt",
        Some("/target/\n*.log\n.cache/\n".into()),
    );

    let mut dirs = HashSet::new();
    let mut count = 3;
    while count < shape.files {
        let mut pick = rng.below(total_weight);
        let (area, ext, _) = AREAS
            .iter()
            .find(|a| {
                if pick < a.2 {
                    true
                } else {
                    pick -= a.2;
                    false
                }
            })
            .copied()
            .unwrap_or(AREAS[0]);
        let mut dir = area.to_owned();
        for _ in 0..rng.between(1, 4) {
            dir.push('/');
            dir.push_str(&synth::name(rng));
        }
        if !dirs.insert(dir.clone()) {
            continue;
        }
        let mut names = HashSet::new();
        for _ in 0..rng.between(4, 16) {
            if count >= shape.files {
                break;
            }
            let name = synth::name(rng);
            if names.insert(name.clone()) {
                push(rng, format!("{dir}/{name}.{ext}"), ext, None);
                count += 1;
            }
        }
    }
    files
}

/// A length in `range`, smaller ones more likely (the minimum of two uniform draws).
fn skewed(rng: &mut Rng, (lo, hi): (usize, usize)) -> usize {
    let span = hi - lo + 1;
    lo + rng.below(span).min(rng.below(span))
}

impl<W: Write> History<W> {
    fn write_all(&mut self, initial: usize) -> Result<()> {
        self.initial_commit(initial)?;
        let shape = self.shape;
        // Where the side branches start, counted in commits of the whole history.
        let release_at = shape.commits / 2;
        let feature_at = shape.commits.saturating_sub(40);
        let wip_at = shape.commits.saturating_sub(15);
        let tag_every = (shape.commits / 9).max(1);
        let mut done = HashSet::new();
        while self.commits < shape.commits.saturating_sub(5) {
            if self.rng.below(shape.topic_every) == 0 {
                self.topic()?;
            } else {
                let n = self.rng.between(1, 3);
                self.main_commit(n, &HashSet::new(), None)?;
            }
            let n = self.commits;
            if n / tag_every > self.tags {
                self.tag()?;
            }
            if n >= release_at && done.insert("release") {
                self.side_branch("refs/remotes/origin/release/0.4", 2)?;
            }
            if n >= feature_at && done.insert("feature") {
                self.feature_branch()?;
            }
            if n >= wip_at && done.insert("wip") {
                self.side_branch("refs/heads/wip/experiment", 2)?;
            }
        }
        // origin/main is 3 commits ahead of the common base, local main 2: "ahead 2, behind 3".
        self.side_branch("refs/remotes/origin/main", 3)?;
        self.main_commit(2, &HashSet::new(), Some(false))?;
        // HEAD: an ordinary commit with a body and several hunks, so `git show HEAD` is realistic.
        self.main_commit(3, &HashSet::new(), Some(true))?;
        Ok(())
    }

    fn tick(&mut self) -> i64 {
        self.time += self.rng.between(300, 4 * 3600) as i64;
        self.time
    }

    fn ident(&mut self, author: Author) -> String {
        let time = self.tick();
        format!("{} <{}> {time} {}", author.name, author.email, author.tz)
    }

    fn emit_commit(
        &mut self,
        refname: &str,
        from: Option<Mark>,
        merge: Option<Mark>,
        message: &str,
        changes: &[Change],
    ) -> Result<Mark> {
        let author = synth::author(&mut self.rng);
        let ident = self.ident(author);
        let mark = self.next_mark;
        self.next_mark += 1;
        self.commits += 1;
        let out = &mut self.out;
        let io = || format!("writing commit {mark} to git fast-import");
        write!(
            out,
            "commit {refname}\nmark :{mark}\nauthor {ident}\ncommitter {ident}\ndata {}\n{message}\n",
            message.len()
        )
        .with_context(io)?;
        if let Some(from) = from {
            writeln!(out, "from :{from}").with_context(io)?;
        }
        if let Some(merge) = merge {
            writeln!(out, "merge :{merge}").with_context(io)?;
        }
        for change in changes {
            match change {
                Change::Write { path, exec, text } => {
                    let mode = if *exec { "100755" } else { "100644" };
                    write!(out, "M {mode} inline {path}\ndata {}\n", text.len())
                        .with_context(io)?;
                    out.write_all(text.as_bytes()).with_context(io)?;
                    out.write_all(b"\n").with_context(io)?;
                }
                Change::Delete { path } => writeln!(out, "D {path}").with_context(io)?,
            }
        }
        out.write_all(b"\n").with_context(io)?;
        Ok(mark)
    }

    fn initial_commit(&mut self, initial: usize) -> Result<()> {
        for file in &mut self.files[..initial] {
            file.live = true;
        }
        let files = std::mem::take(&mut self.files);
        let changes: Vec<Change> = files[..initial].iter().map(File::written).collect();
        let result = self.emit_commit(MAIN_REF, None, None, "Initial import\n", &changes);
        drop(changes);
        self.files = files;
        self.main_tip = Some(result?);
        self.main_commits += 1;
        Ok(())
    }

    /// A live file not in `busy`.
    fn pick_file(&mut self, busy: &HashSet<usize>) -> Option<usize> {
        for _ in 0..1000 {
            let i = self.rng.below(self.files.len());
            let file = &self.files[i];
            if file.live && !busy.contains(&i) && file.path != ".gitignore" {
                return Some(i);
            }
        }
        None
    }

    /// The subsystem a commit message names: the directory under the top-level area, or the
    /// area itself; `docs` for files at the root.
    fn area(path: &str) -> &str {
        let mut parts = path.split('/');
        let first = parts.next().unwrap_or(path);
        match parts.next() {
            Some(second) if !second.contains('.') => second,
            Some(_) => first,
            None => "docs",
        }
    }

    /// The subsystem a commit editing `touched` names: its first file's area, `misc` for none.
    fn area_of(&self, touched: &[usize]) -> String {
        touched
            .first()
            .map(|&i| Self::area(&self.files[i].path).to_owned())
            .unwrap_or_else(|| "misc".into())
    }

    /// A commit on `main` editing `n_files` files (not in `busy`), sometimes adding or deleting one.
    fn main_commit(
        &mut self,
        n_files: usize,
        busy: &HashSet<usize>,
        body: Option<bool>,
    ) -> Result<Mark> {
        let mut touched = Vec::new();
        for _ in 0..n_files {
            if let Some(i) = self.pick_file(busy) {
                if !touched.contains(&i) {
                    let hunks = self.rng.between(1, 3);
                    let file = &self.files[i];
                    let text = synth::edit(&mut self.rng, &file.text, file.ext, hunks);
                    self.files[i].text = text;
                    touched.push(i);
                }
            }
        }
        if body.is_none() {
            self.add_quota += self.add_rate;
            while self.add_quota >= 1.0 && !self.pending.is_empty() {
                self.add_quota -= 1.0;
                let i = self.pending.remove(0);
                self.files[i].live = true;
                touched.push(i);
            }
        }
        let mut deleted = None;
        if body.is_none() && self.rng.chance(1) {
            if let Some(i) = self.pick_file(busy) {
                if !touched.contains(&i) {
                    self.files[i].live = false;
                    deleted = Some(i);
                }
            }
        }
        let area = self.area_of(&touched);
        let with_body = body.unwrap_or_else(|| self.rng.chance(55));
        let message = synth::commit_message(&mut self.rng, &area, with_body);
        let files = std::mem::take(&mut self.files);
        let mut changes: Vec<Change> = touched.iter().map(|&i| files[i].written()).collect();
        if let Some(i) = deleted {
            changes.push(Change::Delete {
                path: &files[i].path,
            });
        }
        let result = self.emit_commit(MAIN_REF, self.main_tip, None, &message, &changes);
        drop(changes);
        self.files = files;
        let mark = result?;
        self.main_tip = Some(mark);
        self.main_commits += 1;
        Ok(mark)
    }

    /// A commit on `refname` from `from`, editing files whose branch content lives in `overlay`.
    fn side_commit(
        &mut self,
        refname: &str,
        from: Mark,
        overlay: &mut HashMap<usize, String>,
        busy: &HashSet<usize>,
    ) -> Result<Mark> {
        let mut touched = Vec::new();
        for _ in 0..self.rng.between(1, 2) {
            if let Some(i) = self.pick_file(busy) {
                let current = overlay.get(&i).unwrap_or(&self.files[i].text);
                let hunks = self.rng.between(1, 3);
                let text = synth::edit(&mut self.rng, current, self.files[i].ext, hunks);
                overlay.insert(i, text);
                if !touched.contains(&i) {
                    touched.push(i);
                }
            }
        }
        let area = self.area_of(&touched);
        let with_body = self.rng.chance(40);
        let message = synth::commit_message(&mut self.rng, &area, with_body);
        let files = std::mem::take(&mut self.files);
        let changes: Vec<Change> = touched
            .iter()
            .filter_map(|i| overlay.get(i).map(|text| files[*i].written_as(text)))
            .collect();
        let result = self.emit_commit(refname, Some(from), None, &message, &changes);
        drop(changes);
        self.files = files;
        result
    }

    /// A topic branch of 2–4 commits, 0–2 commits on `main` meanwhile, then a merge commit.
    fn topic(&mut self) -> Result<()> {
        let base = self.main_tip.context("topic before the first commit")?;
        let name = format!(
            "topic/{}-{}",
            synth::word(&mut self.rng),
            synth::word(&mut self.rng)
        );
        let mut overlay = HashMap::new();
        let mut tip = base;
        for _ in 0..self.rng.between(2, 4) {
            tip = self.side_commit(SCRATCH_REF, tip, &mut overlay, &HashSet::new())?;
        }
        let busy: HashSet<usize> = overlay.keys().copied().collect();
        for _ in 0..self.rng.between(0, 2) {
            let n = self.rng.between(1, 3);
            self.main_commit(n, &busy, None)?;
        }
        let message = if self.rng.chance(50) {
            format!("Merge branch '{name}'\n")
        } else {
            format!(
                "Merge pull request #{} from {name}\n\n{}",
                100 + self.main_commits,
                synth::commit_message(&mut self.rng, "merge", false)
            )
        };
        let mut indices: Vec<usize> = overlay.keys().copied().collect();
        indices.sort_unstable();
        for &i in &indices {
            if let Some(text) = overlay.remove(&i) {
                self.files[i].text = text;
            }
        }
        let files = std::mem::take(&mut self.files);
        let changes: Vec<Change> = indices.iter().map(|&i| files[i].written()).collect();
        let result = self.emit_commit(MAIN_REF, self.main_tip, Some(tip), &message, &changes);
        drop(changes);
        self.files = files;
        self.main_tip = Some(result?);
        self.main_commits += 1;
        Ok(())
    }

    /// `commits` commits on `refname` from the current `main`, never merged.
    fn side_branch(&mut self, refname: &str, commits: usize) -> Result<Mark> {
        let mut tip = self
            .main_tip
            .context("side branch before the first commit")?;
        let mut overlay = HashMap::new();
        for _ in 0..commits {
            tip = self.side_commit(refname, tip, &mut overlay, &HashSet::new())?;
        }
        Ok(tip)
    }

    /// `feature/parser`: 4 shared commits, then one only local and one only on origin, so the
    /// local branch is "ahead 1, behind 1".
    fn feature_branch(&mut self) -> Result<()> {
        let mut tip = self
            .main_tip
            .context("feature branch before the first commit")?;
        let mut overlay = HashMap::new();
        for _ in 0..4 {
            tip = self.side_commit(FEATURE_REF, tip, &mut overlay, &HashSet::new())?;
        }
        let mut remote_overlay = overlay.clone();
        self.side_commit(
            "refs/remotes/origin/feature/parser",
            tip,
            &mut remote_overlay,
            &HashSet::new(),
        )?;
        self.side_commit(FEATURE_REF, tip, &mut overlay, &HashSet::new())?;
        Ok(())
    }

    /// An annotated release tag on `main`, and every other time a lightweight one too.
    fn tag(&mut self) -> Result<()> {
        self.tags += 1;
        let tip = self.main_tip.context("tag before the first commit")?;
        let author = synth::author(&mut self.rng);
        let ident = self.ident(author);
        let message = format!("Release 0.{}.0\n", self.tags);
        let io = || "writing a tag to git fast-import";
        write!(
            self.out,
            "tag v0.{}.0\nfrom :{tip}\ntagger {ident}\ndata {}\n{message}\n",
            self.tags,
            message.len()
        )
        .with_context(io)?;
        if self.tags.is_multiple_of(2) {
            write!(
                self.out,
                "reset refs/tags/deploy-{}\nfrom :{tip}\n\n",
                self.tags
            )
            .with_context(io)?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Change set

/// The uncommitted state the commands see: ~15 modified files (3 staged, one of them modified
/// again), 2 staged new files, a staged rename, an unstaged deletion, a mode change, 5 untracked
/// files in 2 new directories, and ignored build output. `name` and `seed` are the repository's;
/// `layout` its files on `main`.
fn apply_change_set(
    env: &HermeticEnv,
    work: &Path,
    name: &str,
    seed: u64,
    layout: &Layout,
) -> Result<()> {
    let mut rng = Rng::new(seed ^ 0xC4A9_6E5E_7000_0000);
    let editable: Vec<&(String, String, usize)> = layout
        .files
        .iter()
        .filter(|(_, ext, lines)| matches!(ext.as_str(), "rs" | "py" | "md") && *lines >= 30)
        .collect();
    let small: Vec<&(String, String, usize)> = layout
        .files
        .iter()
        .filter(|(_, ext, lines)| ext == "rs" && *lines < 40)
        .collect();
    if editable.len() < 20 || small.len() < 2 {
        bail!("the {name} layout has too few files for the change set");
    }
    let mut chosen: Vec<&(String, String, usize)> = Vec::new();
    let mut used = HashSet::new();
    while chosen.len() < 16 {
        let file = *rng.pick(&editable);
        if used.insert(file.0.clone()) {
            chosen.push(file);
        }
    }
    let read = |path: &str| {
        std::fs::read_to_string(work.join(path))
            .with_context(|| format!("reading {path} in the fixture"))
    };
    let write = |path: &str, text: &str| {
        let full = work.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&full, text).with_context(|| format!("writing {}", full.display()))
    };

    // 15 modified files; the first 3 staged, the first of those modified again.
    let (modified, rename_source) = chosen.split_at(15);
    for (path, ext, _) in modified {
        let hunks = rng.between(2, 4);
        let edited = synth::edit(&mut rng, &read(path)?, ext, hunks);
        write(path, &edited)?;
    }
    let staged: Vec<&str> = modified[..3].iter().map(|f| f.0.as_str()).collect();
    let mut add = vec!["add", "--"];
    add.extend(&staged);

    // 2 new Rust files next to a modified one, staged.
    let neighbour = modified
        .iter()
        .find(|f| f.1 == "rs")
        .unwrap_or(&modified[0]);
    // Its directory with a slash, or nothing for a file at the root.
    let dir = match Path::new(&neighbour.0).parent().and_then(Path::to_str) {
        Some("") => String::new(),
        Some(parent) => format!("{parent}/"),
        None => bail!("modified file {} has no directory", neighbour.0),
    };
    let new_files = [
        format!("{dir}new_{}.rs", synth::word(&mut rng)),
        format!("{dir}new_{}_tests.rs", synth::word(&mut rng)),
    ];
    for path in &new_files {
        let lines = rng.between(30, 70);
        write(path, &synth::file_text(&mut rng, "rs", lines))?;
        add.push(path.as_str());
    }
    env.run(work, &add)?;
    let again = synth::edit(&mut rng, &read(staged[0])?, &modified[0].1, 1);
    write(staged[0], &again)?;

    // A staged rename within the same directory.
    let (from, ext, _) = rename_source[0];
    let renamed = match Path::new(from).parent().and_then(Path::to_str) {
        Some(parent) if !parent.is_empty() => {
            format!("{parent}/renamed_{}.{ext}", synth::word(&mut rng))
        }
        _ => format!("renamed_{}.{ext}", synth::word(&mut rng)),
    };
    env.run(work, &["mv", from, &renamed])?;

    // An unstaged deletion of a small file.
    let deleted = &rng.pick(&small).0;
    std::fs::remove_file(work.join(deleted)).with_context(|| format!("deleting {deleted}"))?;

    // A mode change: a script becomes executable. A Python tool; in a repository without one,
    // another script, or else a text file.
    let unused_with = |exts: &[&str]| {
        layout
            .files
            .iter()
            .find(|(path, ext, _)| exts.contains(&ext.as_str()) && !used.contains(path))
    };
    let script = unused_with(&["py"])
        .or_else(|| unused_with(&["sh", "mjs", "js", "pl", "rb"]))
        .or_else(|| unused_with(&["toml", "txt", "md"]))
        .context("no file for the mode change")?;
    {
        use std::os::unix::fs::PermissionsExt;
        let full = work.join(&script.0);
        std::fs::set_permissions(&full, std::fs::Permissions::from_mode(0o755))
            .with_context(|| format!("chmod +x {}", full.display()))?;
    }

    // 5 untracked files in 2 new directories.
    let untracked_dir = format!("crates/{}_next/src", synth::word(&mut rng));
    for name in ["lib.rs", "engine.rs", "options.rs"] {
        let lines = rng.between(20, 60);
        write(
            &format!("{untracked_dir}/{name}"),
            &synth::file_text(&mut rng, "rs", lines),
        )?;
    }
    for name in ["todo.md", "design.md"] {
        let lines = rng.between(10, 30);
        write(
            &format!("notes/{name}"),
            &synth::file_text(&mut rng, "md", lines),
        )?;
    }

    // Ignored build output, as any Rust work tree has.
    write("target/debug/app.d", "target/debug/app: src/main.rs\n")?;
    write("target/debug/.fingerprint/app-1/lib", "0123456789abcdef\n")?;
    write("build.log", "Compiling app v0.1.0\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Shape {
        Shape {
            name: "tiny",
            size: Size::Medium,
            files: 120,
            commits: 60,
            lines: (10, 40),
            initial_percent: 70,
            topic_every: 6,
            seed: 42,
            full_gc: false,
            accelerated: false,
        }
    }

    #[test]
    fn history_stream_is_deterministic() -> Result<()> {
        let mut a = Vec::new();
        let mut b = Vec::new();
        write_history(&mut a, tiny())?;
        write_history(&mut b, tiny())?;
        assert_eq!(a, b);
        assert!(a.ends_with(b"done\n"));
        Ok(())
    }

    #[test]
    fn pinned_commit_is_a_full_id() {
        assert_eq!(MEDIUM_REAL.commit.len(), 40);
        assert!(MEDIUM_REAL.commit.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[test]
    fn layout_paths_are_unique() {
        let files = layout(&mut Rng::new(3), tiny());
        let unique: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(unique.len(), files.len());
        assert_eq!(files.len(), 120);
    }
}
