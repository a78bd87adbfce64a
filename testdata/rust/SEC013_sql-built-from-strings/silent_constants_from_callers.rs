use diesel::sql_query;

const ONE_DAY: (&str, &str) = ("1 day", "day");
const ALL_INTERVALS: [(&str, &str); 1] = [ONE_DAY];

// Table and column names passed as constants by every caller, one or two calls away: names
// cannot be bind parameters, and nothing here comes from outside.
async fn refresh_counts(conn: &mut Conn, interval: (&str, &str)) {
    let _ = sql_query(format!("UPDATE site SET users_active_{} = 0", interval.1)).execute(conn).await;
}

async fn counts(conn: &mut Conn, interval: (&str, &str)) {
    refresh_counts(conn, interval).await;
}

pub async fn all_counts(conn: &mut Conn) {
    for interval in ALL_INTERVALS {
        counts(conn, interval).await;
    }
}

async fn ranks(conn: &mut Conn, table_name: &str) {
    let _ = sql_query(format!("UPDATE {table_name} SET rank = 0")).execute(conn).await;
}

pub async fn all_ranks(conn: &mut Conn) {
    ranks(conn, "post").await;
    ranks(conn, "comment").await;
}
