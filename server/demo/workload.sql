-- The queries the sample application runs (one per line group, separated by blank lines).
SELECT id, title FROM documents WHERE metadata @> '{"lang": "de"}' ORDER BY created_at DESC LIMIT 20;

SELECT id, content FROM chunks WHERE project_id = (SELECT id FROM projects ORDER BY name LIMIT 1)
ORDER BY embedding <=> (SELECT embedding FROM chunks WHERE id = 1) LIMIT 5;

SELECT role, content, token_count FROM chat_messages
WHERE session_id = (SELECT id FROM chat_sessions WHERE external_id = 'ext-7') ORDER BY created_at DESC LIMIT 50;

SELECT count(*) FROM chunks WHERE document_id = 42;
