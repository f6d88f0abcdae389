-- settings: the server settings the rules in settings.py judge, as this session sees them.
SELECT s.name, s.setting, s.unit, s.source, s.boot_val
FROM pg_settings s
WHERE s.name = ANY ($1::text[])
