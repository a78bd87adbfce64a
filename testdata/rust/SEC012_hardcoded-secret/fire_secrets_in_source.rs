use jsonwebtoken::{EncodingKey, Header, encode};

const JWT_SECRET: &str = "c2VjcmV0LWtleS1mb3ItcHJvZA==";
static DATABASE_PASSWORD: &str = "Tr0ub4dor&3-prod";

pub fn sign(claims: &Claims) -> jsonwebtoken::errors::Result<String> {
    encode(&Header::default(), claims, &EncodingKey::from_secret(b"another-hardcoded-key-2024"))
}

pub fn payments_client() -> stripe::Client {
    let api_key = "sk_live_51HxJq2KZvbnT8wq9Yb3pLmN4";
    stripe::Client::new(api_key)
}

pub fn aws() -> Credentials {
    Credentials::new("AKIA2E0A8F3B244C9986", read_secret_key(), None)
}
