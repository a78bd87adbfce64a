use crate::analysis::Sink;
use crate::rules::{Check, RuleInfo, declare_rule};
use crate::rust::RustFile;

declare_rule! {
    /// ## What it does
    /// Checks for password hashing on the async executor: `bcrypt::hash`/`verify`,
    /// `scrypt`, `pbkdf2`, and argon2's `hash_password`/`verify_password`, called in async
    /// code (an async fn or block, closures inside them included) rather than in a closure
    /// given to `spawn_blocking` or `block_in_place`. Tests are left alone.
    ///
    /// ## Why is this bad?
    /// Password hashes are slow on purpose: tens to hundreds of milliseconds of CPU each.
    /// On an executor thread, that time is taken from every other task on the thread: a few
    /// logins at once stall unrelated requests, and a burst of logins (or an attacker
    /// trying passwords) stalls the service.
    ///
    /// ## Example
    /// ```rust
    /// async fn login(Json(form): Json<Login>) -> Result<StatusCode, ApiError> {
    ///     let ok = bcrypt::verify(&form.password, &stored_hash)?;
    ///     ...
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```rust
    /// async fn login(Json(form): Json<Login>) -> Result<StatusCode, ApiError> {
    ///     let ok = tokio::task::spawn_blocking(move || bcrypt::verify(&form.password, &stored_hash)).await??;
    ///     ...
    /// }
    /// ```
    pub struct CpuHeavyInAsync {
        code: "SCL003",
        name: "cpu-heavy-in-async",
        area: Scl,
        severity: Warning,
        input: Rust,
    }
}

impl Check for CpuHeavyInAsync {
    fn check_rust(&self, file: &RustFile<'_>, sink: &mut Sink) {
        for found in file.matches(self.meta().code) {
            let (Some(call), Some(function)) = (found.get("call"), found.get("function").or_else(|| found.get("method"))) else { continue };
            if !file.is_async(call) || file.is_test(call) {
                continue;
            }
            let name = file.text_of(function);
            file.report(sink, call, format!("`{name}` hashes a password on the async executor: move it to `spawn_blocking`"));
        }
    }
}
