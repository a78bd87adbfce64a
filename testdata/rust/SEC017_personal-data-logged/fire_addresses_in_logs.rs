pub async fn login(form: LoginForm, user: User) {
    tracing::info!(email = %form.email, "login attempt");
    log::warn!("could not send the reset mail to {}", user.email_address);
    tracing::debug!("new phone number {phone}");
}
