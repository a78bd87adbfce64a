// Logged values whose names are about a token, not the token: an id, a count, a label, a
// time, a path; and the words of the message itself.
pub async fn expiring(tokens: Vec<ApiToken>, token: ApiToken, secrets_file: PathBuf) {
    let num_tokens = tokens.len();
    tracing::info!("Found {num_tokens} expiring tokens");
    tracing::info!(token_id = %token.id, "token used");
    tracing::info!(user = %token.user, "token of user");
    tracing::debug!("expires at {}", token.expires_at);
    tracing::info!("reading secrets from {}", secrets_file.display());
    log::warn!(r#"User "{}" doesn't exist or has no password"#, token.user);
}
