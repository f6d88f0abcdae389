-- describe_object: names that resemble $1 (case-insensitive substring either way, or same first letters);
-- the caller ranks them. strpos avoids LIKE, so the user's text needs no escaping.
SELECT n.nspname AS schema, c.relname AS name
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
  AND (strpos(lower(c.relname), lower($1)) > 0
       OR strpos(lower($1), lower(c.relname)) > 0
       OR left(lower(c.relname), 3) = left(lower($1), 3))
UNION
SELECT n.nspname, p.proname
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND (strpos(lower(p.proname), lower($1)) > 0 OR left(lower(p.proname), 3) = left(lower($1), 3))
LIMIT 500
