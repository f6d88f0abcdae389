-- Row-level security policies of the given tables. $1 oid[]: table oids.
SELECT p.polrelid AS table_oid,
       p.polname AS name,
       CASE p.polcmd WHEN 'r' THEN 'select' WHEN 'a' THEN 'insert' WHEN 'w' THEN 'update'
                     WHEN 'd' THEN 'delete' ELSE 'all' END AS command,
       ARRAY(
           SELECT CASE WHEN r.oid = 0 THEN 'public' ELSE pg_get_userbyid(r.oid)::text END
           FROM unnest(p.polroles) AS r(oid)
           ORDER BY 1
       ) AS roles,
       p.polpermissive AS permissive,
       pg_get_expr(p.polqual, p.polrelid) AS using,
       pg_get_expr(p.polwithcheck, p.polrelid) AS with_check
FROM pg_policy p
WHERE p.polrelid = ANY ($1::oid[])
ORDER BY p.polrelid, p.polname
