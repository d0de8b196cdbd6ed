//! Integration scripts: the syntax check that stands in for Babel / `vm.Script` (spec §3.10).
//!
//! Scripts are parsed with oxc's JavaScript parser and never executed. A syntax error is
//! reported as `scriptError {name, message, stack}`; otherwise the source is stored as
//! `scriptCompiled` unchanged (the sandbox does not transpile).

use oxc_allocator::Allocator;
use oxc_parser::Parser;
use oxc_span::SourceType;
use serde_json::{json, Value};

pub enum Compiled {
    Ok(String),
    Err(Value),
}

/// How the real server would compile: Babel (module grammar) or a plain syntax check.
#[derive(Clone, Copy)]
pub enum Mode {
    /// Babel transpile (≤ 8.x without `skipTranspile`): parsed as an ES module.
    Transpile,
    /// `vm.Script` on the source wrapped in a function (8.4+ `skipTranspile`, 9.0).
    SyntaxCheck,
}

pub fn compile(source: &str, mode: Mode) -> Compiled {
    let allocator = Allocator::default();
    let (text, source_type, offset) = match mode {
        Mode::Transpile => (source.to_string(), SourceType::mjs(), 0usize),
        Mode::SyntaxCheck => {
            let prefix = "(function () {\n";
            (
                format!("{prefix}{source}\n}})"),
                SourceType::script(),
                prefix.len(),
            )
        }
    };
    let ret = Parser::new(&allocator, &text, source_type).parse();
    let Some(diag) = ret.diagnostics.first() else {
        return Compiled::Ok(source.to_string());
    };
    let at = diag
        .labels
        .first()
        .map(|l| (l.offset() as usize).saturating_sub(offset))
        .unwrap_or(0);
    let (line, col) = line_col(source, at);
    let message = match mode {
        // Babel's wording: "unknown file: <message> (line:column)".
        Mode::Transpile => format!("unknown file: {} ({line}:{col})", diag.message),
        Mode::SyntaxCheck => diag.message.to_string(),
    };
    let stack = format!(
        "SyntaxError: {message}\n    at compileIntegrationScript (integration script:{line}:{col})"
    );
    Compiled::Err(json!({ "name": "SyntaxError", "message": message, "stack": stack }))
}

fn line_col(src: &str, byte: usize) -> (usize, usize) {
    let upto = src.get(..byte.min(src.len())).unwrap_or(src);
    let line = upto.matches('\n').count() + 1;
    let col = upto.rsplit('\n').next().map_or(0, |l| l.chars().count());
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_and_invalid() {
        let good = "class Script { process_incoming_request({ request }) { return { content: { text: request.content.text ?? 'x' } }; } }";
        assert!(matches!(compile(good, Mode::Transpile), Compiled::Ok(_)));
        assert!(matches!(compile(good, Mode::SyntaxCheck), Compiled::Ok(_)));
        let bad = "class Script {\n  process_incoming_request( {\n}";
        match compile(bad, Mode::Transpile) {
            Compiled::Err(e) => {
                assert_eq!(e["name"], "SyntaxError");
                assert!(e["message"].as_str().unwrap().starts_with("unknown file: "));
            }
            Compiled::Ok(_) => panic!("should fail"),
        }
        // `return` at top level is fine inside vm.Script's wrapper, not in a module.
        assert!(matches!(
            compile("return 1", Mode::SyntaxCheck),
            Compiled::Ok(_)
        ));
        assert!(matches!(
            compile("return 1", Mode::Transpile),
            Compiled::Err(_)
        ));
    }
}
