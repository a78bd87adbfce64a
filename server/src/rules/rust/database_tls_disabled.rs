use crate::analysis::Sink;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for database connections with TLS turned off: `sslmode=disable` in a
    /// connection string (PostgreSQL; `ssl-mode=DISABLED` for MySQL), and sqlx's
    /// `PgSslMode::Disable` or `MySqlSslMode::Disabled` passed as the mode. Connection
    /// strings to a loopback host (`localhost`, `127.0.0.1`, `[::1]`) and tests are left
    /// alone: that traffic does not leave the machine. So is a mode the operator sets: the
    /// value compared with, matched on, or mapped from a setting (`"disable" =>
    /// PgSslMode::Disable`).
    ///
    /// ## Why is this bad?
    /// Without TLS, the database password and every row travel in clear text between the
    /// service and the database. In a cloud network, a container platform or a peered VPC,
    /// that path crosses machines the service does not control; compliance regimes (PCI DSS,
    /// HIPAA, SOC 2) require encryption in transit for exactly this reason.
    ///
    /// ## Example
    /// ```rust
    /// let url = "postgres://orders@db.internal:5432/orders?sslmode=disable";
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// let url = "postgres://orders@db.internal:5432/orders?sslmode=verify-full";
    /// ```
    pub struct DatabaseTlsDisabled {
        code: "SEC016",
        name: "database-tls-disabled",
        area: Sec,
        severity: Warning,
        input: Rust,
    }
}

impl Check for DatabaseTlsDisabled {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        for found in file.matches(self.meta().code) {
            let Some(node) = found.get("call") else { continue };
            if file.is_test(node) {
                continue;
            }
            let text = file.text_of(node);
            if node.kind() == "scoped_identifier" {
                // Compared with, matched on, or chosen from a setting: the mode is the
                // operator's to set.
                if decided_by_setting(node) {
                    continue;
                }
                file.report(sink, node, format!("`{text}` connects to the database without TLS"));
                continue;
            }
            let loopback =
                ["@localhost", "@127.0.0.1", "@[::1]", "//localhost", "//127.0.0.1", "//[::1]", "host=localhost", "host=127.0.0.1"];
            if loopback.iter().any(|host| text.contains(host)) {
                continue;
            }
            file.report(sink, node, "this connection string turns TLS off: the database password and data travel in clear text");
        }
    }
}

/// Whether an SSL mode value is compared, matched or mapped from a setting rather than set.
fn decided_by_setting(node: tree_sitter::Node<'_>) -> bool {
    crate::rust::ancestors(node)
        .skip(1)
        .take(4)
        .any(|ancestor| matches!(ancestor.kind(), "match_arm" | "match_pattern" | "binary_expression" | "if_expression" | "let_condition"))
}
