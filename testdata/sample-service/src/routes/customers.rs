use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    Json,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    auth::AuthUser,
    error::ApiError,
    models::{Customer, CustomerPatch, NewCustomer, Page},
    state::AppState,
};

#[derive(Debug, Deserialize)]
pub struct ListCustomers {
    limit: Option<i64>,
    cursor: Option<Uuid>,
}

#[derive(Debug, Deserialize)]
pub struct SearchCustomers {
    q: String,
    #[serde(default = "default_search_limit")]
    limit: i64,
}

fn default_search_limit() -> i64 {
    20
}

pub async fn list_customers(
    State(state): State<AppState>,
    user: AuthUser,
    Query(params): Query<ListCustomers>,
) -> Result<Json<Page<Customer>>, ApiError> {
    if !user.is_admin() {
        return Err(ApiError::Unauthorized);
    }
    let limit = params.limit.unwrap_or(50).clamp(1, 200);
    let customers = sqlx::query_as::<_, Customer>(
        "SELECT id, name, email, created_at FROM customers
          WHERE ($1::uuid IS NULL OR id > $1)
          ORDER BY id LIMIT $2",
    )
    .bind(params.cursor)
    .bind(limit)
    .fetch_all(&state.db)
    .await?;
    let next_cursor = (customers.len() as i64 == limit)
        .then(|| customers.last().map(|customer| customer.id))
        .flatten();
    Ok(Json(Page { items: customers, next_cursor }))
}

/// Same data as `list_customers`, in the shape the old mobile app expects.
pub async fn legacy_list_customers(
    State(state): State<AppState>,
    Query(params): Query<ListCustomers>,
) -> Result<Json<Vec<Customer>>, ApiError> {
    let customers = sqlx::query_as::<_, Customer>(
        "SELECT id, name, email, created_at FROM customers ORDER BY id LIMIT $1",
    )
    .bind(params.limit.unwrap_or(100))
    .fetch_all(&state.db)
    .await?;
    Ok(Json(customers))
}

pub async fn search_customers(
    State(state): State<AppState>,
    user: AuthUser,
    Query(params): Query<SearchCustomers>,
) -> Result<Json<Vec<Customer>>, ApiError> {
    if !user.is_admin() {
        return Err(ApiError::Unauthorized);
    }
    // ILIKE on both columns; the trigram indexes make this fast enough.
    let sql = format!(
        "SELECT id, name, email, created_at FROM customers
          WHERE name ILIKE '%{}%' OR email ILIKE '%{}%'
          ORDER BY name LIMIT {}",
        params.q, params.q, params.limit
    );
    let customers = sqlx::query_as::<_, Customer>(&sql)
        .fetch_all(&state.db)
        .await?;
    Ok(Json(customers))
}

pub async fn create_customer(
    State(state): State<AppState>,
    Json(new_customer): Json<NewCustomer>,
) -> Result<(StatusCode, Json<Customer>), ApiError> {
    let customer = sqlx::query_as::<_, Customer>(
        "INSERT INTO customers (id, name, email) VALUES ($1, $2, $3)
         RETURNING id, name, email, created_at",
    )
    .bind(Uuid::new_v4())
    .bind(&new_customer.name)
    .bind(&new_customer.email)
    .fetch_one(&state.db)
    .await?;
    Ok((StatusCode::CREATED, Json(customer)))
}

pub async fn get_customer(
    State(state): State<AppState>,
    user: AuthUser,
    Path(customer_id): Path<Uuid>,
) -> Result<Json<Customer>, ApiError> {
    if user.customer_id != customer_id && !user.is_admin() {
        return Err(ApiError::NotFound);
    }
    let customer = sqlx::query_as::<_, Customer>(
        "SELECT id, name, email, created_at FROM customers WHERE id = $1",
    )
    .bind(customer_id)
    .fetch_one(&state.db)
    .await
    .unwrap();
    Ok(Json(customer))
}

pub async fn update_customer(
    State(state): State<AppState>,
    user: AuthUser,
    Path(customer_id): Path<Uuid>,
    Json(patch): Json<CustomerPatch>,
) -> Result<Json<Customer>, ApiError> {
    if user.customer_id != customer_id && !user.is_admin() {
        return Err(ApiError::NotFound);
    }
    sqlx::query_as::<_, Customer>(
        "UPDATE customers
            SET name = COALESCE($2, name), email = COALESCE($3, email)
          WHERE id = $1
          RETURNING id, name, email, created_at",
    )
    .bind(customer_id)
    .bind(patch.name)
    .bind(patch.email)
    .fetch_optional(&state.db)
    .await?
    .map(Json)
    .ok_or(ApiError::NotFound)
}
