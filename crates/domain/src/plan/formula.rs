//! The formula language of computed KPIs: a small, safe expression language over other KPIs.
//!
//! ```text
//! expr    := term (("+" | "-") term)*
//! term    := unary (("*" | "/") unary)*
//! unary   := "-" unary | primary
//! primary := number | ref | "(" expr ")"
//!          | ("min" | "max") "(" expr ("," expr)* ")"
//!          | ("prec" | "prev") "(" ref ")"              value of the previous period
//!          | ("anno_prec" | "prev_year") "(" ref ")"    value of the same period a year before
//! ref     := identifier | "[" any code "]"
//! ```
//! Identifiers are KPI codes: letters, digits, `_`, `.` and `-` (so `SOL-01-K1` is one code);
//! a subtraction between two codes therefore needs spaces: `A - B`.
//! Numbers use `.` as decimal point. Nothing is evaluated but these operations: no eval.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum When {
    Current,
    PreviousPeriod,
    PreviousYear,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Expr {
    Num(Decimal),
    Ref(String, When),
    Neg(Box<Expr>),
    Add(Box<Expr>, Box<Expr>),
    Sub(Box<Expr>, Box<Expr>),
    Mul(Box<Expr>, Box<Expr>),
    Div(Box<Expr>, Box<Expr>),
    Min(Vec<Expr>),
    Max(Vec<Expr>),
}

/// A formula that does not parse: where (1-based character) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormulaError {
    pub position: usize,
    pub message: String,
}

impl std::fmt::Display for FormulaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "non valida al carattere {}: {}", self.position, self.message)
    }
}

/// Why a formula has no value for a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvalError {
    Missing(String, When),
    DivisionByZero,
    /// A result beyond the range of decimal numbers.
    Overflow,
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EvalError::Missing(code, When::Current) => write!(f, "manca il valore di {code}"),
            EvalError::Missing(code, When::PreviousPeriod) => write!(f, "manca il valore di {code} del periodo precedente"),
            EvalError::Missing(code, When::PreviousYear) => write!(f, "manca il valore di {code} dell'anno precedente"),
            EvalError::DivisionByZero => f.write_str("divisione per zero"),
            EvalError::Overflow => f.write_str("risultato oltre l'intervallo dei numeri ammessi"),
        }
    }
}

/// The longest formula accepted, in characters.
pub const MAX_LENGTH: usize = 1000;
/// How deep brackets, minus signs and function calls may nest.
pub const MAX_DEPTH: usize = 32;
/// How many operators one formula may have (each adds a level to its tree).
pub const MAX_OPERATORS: usize = 200;

/// Parses a formula. Its length, nesting and number of operators are bounded (docs/formats.md),
/// so neither parsing nor evaluating a formula, at import or from the database, can exhaust
/// the stack.
pub fn parse(text: &str) -> Result<Expr, FormulaError> {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() > MAX_LENGTH {
        return Err(FormulaError { position: MAX_LENGTH + 1, message: format!("formula troppo lunga: al più {MAX_LENGTH} caratteri") });
    }
    let mut p = Parser { chars, pos: 0, depth: 0, operators: 0 };
    p.skip_ws();
    if p.pos == p.chars.len() {
        return Err(p.error("formula vuota"));
    }
    let e = p.expr()?;
    p.skip_ws();
    if p.pos < p.chars.len() {
        return Err(p.error(&format!("«{}» inatteso", p.chars[p.pos])));
    }
    Ok(e)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    /// Current nesting of brackets, minus signs and calls.
    depth: usize,
    operators: usize,
}

impl Parser {
    fn error(&self, message: &str) -> FormulaError {
        FormulaError { position: self.pos + 1, message: message.into() }
    }
    /// One level deeper; refused past [`MAX_DEPTH`].
    fn enter(&mut self) -> Result<(), FormulaError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(&format!("formula annidata troppo in profondità: al più {MAX_DEPTH} livelli")));
        }
        Ok(())
    }
    /// One operator more; refused past [`MAX_OPERATORS`].
    fn operator(&mut self) -> Result<(), FormulaError> {
        self.operators += 1;
        if self.operators > MAX_OPERATORS {
            return Err(self.error(&format!("formula con troppi operatori: al più {MAX_OPERATORS}")));
        }
        Ok(())
    }
    fn skip_ws(&mut self) {
        while self.chars.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
    }
    fn peek(&mut self) -> Option<char> {
        self.skip_ws();
        self.chars.get(self.pos).copied()
    }
    fn expect(&mut self, c: char) -> Result<(), FormulaError> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&format!("atteso «{c}»")))
        }
    }
    fn expr(&mut self) -> Result<Expr, FormulaError> {
        let mut left = self.term()?;
        while let Some(op @ ('+' | '-')) = self.peek() {
            self.operator()?;
            self.pos += 1;
            let right = self.term()?;
            left = if op == '+' { Expr::Add(Box::new(left), Box::new(right)) } else { Expr::Sub(Box::new(left), Box::new(right)) };
        }
        Ok(left)
    }
    fn term(&mut self) -> Result<Expr, FormulaError> {
        let mut left = self.unary()?;
        while let Some(op @ ('*' | '/')) = self.peek() {
            self.operator()?;
            self.pos += 1;
            let right = self.unary()?;
            left = if op == '*' { Expr::Mul(Box::new(left), Box::new(right)) } else { Expr::Div(Box::new(left), Box::new(right)) };
        }
        Ok(left)
    }
    fn unary(&mut self) -> Result<Expr, FormulaError> {
        if self.peek() == Some('-') {
            self.operator()?;
            self.enter()?;
            self.pos += 1;
            let e = Expr::Neg(Box::new(self.unary()?));
            self.depth -= 1;
            return Ok(e);
        }
        self.enter()?;
        let e = self.primary();
        self.depth -= 1;
        e
    }
    fn primary(&mut self) -> Result<Expr, FormulaError> {
        match self.peek() {
            None => Err(self.error("formula incompleta")),
            Some('(') => {
                self.pos += 1;
                let e = self.expr()?;
                self.expect(')')?;
                Ok(e)
            }
            Some('[') => Ok(Expr::Ref(self.bracketed()?, When::Current)),
            Some(c) if c.is_ascii_digit() => self.number(),
            Some(c) if c.is_alphabetic() || c == '_' => {
                let start = self.pos;
                let name = self.identifier();
                if self.peek() != Some('(') {
                    return Ok(Expr::Ref(name, When::Current));
                }
                self.pos += 1;
                let e = match name.to_lowercase().as_str() {
                    "min" | "max" => {
                        let mut args = vec![self.expr()?];
                        while self.peek() == Some(',') {
                            self.pos += 1;
                            args.push(self.expr()?);
                        }
                        if name.eq_ignore_ascii_case("min") { Expr::Min(args) } else { Expr::Max(args) }
                    }
                    "prec" | "prev" => Expr::Ref(self.reference()?, When::PreviousPeriod),
                    "anno_prec" | "prev_year" => Expr::Ref(self.reference()?, When::PreviousYear),
                    _ => {
                        self.pos = start;
                        return Err(self.error(&format!("funzione «{name}» sconosciuta (ammesse: min, max, prec, anno_prec)")));
                    }
                };
                self.expect(')')?;
                Ok(e)
            }
            Some(c) => Err(self.error(&format!("«{c}» inatteso"))),
        }
    }
    fn reference(&mut self) -> Result<String, FormulaError> {
        match self.peek() {
            Some('[') => self.bracketed(),
            Some(c) if c.is_alphabetic() || c == '_' => Ok(self.identifier()),
            _ => Err(self.error("atteso il codice di un KPI")),
        }
    }
    fn identifier(&mut self) -> String {
        let start = self.pos;
        while self.chars.get(self.pos).is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-')) {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }
    fn bracketed(&mut self) -> Result<String, FormulaError> {
        self.pos += 1;
        let start = self.pos;
        while self.chars.get(self.pos).is_some_and(|c| *c != ']') {
            self.pos += 1;
        }
        if self.pos >= self.chars.len() {
            self.pos = start - 1;
            return Err(self.error("«[» senza «]»"));
        }
        let code: String = self.chars[start..self.pos].iter().collect::<String>().trim().to_string();
        self.pos += 1;
        if code.is_empty() {
            return Err(self.error("codice vuoto tra parentesi quadre"));
        }
        Ok(code)
    }
    fn number(&mut self) -> Result<Expr, FormulaError> {
        let start = self.pos;
        while self.chars.get(self.pos).is_some_and(|c| c.is_ascii_digit() || *c == '.') {
            self.pos += 1;
        }
        let s: String = self.chars[start..self.pos].iter().collect();
        s.parse::<Decimal>().map(Expr::Num).map_err(|_| FormulaError { position: start + 1, message: format!("numero «{s}» non valido") })
    }
}

impl Expr {
    /// The KPIs this expression reads, with when.
    pub fn refs(&self) -> BTreeSet<(String, When)> {
        let mut out = BTreeSet::new();
        self.collect(&mut out);
        out
    }
    fn collect(&self, out: &mut BTreeSet<(String, When)>) {
        match self {
            Expr::Num(_) => {}
            Expr::Ref(c, w) => {
                out.insert((c.clone(), *w));
            }
            Expr::Neg(e) => e.collect(out),
            Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Mul(a, b) | Expr::Div(a, b) => {
                a.collect(out);
                b.collect(out);
            }
            Expr::Min(v) | Expr::Max(v) => v.iter().for_each(|e| e.collect(out)),
        }
    }

    /// Evaluates with `value(code, when)` giving the other KPIs' values.
    pub fn eval(&self, value: &dyn Fn(&str, When) -> Option<Decimal>) -> Result<Decimal, EvalError> {
        let ev = |e: &Expr| e.eval(value);
        Ok(match self {
            Expr::Num(n) => *n,
            Expr::Ref(c, w) => value(c, *w).ok_or_else(|| EvalError::Missing(c.clone(), *w))?,
            Expr::Neg(e) => -ev(e)?,
            // Checked: a result past the decimal range is an error of this formula, not a panic.
            Expr::Add(a, b) => ev(a)?.checked_add(ev(b)?).ok_or(EvalError::Overflow)?,
            Expr::Sub(a, b) => ev(a)?.checked_sub(ev(b)?).ok_or(EvalError::Overflow)?,
            Expr::Mul(a, b) => ev(a)?.checked_mul(ev(b)?).ok_or(EvalError::Overflow)?,
            Expr::Div(a, b) => {
                let d = ev(b)?;
                if d.is_zero() {
                    return Err(EvalError::DivisionByZero);
                }
                ev(a)?.checked_div(d).ok_or(EvalError::Overflow)?
            }
            Expr::Min(v) => v.iter().map(ev).collect::<Result<Vec<_>, _>>()?.into_iter().min().unwrap_or_default(),
            Expr::Max(v) => v.iter().map(ev).collect::<Result<Vec<_>, _>>()?.into_iter().max().unwrap_or_default(),
        })
    }
}

impl Expr {
    /// The same expression reading other KPIs: `rename(code)` gives the new code, or `None`
    /// to keep it.
    pub fn map_refs(&self, rename: &dyn Fn(&str) -> Option<String>) -> Expr {
        let m = |e: &Expr| Box::new(e.map_refs(rename));
        match self {
            Expr::Num(n) => Expr::Num(*n),
            Expr::Ref(c, w) => Expr::Ref(rename(c).unwrap_or_else(|| c.clone()), *w),
            Expr::Neg(e) => Expr::Neg(m(e)),
            Expr::Add(a, b) => Expr::Add(m(a), m(b)),
            Expr::Sub(a, b) => Expr::Sub(m(a), m(b)),
            Expr::Mul(a, b) => Expr::Mul(m(a), m(b)),
            Expr::Div(a, b) => Expr::Div(m(a), m(b)),
            Expr::Min(v) => Expr::Min(v.iter().map(|e| e.map_refs(rename)).collect()),
            Expr::Max(v) => Expr::Max(v.iter().map(|e| e.map_refs(rename)).collect()),
        }
    }
}

/// Writes the expression back as a formula that parses to the same expression: every code in
/// brackets, every operation in parentheses.
impl std::fmt::Display for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |v: &[Expr]| v.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        match self {
            Expr::Num(n) => write!(f, "{n}"),
            Expr::Ref(c, When::Current) => write!(f, "[{c}]"),
            Expr::Ref(c, When::PreviousPeriod) => write!(f, "prec([{c}])"),
            Expr::Ref(c, When::PreviousYear) => write!(f, "anno_prec([{c}])"),
            Expr::Neg(e) => write!(f, "-({e})"),
            Expr::Add(a, b) => write!(f, "({a} + {b})"),
            Expr::Sub(a, b) => write!(f, "({a} - {b})"),
            Expr::Mul(a, b) => write!(f, "({a} * {b})"),
            Expr::Div(a, b) => write!(f, "({a} / {b})"),
            Expr::Min(v) => write!(f, "min({})", list(v)),
            Expr::Max(v) => write!(f, "max({})", list(v)),
        }
    }
}

/// The order in which computed KPIs can be evaluated (each after the KPIs it reads in the
/// same period), or the first cycle found, as a path `A → B → A`. References to the previous
/// period or year never make a cycle.
pub fn evaluation_order(formulas: &BTreeMap<String, Expr>) -> Result<Vec<String>, Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Visiting,
        Done,
    }
    fn visit(
        code: &str,
        formulas: &BTreeMap<String, Expr>,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
        order: &mut Vec<String>,
    ) -> Result<(), Vec<String>> {
        match marks.get(code) {
            Some(Mark::Done) => return Ok(()),
            Some(Mark::Visiting) => {
                let from = stack.iter().position(|c| c == code).unwrap_or(0);
                let mut ring = stack[from..].to_vec();
                ring.push(code.to_string());
                return Err(ring);
            }
            None => {}
        }
        let Some(expr) = formulas.get(code) else { return Ok(()) };
        marks.insert(code.to_string(), Mark::Visiting);
        stack.push(code.to_string());
        for (dep, when) in expr.refs() {
            if when == When::Current {
                visit(&dep, formulas, marks, stack, order)?;
            }
        }
        stack.pop();
        marks.insert(code.to_string(), Mark::Done);
        order.push(code.to_string());
        Ok(())
    }
    let mut marks = BTreeMap::new();
    let mut order = Vec::new();
    for code in formulas.keys() {
        visit(code, formulas, &mut marks, &mut Vec::new(), &mut order)?;
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn values(code: &str, when: When) -> Option<Decimal> {
        match (code, when) {
            ("A", When::Current) => Some(dec!(30)),
            ("B", When::Current) => Some(dec!(120)),
            ("SOL-01", When::Current) => Some(dec!(7)),
            ("A", When::PreviousPeriod) => Some(dec!(20)),
            ("A", When::PreviousYear) => Some(dec!(25)),
            ("Z", When::Current) => Some(dec!(0)),
            _ => None,
        }
    }

    fn eval(s: &str) -> Result<Decimal, String> {
        parse(s).map_err(|e| e.to_string())?.eval(&values).map_err(|e| e.to_string())
    }

    #[test]
    fn arithmetic_and_functions() {
        assert_eq!(eval("A / B * 100"), Ok(dec!(25)));
        assert_eq!(eval("SOL-01 * 2"), Ok(dec!(14)));
        assert_eq!(eval("B - A"), Ok(dec!(90)));
        assert_eq!(eval("B-A"), Err("manca il valore di B-A".into()));
        assert_eq!(eval("(A + B) / 2"), Ok(dec!(75)));
        assert_eq!(eval("-A + 2 * 3"), Ok(dec!(-24)));
        assert_eq!(eval("min(A, B, 50)"), Ok(dec!(30)));
        assert_eq!(eval("max(A, [SOL-01]) - 0.5"), Ok(dec!(29.5)));
        assert_eq!(eval("A - prec(A)"), Ok(dec!(10)));
        assert_eq!(eval("(A - anno_prec(A)) / anno_prec(A) * 100"), Ok(dec!(20)));
        assert_eq!(eval("prev_year([A])"), Ok(dec!(25)));
    }

    #[test]
    fn formulas_have_a_bottom() {
        // Nested thousands deep: refused with a message, never a stack overflow.
        let deep = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
        assert!(parse(&deep).is_err_and(|e| e.message.contains("formula troppo lunga")));
        let deep = format!("{}1{}", "(".repeat(400), ")".repeat(400));
        assert!(parse(&deep).is_err_and(|e| e.message.contains("al più 32 livelli")));
        assert!(parse(&format!("{}1", "-".repeat(500))).is_err_and(|e| e.message.contains("livelli")));
        assert!(parse(&vec!["A"; 300].join("+")).is_err_and(|e| e.message.contains("al più 200")));
        // Within the limits, as before.
        let ok = format!("{}A{}", "(".repeat(30), ")".repeat(30));
        assert_eq!(parse(&ok).map(|e| e.to_string()), Ok("[A]".to_string()));
        assert!(parse(&vec!["A"; 200].join("+")).is_ok());
    }

    #[test]
    fn clear_errors() {
        assert_eq!(eval("A / Z"), Err("divisione per zero".into()));
        assert_eq!(eval("A + C"), Err("manca il valore di C".into()));
        assert_eq!(eval("prec(B)"), Err("manca il valore di B del periodo precedente".into()));
        assert_eq!(eval("A +"), Err("non valida al carattere 4: formula incompleta".into()));
        assert_eq!(eval("(A + B"), Err("non valida al carattere 7: atteso «)»".into()));
        assert_eq!(eval("A ; B"), Err("non valida al carattere 3: «;» inatteso".into()));
        assert_eq!(eval("eval(A)"), Err("non valida al carattere 1: funzione «eval» sconosciuta (ammesse: min, max, prec, anno_prec)".into()));
        assert_eq!(eval("[SOL-01"), Err("non valida al carattere 1: «[» senza «]»".into()));
        assert_eq!(eval("1.2.3"), Err("non valida al carattere 1: numero «1.2.3» non valido".into()));
        assert_eq!(eval("  "), Err("non valida al carattere 3: formula vuota".into()));
    }

    #[test]
    fn formulas_print_back_and_rename() {
        let e = parse("(A - prec(A)) / max([SOL-01], 1) * -2").expect("parses");
        let printed = e.to_string();
        assert_eq!(printed, "((([A] - prec([A])) / max([SOL-01], 1)) * -(2))");
        assert_eq!(parse(&printed), Ok(e.clone()));
        let renamed = e.map_refs(&|c| (c == "A").then(|| "A@CRM".to_string()));
        assert_eq!(renamed.to_string(), "((([A@CRM] - prec([A@CRM])) / max([SOL-01], 1)) * -(2))");
    }

    #[test]
    fn cycles_between_formulas_are_found() {
        let f = |s: &str| parse(s).expect("parses");
        let ok: BTreeMap<String, Expr> =
            [("C".to_string(), f("A + D")), ("D".to_string(), f("B * 2")), ("E".to_string(), f("prec(E) + A"))].into_iter().collect();
        assert_eq!(evaluation_order(&ok), Ok(vec!["D".to_string(), "C".to_string(), "E".to_string()]));
        let bad: BTreeMap<String, Expr> = [("C".to_string(), f("A + D")), ("D".to_string(), f("E")), ("E".to_string(), f("C / 2"))].into_iter().collect();
        assert_eq!(evaluation_order(&bad), Err(vec!["C".into(), "D".into(), "E".into(), "C".into()]));
        let own: BTreeMap<String, Expr> = [("C".to_string(), f("C + 1"))].into_iter().collect();
        assert_eq!(evaluation_order(&own), Err(vec!["C".into(), "C".into()]));
    }
}
