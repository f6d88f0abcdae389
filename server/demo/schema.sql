-- A RAG + chat schema of the kind the seed prompts describe, with the flaws real projects have.
-- Each flaw is marked; the demo shows pgsage finding them.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE projects (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name varchar(255) NOT NULL,                              -- flaw: varchar(n) where text fits
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE documents (
    id bigserial PRIMARY KEY,
    project_id uuid REFERENCES projects (id),                -- flaw: nullable tenant key, no cascade, no index
    title varchar(255) NOT NULL,
    source_url text,
    metadata jsonb NOT NULL DEFAULT '{}',                    -- flaw: queried with @> but no GIN index
    created_at timestamp DEFAULT now()                       -- flaw: timestamp without time zone
);

CREATE TABLE chunks (
    id serial PRIMARY KEY,                                   -- flaw: int4 serial key on a growing table
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    document_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,  -- flaw: FK without index
    chunk_index integer NOT NULL,
    content text NOT NULL,
    embedding vector(64),                                    -- flaw: no HNSW index for <=> queries
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chunks_project_id_idx ON chunks (project_id);
CREATE INDEX chunks_project_idx ON chunks (project_id);      -- flaw: duplicate index

CREATE TABLE chat_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    external_id text NOT NULL UNIQUE,
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived', 'expired')),
    meta jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- flaw: redundant with the UNIQUE constraint's index (advice copied from a seed prompt)
CREATE INDEX chat_sessions_external_id_idx ON chat_sessions (external_id);
ALTER TABLE chat_sessions ENABLE ROW LEVEL SECURITY;          -- flaw: enabled but not forced
CREATE POLICY chat_sessions_tenant ON chat_sessions
    USING (project_id = current_setting('app.project_id', true)::uuid);

CREATE TABLE chat_messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id uuid NOT NULL REFERENCES chat_sessions (id) ON DELETE CASCADE,  -- flaw: FK without index
    role text NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
    content text NOT NULL,
    token_count integer,
    meta jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (                                     -- flaw: no primary key
    at timestamp DEFAULT now(),
    actor text,
    action text,
    detail jsonb
);
