//! Italian, always (issue 12): every message that reaches the window or the terminal is Italian
//! and in the clerk's words. This test reads the sources those messages come from — the app's
//! error catalogue and messages (`crates/app/src`), the desktop shell's (`src-tauri/src`), the
//! window's text (`ui/src/**/*.svelte`) and its messages (`ui/src/lib/*.ts`) — and fails naming
//! every string with a common English word or a code identifier (`override_note`) in it.
//!
//! What counts as a message: in Rust, each string literal of two words or more outside tests
//! and SQL; in the window, the text between tags, the `aria-label`, `title`, `placeholder` and
//! `alt` attributes, and the string literals of two words or more in scripts. Placeholders
//! (`{name}`, `${value}`) are not text the clerk reads and are left out.

use std::path::{Path, PathBuf};

/// Common English words that are not Italian words.
const ENGLISH: &[&str] = &[
    "the",
    "and",
    "of",
    "is",
    "are",
    "was",
    "were",
    "not",
    "cannot",
    "could",
    "found",
    "failed",
    "error",
    "invalid",
    "missing",
    "unknown",
    "expected",
    "should",
    "must",
    "please",
    "with",
    "from",
    "this",
    "that",
    "which",
    "when",
    "while",
    "into",
    "only",
    "already",
    "field",
    "value",
    "key",
    "row",
    "column",
    "save",
    "saved",
    "delete",
    "deleted",
    "open",
    "close",
    "check",
    "retry",
    "try",
    "wrong",
    "done",
    "loading",
    "undefined",
    "table",
    "bundle",
    "draft",
    "application",
    "operator",
    "ranking",
    "usage",
    "options",
];

/// Words that may stay as they are, each with its reason.
const ALLOWED: &[(&str, &str)] = &[
    // Keys of the district file's `[[case_kinds]]`, which the coordinator writes by hand: a
    // message about that file names them as they must be written.
    ("case_kinds", "a key of the district file"),
    ("target_days", "a key of the district file"),
    ("working_days", "a key of the district file"),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives in the repository")
        .to_path_buf()
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read folder") {
        let path = entry.expect("folder entry").path();
        if path.is_dir() {
            if !path.ends_with("bindings") && !path.ends_with("node_modules") {
                files(&path, ext, out);
            }
        } else if path.extension().is_some_and(|e| e == ext)
            && !path.to_string_lossy().ends_with(".test.ts")
        {
            out.push(path);
        }
    }
}

/// The string literals of Rust code that may reach a user: comments, attributes (`#[…]`) and
/// the texts of panics (`expect`, `panic!`, `unreachable!`, assertions) are skipped.
fn rust_messages(code: &str) -> Vec<String> {
    const PANICS: &[&str] = &[
        "expect(",
        "panic!(",
        "unreachable!(",
        "assert!(",
        "assert_eq!(",
    ];
    rust_strings(code)
        .into_iter()
        .filter(|(line, _)| {
            let before = line.trim();
            !before.starts_with("#[") && !PANICS.iter().any(|p| before.ends_with(p))
        })
        .map(|(_, text)| text)
        .filter(|text| text.contains(' ') && !text.contains("::"))
        .collect()
}

/// The string literals of Rust code, each with what precedes it on its line; comments skipped.
fn rust_strings(code: &str) -> Vec<(String, String)> {
    let chars: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if let Some(after) = after_comment(&chars, i) {
            i = after;
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            let mut hashes = 0;
            let mut j = i + 1;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                i += 1;
                continue;
            }
            let close: String = std::iter::once('"')
                .chain((0..hashes).map(|_| '#'))
                .collect();
            let rest: String = chars[j + 1..].iter().collect();
            let end = rest.find(&close).unwrap_or(rest.len());
            found.push((line_before(&chars, i), rest[..end].to_string()));
            i = j + 1 + rest[..end].chars().count() + close.chars().count();
        } else if c == '#' && next == Some('[') {
            // An attribute: its strings are for the compiler.
            i = closing(&chars, i + 2, '[', ']') + 1;
        } else if c == 'b' && next == Some('"') {
            // A byte string: bytes for a program (labels, magic numbers), not a message.
            i += 2;
            while i < chars.len() && chars[i] != '"' {
                i += usize::from(chars[i] == '\\') + 1;
            }
            i += 1;
        } else if c == '"' {
            let before = line_before(&chars, i);
            let mut text = String::new();
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                    // A line continuation: the next line's indentation is not text.
                    if chars.get(i) == Some(&'\n') {
                        while chars.get(i + 1).is_some_and(|c| c.is_whitespace()) {
                            i += 1;
                        }
                    } else if let Some(&e) = chars.get(i) {
                        text.push(if e == 'n' { ' ' } else { e });
                    }
                } else {
                    text.push(chars[i]);
                }
                i += 1;
            }
            found.push((before, text));
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\n'), or a lifetime ('a): only the literal is skipped.
            if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    found
}

/// Where the comment starting at `i` ends (`//` to the end of the line, `/* … */`), if one does.
fn after_comment(chars: &[char], i: usize) -> Option<usize> {
    match (chars.get(i), chars.get(i + 1)) {
        (Some('/'), Some('/')) => Some(
            chars[i..]
                .iter()
                .position(|c| *c == '\n')
                .map_or(chars.len(), |p| i + p),
        ),
        (Some('/'), Some('*')) => Some(
            (i + 2..chars.len().saturating_sub(1))
                .find(|&j| chars[j] == '*' && chars[j + 1] == '/')
                .map_or(chars.len(), |j| j + 2),
        ),
        _ => None,
    }
}

/// Where the `close` matching the `open` just before `start` is (nested pairs and the strings
/// in between skipped).
fn closing(chars: &[char], start: usize, open: char, close: char) -> usize {
    let (mut depth, mut i) = (1, start);
    while i < chars.len() {
        match chars[i] {
            c if c == open => depth += 1,
            c if c == close => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            '"' => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    i += usize::from(chars[i] == '\\') + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    chars.len()
}

/// The text of the line before position `i`.
fn line_before(chars: &[char], i: usize) -> String {
    let start = chars[..i]
        .iter()
        .rposition(|c| *c == '\n')
        .map_or(0, |p| p + 1);
    chars[start..i].iter().collect()
}

/// The code before its tests (`#[cfg(test)]` opens the test module, at the end of a file).
fn without_tests(code: &str) -> &str {
    code.split("#[cfg(test)]").next().unwrap_or(code)
}

fn is_sql(text: &str) -> bool {
    let t = text.trim_start();
    let keyword = ["JOIN", "AND", "AS", "ON", "OR", "NULL"]
        .iter()
        .any(|k| t.split(|c: char| !c.is_ascii_alphabetic()).any(|w| w == *k));
    keyword
        || [
            "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "WITH", "PRAGMA", "ATTACH", "DETACH",
            "BEGIN", "DROP", "ALTER", "VACUUM",
        ]
        .iter()
        .any(|k| t.starts_with(k))
        || t.contains(" FROM ")
        || t.contains(" WHERE ")
}

/// The text with its placeholders (`{x}`, `${x}`) left out.
fn without_placeholders(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.replace('$', "")
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '\''))
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
}

/// A library's English messages, matched in order to be said in Italian: never shown.
const MATCHED: &[&str] = &[
    "missing field",
    "unknown field",
    "unknown variant",
    "duplicate key",
    "duplicate field",
    "invalid type: ",
    "invalid value: ",
    "invalid length",
    "NOT NULL constraint failed",
    "CHECK constraint failed",
    "UNIQUE constraint failed",
    "FOREIGN KEY constraint failed",
];

/// The text as the clerk reads it, less what they type as written: commands in backticks,
/// `sportello …` up to its end, `--options`.
fn as_read(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 0 {
            out.push_str(part);
        }
    }
    while let Some(start) = out.find("sportello ") {
        let end = out[start..]
            .find([';', ')', ':'])
            .map_or(out.len(), |e| start + e);
        out.replace_range(start..end, "");
    }
    out.split(' ')
        .filter(|w| !w.trim_start_matches(['(', '[', '«']).starts_with("--"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Why `text` is not the clerk's Italian, if it is not.
fn problem(text: &str) -> Option<String> {
    if MATCHED.contains(&text) {
        return None;
    }
    let shown = as_read(&without_placeholders(text));
    for word in words(&shown) {
        if ALLOWED.iter().any(|(allowed, _)| *allowed == word) {
            continue;
        }
        let lower = word.to_lowercase();
        if ENGLISH.contains(&lower.as_str()) {
            return Some(format!("the English word «{word}»"));
        }
        let identifier = word.contains('_')
            && word.split('_').filter(|p| !p.is_empty()).count() >= 2
            && word
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if identifier {
            return Some(format!("the identifier «{word}»"));
        }
    }
    None
}

/// Multi-word strings (`two words` at least).
fn is_sentence(text: &str) -> bool {
    words(&without_placeholders(text)).count() >= 2
}

/// The window's text: between tags, in the attributes a reader hears or sees, and the string
/// literals of its scripts and expressions.
fn svelte_strings(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut markup = String::new();
    let mut rest = source;
    // Scripts: their string literals; styles: nothing.
    while let Some(open) = rest.find('<') {
        markup.push_str(&rest[..open]);
        let after = &rest[open..];
        let block = ["script", "style"]
            .into_iter()
            .find(|tag| after.starts_with(&format!("<{tag}")));
        match block {
            Some(tag) => {
                let close = format!("</{tag}>");
                let end = after.find(&close).map_or(after.len(), |e| e + close.len());
                if tag == "script" {
                    found.extend(script_strings(&after[..end]));
                }
                rest = &after[end..];
            }
            None => {
                let end = tag_end(after);
                let tag = &after[..end];
                for attr in ["aria-label=", "title=", "placeholder=", "alt="] {
                    for part in tag.split(attr).skip(1) {
                        if let Some(value) = part.strip_prefix('"') {
                            found.extend(value.split_once('"').map(|(v, _)| v.to_string()));
                        } else if part.starts_with('{') {
                            found.extend(script_strings(&part[..tag_end(part)]));
                        }
                    }
                }
                markup.push('\n');
                rest = &after[end..];
            }
        }
    }
    markup.push_str(rest);
    // Expressions in the text: their literals; the rest of the text as it reads.
    for line in text_and_expressions(&markup, &mut found) {
        if !line.trim().is_empty() {
            found.push(line);
        }
    }
    found
}

/// Where the tag opening `text` ends (after its `>`, braces and quotes respected).
fn tag_end(text: &str) -> usize {
    let (mut depth, mut quote) = (0, None);
    for (i, c) in text.char_indices() {
        match (c, quote) {
            ('"' | '\'', None) if depth > 0 => quote = Some(c),
            (q, Some(open)) if q == open => quote = None,
            ('{', None) => depth += 1,
            ('}', None) if depth > 0 => depth -= 1,
            ('>', None) if depth == 0 => return i + 1,
            _ => {}
        }
    }
    text.len()
}

/// Splits markup text at its `{…}` expressions: the literals in them go to `found`, the text
/// around them is returned.
fn text_and_expressions(markup: &str, found: &mut Vec<String>) -> Vec<String> {
    let mut text = Vec::new();
    let mut current = String::new();
    let mut expression = String::new();
    let mut depth = 0;
    for c in markup.chars() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    current.push(' ');
                    continue;
                }
            }
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    found.extend(script_strings(&expression));
                    expression.clear();
                    continue;
                }
            }
            '\n' if depth == 0 => {
                text.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        if depth > 0 {
            expression.push(c);
        } else {
            current.push(c);
        }
    }
    text.push(current);
    text
}

/// The string literals of TypeScript ('…', "…", `…`) with two words or more.
fn script_strings(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(after) = after_comment(&chars, i) {
            i = after;
        } else if c == '\'' || c == '"' || c == '`' {
            let mut text = String::new();
            i += 1;
            while i < chars.len() && chars[i] != c {
                if chars[i] == '\\' {
                    i += 1;
                } else if c == '`' && chars[i] == '$' && chars.get(i + 1) == Some(&'{') {
                    // A placeholder, itself perhaps holding templates: not text.
                    i = closing(&chars, i + 2, '{', '}');
                    text.push_str("{}");
                    i += 1;
                    continue;
                }
                if let Some(&ch) = chars.get(i) {
                    text.push(ch);
                }
                i += 1;
            }
            i += 1;
            // A message has words apart; paths, ids and keys have none.
            if is_sentence(&text) && without_placeholders(&text).trim().contains(' ') {
                found.push(text);
            }
        } else {
            i += 1;
        }
    }
    found
}

#[test]
fn every_message_is_the_clerk_s_italian() {
    let root = root();
    let mut offending = Vec::new();
    let mut scanned = 0;

    let mut rust = Vec::new();
    files(&root.join("crates/app/src"), "rs", &mut rust);
    files(&root.join("src-tauri/src"), "rs", &mut rust);
    for layer in ["domain", "store", "sync", "cli"] {
        files(
            &root.join("crates").join(layer).join("src"),
            "rs",
            &mut rust,
        );
    }
    // The generator of the window's TypeScript types: a test module (`#[cfg(test)] mod
    // bindings`), whose texts are for developers.
    rust.retain(|p| !p.ends_with("src-tauri/src/bindings.rs"));
    for path in &rust {
        let code = std::fs::read_to_string(path).expect("read source");
        for text in rust_messages(without_tests(&code)) {
            if !is_sentence(&text) || is_sql(&text) {
                continue;
            }
            scanned += 1;
            if let Some(why) = problem(&text) {
                offending.push(format!("{}: {text:?}: {why}", path.display()));
            }
        }
    }

    let mut window = Vec::new();
    files(&root.join("ui/src"), "svelte", &mut window);
    let mut scripts = Vec::new();
    files(&root.join("ui/src/lib"), "ts", &mut scripts);
    for path in window.iter().chain(&scripts) {
        let source = std::fs::read_to_string(path).expect("read source");
        let strings = if path.extension().is_some_and(|e| e == "svelte") {
            svelte_strings(&source)
        } else {
            script_strings(&source)
        };
        for text in strings {
            scanned += 1;
            if let Some(why) = problem(&text) {
                offending.push(format!("{}: {:?}: {why}", path.display(), text.trim()));
            }
        }
    }

    assert!(
        scanned > 500,
        "only {scanned} strings scanned: the scan lost its way"
    );
    assert!(
        offending.is_empty(),
        "{} messages are not the clerk's Italian:\n{}",
        offending.len(),
        offending.join("\n")
    );
}

#[test]
fn the_scan_finds_english_and_identifiers_and_leaves_italian_alone() {
    assert!(problem("file not found").is_some());
    assert!(problem("manca il campo override_note").is_some());
    assert!(problem("manca la nota di conferma").is_none());
    assert!(problem("il campo {override_note} è vuoto").is_none());
    assert!(problem("li ricevono con il prossimo pacchetto (`sportello bundle export`)").is_none());
    assert!(problem("li ricevono con il prossimo bundle").is_some());
    assert_eq!(
        rust_messages(
            "let a = \"uno due\"; // \"commento\"\nlet b = r#\"tre \"quattro\"\"#; let c = 'x';\n\
             #[serde(skip_serializing_if = \"Vec::is_empty\")]\nx.expect(\"never shown\");"
        ),
        ["uno due", "tre \"quattro\""]
    );
    let svelte = "<script>\n  const a = 'Salva la domanda';\n</script>\n<p title=\"Chiudi tutto\">Testo {x ? 'Sì grazie' : 'No'} qui</p>\n<style>p { color: red }</style>";
    let strings = svelte_strings(svelte);
    for expected in ["Salva la domanda", "Chiudi tutto", "Sì grazie"] {
        assert!(
            strings.iter().any(|s| s == expected),
            "{expected}: {strings:?}"
        );
    }
    assert!(
        strings
            .iter()
            .any(|s| s.contains("Testo") && s.contains("qui")),
        "{strings:?}"
    );
}
