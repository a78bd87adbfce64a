pub async fn login(form: LoginForm) {
    tracing::info!(email = %form.email, password = %form.password, "login attempt");
    log::debug!("refreshing with {}", session.refresh_token);
    tracing::warn!("authorization header was {auth_header:?} for {authorization}");
}
