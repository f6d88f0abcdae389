CREATE SCHEMA shop;
COMMENT ON SCHEMA shop IS 'the shop';
CREATE TYPE shop.status AS ENUM ('new', 'paid', 'shipped');
CREATE DOMAIN shop.positive AS integer NOT NULL CHECK (VALUE > 0);
CREATE TYPE shop.pair AS (a int, b text);
CREATE TABLE shop.customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name text,
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE shop.customers IS 'people who buy';
COMMENT ON COLUMN shop.customers.email IS 'login e-mail';
CREATE TABLE shop.orders (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES shop.customers (id) ON DELETE CASCADE,
    status shop.status NOT NULL DEFAULT 'new',
    qty shop.positive,
    total numeric(12, 2) CHECK (total >= 0),
    total_with_tax numeric GENERATED ALWAYS AS (total * 1.2) STORED
);
CREATE INDEX orders_customer_idx ON shop.orders (customer_id);
CREATE INDEX orders_status_idx ON shop.orders USING hash (status);
ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE shop.orders FORCE ROW LEVEL SECURITY;
CREATE POLICY orders_own ON shop.orders FOR SELECT TO PUBLIC USING (customer_id > 0);
CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON shop.orders FOR EACH ROW EXECUTE FUNCTION shop.touch();
CREATE FUNCTION shop.order_count(c bigint) RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT count(*) FROM shop.orders WHERE customer_id = c $$;
CREATE FUNCTION shop.order_count(c bigint, s shop.status) RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT count(*) FROM shop.orders WHERE customer_id = c AND status = s $$;
CREATE PROCEDURE shop.archive() LANGUAGE sql AS $$ SELECT 1 $$;
CREATE VIEW shop.paid_orders AS SELECT id, customer_id FROM shop.orders WHERE status = 'paid';
CREATE MATERIALIZED VIEW shop.order_totals AS SELECT customer_id, sum(total) AS total FROM shop.orders GROUP BY 1;
CREATE TABLE shop.events (id bigint NOT NULL, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE shop.events_2025 PARTITION OF shop.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE shop.events_2026 PARTITION OF shop.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE SEQUENCE shop.invoice_no AS integer START 1000 INCREMENT 10;
CREATE TABLE public."Mixed Case" (id int PRIMARY KEY, "Weird ""col""" text);
CREATE TABLE public."x""; DROP TABLE t; --" (id int);
CREATE TABLE public.t (id int);
CREATE TABLE public."dotted.name" (id int);
CREATE SCHEMA other;
CREATE TABLE other.customers (id int);
INSERT INTO shop.customers (email) SELECT 'c' || g || '@x' FROM generate_series(1, 500) g;
ANALYZE shop.customers;
