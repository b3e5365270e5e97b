//! Twin-repository parity suite: one libtest-mimic trial per case file under `parity/cases/`.
//!
//! Each case builds a fixture from its setup script, runs `git <cmd>` in it, rebuilds the same
//! fixture at the same path, runs `git rtk-<cmd>` there through the same git binary, and compares
//! exit code, repository state, stderr signals and facts taken from git's machine-readable output.
//! `GIT_RTK_PARITY_REPORT=1` writes `parity/report.csv` and `parity/REPORT.md` after the run.

mod harness;

use std::path::Path;
use std::sync::Arc;

use libtest_mimic::{Arguments, Failed, Trial};

use harness::case;
use harness::env::Toolchain;
use harness::report;
use harness::twin::{self, Workspace};

fn main() {
    let arguments = Arguments::from_args();
    harness::snapshot::install_panic_hook();
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));

    let toolchain = match Toolchain::discover() {
        Ok(toolchain) => Arc::new(toolchain),
        Err(err) => {
            eprintln!("parity: cannot set up the toolchain: {err}");
            std::process::exit(101);
        }
    };
    let workspace = match Workspace::create() {
        Ok(workspace) => Arc::new(workspace),
        Err(err) => {
            eprintln!("parity: cannot create the temporary workspace: {err}");
            std::process::exit(101);
        }
    };

    let loaded = case::load_all(&manifest_dir.join("parity").join("cases"));
    let total = loaded.len();
    let trials = loaded
        .into_iter()
        .map(|loaded| match loaded {
            Ok(case) => {
                let toolchain = Arc::clone(&toolchain);
                let workspace = Arc::clone(&workspace);
                let name = case.id();
                Trial::test(name, move || {
                    twin::run(&case, &toolchain, &workspace).map_err(Failed::from)
                })
            }
            Err(broken) => {
                let message = broken.error.clone();
                Trial::test(broken.id, move || Err(Failed::from(message)))
            }
        })
        .collect::<Vec<_>>();

    let conclusion = libtest_mimic::run(&arguments, trials);

    if report::requested() {
        match report::write(&manifest_dir.join("parity"), &toolchain, total) {
            Ok(true) => eprintln!(
                "parity: wrote parity/report.csv, parity/REPORT.md and parity/{}",
                report::CERTIFICATE_FILE
            ),
            Ok(false) => eprintln!(
                "parity: wrote parity/report.csv and parity/REPORT.md; a filtered run leaves \
                 parity/{} as it was",
                report::CERTIFICATE_FILE
            ),
            Err(err) => {
                eprintln!("parity: cannot write the report: {err}");
                std::process::exit(101);
            }
        }
    }
    drop(workspace);
    conclusion.exit();
}
