// Values under secret-looking names that are not secrets: messages, URLs, routes, prefixes,
// documented examples, and a secret detector's patterns.
const TOKEN_FORMAT_ERROR: &str = "The given API token does not match the format we expect";
const PLAY_TOKEN_GENERATE_URL: &str = "https://api.play.example.com/api/v1/token/generate";
const AUTOCONFIG_TOKEN_PREFIX: &str = "auto_v1_";

pub fn routes() {
    let update_password = "/api/v1/account/password/update";
    let token_url = "https://github.com/login/oauth/access_token";
    register(update_password, token_url);
}

pub fn aws_example() -> Credentials {
    Credentials::new("AKIAIOSFODNN7EXAMPLE", read_secret_key(), None)
}

static SECRET_PATTERNS: &[(&str, &str)] = &[("slack", "xoxb-[0-9]{11}-[0-9]{11}-[0-9a-zA-Z]{24}")];
