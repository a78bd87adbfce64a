pub async fn login(form: LoginForm, user: User) {
    tracing::info!(user_id = %user.id, "login attempt");
    tracing::info!("email sent");
    tracing::debug!(email_verified_at = %user.email_verified_at, "checked");
    log::info!("{} emails queued", count);
}
