-- Valid indexes of the resolved tables: method, key columns (NULL for an expression), partial or not.
SELECT i.indrelid::bigint AS oid,
       ic.relname AS name,
       am.amname AS method,
       i.indpred IS NOT NULL AS partial,
       ARRAY(
           SELECT a.attname
           FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
           LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
           WHERE k.ord <= i.indnkeyatts
           ORDER BY k.ord
       ) AS columns
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
WHERE i.indrelid = ANY($1::oid[])
  AND i.indisvalid
