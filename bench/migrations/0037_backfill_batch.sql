-- Data migration in a batch: no DDL, nothing to report.
UPDATE accounts SET is_active = true WHERE id IN (SELECT id FROM accounts WHERE is_active IS NULL LIMIT 5000);
