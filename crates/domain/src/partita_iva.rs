//! The 11-digit code of cooperatives and public bodies (*partita IVA*, also their numeric
//! codice fiscale): ten digits and a check digit.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartitaIvaError {
    #[error("la partita IVA deve avere 11 cifre, ne ha {found}")]
    WrongLength { found: usize },
    #[error(
        "carattere non valido in posizione {position} della partita IVA: «{found}», sono ammesse solo cifre"
    )]
    NotDigit { position: usize, found: char },
    #[error(
        "la partita IVA non può iniziare con sette zeri: controllare di aver copiato il numero giusto"
    )]
    ZeroNumber,
    #[error(
        "cifra di controllo errata: è {found}, dovrebbe essere {expected}; controllare di aver copiato bene il numero"
    )]
    WrongCheckDigit { expected: u8, found: u8 },
}

impl PartitaIvaError {
    /// A stable code for the UI, so it never matches on messages.
    pub fn code(&self) -> &'static str {
        match self {
            PartitaIvaError::WrongLength { .. } => "partita_iva_length",
            PartitaIvaError::NotDigit { .. } => "partita_iva_character",
            PartitaIvaError::ZeroNumber => "partita_iva_zero",
            PartitaIvaError::WrongCheckDigit { .. } => "partita_iva_check",
        }
    }
}

/// Checks a partita IVA (surrounding spaces ignored): 11 digits, the first seven (the
/// taxpayer's number) not all zero, and the check digit.
pub fn validate(s: &str) -> Result<(), PartitaIvaError> {
    let s = s.trim();
    let found = s.chars().count();
    if found != 11 {
        return Err(PartitaIvaError::WrongLength { found });
    }
    if let Some((index, c)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        return Err(PartitaIvaError::NotDigit {
            position: index + 1,
            found: c,
        });
    }
    let digits: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
    if digits[..7].iter().all(|&d| d == 0) {
        return Err(PartitaIvaError::ZeroNumber);
    }
    let expected = check_digit(&digits[..10]);
    if digits[10] != expected {
        return Err(PartitaIvaError::WrongCheckDigit {
            expected,
            found: digits[10],
        });
    }
    Ok(())
}

/// Odd positions (1st, 3rd, ... 9th) count as they are; even ones (2nd ... 10th) are doubled,
/// minus 9 when over 9; the check digit brings the sum to a multiple of ten.
fn check_digit(first10: &[u8]) -> u8 {
    let sum: u32 = first10
        .iter()
        .enumerate()
        .map(|(index, &d)| {
            let d = u32::from(d);
            if index % 2 == 0 {
                d
            } else if d * 2 > 9 {
                d * 2 - 9
            } else {
                d * 2
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_numbers() {
        // Agenzia delle Entrate's own code: odd 0+3+3+9+0 = 15, even 3+3+6+2+0 = 14,
        // total 29, check (10 - 9) mod 10 = 1.
        assert_eq!(validate("06363391001"), Ok(()));
        // Odd 1+3+5+7+9 = 25, even 4+8+3+7+0 = 22, total 47, check 3.
        assert_eq!(validate("12345678903"), Ok(()));
        // A sum already a multiple of ten gives check digit 0: odd 1+5 = 6, even 2×2 = 4.
        assert_eq!(validate("  12500000000 \n"), Ok(()));
    }

    #[test]
    fn every_other_check_digit_is_refused() {
        for last in 0..=9u8 {
            let number = format!("1234567890{last}");
            let result = validate(&number);
            if last == 3 {
                assert_eq!(result, Ok(()));
            } else {
                assert_eq!(
                    result,
                    Err(PartitaIvaError::WrongCheckDigit {
                        expected: 3,
                        found: last
                    })
                );
            }
        }
        let err = validate("06363391002").unwrap_err();
        assert!(err.to_string().contains("dovrebbe essere 1"));
        assert_eq!(err.code(), "partita_iva_check");
    }

    #[test]
    fn a_single_changed_digit_is_caught() {
        let good = "06363391001";
        for i in 0..10 {
            for d in b'0'..=b'9' {
                let mut b = good.as_bytes().to_vec();
                if b[i] == d {
                    continue;
                }
                b[i] = d;
                let changed = String::from_utf8(b).unwrap();
                assert!(validate(&changed).is_err(), "{changed}");
            }
        }
    }

    #[test]
    fn wrong_length_and_characters() {
        assert_eq!(validate(""), Err(PartitaIvaError::WrongLength { found: 0 }));
        assert_eq!(
            validate("0636339100"),
            Err(PartitaIvaError::WrongLength { found: 10 })
        );
        assert_eq!(
            validate("063633910011"),
            Err(PartitaIvaError::WrongLength { found: 12 })
        );
        assert_eq!(
            validate("IT063633910"),
            Err(PartitaIvaError::NotDigit {
                position: 1,
                found: 'I'
            })
        );
        assert_eq!(
            validate("0636339 001"),
            Err(PartitaIvaError::NotDigit {
                position: 8,
                found: ' '
            })
        );
        // Non-ASCII digits are not digits.
        assert!(matches!(
            validate("0636339100١"),
            Err(PartitaIvaError::NotDigit { position: 11, .. })
        ));
    }

    #[test]
    fn an_all_zero_number_is_refused_though_its_check_digit_fits() {
        assert_eq!(validate("00000000000"), Err(PartitaIvaError::ZeroNumber));
        assert!(
            validate("00000000000")
                .unwrap_err()
                .to_string()
                .contains("sette zeri")
        );
    }
}
