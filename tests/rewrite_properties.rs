//! Properties of `git rtk-rewrite` over generated command lines: the same input always gives the
//! same output; a rewritten command is left alone when rewritten again; the only change is `rtk-`
//! inserted before subcommand words; output read by a program is never rewritten. The direct form
//! (`git-rtk-status`, the hooks' fast form) makes the same decisions, and differs from the
//! dispatched form only at invocations with no global option whose plugin is found.

mod support;

use git_rtk::rewrite::{self, policy::Policy, Direct, Form};
use proptest::prelude::*;

fn policy() -> Policy {
    support::policy::every_command_opted_in(&["commit", "add"])
}

/// One of `texts`, each as likely.
fn one_of(texts: &[&'static str]) -> impl Strategy<Value = String> + Clone {
    prop::sample::select(texts.to_vec()).prop_map(str::to_owned)
}

fn word() -> impl Strategy<Value = String> {
    let fixed = [
        "--",
        "-n",
        "5",
        "--stat",
        "--porcelain",
        "$VAR",
        "*.txt",
        "-m",
    ];
    prop_oneof![
        1 => "[a-z0-9._/-]{1,8}",
        1 => "[a-z ]{0,6}".prop_map(|s| format!("'{s}'")),
        1 => "[a-z $]{0,6}".prop_map(|s| format!("\"{s}\"")),
        // Each as likely as each generated form.
        fixed.len() as u32 => one_of(&fixed),
    ]
}

fn git_command() -> impl Strategy<Value = String> {
    let subcommand = one_of(&[
        "status",
        "log",
        "diff",
        "show",
        "branch",
        "commit",
        "add",
        "push",
        "stash",
        "rev-parse",
        "rtk-status",
        "st",
    ]);
    let global = one_of(&[
        "",
        "-C sub ",
        "-c core.quotePath=false ",
        "--no-pager ",
        "--git-dir=.git ",
    ]);
    let env = one_of(&[
        "",
        "FOO=1 ",
        "GIT_PAGER=cat ",
        "PATH=/opt/bin ",
        "GIT_TRACE=1 ",
    ]);
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
    let separator = one_of(&[" && ", " || ", "; ", " | ", "\n"]);
    (
        segment(),
        prop::collection::vec((separator, segment()), 0..4),
    )
        .prop_map(|(first, rest)| {
            let mut line = first;
            for (sep, seg) in rest {
                line.push_str(&sep);
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

/// The plugins found on PATH, for the direct form: any subset of the generated subcommands.
fn plugins_found() -> impl Strategy<Value = Vec<String>> {
    let all = vec![
        "status", "log", "diff", "show", "branch", "commit", "add", "stash",
    ];
    prop::sample::subsequence(all.clone(), 0..=all.len())
        .prop_map(|found| found.into_iter().map(str::to_owned).collect())
}

/// The direct form against the dispatched one. `one_blank`: every `git` in `line` is followed by
/// a single space, so the two forms differ by exactly `git rtk-` → `git-rtk-`.
fn check_direct(line: &str, found: &[String], one_blank: bool) -> Result<(), TestCaseError> {
    let policy = policy();
    let direct = Direct::Only(found.to_vec());
    let forms = rewrite::rewrite_forms(line, &policy, &direct);
    prop_assert_eq!(&forms.dispatched, &rewrite::rewrite(line, &policy));
    prop_assert_eq!(
        &forms.direct,
        &rewrite::rewrite_with(line, &policy, &direct)
    );
    prop_assert_eq!(
        forms.direct.decisions.len(),
        forms.dispatched.decisions.len()
    );
    let mut direct_edits = 0;
    for (d, s) in forms
        .direct
        .decisions
        .iter()
        .zip(&forms.dispatched.decisions)
    {
        prop_assert_eq!(
            (&d.class, &d.subcommand, &d.action, &d.segment),
            (&s.class, &s.subcommand, &s.action, &s.segment),
            "one set of decisions"
        );
        prop_assert_eq!(d.form.is_some(), d.action == rewrite::Action::Rewrite);
        if d.form != Some(Form::Direct) {
            continue;
        }
        direct_edits += 1;
        let subcommand = d.subcommand.clone().unwrap_or_default();
        prop_assert!(found.contains(&subcommand), "{} is not on PATH", subcommand);
        // As typed: `git` and then the subcommand, no global option; no assignment git reads.
        let parsed = rewrite::shell::parse(&d.segment).expect("a rewritten segment parses");
        let words: Vec<Option<&str>> = parsed[0]
            .words
            .iter()
            .map(|w| w.literal.as_deref())
            .collect();
        prop_assert_eq!(
            &words[..2],
            &[Some("git"), Some(subcommand.as_str())],
            "{}",
            d.segment
        );
        for assignment in &parsed[0].assignments {
            let name = d.segment[assignment.start..assignment.end]
                .split('=')
                .next()
                .unwrap_or("");
            prop_assert!(
                !matches!(name, "PATH" | "GIT_EXEC_PATH") && !name.starts_with("GIT_TRACE"),
                "{}",
                d.segment
            );
        }
    }
    let Some(rewritten) = &forms.direct.command else {
        prop_assert_eq!(&forms.dispatched.command, &None);
        return Ok(());
    };
    let again = rewrite::rewrite_with(rewritten, &policy, &Direct::Always);
    prop_assert_eq!(again.command, None, "idempotent: {:?}", rewritten);
    let count = |text: &str| text.matches("git-rtk-").count();
    prop_assert_eq!(count(rewritten), count(line) + direct_edits);
    if one_blank {
        let dispatched = forms.dispatched.command.as_deref().expect("rewritten");
        prop_assert_eq!(
            rewritten.replace("git-rtk-", "git rtk-"),
            dispatched.replace("git-rtk-", "git rtk-")
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
    fn the_direct_form_only_where_git_would_run_the_same(
        line in command_line(),
        found in plugins_found(),
    ) {
        check_direct(&line, &found, true)?;
    }

    #[test]
    fn the_direct_form_of_arbitrary_text(line in "\\PC{0,80}", found in plugins_found()) {
        check_direct(&line, &found, false)?;
    }

    #[test]
    fn output_a_program_reads_is_never_rewritten(cmd in git_command(), tail in reader()) {
        let line = format!("{cmd}{tail}");
        prop_assert_eq!(rewrite::rewrite(&line, &policy()).command, None, "{}", line);
    }

    #[test]
    fn output_only_displayed_is_rewritten_as_the_command_alone(
        cmd in git_command(),
        tail in display_only(),
    ) {
        let policy = policy();
        let alone = rewrite::rewrite(&cmd, &policy).command;
        let piped = rewrite::rewrite(&format!("{cmd}{tail}"), &policy).command;
        prop_assert_eq!(piped, alone.map(|c| format!("{c}{tail}")), "{}{}", cmd, tail);
    }

    #[test]
    fn revision_expressions_are_literal_words(
        sub in prop_oneof![Just("log"), Just("show"), Just("diff")],
        revision in revision(),
        path in prop_oneof![Just(""), Just(" -- src")],
    ) {
        let line = format!("git {sub} {revision}{path}");
        prop_assert_eq!(
            rewrite::rewrite(&line, &policy()).command,
            Some(format!("git rtk-{sub} {revision}{path}")),
            "{}", line
        );
    }

    #[test]
    fn tilde_at_a_word_start_is_the_shells_to_expand(sub in prop_oneof![Just("log"), Just("diff")], rest in "[a-z/]{0,6}") {
        // `~user/x` and `~/x` name home directories: the value is not known, so not rewritten
        // (git could then see an option-like word the rewriter cannot check).
        let line = format!("git {sub} ~{rest}");
        prop_assert_eq!(rewrite::rewrite(&line, &policy()).command, None, "{}", line);
    }
}

/// A program after the pipe that may parse the output, or a redirection of it.
fn reader() -> impl Strategy<Value = String> {
    one_of(&[
        " > f",
        " >> f",
        " | grep x",
        " | wc -l",
        " | cat -A",
        " | xargs echo",
        " | head -20 > f",
        " | head file.txt",
        " | tail -5 | sort",
        " | (head)",
        " | $PAGER",
        " | FOO=1 head",
    ])
}

/// Programs after the pipe that only show the text.
fn display_only() -> impl Strategy<Value = String> {
    one_of(&[
        " | head -20",
        " | head -n 5",
        " | tail -50",
        " | tail -n +3 | head -2",
        " | less -R",
        " | more",
        " | cat",
        " 2>&1 | head -c 100",
    ])
}

/// Revision expressions as agents type them: ancestry, ranges, reflog and upstream forms.
fn revision() -> impl Strategy<Value = String> {
    let base = one_of(&["HEAD", "main", "origin/main", "@", "v1.2", "a1b2c3d"]);
    let suffix = prop_oneof![
        Just("".to_owned()),
        (1u8..20).prop_map(|n| format!("~{n}")),
        Just("~".to_owned()),
        Just("^".to_owned()),
        (1u8..3).prop_map(|n| format!("^{n}")),
        Just("@{u}".to_owned()),
        Just("@{upstream}~1".to_owned()),
        (0u8..5).prop_map(|n| format!("@{{{n}}}")),
        Just("^{commit}".to_owned()),
    ];
    let single = (base, suffix).prop_map(|(b, s)| format!("{b}{s}"));
    prop_oneof![
        3 => single.clone(),
        1 => (single.clone(), single.clone()).prop_map(|(a, b)| format!("{a}..{b}")),
        1 => (single.clone(), single).prop_map(|(a, b)| format!("{a}...{b}")),
    ]
}
