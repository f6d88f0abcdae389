-- Row estimates of the tables a plan scans sequentially, for the "large sequential scan" warning.
-- $1: schema names, $2: table names (parallel arrays). Never-analyzed tables (reltuples = -1) get a
-- rough estimate from their size so the warning still fires on big unanalyzed tables.
SELECT n.nspname AS schema,
       c.relname AS name,
       CASE WHEN c.reltuples >= 0 THEN c.reltuples::float8
            ELSE pg_relation_size(c.oid)::float8 / current_setting('block_size')::float8 * 50
       END AS rows
FROM unnest($1::text[], $2::text[]) AS r(schema, name)
JOIN pg_namespace n ON n.nspname = r.schema
JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = r.name
