-- describe_object: constraints on relation $1 and foreign keys pointing at it (direction 'in').
SELECT 'out' AS direction, k.conname AS name, k.contype::text AS type, pg_get_constraintdef(k.oid) AS definition,
       k.convalidated AS validated, k.condeferrable AS deferrable,
       CASE WHEN k.contype = 'f' THEN k.confrelid::regclass::text END AS other_table,
       k.confdeltype::text AS on_delete, k.confupdtype::text AS on_update,
       (SELECT array_agg(a.attname ORDER BY x.i) FROM unnest(k.conkey) WITH ORDINALITY AS x(attnum, i)
        JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.attnum) AS columns
FROM pg_constraint k
WHERE k.conrelid = $1 AND k.contype IN ('p', 'u', 'f', 'c', 'x')
UNION ALL
SELECT 'in', k.conname, 'f', pg_get_constraintdef(k.oid), k.convalidated, k.condeferrable,
       k.conrelid::regclass::text, k.confdeltype::text, k.confupdtype::text,
       (SELECT array_agg(a.attname ORDER BY x.i) FROM unnest(k.conkey) WITH ORDINALITY AS x(attnum, i)
        JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.attnum)
FROM pg_constraint k
WHERE k.confrelid = $1 AND k.contype = 'f' AND k.conparentid = 0
ORDER BY 1 DESC, 3, 2
LIMIT $2
