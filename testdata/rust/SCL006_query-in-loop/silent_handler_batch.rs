use axum::{Json, extract::State};
use sqlx::PgPool;

// A handler's loop over the items of its own request: a batch the client sent, written item
// by item.
pub async fn import(State(pool): State<PgPool>, Json(batch): Json<Vec<NewTag>>) -> Result<(), ApiError> {
    for tag in batch {
        sqlx::query("INSERT INTO tags (name) VALUES ($1)").bind(&tag.name).execute(&pool).await?;
    }
    Ok(())
}

// A loop over a constant list of tables.
const TABLES: [&str; 2] = ["orders", "customers"];

pub async fn vacuum(pool: &PgPool) -> sqlx::Result<()> {
    for table in TABLES {
        sqlx::query("SELECT pg_sleep(0)").bind(table).execute(pool).await?;
    }
    Ok(())
}
