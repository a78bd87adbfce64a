//! Recognising names of personal data (GDPR Art. 4) in parameter and property names, written
//! in camelCase, snake_case or kebab-case. Shared by SEC006 and SEC007.

use crate::rules::api::segment_words;

/// Word sequences that name personal data, and what they are.
const PHRASES: [(&[&str], &str); 27] = [
    (&["email"], "an email address"),
    (&["e", "mail"], "an email address"),
    (&["phone"], "a phone number"),
    (&["mobile"], "a phone number"),
    (&["msisdn"], "a phone number"),
    (&["ssn"], "a social security number"),
    (&["social", "security", "number"], "a social security number"),
    (&["date", "of", "birth"], "a date of birth"),
    (&["birth", "date"], "a date of birth"),
    (&["birthdate"], "a date of birth"),
    (&["dob"], "a date of birth"),
    (&["birthday"], "a date of birth"),
    (&["ip"], "an IP address"),
    (&["first", "name"], "a person's name"),
    (&["last", "name"], "a person's name"),
    (&["full", "name"], "a person's name"),
    (&["given", "name"], "a person's name"),
    (&["family", "name"], "a person's name"),
    (&["surname"], "a person's name"),
    (&["firstname"], "a person's name"),
    (&["lastname"], "a person's name"),
    (&["passport"], "a passport number"),
    (&["national", "id"], "a national identity number"),
    (&["tax", "id"], "a tax number"),
    (&["iban"], "a bank account number"),
    (&["card", "number"], "a payment card number"),
    (&["credit", "card"], "a payment card number"),
];

/// Words that make `address` a postal address.
const ADDRESS_QUALIFIERS: [&str; 7] = ["home", "street", "postal", "billing", "shipping", "mailing", "residential"];

/// What kind of personal data a name denotes, if any. Identifiers of records that hold
/// personal data (`address_id`, `emailId`) are not personal data themselves.
pub fn personal_data_kind(name: &str) -> Option<&'static str> {
    let words = segment_words(name);
    let last = words.last()?;
    if last == "id" || last == "ids" {
        // `national_id` and `tax_id` are numbers about a person; other `…_id`s are keys.
        let phrase = words.len() >= 2 && matches!(words[words.len() - 2].as_str(), "national" | "tax");
        if !phrase {
            return None;
        }
    }
    // The phrase must end the name, or be followed only by words that keep its meaning
    // (`email_address`, `phone_number`, `email_hash`): `floating_ip_limit` and
    // `address_requirements` name settings, not personal data.
    let tail_keeps_meaning = |rest: &[String]| rest.iter().all(|word| KEEPS_MEANING.contains(&word.as_str()));
    for (phrase, kind) in PHRASES {
        let found = (0..words.len()).filter(|start| start + phrase.len() <= words.len()).any(|start| {
            words[start..start + phrase.len()].iter().zip(phrase.iter()).all(|(word, expected)| word == expected)
                && tail_keeps_meaning(&words[start + phrase.len()..])
        });
        if found {
            return Some(kind);
        }
    }
    let address = words.iter().position(|word| word == "address" || word == "addresses")?;
    let qualified = address == 0 || ADDRESS_QUALIFIERS.contains(&words[address - 1].as_str());
    (qualified && tail_keeps_meaning(&words[address + 1..])).then_some("a postal address")
}

/// Words that may follow a personal-data phrase without changing what it names.
const KEEPS_MEANING: [&str; 12] =
    ["address", "addresses", "number", "numbers", "hash", "hashed", "value", "line", "line1", "line2", "s", "list"];

#[cfg(test)]
mod tests {
    use super::personal_data_kind;

    #[test]
    fn recognises_personal_data_names() {
        for name in [
            "email",
            "e-mail",
            "phoneNumber",
            "date_of_birth",
            "ip_address",
            "home-address",
            "ssn",
            "firstName",
            "address",
            "billingAddress",
            "tax_id",
        ] {
            assert!(personal_data_kind(name).is_some(), "{name}");
        }
        for name in [
            "name",
            "username",
            "address_id",
            "customerId",
            "emailId",
            "zip",
            "title",
            "mac_address",
            "ipsum",
            "shipping",
            "floating_ip_limit",
            "address_requirements",
            "email_verified",
        ] {
            assert!(personal_data_kind(name).is_none(), "{name}");
        }
    }
}
