// The team instruments its handlers one by one: the one left out is reported.
#[tracing::instrument]
pub async fn list_orders() -> &'static str {
    "[]"
}

#[tracing::instrument]
pub async fn list_customers() -> &'static str {
    "[]"
}

pub async fn export() -> &'static str {
    "csv"
}
