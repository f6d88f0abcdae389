-- Deterministic sample data: 20 projects, 2,000 documents, 20,000 chunks, 2,000 sessions, 20,000 messages.
SELECT setseed(0.42);
INSERT INTO projects (name) SELECT 'project ' || g FROM generate_series(1, 20) g;
INSERT INTO documents (project_id, title, source_url, metadata)
SELECT p.id, 'doc ' || g, 'https://example.com/doc/' || g,
       jsonb_build_object('lang', (ARRAY['en', 'de', 'fr'])[1 + g % 3], 'tier', (ARRAY['free', 'pro'])[1 + g % 2])
FROM generate_series(1, 2000) g
JOIN LATERAL (SELECT id FROM projects ORDER BY id OFFSET (g % 20) LIMIT 1) p ON true;
INSERT INTO chunks (project_id, document_id, chunk_index, content, embedding)
SELECT d.project_id, d.id, c, 'chunk ' || c || ' of ' || d.title,
       (SELECT array_agg(random()::real) FROM generate_series(1, 64) WHERE c > 0 AND d.id > 0)::vector
FROM documents d, generate_series(1, 10) c;
INSERT INTO chat_sessions (project_id, external_id, status, meta)
SELECT p.id, 'ext-' || g, (ARRAY['active', 'archived', 'expired'])[1 + g % 3],
       jsonb_build_object('user_id', 'u' || (g % 300), 'channel', (ARRAY['web', 'slack'])[1 + g % 2])
FROM generate_series(1, 2000) g
JOIN LATERAL (SELECT id FROM projects ORDER BY id OFFSET (g % 20) LIMIT 1) p ON true;
INSERT INTO chat_messages (session_id, role, content, token_count, meta, created_at)
SELECT s.id, (ARRAY['user', 'assistant'])[1 + m % 2], 'message ' || m, 20 + (m * 7) % 300,
       jsonb_build_object('model', 'demo-model'), now() - make_interval(mins => 10 - m)
FROM chat_sessions s, generate_series(1, 10) m;
INSERT INTO audit_log (actor, action, detail)
SELECT 'u' || g, 'login', jsonb_build_object('ip', '10.0.0.' || (g % 250)) FROM generate_series(1, 500) g;
ANALYZE;
