//! Properties of `git rtk-rewrite` over generated command lines: the same input always gives the
//! same output; a rewritten command is left alone when rewritten again; the only change is `rtk-`
//! inserted before subcommand words; output read by a program is never rewritten.

use git_rtk::certificate::Certificate;
use git_rtk::rewrite::{self, policy::OptIn, policy::Policy};
use proptest::prelude::*;

fn policy() -> Policy {
    Policy {
        opt_in: OptIn::All,
        certificate: Certificate::parse(
            "[commit.\"git version 2.47.3\"]\ncases = 1\npasses = 1\n\
             [add.\"git version 2.47.3\"]\ncases = 1\npasses = 1\n",
        )
        .expect("certificate parses"),
    }
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9._/-]{1,8}",
        "[a-z ]{0,6}".prop_map(|s| format!("'{s}'")),
        "[a-z $]{0,6}".prop_map(|s| format!("\"{s}\"")),
        Just("--".to_owned()),
        Just("-n".to_owned()),
        Just("5".to_owned()),
        Just("--stat".to_owned()),
        Just("--porcelain".to_owned()),
        Just("$VAR".to_owned()),
        Just("*.txt".to_owned()),
        Just("-m".to_owned()),
    ]
}

fn git_command() -> impl Strategy<Value = String> {
    let subcommand = prop_oneof![
        Just("status"),
        Just("log"),
        Just("diff"),
        Just("show"),
        Just("branch"),
        Just("commit"),
        Just("add"),
        Just("push"),
        Just("stash"),
        Just("rev-parse"),
        Just("rtk-status"),
        Just("st"),
    ];
    let global = prop_oneof![
        Just(""),
        Just("-C sub "),
        Just("-c core.quotePath=false "),
        Just("--no-pager "),
        Just("--git-dir=.git "),
    ];
    let env = prop_oneof![Just(""), Just("FOO=1 "), Just("GIT_PAGER=cat ")];
    (env, global, subcommand, prop::collection::vec(word(), 0..4))
        .prop_map(|(env, global, sub, args)| format!("{env}git {global}{sub} {}", args.join(" ")))
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => git_command(),
        1 => Just("ls -la".to_owned()),
        1 => Just("cd sub".to_owned()),
        1 => Just("echo 'git status'".to_owned()),
        1 => git_command().prop_map(|c| format!("({c})")),
        1 => git_command().prop_map(|c| format!("echo $({c})")),
        1 => git_command().prop_map(|c| format!("{c} > out.txt")),
        1 => git_command().prop_map(|c| format!("{c} 2>&1")),
        1 => git_command().prop_map(|c| format!("{c} <<'EOF'\ngit status\nEOF\n")),
    ]
}

fn command_line() -> impl Strategy<Value = String> {
    let separator = prop_oneof![
        Just(" && "),
        Just(" || "),
        Just("; "),
        Just(" | "),
        Just("\n")
    ];
    (
        segment(),
        prop::collection::vec((separator, segment()), 0..4),
    )
        .prop_map(|(first, rest)| {
            let mut line = first;
            for (sep, seg) in rest {
                line.push_str(sep);
                line.push_str(&seg);
            }
            line
        })
}

fn check(line: &str) -> Result<(), TestCaseError> {
    let policy = policy();
    let once = rewrite::rewrite(line, &policy);
    prop_assert_eq!(&once, &rewrite::rewrite(line, &policy), "deterministic");
    if let Some(rewritten) = &once.command {
        let again = rewrite::rewrite(rewritten, &policy);
        prop_assert_eq!(again.command, None, "idempotent: {:?}", rewritten);
        let inserts = once
            .decisions
            .iter()
            .filter(|d| d.action == rewrite::Action::Rewrite)
            .count();
        prop_assert!(inserts > 0);
        prop_assert_eq!(rewritten.len(), line.len() + 4 * inserts);
        prop_assert_eq!(
            rewritten.replace("rtk-", ""),
            line.replace("rtk-", ""),
            "only `rtk-` inserted"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn generated_command_lines(line in command_line()) {
        check(&line)?;
    }

    #[test]
    fn arbitrary_text_never_panics_and_keeps_the_properties(line in "\\PC{0,80}") {
        check(&line)?;
    }

    #[test]
    fn piped_and_redirected_output_is_never_rewritten(cmd in git_command(), tail in prop_oneof![Just(" | cat"), Just(" > f"), Just(" >> f")]) {
        let line = format!("{cmd}{tail}");
        prop_assert_eq!(rewrite::rewrite(&line, &policy()).command, None, "{}", line);
    }
}
