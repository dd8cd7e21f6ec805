-- Indexes for every filter and every sort order.
--
-- Sort orders are keyset-paged: the cursor is the last row's sort key, and the next page
-- is "(key) > (cursor)" in index order. Descending dates are indexed as negated
-- milliseconds so that each key is ascending in every column, which lets PostgreSQL
-- use a row comparison as an index range (a mixed ASC/DESC key cannot be).
CREATE INDEX tickets_order_priority ON tickets (priority_rank, (-updated_ms), ticket_id);
CREATE INDEX tickets_order_newest ON tickets ((-created_ms), ticket_id);
CREATE INDEX tickets_order_oldest ON tickets (created_ms, ticket_id);
CREATE INDEX tickets_order_updated ON tickets ((-updated_ms), ticket_id);

-- Exact-match filters. The enums have few values, but a status or category is what
-- most searches name, and these indexes answer their counts from the index alone.
CREATE INDEX tickets_user ON tickets (user_key);
CREATE INDEX tickets_assignee ON tickets (assignee_key);
CREATE INDEX tickets_status ON tickets (status, priority_rank, category);
CREATE INDEX tickets_category ON tickets (category, priority_rank);
CREATE INDEX tickets_priority ON tickets (priority_rank);

-- get_ticket and id completion (case-insensitive, prefix LIKE on a "C" column).
CREATE INDEX tickets_id_key ON tickets (id_key, ticket_id);

-- Keyword search: LIKE '%term%' on search_text through trigrams. pg_trgm is a trusted
-- extension (PostgreSQL 13+): a database owner may create it without a superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE INDEX tickets_search_trgm ON tickets USING gin (search_text gin_trgm_ops);
