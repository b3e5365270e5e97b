#!/usr/bin/env node
// Regenerates src/hook/claude/read_only_git.<version>.toml, Claude Code's built-in list of
// read-only git commands, from a published Claude Code build. The hook embeds those files.
//
// Usage:  node scripts/extract-claude-read-only.mjs <package/cli.js | claude binary> > <file.toml>
//   2.1.112 (last npm release with cli.js):
//     npm pack @anthropic-ai/claude-code@2.1.112 && tar xzf anthropic-ai-claude-code-2.1.112.tgz
//     node scripts/extract-claude-read-only.mjs package/cli.js > src/hook/claude/read_only_git.2.1.112.toml
//   2.1.113 and later (JS embedded in the native binary):
//     npm pack @anthropic-ai/claude-code-linux-x64@<version> && tar xzf <tgz>
//     node scripts/extract-claude-read-only.mjs package/claude > src/hook/claude/read_only_git.<version>.toml
// A new extra check (`dangerous_callback`) is judged "unknown" by the hook until
// src/hook/claude/read_only.rs implements it (by its source hash).
//
// Works on the npm package's minified cli.js (<= 2.1.112) and on the native
// Bun-compiled binary shipped from 2.1.113 on (@anthropic-ai/claude-code-<platform>/claude),
// which embeds the same JS as plain text.
//
// How it works (no reliance on minified identifier names):
//  1. find the object literal that contains `"git diff":{safeFlags:` (the map of
//     read-only git subcommands used by the Bash read-only validator);
//  2. find the definitions of every `...ident` spread used inside it (they are
//     plain flag maps defined just before it in the same lazy-init block);
//  3. evaluate those literals in an isolated `vm` context (unknown identifiers
//     resolve to inert stubs; the callbacks are never invoked, only stringified);
//  4. also pick up, best-effort, the PowerShell-tool git global-option sets and a
//     few validator "feature" snippets so that behavioural changes get noticed;
//  5. print TOML.
import fs from "node:fs";
import vm from "node:vm";
import crypto from "node:crypto";

const file = process.argv[2];
if (!file) { console.error("usage: node extract.mjs <cli.js | claude binary>"); process.exit(2); }
const buf = fs.readFileSync(file);
const MARK = Buffer.from('"git diff":{safeFlags:');
const at = buf.indexOf(MARK);
if (at < 0) { console.error("marker \"git diff\":{safeFlags: not found"); process.exit(1); }
if (buf.indexOf(MARK, at + 1) >= 0) console.error("warning: marker found more than once; using the first");
const version = (() => {
  const m = buf.subarray(0, 4096).toString("latin1").match(/\/\/ Version: ([0-9][^\s]*)/);
  if (m) return m[1];
  const pj = file.replace(/[^/]*$/, "package.json");
  try { return JSON.parse(fs.readFileSync(pj, "utf8")).version; } catch { return "unknown"; }
})();

// Work on a window around the marker (the native binary is ~400 MB).
const WIN_BEFORE = 200_000, WIN_AFTER = 400_000;
const base = Math.max(0, at - WIN_BEFORE);
const src = buf.subarray(base, Math.min(buf.length, at + WIN_AFTER)).toString("utf8");
const mark = buf.subarray(base, at).toString("utf8").length; // char offset of the marker inside src
if (!src.startsWith('"git diff":{safeFlags:', mark)) { console.error("could not align marker in decoded window"); process.exit(1); }

// ---------- a tiny JS scanner: match brackets, skipping strings/templates/regex/comments ----------
function isRegexStart(s, i) {
  // decide if '/' at i starts a regex literal, from the previous significant token
  let j = i - 1;
  while (j >= 0 && /\s/.test(s[j])) j--;
  if (j < 0) return true;
  const c = s[j];
  if ("(,=:[!&|?{};+-*%<>~^".includes(c)) return true;
  const w = s.slice(Math.max(0, j - 10), j + 1).match(/[A-Za-z_$][\w$]*$/);
  return !!(w && ["return", "typeof", "case", "do", "else", "in", "of", "void", "yield", "await"].includes(w[0]));
}
// returns index just past the bracket matching the opener at `i`
function matchBracket(s, i) {
  const open = s[i], close = { "{": "}", "(": ")", "[": "]" }[open];
  const stack = [close];
  let k = i + 1;
  const tplStack = []; // brace depth at which a template `${` was opened
  while (k < s.length) {
    const c = s[k];
    if (c === '"' || c === "'") { k++; while (s[k] !== c) { if (s[k] === "\\") k++; k++; } k++; continue; }
    if (c === "`") { k = skipTemplate(s, k + 1); continue; }
    if (c === "/" && s[k + 1] === "/") { while (s[k] !== "\n") k++; continue; }
    if (c === "/" && s[k + 1] === "*") { k = s.indexOf("*/", k + 2) + 2; continue; }
    if (c === "/" && isRegexStart(s, k)) {
      k++; let cls = false;
      while (true) { const d = s[k]; if (d === "\\") { k += 2; continue; } if (d === "[") cls = true; else if (d === "]") cls = false; else if (d === "/" && !cls) break; k++; }
      k++; while (/[a-z]/i.test(s[k])) k++; continue;
    }
    if (c === "{" || c === "(" || c === "[") { stack.push({ "{": "}", "(": ")", "[": "]" }[c]); k++; continue; }
    if (c === "}" || c === ")" || c === "]") {
      const want = stack.pop();
      if (want !== c) throw new Error(`bracket mismatch at ${k}: got ${c}, want ${want}`);
      k++;
      if (stack.length === 0) return k;
      continue;
    }
    k++;
  }
  throw new Error("unterminated bracket");
  function skipTemplate(s, k) {
    while (true) {
      const d = s[k];
      if (d === "\\") { k += 2; continue; }
      if (d === "`") return k + 1;
      if (d === "$" && s[k + 1] === "{") { k = matchBracket(s, k + 1); continue; }
      k++;
    }
  }
}

// ---------- 1. the git map literal ----------
const mapOpen = src.lastIndexOf("{", mark);
const mapEnd = matchBracket(src, mapOpen);
const mapText = src.slice(mapOpen, mapEnd);
const mapName = (src.slice(Math.max(0, mapOpen - 40), mapOpen).match(/([A-Za-z_$][\w$]*)=$/) || [])[1] || "?";

// ---------- 2. spread definitions ----------
const spreads = [...new Set([...mapText.matchAll(/\.\.\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1]))];
const defs = {};
for (const id of spreads) {
  const re = new RegExp(`(?<![\\w$.])${id.replace(/\$/g, "\\$")}=\\{`, "g");
  let m, best = -1;
  while ((m = re.exec(src)) && m.index < mapOpen) best = m.index;
  if (best < 0) throw new Error(`definition of spread ${id} not found`);
  const o = best + id.length + 1;
  defs[id] = src.slice(o, matchBracket(src, o));
}

// ---------- 3. evaluate in an isolated context ----------
const stubs = new Proxy({}, { has: (t, k) => typeof k === "string" && !(k in globalThis), get: (t, k) => (k === Symbol.unscopables ? undefined : function stub() {}) });
const ctx = vm.createContext({ __stubs: stubs });
const code = `(function(){ with(__stubs){ ${spreads.map((id) => `const ${id}=${defs[id]};`).join("\n")} return ${mapText}; } })()`;
const gitMap = vm.runInContext(code, ctx, { timeout: 2000 });

// ---------- 4. best-effort extras ----------
const extras = {};
// PowerShell-tool git validator (git global options). Located via the template `git ${a} ${b}` lookup into the map.
{
  const whole = buf.toString("latin1", Math.max(0, at - 50_000_000), Math.min(buf.length, at + 50_000_000));
  // the PowerShell validator indexes the map with a template key: `<map>[<var>]` right after `git ${a} ${b}`
  let fnText = null;
  const esc = mapName.replace(/\$/g, "\\$");
  const useRe = new RegExp(`=${esc}\\[[\\w$]+\\]`, "g");
  for (let m; (m = useRe.exec(whole)); ) {
    const fs0 = whole.lastIndexOf("function ", m.index);
    const t = whole.slice(fs0, m.index + 200);
    if (t.includes("`git ${")) { fnText = t; break; }
  }
  if (fnText) {
    const get = (re) => (fnText.match(re) || [])[1];
    const forbidId = get(/if\(([\w$]+)\.has\([\w$]+\)\)return!1;/);
    const valueId = get(/if\(![\w$]+&&([\w$]+)\.has\([\w$]+\)\)[\w$]+\+=2/);
    const prefixId = get(/for\(let [\w$]+ of ([\w$]+)\)if\([\w$]+\.length>[\w$]+\.length&&[\w$]+\.startsWith/);
    const lit = (id) => {
      if (!id) return undefined;
      const e = id.replace(/\$/g, "\\$");
      const m = whole.match(new RegExp(`(?<![\\w$.])${e}=new Set\\((\\[[^\\]]*\\])\\)`)) || whole.match(new RegExp(`(?<![\\w$.])${e}=(\\[[^\\]]*\\])`));
      return m ? JSON.parse(m[1]) : undefined;
    };
    const ps = { forbidden: lit(forbidId), takes_value: lit(valueId), attached_prefix_forbidden: lit(prefixId) };
    // sanity: these are git global options; anything else means the heuristic latched onto the wrong code
    if (Object.values(ps).every((a) => Array.isArray(a) && a.includes("-c"))) extras.ps = ps;
    else console.error("warning: PowerShell git-global-option sets not recognised; section omitted");
  } else console.error("warning: PowerShell git validator not found; section omitted");
  // validator feature probes (strings that encode special rules in the flag validator / Bash read-only path)
  const probes = {
    git_numeric_shorthand_flag_allowed: /commandName==="git"&&[\w$]+\.match\(\/\^-\\d\+\$\/\)/,
    git_sort_value_may_start_with_dash: /"--sort"&&[\w$]+\?\.commandName==="git"/,
    combined_short_flags_must_all_be_none: /for\(let [\w$]+=1;[\w$]+<[\w$]+\.length;[\w$]+\+\+\)\{let [\w$]+="-"\+[\w$]+\[[\w$]+\],[\w$]+=[\w$]+\.safeFlags\[[\w$]+\];if\(![\w$]+\)return!1;if\([\w$]+!=="none"\)return!1\}/,
    double_dash_ends_flag_checking: /if\([\w$]+==="--"\)\{if\([\w$]+\.respectsDoubleDash!==!1\)\{[\w$]+\+\+;break\}/,
    flag_value_kinds: /case"none":return!1;case"number":return\/\^\\d\+\$\/\.test\([\w$]+\);case"string":return!0;case"char":return [\w$]+\.length===1;case"\{\}":return [\w$]+==="\{\}";case"EOF":return [\w$]+==="EOF"/,
    ls_remote_url_guard: /[\w$]+\[0\]==="git"&&[\w$]+\[1\]==="ls-remote"/,
    args_with_dollar_rejected: /if\([\w$]+\.includes\("\$"\)\)return!1;if\([\w$]+\.includes\("\{"\)&&\([\w$]+\.includes\(","\)\|\|[\w$]+\.includes\("\.\."\)\)\)return!1/,
    cd_plus_git_compound_not_readonly: /Compound commands with cd and git require permission checks for enhanced security/,
    bare_repo_cwd_not_readonly: /Git commands in directories with bare repository structure require permission checks/,
  };
  extras.probes = {};
  for (const [k, re] of Object.entries(probes)) extras.probes[k] = re.test(whole);
}

// ---------- 5. TOML ----------
const KNOWN_CALLBACK_SUMMARIES = {
  "git reflog": "dangerous iff the FIRST non-flag argument is one of expire|delete|exists (so `git reflog`, `git reflog show X`, `git reflog HEAD` are fine)",
  "git remote show": "dangerous unless, after removing every `-n`, exactly one argument remains and it matches /^[a-zA-Z0-9_-]+$/ (a remote name)",
  "git remote": "dangerous if any argument other than -v/--verbose is present (so only `git remote`, `git remote -v`)",
  "git tag": "listing only: a positional argument is dangerous unless list mode (-l/--list or a combined short flag containing l, e.g. -nl) was seen before it; values of --contains/--no-contains/--merged/--no-merged/--points-at/--sort/--format/-n (space-separated) are skipped; `--` switches to positional mode",
  "git branch": "listing only: a positional argument is dangerous unless list mode (-l/--list or combined short flag containing l) was seen, or the most recent preceding flag is --merged/--no-merged (their optional commit argument); values of --contains/--no-contains/--points-at/--sort (space-separated) are skipped; `--` resets and switches to positional mode",
};
// sha256 (first 16 hex) of the callback source the summaries above were written for (2.1.112)
// Hash is over a normalised source: outside string literals, every identifier of <= 3 chars that is not a
// keyword is renamed v0,v1,... in order of appearance, so a mere re-minification does not trigger REVIEW.
const KNOWN_CALLBACK_HASHES = {
  "git reflog": "0d1428354a9b9ac4", "git remote show": "2987407e0824b50e", "git remote": "0f9d234c8c95ae37", "git tag": "16e22d9ddcfdd345", "git branch": "3b56cf38d997a787",
};
const KEYWORDS = new Set(["let", "new", "for", "of", "if", "in", "do", "var", "Set", "try"]);
function normalise(src) {
  const parts = src.split(/("(?:[^"\\]|\\.)*")/);
  const names = new Map();
  return parts.map((p, i) => (i % 2 ? p : p.replace(/(?<![\w$.])[A-Za-z_$][\w$]{0,2}(?![\w$])/g, (w) => {
    if (KEYWORDS.has(w)) return w;
    if (!names.has(w)) names.set(w, "v" + names.size);
    return names.get(w);
  }))).join("");
}
const q = (s) => JSON.stringify(s);
const out = [];
out.push(`# Read-only git commands auto-approved by Claude Code's Bash tool.`);
out.push(`# extracted from @anthropic-ai/claude-code@${version} (${file.replace(/^.*\/(package\/)/, "$1")}) by extract.mjs — do not edit by hand.`);
out.push(`# source object: \`${mapName}={"git diff":{safeFlags:...},...}\` (spreads resolved: ${spreads.join(", ")})`);
out.push(`#`);
out.push(`# SCHEMA`);
out.push(`#   [git."<words>"]           one entry per key of the source map, e.g. [git."stash list"]; key = "git <words>".`);
out.push(`#     argv_prefix             the argv must START with exactly these tokens (Bash path: literal token match,`);
out.push(`#                             so nothing may sit between "git" and the subcommand: \`git -C x status\` never matches).`);
out.push(`#     respects_double_dash    (absent = true) a bare "--" ends flag checking; every later token is accepted.`);
out.push(`#     dangerous_callback      JS source of additionalCommandIsDangerousCallback(rawCommand, argsAfterPrefix);`);
out.push(`#                             returning true makes the command NOT read-only. Evaluated BEFORE flag checking.`);
out.push(`#     dangerous_callback_summary  human summary (from a table in extract.mjs keyed by exact source; "REVIEW" if the source changed).`);
out.push(`#   [git."<words>".flags]     "<flag>" = "<kind>". kind is one of`);
out.push(`#       none    boolean flag; must NOT carry "=value"`);
out.push(`#       number  value must match /^\\d+$/   ("--flag=12" or "--flag 12"; never attached "-n12")`);
out.push(`#       string  any value, but it must not start with "-" (either form; except git --sort, see below)`);
out.push(`#       char    value of length 1;  "{}" value must be "{}";  EOF value must be "EOF"  (xargs only)`);
out.push(`#`);
out.push(`# FLAG VALIDATION ALGORITHM (validator function, called with the argv AFTER argv_prefix; see REPORT.md §2):`);
out.push(`#   for each token t:  empty -> skip;  t == "--" -> stop checking (accept rest);`);
out.push(`#   t matches /^-[a-zA-Z0-9_-]/ -> it is a flag: name = part before first "=", value = part after;`);
out.push(`#     name in flags:  none  -> reject if "=" present;`);
out.push(`#                     other -> value = "=..." part, else the NEXT token (reject if missing or if it itself`);
out.push(`#                              matches /^-[a-zA-Z0-9_-]/); string value starting with "-" rejected unless name is`);
out.push(`#                              "--sort" (git) and value matches /^-[a-zA-Z]/; then kind check (number = /^\\d+$/).`);
out.push(`#     name not in flags:  git only: /^-\\d+$/ (e.g. -5) accepted;`);
out.push(`#                     single-dash with length > 2 (e.g. -sb) -> EVERY letter must be a flag of kind "none";`);
out.push(`#                     otherwise reject (so "-n5", "--stat=3", unknown long flags are rejected).`);
out.push(`#   anything else (positional, incl. "-" alone) -> accepted.  No prefix/abbreviation matching of long flags.`);
out.push(`#   Before this, the whole Bash read-only path also requires: no "$" in any argument, no brace expansion`);
out.push(`#   "{a,b}"/"{1..3}", no backtick, no output redirection except to /dev/null or >&N, only "safe" env-var`);
out.push(`#   assignments, no "cd" in the same compound command, cwd not looking like a bare repo.`);
out.push(``);
out.push(`[meta]`);
out.push(`claude_code_version = ${q(version)}`);
out.push(`source_object = ${q(mapName)}`);
out.push(`subcommand_count = ${Object.keys(gitMap).length}`);
out.push(``);
out.push(`[meta.validator_features]  # true = code snippet implementing this rule was found (probe regexes in extract.mjs)`);
for (const [k, v] of Object.entries(extras.probes)) out.push(`${k} = ${v}`);
if (extras.ps) {
  out.push(``);
  out.push(`[powershell_tool_git_globals]  # PowerShell tool only (Windows); the Bash tool accepts NO global options before the subcommand`);
  out.push(`forbidden = ${q(extras.ps.forbidden ?? [])}  # any of these (or "name=value") before the subcommand => not read-only`);
  out.push(`takes_value = ${q(extras.ps.takes_value ?? [])}  # skip next token as value`);
  out.push(`attached_prefix_forbidden = ${q(extras.ps.attached_prefix_forbidden ?? [])}  # e.g. -cfoo / -Cdir`);
}
for (const [key, spec] of Object.entries(gitMap)) {
  const words = key.split(" ");
  if (words[0] !== "git") { console.error(`unexpected key ${key}`); continue; }
  const name = words.slice(1).join(" ");
  out.push(``);
  out.push(`[git.${/^[A-Za-z0-9_-]+$/.test(name) ? name : q(name)}]`);
  out.push(`argv_prefix = ${q(words)}`);
  if (spec.respectsDoubleDash === false) out.push(`respects_double_dash = false`);
  const other = Object.keys(spec).filter((k) => !["safeFlags", "additionalCommandIsDangerousCallback", "respectsDoubleDash"].includes(k));
  if (other.length) out.push(`# NOTE: unhandled spec keys: ${other.join(", ")}`);
  const cb = spec.additionalCommandIsDangerousCallback;
  if (cb) {
    const s = cb.toString();
    out.push(`dangerous_callback = '''${s}'''`);
    const h = crypto.createHash("sha256").update(normalise(s)).digest("hex").slice(0, 16);
    const known = KNOWN_CALLBACK_SUMMARIES[key] && KNOWN_CALLBACK_HASHES[key] === h;
    out.push(`dangerous_callback_sha256_16 = ${q(h)}`);
    out.push(`dangerous_callback_summary = ${q(known ? KNOWN_CALLBACK_SUMMARIES[key] : "REVIEW: callback source differs from the one summarised for 2.1.112" + (KNOWN_CALLBACK_SUMMARIES[key] ? " (old summary: " + KNOWN_CALLBACK_SUMMARIES[key] + ")" : ""))}`);
  }
  out.push(`[git.${/^[A-Za-z0-9_-]+$/.test(name) ? name : q(name)}.flags]`);
  for (const [f, kind] of Object.entries(spec.safeFlags)) out.push(`${q(f)} = ${q(kind)}`);
}
process.stdout.write(out.join("\n") + "\n");
