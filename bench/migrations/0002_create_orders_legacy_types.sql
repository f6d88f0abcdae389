-- A table written with the types the style rules warn about.
CREATE TABLE orders (
    id serial PRIMARY KEY,
    account_id integer NOT NULL,
    status varchar(20) NOT NULL,
    currency char(3) NOT NULL,
    placed_at timestamp NOT NULL,
    total numeric(12, 2) NOT NULL
);
