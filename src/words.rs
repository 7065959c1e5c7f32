//! Numbers and counts as the screens write them: "1 person", "20,025 people". Every screen
//! counts through here so the same thing is worded the same way everywhere.

/// `n` with its thousands grouped: "20,025".
pub fn number(n: usize) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// `n` things: "1 door", "0 doors", "1,204 doors".
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", number(n))
    }
}

/// The label of a button that shows `n` more things: "Show 50 more doors".
pub fn show_more(n: usize, one: &str, many: &str) -> String {
    format!(
        "Show {} more {}",
        number(n),
        if n == 1 { one } else { many }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn numbers_are_grouped_in_thousands() {
        assert_eq!(number(0), "0");
        assert_eq!(number(999), "999");
        assert_eq!(number(1_000), "1,000");
        assert_eq!(number(20_025), "20,025");
        assert_eq!(number(1_234_567), "1,234,567");
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn counts_agree_with_their_number() {
        assert_eq!(count(1, "person", "people"), "1 person");
        assert_eq!(count(0, "person", "people"), "0 people");
        assert_eq!(count(4_500, "door", "doors"), "4,500 doors");
        assert_eq!(show_more(50, "door", "doors"), "Show 50 more doors");
        assert_eq!(show_more(1, "person", "people"), "Show 1 more person");
    }
}
