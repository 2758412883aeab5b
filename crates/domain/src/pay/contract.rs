//! The national contract whose rules a cycle's premi follow (SPEC §4). Contracts change, so the
//! rules of the premi name one; each version carries its own articles, cited on every
//! explanation and refusal.
//!
//! - CCNL Funzioni Locali 2016–18 (21/05/2018): the individual pool at least 30% of the premi
//!   (art. 68 c.3), the differentiation of the individual premium (art. 69), PO result pay at
//!   least 15% of the PO resources (art. 15 c.4). Default for cycles up to 2021.
//! - CCNL Funzioni Locali 2019–21 (16/11/2022): art. 80 c.3 (30%), art. 81 (differentiation),
//!   EQ in place of PO from 01/04/2023 (art. 17 c.4 for their result pay). Default for 2022–2024.
//! - CCNL Funzioni Locali 2022–24: only a draft agreement is known (03/11/2025). Its rewritten
//!   differentiation is not configured until the final text is: the 2019–21 rule applies, and
//!   its citations say so. Default from 2025.
//!
//! Managers follow the CCNL Area Funzioni Locali 17/12/2020, art. 30, in every version.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Contract {
    Fl2016_2018,
    Fl2019_2021,
    Fl2022_2024,
}

impl Contract {
    pub const ALL: [Contract; 3] = [Contract::Fl2016_2018, Contract::Fl2019_2021, Contract::Fl2022_2024];

    /// The contract in force for the premi of a cycle's year.
    pub fn for_year(year: i32) -> Contract {
        match year {
            ..=2021 => Contract::Fl2016_2018,
            2022..=2024 => Contract::Fl2019_2021,
            _ => Contract::Fl2022_2024,
        }
    }

    /// The code written in the rules (`contratto = 2019-2021`).
    pub fn code(self) -> &'static str {
        match self {
            Contract::Fl2016_2018 => "2016-2018",
            Contract::Fl2019_2021 => "2019-2021",
            Contract::Fl2022_2024 => "2022-2024",
        }
    }

    /// Reads `2019-2021`, `2019-21`, `CCNL Funzioni Locali 2019-2021` (any case; `/` or `–` as
    /// the dash); anything else is `None`.
    pub fn parse(s: &str) -> Option<Contract> {
        let t = s.trim().to_lowercase().replace(['/', '–'], "-");
        let t = t.strip_prefix("ccnl").unwrap_or(&t).trim();
        let t = t.strip_prefix("funzioni locali").unwrap_or(t).trim();
        Contract::ALL.into_iter().find(|c| {
            let (a, b) = c.code().split_once('-').unwrap_or_default();
            t == c.code() || t == format!("{a}-{}", &b[2..])
        })
    }

    /// The contract's name, as shown on every output.
    pub fn name(self) -> &'static str {
        match self {
            Contract::Fl2016_2018 => "CCNL Funzioni Locali 2016-2018 (21/05/2018)",
            Contract::Fl2019_2021 => "CCNL Funzioni Locali 2019-2021 (16/11/2022)",
            Contract::Fl2022_2024 => "CCNL Funzioni Locali 2022-2024 (ipotesi 03/11/2025)",
        }
    }

    /// The article on the individual pool's least share of the premi (30%).
    pub fn individual_share_article(self) -> &'static str {
        match self {
            Contract::Fl2016_2018 => "art. 68 c.3 CCNL Funzioni Locali 21/05/2018",
            Contract::Fl2019_2021 => "art. 80 c.3 CCNL Funzioni Locali 16/11/2022",
            Contract::Fl2022_2024 => "art. 80 c.3 CCNL Funzioni Locali 16/11/2022, in attesa del testo definitivo del CCNL 2022-2024",
        }
    }

    /// The article on the differentiation of the individual premium.
    pub fn differentiation_article(self) -> &'static str {
        match self {
            Contract::Fl2016_2018 => "art. 69 CCNL Funzioni Locali 21/05/2018",
            Contract::Fl2019_2021 => "art. 81 CCNL Funzioni Locali 16/11/2022",
            Contract::Fl2022_2024 => "art. 81 CCNL Funzioni Locali 16/11/2022, in attesa del testo definitivo del CCNL 2022-2024",
        }
    }

    /// The article on the least share of result pay of the PO (later EQ) resources.
    pub fn po_result_article(self) -> &'static str {
        match self {
            Contract::Fl2016_2018 => "art. 15 c.4 CCNL Funzioni Locali 21/05/2018 (posizioni organizzative)",
            Contract::Fl2019_2021 | Contract::Fl2022_2024 => "art. 17 c.4 CCNL Funzioni Locali 16/11/2022 (elevate qualificazioni)",
        }
    }

    /// The managers' differentiation, the same in every version.
    pub fn managers_differentiation_article(self) -> &'static str {
        "art. 30 CCNL Area Funzioni Locali 17/12/2020"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contract_follows_the_year() {
        assert_eq!(Contract::for_year(2020), Contract::Fl2016_2018);
        assert_eq!(Contract::for_year(2021), Contract::Fl2016_2018);
        assert_eq!(Contract::for_year(2022), Contract::Fl2019_2021);
        assert_eq!(Contract::for_year(2024), Contract::Fl2019_2021);
        assert_eq!(Contract::for_year(2025), Contract::Fl2022_2024);
        assert!(Contract::for_year(2020).differentiation_article().starts_with("art. 69"));
        assert!(Contract::for_year(2023).differentiation_article().starts_with("art. 81"));
    }

    #[test]
    fn codes_in_every_spelling() {
        for (s, c) in [
            ("2016-2018", Contract::Fl2016_2018),
            ("2016-18", Contract::Fl2016_2018),
            ("CCNL Funzioni Locali 2019-2021", Contract::Fl2019_2021),
            ("ccnl 2019/21", Contract::Fl2019_2021),
            (" 2022–2024 ", Contract::Fl2022_2024),
        ] {
            assert_eq!(Contract::parse(s), Some(c), "{s}");
        }
        for s in ["", "2018", "2019-2020", "CCNL Sanità 2019-2021"] {
            assert_eq!(Contract::parse(s), None, "{s}");
        }
        for c in Contract::ALL {
            assert_eq!(Contract::parse(c.code()), Some(c));
        }
    }
}
