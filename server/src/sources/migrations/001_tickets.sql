-- The tickets table: the seed's ten fields, plus columns the application derives from
-- them when it writes a row (postgresRows.ts), with the very functions the in-memory
-- store uses. Matching and ordering then read these columns, so both stores give the
-- same answers whatever this database's locale: lower-casing, Unicode normalisation and
-- the priority order are decided in one place, not once in JavaScript and once in SQL.
--
-- ticket_id and the keys compare byte-wise (COLLATE "C"): the order of ids is then
-- code point order, the same as JavaScript's string order for every character below
-- U+10000, and prefix LIKE can use the btree index.
CREATE TABLE tickets (
  ticket_id     text COLLATE "C" PRIMARY KEY,
  user_id       text NOT NULL,
  title         text NOT NULL,
  description   text NOT NULL,
  status        text NOT NULL
    CHECK (status IN ('open', 'in_progress', 'pending', 'closed', 'rejected')),
  priority      text NOT NULL
    CHECK (priority IN ('critical', 'high', 'medium', 'low')),
  category      text NOT NULL
    CHECK (category IN ('authentication', 'billing', 'feature', 'technical', 'security')),
  created_date  timestamptz NOT NULL,
  updated_date  timestamptz NOT NULL,
  assigned_to   text NOT NULL,
  -- Derived (see above): never written by hand.
  id_key        text COLLATE "C" NOT NULL,  -- lower-cased ticket_id
  user_key      text COLLATE "C" NOT NULL,  -- lower-cased user_id
  assignee_key  text COLLATE "C" NOT NULL,  -- lower-cased assigned_to
  priority_rank smallint NOT NULL,          -- 0 = critical ... 3 = low
  created_ms    bigint NOT NULL,            -- created_date in epoch milliseconds
  updated_ms    bigint NOT NULL,
  search_text   text NOT NULL,              -- title + "\n" + description, NFC, lower-cased
  CHECK (updated_date >= created_date)
);
