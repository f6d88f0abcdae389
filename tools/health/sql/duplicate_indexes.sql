-- duplicate-indexes / redundant-indexes: index a is droppable because index b on the same table has the
-- same columns, operator classes, collations, expressions and predicate (duplicate), or, for btree, starts
-- with all of a's columns (redundant prefix). Indexes behind constraints and needed uniqueness are kept.
WITH constraint_indexes AS (
    -- pg_constraint has no index on conindid: collect the set once instead of probing per index.
    SELECT DISTINCT conindid FROM pg_constraint WHERE contype IN ('p', 'u', 'x')
), idx AS (
    SELECT i.indexrelid, i.indrelid, i.indisunique AS is_unique, c.relam, c.relkind, n.nspname, c.relname,
           t.relname AS table_name, am.amname,
           string_to_array(i.indkey::text, ' ')::int[] AS cols,
           i.indnkeyatts AS nkey, i.indnatts AS natts,
           string_to_array(i.indclass::text, ' ')::oid[] AS classes,
           string_to_array(i.indcollation::text, ' ')::oid[] AS colls,
           string_to_array(i.indoption::text, ' ')::int[] AS opts,
           pg_get_expr(i.indexprs, i.indrelid) AS exprs,
           pg_get_expr(i.indpred, i.indrelid) AS pred,
           ci.conindid IS NOT NULL AS backs_constraint
    FROM pg_index i
    LEFT JOIN constraint_indexes ci ON ci.conindid = i.indexrelid
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_am am ON am.oid = c.relam
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE i.indisvalid
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
      -- Only indexes sharing their first column with another index of the same table can pair up; this
      -- cheap probe (pg_index is indexed on indrelid) spares the array work for every other index.
      AND EXISTS (SELECT 1 FROM pg_index j
                  WHERE j.indrelid = i.indrelid AND j.indexrelid <> i.indexrelid AND j.indkey[0] = i.indkey[0])
), pairs AS (
    SELECT a.*, b.relname AS covering_index, b.indexrelid AS covering_oid,
           CASE WHEN a.cols = b.cols AND a.nkey = b.nkey THEN 'duplicate' ELSE 'redundant' END AS kind
    FROM idx a
    JOIN idx b ON b.indrelid = a.indrelid AND b.indexrelid <> a.indexrelid AND b.relam = a.relam
    WHERE NOT a.backs_constraint
      AND a.exprs IS NOT DISTINCT FROM b.exprs
      AND a.pred IS NOT DISTINCT FROM b.pred
      AND a.classes[1:a.nkey] = b.classes[1:a.nkey]
      AND a.colls[1:a.nkey] = b.colls[1:a.nkey]
      AND a.opts[1:a.nkey] = b.opts[1:a.nkey]
      AND (
          -- duplicate: same key and INCLUDE columns; keep the one behind a constraint, the unique one,
          -- or else the older one.
          (a.cols = b.cols AND a.nkey = b.nkey
           AND (NOT a.is_unique OR b.is_unique)
           AND (b.backs_constraint, b.is_unique, a.indexrelid) > (a.backs_constraint, a.is_unique, b.indexrelid))
          OR
          -- redundant: a's keys are a strict prefix of b's keys (btree only; a has no INCLUDE columns and
          -- does not enforce uniqueness on its own column set).
          (a.amname = 'btree' AND NOT a.is_unique AND a.natts = a.nkey AND a.nkey < b.nkey
           AND a.cols[1:a.nkey] = b.cols[1:a.nkey])
      )
)
SELECT DISTINCT ON (p.indexrelid)
       p.nspname AS schema, p.relname AS index, p.table_name AS table, p.relkind::text AS relkind, p.kind,
       pg_relation_size(p.indexrelid) AS bytes, pg_get_indexdef(p.indexrelid) AS definition,
       p.covering_index, pg_get_indexdef(p.covering_oid) AS covering_definition,
       (SELECT s.idx_scan FROM pg_stat_all_indexes s WHERE s.indexrelid = p.indexrelid) AS scans
FROM pairs p
ORDER BY p.indexrelid, p.kind
LIMIT $1
