use super::sensitive_data_logged::{Meaning, report_logged};
use crate::analysis::Sink;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for personal data (email addresses, phone numbers, social security numbers,
    /// bank accounts, birth dates) passed to `tracing` and `log` macros: as an argument, a
    /// field value (`email = %user.email`) or a name captured in the format string
    /// (`"{email}"`). What a value is comes from the last name of its path
    /// (`user.email_verified_at` is a time), the words of the message are not data, and
    /// masked values are left alone, as are tests.
    ///
    /// Off by default: in the services measured, the address logged was almost always the
    /// account's login name in an audit line or the recipient of a failed delivery, which
    /// teams keep on purpose. Select it where the logs must hold no personal data.
    ///
    /// ## Why is this bad?
    /// Logs are copied to collectors, dashboards, support tickets and backups, read by
    /// many more people than the database, and kept for months. Personal data in logs is
    /// processing that GDPR asks to record, minimise and delete on request, and log stores
    /// rarely support deleting one person's lines.
    ///
    /// ## Example
    /// ```rust
    /// tracing::info!(email = %form.email, "login attempt");
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// tracing::info!(user_id = %user.id, "login attempt");
    /// ```
    pub struct PersonalDataLogged {
        code: "SEC017",
        name: "personal-data-logged",
        area: Sec,
        severity: Info,
        input: Rust,
    }
}

impl Check for PersonalDataLogged {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        report_logged(file, sink, self.meta().code, Meaning::PersonalData);
    }
}
