CREATE INDEX orders_created_at_idx ON orders (created_at);
create unique index if not exists orders_status_reference_idx
    on public.orders (status, reference);
