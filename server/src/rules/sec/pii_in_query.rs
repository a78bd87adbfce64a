use crate::analysis::{RuleContext, Sink};
use crate::rules::{Check, declare_rule};

use super::credentials_in_url::is_flag_or_number;
use super::personal_data::personal_data_kind;

declare_rule! {
    /// ## What it does
    /// Checks for query parameters that carry personal data: email addresses, phone numbers,
    /// social security numbers, dates of birth, postal and IP addresses, people's names,
    /// passport, national identity and tax numbers, bank account and payment card numbers.
    /// Names are recognised in camelCase, snake_case and kebab-case; identifiers of records
    /// (`address_id`) and boolean or numeric switches (`include_email`) are not reported.
    ///
    /// ## Why is this bad?
    /// Query strings end up in access logs, proxy and CDN logs, analytics, browser history and
    /// `Referer` headers, which are kept long and shared widely. Personal data there is a
    /// GDPR exposure that no retention policy on the database can undo.
    ///
    /// ## Example
    /// ```yaml
    /// - name: email
    ///   in: query
    /// ```
    ///
    /// Use instead: a `POST …/search` with the email in the body, or an opaque identifier.
    ///
    /// ## Fix
    /// None: moving the data out of the URL changes every client.
    pub struct PiiInQuery {
        code: "SEC006",
        name: "pii-in-query",
        area: Sec,
        severity: Warning,
    }
}

impl Check for PiiInQuery {
    fn check(&self, context: &RuleContext<'_>, sink: &mut Sink) {
        let Some(model) = context.model else { return };
        for parameter in model.unique_parameters() {
            if parameter.location != "query" || is_flag_or_number(&parameter.resolved) {
                continue;
            }
            let Some(kind) = personal_data_kind(&parameter.name) else { continue };
            sink.at_member_value(
                &parameter.resolved,
                "name",
                format!("query parameter `{}` carries {kind} in the URL, where logs keep it", parameter.name),
            );
        }
    }
}
