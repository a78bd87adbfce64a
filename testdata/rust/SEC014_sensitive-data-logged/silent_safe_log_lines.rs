pub async fn login(form: LoginForm, user: User) {
    tracing::info!(user_id = %user.id, "login attempt");
    tracing::info!("token refreshed");
    tracing::debug!(token = %mask(&session.token), "session renewed");
    tracing::debug!(has_password = form.password.is_some(), password_len = form.password.len(), "form received");
    log::info!("password reset requested for user {}", user.id);
}

#[cfg(test)]
mod tests {
    #[test]
    fn logs() {
        tracing::info!(password = "hunter2", "test fixture");
    }
}
