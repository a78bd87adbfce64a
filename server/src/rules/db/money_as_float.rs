use sqlparser::ast::{DataType, Ident};

use super::{element_type, in_case_of, typed_columns};
use crate::analysis::{Fix, Sink};
use crate::config::SqlDialect;
use crate::openapi::edit::TextEdit;
use crate::rules::{Check, declare_rule};
use crate::sql::SqlFile;

declare_rule! {
    /// ## What it does
    /// Checks for columns that hold money, by their name (`price`, `amount`, `cost`, `total`,
    /// `balance`, `fee`, `salary`, `revenue`, `discount`, `tax`, … as a word of the name:
    /// `unit_price`, `totalAmount`), typed as binary floating point: `real`, `double
    /// precision`, `float`, `float4`, `float8`, `double`. Names that say the value is not
    /// money (`tax_rate`, `discount_percent`, `total_count`, `price_ratio`) are left alone.
    ///
    /// ## Why is this bad?
    /// Binary floating point cannot hold most decimal fractions: `0.1 + 0.2` is
    /// `0.30000000000000004`, and sums of many prices drift by cents that accounting will not
    /// forgive. Rounding hides the error in one place and shows it in another. Money needs
    /// exact decimals (`numeric`) or whole minor units (`bigint` cents).
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN discount double precision;
    /// ```
    ///
    /// Use instead:
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN discount numeric(19, 4);
    /// ```
    ///
    /// ## Fix
    /// The fix writes `numeric(19, 4)` (`bigint` for a `…_cents` column), which suits a
    /// migration that has not run yet; editing one that has changes its checksum, and sqlx and
    /// refinery then refuse to run. For a column that exists, add a migration with
    /// `ALTER TABLE … ALTER COLUMN … TYPE numeric(19, 4)` instead. SQLite has no exact decimal
    /// type (its `NUMERIC` may store a float), so there the rule offers no fix: store minor
    /// units in an `INTEGER` column.
    pub struct MoneyAsFloat {
        code: "DB006",
        name: "money-as-float",
        area: Db,
        severity: Warning,
        input: Sql,
    }
}

/// Words of a column name that say it holds an amount of money.
const MONEY_WORDS: [&str; 24] = [
    "price", "amount", "cost", "total", "subtotal", "balance", "fee", "salary", "wage", "revenue", "payment", "payout", "refund", "tax",
    "discount", "budget", "income", "expense", "money", "credit", "debit", "charge", "cents", "pay",
];

/// Words that say the value is something else: a rate, a count, a measure.
const NOT_MONEY_WORDS: [&str; 17] = [
    "rate",
    "ratio",
    "percent",
    "percentage",
    "pct",
    "count",
    "weight",
    "score",
    "factor",
    "multiplier",
    "quantity",
    "qty",
    "duration",
    "distance",
    "seconds",
    "ms",
    "points",
];

impl Check for MoneyAsFloat {
    fn check_sql(&self, file: &SqlFile<'_>, sink: &mut Sink) {
        for column in typed_columns(file) {
            if !is_float(element_type(column.data_type)) || !is_money_name(column.column) {
                continue;
            }
            // A later migration that makes the column exact (or drops it) fixed this.
            if !column.final_type(file).is_some_and(|last| is_float(element_type(last))) {
                continue;
            }
            let Some(span) = column.type_span(file) else { continue };
            let written = file.text[span.clone()].to_owned();
            let finding = sink.span(
                0,
                span.clone(),
                column.pointer(),
                format!(
                    "`{}` of `{}` holds money as `{written}`, a binary float that cannot store cents exactly",
                    column.column, column.table
                ),
            );
            if file.dialect != SqlDialect::Sqlite {
                let exact = if words(column.column).iter().any(|word| word == "cents") { "bigint" } else { "numeric(19, 4)" };
                finding.fix(Fix::new(format!("Use {exact}"), vec![TextEdit::replace(span, in_case_of(&written, exact))]));
            }
        }
    }
}

fn is_float(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Real
            | DataType::RealUnsigned
            | DataType::Float(_)
            | DataType::FloatUnsigned(_)
            | DataType::Float4
            | DataType::Float8
            | DataType::Float32
            | DataType::Float64
            | DataType::Double(_)
            | DataType::DoubleUnsigned(_)
            | DataType::DoublePrecision
            | DataType::DoublePrecisionUnsigned
    )
}

/// Whether a column's name says it holds money: one of its words is (or ends with) a money
/// word, and none says it is a rate or a count.
fn is_money_name(column: &Ident) -> bool {
    let words = words(column);
    let singular = |word: &str| word.strip_suffix('s').filter(|stem| stem.len() > 2).map(str::to_owned).unwrap_or_else(|| word.to_owned());
    let money = words.iter().any(|word| {
        let word = singular(word);
        MONEY_WORDS.iter().any(|money| word == *money || (word.len() > money.len() + 2 && word.ends_with(money)))
    });
    money && !words.iter().any(|word| NOT_MONEY_WORDS.contains(&singular(word).as_str()) || NOT_MONEY_WORDS.contains(&word.as_str()))
}

/// The words of a name, in lower case: `unitPrice` and `unit_price` are `unit`, `price`.
fn words(column: &Ident) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for character in column.value.chars() {
        if !character.is_alphanumeric() {
            words.push(std::mem::take(&mut current));
            previous_lower = false;
            continue;
        }
        if character.is_uppercase() && previous_lower {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = character.is_lowercase() || character.is_numeric();
        current.extend(character.to_lowercase());
    }
    words.push(current);
    words.retain(|word| !word.is_empty());
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_told_by_the_words_of_a_name() {
        let money = |name: &str| is_money_name(&Ident::new(name));
        for name in
            ["price", "unit_price", "totalAmount", "shipping_cost", "fees", "subtotal", "balance_usd", "unitprice", "PRICE", "price_cents"]
        {
            assert!(money(name), "{name}");
        }
        for name in
            ["tax_rate", "discount_percent", "total_count", "price_ratio", "payload", "paid_at", "credits_used_ratio", "costume", "weight"]
        {
            assert!(!money(name), "{name}");
        }
    }
}
