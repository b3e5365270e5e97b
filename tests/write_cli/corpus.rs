//! The acceptance test for `set`: on real configs, setting a key changes only that value's bytes.
//!
//! Each case names the literal text it expects to be replaced (`old`, empty for a new key) and
//! the literal text it expects in its place (`new`). The test diffs the file before and after with
//! `similar`, requires every changed byte to fall inside one region, and requires that region to
//! be exactly `old` → `new` with every byte before and after it unchanged.

use similar::{Algorithm, DiffTag};

use crate::support::Scratch;

struct Case {
    key: &'static str,
    value: &'static str,
    old: &'static str,
    new: &'static str,
}

const fn case(
    key: &'static str,
    value: &'static str,
    old: &'static str,
    new: &'static str,
) -> Case {
    Case {
        key,
        value,
        old,
        new,
    }
}

fn corpus(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Asserts that `after` is `before` with one region changed, and that region is `old` → `new`.
fn assert_only_value_changed(
    name: &str,
    key: &str,
    before: &str,
    after: &str,
    old: &str,
    new: &str,
) {
    let ops = similar::capture_diff_slices(Algorithm::Myers, before.as_bytes(), after.as_bytes());
    let changed: Vec<_> = ops.iter().filter(|op| op.tag() != DiffTag::Equal).collect();
    let (Some(first), Some(last)) = (changed.first(), changed.last()) else {
        panic!("{name} {key}: nothing changed");
    };
    // The one region that holds every changed byte, in both versions.
    let old_region = first.old_range().start..last.old_range().end;
    let new_region = first.new_range().start..last.new_range().end;
    let shown = similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .header("before", "after")
        .to_string();
    assert_eq!(
        before.as_bytes()[..old_region.start],
        after.as_bytes()[..new_region.start],
        "{name} {key}: bytes before the change differ\n{shown}"
    );
    assert_eq!(
        before.as_bytes()[old_region.end..],
        after.as_bytes()[new_region.end..],
        "{name} {key}: bytes after the change differ\n{shown}"
    );
    // The region is the expected edit: `old` replaced by `new` at one place. An insertion may be
    // reported by the diff a few bytes off where the literal starts (`\nx` inserted before `\n`
    // equals `x\n` inserted after it), so look for the literal around the region.
    let widest = old.len().max(new.len());
    let candidates =
        old_region.start.saturating_sub(widest)..=(old_region.end + widest).min(before.len());
    let at = candidates.into_iter().find(|&at| {
        before.get(at..at + old.len()) == Some(old)
            && after.get(at..at + new.len()) == Some(new)
            && before.as_bytes()[..at] == after.as_bytes()[..at]
            && before.as_bytes()[at + old.len()..] == after.as_bytes()[at + new.len()..]
    });
    assert!(
        at.is_some(),
        "{name} {key}: the change is not exactly {old:?} → {new:?}\n{shown}"
    );
}

/// Runs every case on a fresh copy of corpus file `name` with its lines ended by `eol`; the
/// expected literals get the same line ends.
fn check_with_line_ends(name: &str, cases: &[Case], eol: &str) {
    let content = corpus(name).replace('\n', eol);
    for case in cases {
        let scratch = Scratch::new();
        scratch.write(name, &content);
        let run = scratch.run(&["set", name, case.key, case.value], b"");
        run.expect_code(0);
        assert!(
            run.stdout.starts_with(&format!("set {name} ")),
            "{}",
            run.stdout
        );
        let after = scratch.read_string(name);
        let (old, new) = (case.old.replace('\n', eol), case.new.replace('\n', eol));
        assert_only_value_changed(name, case.key, &content, &after, &old, &new);
    }
}

fn check(name: &str, cases: &[Case]) {
    check_with_line_ends(name, cases, "\n");
}

/// The same cases on the file with CRLF line endings.
fn check_crlf(name: &str, cases: &[Case]) {
    check_with_line_ends(name, cases, "\r\n");
}

const RIPGREP: &[Case] = &[
    case("package.version", "15.0.0", "\"14.1.0\"", "\"15.0.0\""),
    case("package.keywords[2]", "fgrep", "\"egrep\"", "\"fgrep\""),
    case("dependencies.textwrap.version", "0.17.0", "\"0.16.0\"", "\"0.17.0\""),
    case(
        "target.'cfg(not(target_os = \"windows\"))'.dependencies.libc",
        "0.2.160",
        "\"0.2.151\"",
        "\"0.2.160\"",
    ),
    case(
        "target.'cfg(all(target_env = \"musl\", target_pointer_width = \"64\"))'.dependencies.jemallocator.version",
        "0.6.0",
        "\"0.5.0\"",
        "\"0.6.0\"",
    ),
    case("package.metadata.deb.assets[0][2]", "\"750\"", "\"755\"", "\"750\""),
    case("profile.release-lto.opt-level", "2", "3", "2"),
    case("workspace.resolver", "\"2\"", "", "\nresolver = \"2\""),
    case(
        "package.metadata.release.sign-tag",
        "true",
        "",
        "\n\n[package.metadata.release]\nsign-tag = true",
    ),
];

#[test]
fn ripgrep_cargo_toml() {
    check("ripgrep.Cargo.toml", RIPGREP);
}

#[test]
fn ripgrep_cargo_toml_with_crlf() {
    check_crlf("ripgrep.Cargo.toml", RIPGREP);
}

#[test]
fn tokio_cargo_toml() {
    check(
        "tokio.Cargo.toml",
        &[
            case("package.rust-version", "\"1.75\"", "\"1.71\"", "\"1.75\""),
            case(
                "features.io-util[0]",
                "dep:bytes",
                "\"bytes\"",
                "\"dep:bytes\"",
            ),
            case(
                "target.'cfg(tokio_unstable)'.dependencies.tracing.version",
                "0.1.40",
                "\"0.1.29\"",
                "\"0.1.40\"",
            ),
            case(
                "target.'cfg(windows)'.dependencies.windows-sys.version",
                "\"0.62\"",
                "\"0.61\"",
                "\"0.62\"",
            ),
            case(
                "package.metadata.docs.rs.cargo-args",
                "[\"-Zunstable-options\"]",
                "",
                "\ncargo-args = [\"-Zunstable-options\"]",
            ),
            case("lints.workspace", "false", "true", "false"),
        ],
    );
}

#[test]
fn git_rtk_cargo_toml() {
    check(
        "git-rtk.Cargo.toml",
        &[
            case("profile.dev.package.\"*\".opt-level", "3", "2", "3"),
            case(
                "workspace.members[1]",
                "benches",
                "\"bench\"",
                "\"benches\"",
            ),
            case(
                "dependencies.gix.features[0]",
                "sha256",
                "\"sha1\"",
                "\"sha256\"",
            ),
            case(
                "dependencies.regex.optional",
                "true",
                "",
                ", optional = true",
            ),
        ],
    );
}

#[test]
fn black_pyproject_toml() {
    check(
        "black.pyproject.toml",
        &[
            case("tool.black.line-length", "100", "88", "100"),
            case("tool.black.target-version[1]", "py39", "'py38'", "'py39'"),
            case(
                "project.license.text",
                "BSD-3-Clause",
                "\"MIT\"",
                "\"BSD-3-Clause\"",
            ),
            case(
                "project.authors[0].email",
                "lukasz@example.org",
                "\"lukasz@langa.pl\"",
                "\"lukasz@example.org\"",
            ),
            case(
                "tool.hatch.build.targets.wheel.hooks.mypyc.dependencies[2]",
                "click==8.1.7",
                "\"click==8.1.3\"",
                "\"click==8.1.7\"",
            ),
            case(
                "tool.ruff.line-length",
                "88",
                "",
                "\n\n[tool.ruff]\nline-length = 88",
            ),
            case(
                "tool.setuptools.package-data.\"black.resources\"",
                "[\"*.txt\"]",
                "",
                "\n\n[tool.setuptools.package-data]\n\"black.resources\" = [\"*.txt\"]",
            ),
        ],
    );
}

#[test]
fn flask_pyproject_toml() {
    check(
        "flask.pyproject.toml",
        &[
            case("project.version", "3.2.0", "\"3.1.1.dev\"", "\"3.2.0\""),
            case(
                "project.maintainers[0].name",
                "Pallets Team",
                "\"Pallets\"",
                "\"Pallets Team\"",
            ),
            case(
                "tool.mypy.overrides[0].ignore_missing_imports",
                "false",
                "true",
                "false",
            ),
            case("tool.ruff.lint.select[2]", "F401", "\"F\"", "\"F401\""),
            case("dependency-groups.dev[1]", "nox", "\"tox\"", "\"nox\""),
            case(
                "tool.setuptools.package-data.\"flask.templates\"",
                "[\"*.html\"]",
                "",
                "\n\n[tool.setuptools.package-data]\n\"flask.templates\" = [\"*.html\"]",
            ),
        ],
    );
}

#[test]
fn express_package_json() {
    check(
        "express.package.json",
        &[
            case("version", "4.17.0", "\"4.16.2\"", "\"4.17.0\""),
            case("dependencies.qs", "6.5.2", "\"6.5.1\"", "\"6.5.2\""),
            case("keywords[3]", "webapp", "\"web\"", "\"webapp\""),
            case("engines.node", ">= 4", "\">= 0.10.0\"", "\">= 4\""),
            case(
                "publishConfig.access",
                "public",
                "",
                ",\n  \"publishConfig\": {\n    \"access\": \"public\"\n  }",
            ),
            case(
                "exports.\"./package.json\"",
                "./package.json",
                "",
                ",\n  \"exports\": {\n    \"./package.json\": \"./package.json\"\n  }",
            ),
        ],
    );
}

const TSCONFIG: &[Case] = &[
    case(
        "compilerOptions.target",
        "es2022",
        "\"es2016\"",
        "\"es2022\"",
    ),
    case(
        "compilerOptions.lib[1]",
        "WebWorker",
        "\"DOM\"",
        "\"WebWorker\"",
    ),
    case(
        "compilerOptions.paths.\"@/*\"[0]",
        "./app/*",
        "\"./src/*\"",
        "\"./app/*\"",
    ),
    case("include[1]", "test", "\"tests\"", "\"test\""),
    case("exclude[0]", "dist", "\"node_modules\"", "\"dist\""),
    case(
        "compilerOptions.noEmit",
        "true",
        "",
        "\n    \"noEmit\": true,",
    ),
];

#[test]
fn tsconfig_json_with_comments_and_trailing_commas() {
    check("tsconfig.json", TSCONFIG);
}

#[test]
fn tsconfig_json_with_crlf() {
    check_crlf("tsconfig.json", TSCONFIG);
}

const USER_SETTINGS: &[Case] = &[
    case("\"editor.tabSize\"", "4", "2", "4"),
    case("\"editor.rulers\"[1]", "120", "100", "120"),
    case(
        "\"files.exclude\".\"**/node_modules\"",
        "false",
        "true",
        "false",
    ),
    case(
        "\"[rust]\".\"editor.formatOnSave\"",
        "false",
        "true",
        "false",
    ),
    case(
        "\"terminal.integrated.fontFamily\"",
        "Fira Code",
        "\"monospace\"",
        "\"Fira Code\"",
    ),
    case(
        "\"[python]\".\"editor.tabSize\"",
        "4",
        "",
        ",\n  \"[python]\": {\n    \"editor.tabSize\": 4\n  }",
    ),
];

#[test]
fn editor_settings_json_with_comments() {
    check("user.settings.json", USER_SETTINGS);
}

#[test]
fn editor_settings_json_with_crlf() {
    check_crlf("user.settings.json", USER_SETTINGS);
}

#[test]
fn vscode_workspace_settings_json_with_tabs() {
    check(
        "vscode.settings.json",
        &[
            case("\"editor.insertSpaces\"", "true", "false", "true"),
            case("\"files.exclude\".\".git\"", "false", "true", "false"),
            case(
                "\"lcov.watch\"[0].windows.command",
                "scripts/test.cmd",
                r#""${workspaceFolder}\\scripts\\test.bat --coverage --run ${file}""#,
                "\"scripts/test.cmd\"",
            ),
            case(
                "\"json.schemas\"[1].fileMatch[0]",
                "cglicenses.jsonc",
                "\"cglicenses.json\"",
                "\"cglicenses.jsonc\"",
            ),
            case(
                "\"[markdown]\".\"editor.wordWrap\"",
                "on",
                "",
                ",\n\t\"[markdown]\": {\n\t\t\"editor.wordWrap\": \"on\"\n\t}",
            ),
        ],
    );
}
