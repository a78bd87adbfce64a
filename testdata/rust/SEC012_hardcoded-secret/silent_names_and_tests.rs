use jsonwebtoken::EncodingKey;

/// Header and field names, not secrets.
pub const CSRF_TOKEN: &str = "csrf_token";
pub const API_KEY_HEADER: &str = "x-api-key";
/// The name of the environment variable that holds the secret.
const JWT_SECRET_VAR: &str = "JWT_SECRET";

pub fn key() -> EncodingKey {
    let secret = std::env::var(JWT_SECRET_VAR).expect("JWT_SECRET is set");
    EncodingKey::from_secret(secret.as_bytes())
}

pub fn greeting() -> &'static str {
    let token = "hello";
    token
}

#[cfg(test)]
mod tests {
    const TEST_SECRET: &str = "test-secret-for-unit-tests-only";

    #[test]
    fn signs() {
        let key = jsonwebtoken::EncodingKey::from_secret(b"0123456789abcdef0123456789abcdef");
        let _ = (key, TEST_SECRET);
    }
}
