//! A repository in a temporary directory, with git run in a hermetic environment whose `HOME`
//! is that directory: for tests that hold the plugins to git on one small repository.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct TempRepo {
    _dir: tempfile::TempDir,
    /// The temporary directory, `HOME` of every command run here.
    pub home: PathBuf,
    /// The work tree, `home/work`.
    pub work: PathBuf,
}

impl TempRepo {
    /// `git init -q` in a new `home/work`.
    pub fn init() -> TempRepo {
        let dir = tempfile::tempdir().expect("temp dir");
        let home = dir.path().to_path_buf();
        let work = home.join("work");
        std::fs::create_dir_all(&work).expect("work dir");
        let repo = TempRepo {
            _dir: dir,
            home,
            work,
        };
        repo.git(&["init", "-q"]);
        repo
    }

    /// `program <args>` in the work tree, hermetic, tracking off.
    pub fn command(&self, program: &Path, args: &[&str]) -> Command {
        git_rtk::hermetic::Hermetic::new(&self.home)
            .tracking(git_rtk::hermetic::Tracking::Off)
            .command(program, &self.work, args)
    }

    /// `git <args>`, which must succeed.
    pub fn git(&self, args: &[&str]) -> Output {
        super::succeeded(
            &mut self.command(Path::new("git"), args),
            &format!("git {args:?}"),
        )
    }

    /// Writes `content` at `path` in the work tree, creating its directories.
    pub fn write(&self, path: &str, content: &str) {
        let path = self.work.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("directories");
        std::fs::write(path, content).expect("write");
    }
}
