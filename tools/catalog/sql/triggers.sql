-- describe_object: user triggers of relation $1 (internal FK triggers left out).
SELECT t.tgname AS name, pg_get_triggerdef(t.oid) AS definition,
       CASE t.tgenabled WHEN 'O' THEN 'enabled' WHEN 'D' THEN 'disabled' WHEN 'R' THEN 'replica only'
                      WHEN 'A' THEN 'always' END AS enabled
FROM pg_trigger t
WHERE t.tgrelid = $1 AND NOT t.tgisinternal
ORDER BY t.tgname
LIMIT $2
