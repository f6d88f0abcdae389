-- Indexes of the given tables with their keys (column or expression, non-default operator class,
-- order), INCLUDE columns, predicate and the constraint they back. $1 oid[]: table oids.
SELECT i.indrelid AS table_oid,
       ic.relname AS name,
       am.amname AS method,
       i.indisunique AS "unique",
       i.indisprimary AS "primary",
       i.indisvalid AS valid,
       con.conname AS "constraint",
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       (
           SELECT coalesce(jsonb_agg(jsonb_build_object(
                      'column', a.attname,
                      'expression', CASE WHEN k.attnum = 0 THEN pg_get_indexdef(i.indexrelid, k.ord::int, true) END,
                      'opclass', CASE WHEN NOT opc.opcdefault THEN opc.opcname END,
                      'descending', (i.indoption[k.ord - 1] & 1) = 1
                  ) ORDER BY k.ord), '[]'::jsonb)
           FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
           LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0
           LEFT JOIN pg_opclass opc ON opc.oid = i.indclass[k.ord - 1]
           WHERE k.ord <= i.indnkeyatts
       ) AS keys,
       ARRAY(
           SELECT a.attname::text
           FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
           WHERE k.ord > i.indnkeyatts
           ORDER BY k.ord
       ) AS include
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
     AND con.contype IN ('p', 'u', 'x')
WHERE i.indrelid = ANY ($1::oid[])
ORDER BY i.indrelid, ic.relname
