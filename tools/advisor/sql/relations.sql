-- Resolve table names (as the search_path sees them) to oids, with size estimates.
SELECT q.qualified,
       c.oid::bigint AS oid,
       n.nspname AS schema,
       c.relname AS name,
       greatest(c.reltuples, 0)::float8 AS reltuples
FROM unnest($1::text[]) AS q(qualified)
JOIN pg_class c ON c.oid = to_regclass(q.qualified)
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm')
