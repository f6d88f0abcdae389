-- sequence-overflow / integer-key-overflow: non-cycling sequences with their last value, their own
-- limits, and the column they feed (OWNED BY or identity, else a DEFAULT nextval() dependency) with its
-- type. Both lookups use pg_depend's indexes, so the cost stays linear in the number of sequences.
-- $1 = the fraction of a limit worth reporting: a sequence below that fraction of the smallest possible
-- limit (its own, or 32767 for a smallint column) cannot be near any limit and is skipped early.
WITH last_values AS MATERIALIZED (
    SELECT s.seqrelid,
           CASE WHEN has_sequence_privilege(s.seqrelid, 'SELECT,USAGE') THEN pg_sequence_last_value(s.seqrelid) END
               AS last_value
    FROM pg_sequence s
    WHERE NOT s.seqcycle
), seqs AS (
    SELECT s.seqrelid, n.nspname AS schema, c.relname AS sequence, format_type(s.seqtypid, NULL) AS data_type,
           s.seqmax AS max_value, s.seqmin AS min_value, s.seqincrement AS increment,
           v.last_value,
           coalesce(
               (SELECT ARRAY[d.refobjid::int8, d.refobjsubid::int8] FROM pg_depend d
                WHERE d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid
                  AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
                LIMIT 1),
               (SELECT ARRAY[ad.adrelid::int8, ad.adnum::int8] FROM pg_depend d
                JOIN pg_attrdef ad ON ad.oid = d.objid
                WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = s.seqrelid
                  AND d.classid = 'pg_attrdef'::regclass
                LIMIT 1)
           ) AS feeds
    FROM pg_sequence s
    JOIN last_values v ON v.seqrelid = s.seqrelid
    JOIN pg_class c ON c.oid = s.seqrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND abs(v.last_value::numeric)
          >= $1 * least(abs(CASE WHEN s.seqincrement > 0 THEN s.seqmax ELSE s.seqmin END::numeric), 32767)
)
SELECT q.schema, q.sequence, q.data_type, q.max_value, q.min_value, q.increment, q.last_value,
       tn.nspname AS table_schema, tc.relname AS table_name, a.attname AS column_name,
       format_type(a.atttypid, NULL) AS column_type, a.attidentity <> '' AS identity
FROM seqs q
LEFT JOIN pg_attribute a ON a.attrelid = q.feeds[1]::oid AND a.attnum = q.feeds[2]::int2
LEFT JOIN pg_class tc ON tc.oid = a.attrelid
LEFT JOIN pg_namespace tn ON tn.oid = tc.relnamespace
